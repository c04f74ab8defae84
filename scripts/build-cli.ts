// Builds the installable command into dist/ (run by `npm pack` through prepack): compiled JavaScript,
// so the installed `tfdrift` needs no TypeScript loader. `tsx scripts/build-cli.ts [outdir]`.
//
// dist/ is laid out like this repository, so every path the code finds from its own location
// (`import.meta.url`: the dashboard, the demo's sample, the rules, the dynalite worker) lands on the
// same file relative to dist/ as it does in a checkout:
//   dist/tfdrift.js + chunks     the CLI; each command's code is a chunk loaded when it runs
//   dist/web/dist/               the built dashboard (`serve`, `demo`)
//   dist/rules/rules.json        the compiled rule set, plus schema.json for `--rules DIR`
//   dist/examples/demo/          the demo's sample state and events
//   dist/lambdas/adapters/local/dynalite-worker.cjs
//   dist/lambdas/adapters/local/event-worker.js   scan's reader thread
// Every dependency is bundled except dynalite (the worker requires it; its LevelDB is native code),
// which stays a dependency of the package.

import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { readRuleFiles } from '../lambdas/adapters/local/rule-files.js';
import { parseRuleFile } from '../lambdas/core/rule-load.js';
import { compileRuleSet, serialiseRuleBundle } from '../lambdas/core/rules.js';
import { buildWeb } from '../web/build.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// ESM output needs `require` for the CommonJS dependencies that call it on Node built-ins.
const REQUIRE_SHIM = "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);";

/**
 * In this repository's own sources, `import.meta.url` becomes the URL the file would have under
 * dist/ (every output file sits directly in dist/), so `../../../web/dist` from
 * lambdas/local/server.ts is dist/web/dist in the package as it is web/dist in a checkout.
 */
const repositoryLayout: Plugin = {
  name: 'repository-layout',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const path = relative(ROOT, args.path);
      if (path.startsWith('..') || path.startsWith(`node_modules${sep}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const url = `new URL(${JSON.stringify(`./${path.split(sep).join('/')}`)}, import.meta.url).href`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
};

/**
 * The default rule set comes from dist/rules/rules.json (compiled and checked here) instead of the
 * YAML files: parsing and validating those takes ~0.4 s, indexing the compiled set a few ms.
 */
const compiledRules: Plugin = {
  name: 'compiled-rules',
  setup(build) {
    const packaged = join(ROOT, 'lambdas/local/packaged-rule-files.ts');
    build.onResolve({ filter: /\/rule-files\.js$/ }, (args) =>
      args.importer === packaged ? undefined : { path: packaged },
    );
  },
};

/**
 * The demo builds the dashboard when a checkout has none; the package always carries it, so the
 * builder (and esbuild inside it) stays out of the bundle.
 */
const noDashboardBuilder: Plugin = {
  name: 'no-dashboard-builder',
  setup(build) {
    build.onResolve({ filter: /\/web\/build\.js$/ }, () => ({
      path: './web-build-not-packaged.js',
      external: true,
    }));
  },
};

export interface BuildCliResult {
  readonly outDir: string;
  /** Bytes of each JavaScript file written, by name relative to outDir. */
  readonly scripts: Record<string, number>;
}

export async function buildCli(outDir = join(ROOT, 'dist')): Promise<BuildCliResult> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });

  const result = await build({
    entryPoints: {
      tfdrift: join(ROOT, 'bin/tfdrift.ts'),
      // scan's reader thread, where event-files.ts looks for it (readEventBatchesAside).
      'lambdas/adapters/local/event-worker': join(ROOT, 'lambdas/adapters/local/event-worker.ts'),
    },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // CLI_READABLE=1 keeps names, for reading a --cpu-prof profile.
    minify: process.env.CLI_READABLE !== '1',
    legalComments: 'none',
    chunkNames: '[name]-[hash]',
    mainFields: ['module', 'main'],
    banner: { js: REQUIRE_SHIM },
    // ws loads these native speed-ups when they are installed and works without them.
    external: ['bufferutil', 'utf-8-validate'],
    plugins: [repositoryLayout, compiledRules, noDashboardBuilder],
    metafile: true,
    logLevel: 'warning',
  });

  const files = readRuleFiles().map(({ file, text }) => ({
    file: `rules/${file.split('/').pop()}`,
    content: parseRuleFile(file, text),
  }));
  compileRuleSet(files); // every check a rule file gets, before it is shipped as verified
  mkdirSync(join(outDir, 'rules'), { recursive: true });
  // One rule per line, as rules:build writes it: the CLI indexes it and parses only the rules an
  // event needs (core/rules.ts lazyRuleSet), instead of parsing and compiling ~500 KB at start.
  writeFileSync(join(outDir, 'rules/rules.json'), serialiseRuleBundle(files));
  copyFileSync(join(ROOT, 'rules/schema.json'), join(outDir, 'rules/schema.json'));

  await buildWeb({ outDir: join(outDir, 'web/dist') });
  cpSync(join(ROOT, 'examples/demo'), join(outDir, 'examples/demo'), { recursive: true });
  mkdirSync(join(outDir, 'lambdas/adapters/local'), { recursive: true });
  copyFileSync(
    join(ROOT, 'lambdas/adapters/local/dynalite-worker.cjs'),
    join(outDir, 'lambdas/adapters/local/dynalite-worker.cjs'),
  );

  const scripts = Object.fromEntries(
    Object.keys(result.metafile.outputs).map((file) => [relative(outDir, file), statSync(file).size]),
  );
  return { outDir, scripts };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const { outDir, scripts } = await buildCli(process.argv[2] ? resolve(process.argv[2]) : undefined);
  const total = Object.values(scripts).reduce((sum, bytes) => sum + bytes, 0);
  const entry = scripts['tfdrift.js'] ?? 0;
  console.log(
    `built ${relative(process.cwd(), outDir) || '.'} in ${Date.now() - started} ms: ` +
      `${Object.keys(scripts).length} scripts, ${(total / 1024).toFixed(0)} KiB ` +
      `(${(entry / 1024).toFixed(0)} KiB loaded by --help)`,
  );
}
