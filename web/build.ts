// Bundles the dashboard with esbuild into web/dist: index.html + hashed JS and CSS, no inline
// script or style (the server's Content-Security-Policy forbids both), and build-fingerprint.json
// (what the build was made from: lib/web-dist.ts rebuilds when it no longer matches). Run directly
// to build.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { FINGERPRINT_FILE, fingerprint } from './build-fingerprint.js';

const webDir = dirname(fileURLToPath(import.meta.url));

export interface BuildWebOptions {
  /** The dashboard's sources (src/main.tsx, src/styles.css, index.html, favicon.svg). @default web */
  readonly sourceDir?: string;
  /** @default <sourceDir>/dist */
  readonly outDir?: string;
  /** @default true */
  readonly minify?: boolean;
}

export interface BuildWebResult {
  readonly outDir: string;
  readonly files: { readonly path: string; readonly bytes: number }[];
}

export async function buildWeb(options: BuildWebOptions = {}): Promise<BuildWebResult> {
  const sourceDir = resolve(options.sourceDir ?? webDir);
  const outDir = resolve(options.outDir ?? join(sourceDir, 'dist'));
  const minify = options.minify ?? true;
  const result = await build({
    entryPoints: { app: join(sourceDir, 'src/main.tsx'), style: join(sourceDir, 'src/styles.css') },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    outdir: join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    minify,
    sourcemap: false,
    legalComments: 'none',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': minify ? '"production"' : '"development"' },
    metafile: true,
    logLevel: 'warning',
    // Written below, once the build succeeded: a failed build leaves the previous one whole.
    write: false,
  });
  await rm(join(outDir, FINGERPRINT_FILE), { force: true });
  await rm(join(outDir, 'assets'), { recursive: true, force: true });
  await mkdir(join(outDir, 'assets'), { recursive: true });
  for (const file of result.outputFiles) await writeFile(file.path, file.contents);
  const outputs = Object.keys(result.metafile.outputs).map((file) => resolve(file));
  const script = outputs.find((file) => file.endsWith('.js'));
  const style = outputs.find((file) => file.endsWith('.css'));
  if (!script || !style) throw new Error('esbuild produced no JS or CSS bundle');
  const template = await readFile(join(sourceDir, 'index.html'), 'utf8');
  // Relative URLs: the same files work at / locally and under any CloudFront path.
  const html = template
    .replace('%SCRIPT%', `./${relative(outDir, script)}`)
    .replace('%STYLE%', `./${relative(outDir, style)}`);
  await writeFile(join(outDir, 'index.html'), html);
  await writeFile(join(outDir, 'favicon.svg'), await readFile(join(sourceDir, 'favicon.svg')));
  // Last: a build that failed half-way has no fingerprint, so it is never taken as current.
  const inputs = [
    ...Object.keys(result.metafile.inputs).map((file) => resolve(file)),
    join(sourceDir, 'index.html'),
    join(sourceDir, 'favicon.svg'),
    fileURLToPath(import.meta.url),
  ];
  await writeFile(
    join(outDir, FINGERPRINT_FILE),
    `${JSON.stringify(fingerprint(sourceDir, outDir, inputs))}\n`,
  );
  const files = await Promise.all(
    [join(outDir, 'index.html'), ...outputs].map(async (path) => ({
      path,
      bytes: (await readFile(path)).byteLength,
    })),
  );
  return { outDir, files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const { outDir, files } = await buildWeb();
  for (const file of files)
    console.log(`${basename(file.path).padEnd(28)} ${(file.bytes / 1024).toFixed(1)} KiB`);
  console.log(`built ${outDir} in ${Date.now() - started} ms`);
}
