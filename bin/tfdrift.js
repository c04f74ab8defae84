#!/usr/bin/env node
// The installed command: the compiled bundle that `npm pack` builds into dist/ (scripts/build-cli.ts).
// In a checkout, `npm run tfdrift -- ARGS` runs the TypeScript instead (or build with npm run build:cli).
try {
  await import('../dist/tfdrift.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('tfdrift.js')) throw error;
  process.stderr.write(
    'tfdrift: not built: run `npm run build:cli` (or `npm run tfdrift -- ARGS` in a checkout)\n',
  );
  process.exitCode = 1;
}
