// Bundles the dashboard with esbuild into web/dist: index.html + hashed JS and CSS, no inline
// script or style (the server's Content-Security-Policy forbids both). Run directly to build.

import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const webDir = dirname(fileURLToPath(import.meta.url));

export interface BuildWebOptions {
  /** @default web/dist */
  readonly outDir?: string;
  /** @default true */
  readonly minify?: boolean;
}

export interface BuildWebResult {
  readonly outDir: string;
  readonly files: { readonly path: string; readonly bytes: number }[];
}

export async function buildWeb(options: BuildWebOptions = {}): Promise<BuildWebResult> {
  const outDir = resolve(options.outDir ?? join(webDir, 'dist'));
  const minify = options.minify ?? true;
  await rm(join(outDir, 'assets'), { recursive: true, force: true });
  await mkdir(join(outDir, 'assets'), { recursive: true });
  const result = await build({
    entryPoints: { app: join(webDir, 'src/main.tsx'), style: join(webDir, 'src/styles.css') },
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
  });
  const outputs = Object.keys(result.metafile.outputs).map((file) => resolve(file));
  const script = outputs.find((file) => file.endsWith('.js'));
  const style = outputs.find((file) => file.endsWith('.css'));
  if (!script || !style) throw new Error('esbuild produced no JS or CSS bundle');
  const template = await readFile(join(webDir, 'index.html'), 'utf8');
  // Relative URLs: the same files work at / locally and under any CloudFront path.
  const html = template
    .replace('%SCRIPT%', `./${relative(outDir, script)}`)
    .replace('%STYLE%', `./${relative(outDir, style)}`);
  await writeFile(join(outDir, 'index.html'), html);
  await writeFile(join(outDir, 'favicon.svg'), await readFile(join(webDir, 'favicon.svg')));
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
