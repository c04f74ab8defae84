// The dashboard files to upload. web/dist when built; else build it with the dashboard's own
// buildWeb(); if that is impossible, a placeholder page so the stack still synthesises.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './bundling.js';

export const WEB_DIST = join(REPO_ROOT, 'web', 'dist');

/** A folder with one page explaining the dashboard was not built. */
export function placeholderWebDist(dir = join(tmpdir(), 'tfdrift-web-placeholder')): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><title>tfdrift</title><p>The dashboard was not built: run <code>npm run build:web</code> and deploy again.</p>\n',
  );
  return dir;
}

export async function ensureWebDist(): Promise<string> {
  if (existsSync(join(WEB_DIST, 'index.html'))) return WEB_DIST;
  try {
    const { buildWeb } = (await import('../web/build.js')) as { buildWeb: () => Promise<{ outDir: string }> };
    return (await buildWeb()).outDir;
  } catch (error) {
    console.warn(`tfdrift: dashboard not built (${(error as Error).message}); deploying a placeholder page`);
    return placeholderWebDist();
  }
}
