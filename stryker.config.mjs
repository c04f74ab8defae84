// Mutation testing (`npm run mutate`; not part of `npm test`: hours on two cores for the whole scope).
// Scope one run with --mutate, e.g.
//   npx stryker run --mutate lambdas/local/static-files.ts
// Caveat: mutants in code that tests run from beforeAll (a server started once per file) are
// reported as surviving even where they break every test; server.ts is measured with the tests that
// start a server inside each test (test/integration/local-server-guards.test.ts names the command).
// Scores measured one file at a time add up with scripts/mutation-score.ts: copy each run's
// reports/mutation/mutation.json to reports/mutation/runs/<name>.json, then
//   npx tsx scripts/mutation-score.ts
// prints the score per file and per folder (core / services / local / web) and every survivor not
// listed as equivalent (with its reason) in scripts/mutation-equivalents.json.
// The scope: the pure core, the services, the local server's own parts and the dashboard's
// handling of untrusted strings. The HTML report lands in reports/mutation/.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'lambdas/core/**/*.ts',
    'lambdas/services/**/*.ts',
    'lambdas/local/server.ts',
    'lambdas/local/request-guard.ts',
    'lambdas/local/http-adapter.ts',
    'lambdas/local/static-files.ts',
    'lambdas/local/live-feed.ts',
    'lambdas/local/scan.ts',
    'web/src/lib/console-links.ts',
    'web/src/lib/format.ts',
    'web/src/lib/json-doc.ts',
    'web/src/lib/remediation.ts',
  ],
  // Static mutants (module-level constants such as the security headers) count too: each runs every related test.
  ignoreStatic: false,
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  ignorePatterns: [
    'cdk.out',
    'reports',
    '.tfdrift',
    'bench/out',
    'bench/tmp',
    'web/dist',
    'test/.tmp',
    'coverage',
  ],
  // Stryker rewrites tsconfig.json in its sandbox through TypeScript's JS API, which TypeScript 7 (native)
  // no longer has; ours needs no rewriting (no extends or references), so point it at no file.
  tsconfigFile: 'tsconfig.stryker-none.json',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 85, break: null },
};
