// The dashboard files to upload: web/dist when it was built from exactly today's sources (its
// build-fingerprint.json matches, web/build-fingerprint.ts); else rebuilt with the dashboard's own
// buildWeb(). A stale build is never shipped: if it cannot be rebuilt, synthesis stops. Never built
// and cannot build: a placeholder page, so the stack still synthesises.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBuildCurrent } from '../web/build-fingerprint.js';
import { REPO_ROOT } from './bundling.js';

export const WEB_SOURCES = join(REPO_ROOT, 'web');

/** A folder with one page explaining the dashboard was not built. */
export function placeholderWebDist(dir = join(tmpdir(), 'tfdrift-web-placeholder')): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>tfdrift</title><p>The dashboard was not built: run <code>npm run build:web</code> and deploy again.</p>\n',
  );
  return dir;
}

export interface EnsureWebDistOptions {
  /** @default web */
  readonly sourceDir?: string;
  /** @default web/dist */
  readonly outDir?: string;
}

type BuildWeb = (options: { sourceDir: string; outDir: string }) => Promise<{ outDir: string }>;

export async function ensureWebDist(options: EnsureWebDistOptions = {}): Promise<string> {
  const sourceDir = options.sourceDir ?? WEB_SOURCES;
  const outDir = options.outDir ?? join(sourceDir, 'dist');
  if (isBuildCurrent(sourceDir, outDir)) return outDir;
  const built = existsSync(join(outDir, 'index.html'));
  try {
    // Imported here: esbuild is a dev dependency, and a current build does not need it.
    const { buildWeb } = (await import('../web/build.js')) as { buildWeb: BuildWeb };
    return (await buildWeb({ sourceDir, outDir })).outDir;
  } catch (error) {
    const reason = (error as Error).message;
    if (built) {
      throw new Error(
        `tfdrift: ${outDir} is older than the dashboard's sources and could not be rebuilt (${reason}); run \`npm run build:web\``,
      );
    }
    console.warn(`tfdrift: dashboard not built (${reason}); deploying a placeholder page`);
    return placeholderWebDist();
  }
}
