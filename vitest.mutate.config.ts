// The tests Stryker runs against each mutant: everything but the real browser, the CDK synth and the
// soak (minutes each, and none of them tests the mutated code more sharply than the rest).
// MUTATE_TESTS (comma-separated files) narrows a run to the tests named, for a quick score on two
// cores; that score is a lower bound of the whole suite's.
import { defineConfig } from 'vitest/config';

const only = process.env.MUTATE_TESTS?.split(',').filter(Boolean);

export default defineConfig({
  test: {
    include: only ?? ['test/**/*.test.ts'],
    exclude: [
      'test/browser/**',
      'test/integration/cdk-*.test.ts',
      'test/hostile/soak.test.ts',
      '**/node_modules/**',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
