import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The deploy rehearsal's files share each profile's synthesized assembly within a run.
    globalSetup: ['test/rehearsal/global-setup.ts'],
    // Files and tests run in a shuffled order, so a test that leans on another's leftovers fails here
    // (every test passes alone and in any order: README, Tests). The seed is fixed so that a red run
    // can be repeated; another order: npx vitest run --sequence.seed=N.
    sequence: { shuffle: true, seed: 7 },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll gives up after 1 s by default: too short on a loaded two-core runner, where a
    // React commit or a WebSocket message can take longer than that to show (a poll that passes
    // returns as soon as it does; only a failing one waits the whole time).
    expect: { poll: { timeout: 10_000 } },
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // The JSON report lets .ci/run print the plain 'N passed, N failed' line CI reads.
    reporters: ['default', 'json'],
    outputFile: { json: 'test/.tmp/vitest-results.json' },
  },
});
