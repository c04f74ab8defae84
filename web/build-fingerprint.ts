// What a dashboard build was made from, so that a stale build is never deployed: a SHA-256 over
// every file the bundle read (esbuild's metafile: web/src, the core modules it imports, node_modules) plus
// every file under the web folder (a new or deleted file counts too). Kept in the build's own
// folder as build-fingerprint.json. No esbuild here: checking must work where building cannot.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

export const FINGERPRINT_FILE = 'build-fingerprint.json';

interface Fingerprint {
  readonly sha256: string;
  /** Files hashed, relative to the web folder's parent (the repository), '/'-separated. */
  readonly inputs: readonly string[];
}

/** Every file under the web folder that can change a build (not the build itself, not docs). */
export function webSources(sourceDir: string, outDir: string): string[] {
  const out = resolve(outDir);
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist' && resolve(path) !== out) walk(path);
      } else if (entry.isFile() && !entry.name.endsWith('.md')) {
        files.push(resolve(path));
      }
    }
  };
  walk(sourceDir);
  return files;
}

function toKey(base: string, path: string): string {
  return relative(base, path).split(sep).join('/');
}

/** SHA-256 of the files (by name and content); null when one is missing. */
function hashFiles(base: string, keys: readonly string[]): string | null {
  const hash = createHash('sha256');
  for (const key of [...new Set(keys)].sort()) {
    const path = join(base, key);
    if (!existsSync(path)) return null;
    hash
      .update(key)
      .update('\0')
      .update(createHash('sha256').update(readFileSync(path)).digest('hex'));
  }
  return hash.digest('hex');
}

/** The fingerprint of a build of `sourceDir` that read `inputs` (absolute paths). */
export function fingerprint(sourceDir: string, outDir: string, inputs: readonly string[]): Fingerprint {
  const base = dirname(resolve(sourceDir));
  const keys = [
    ...new Set([...inputs, ...webSources(sourceDir, outDir)].map((path) => toKey(base, path))),
  ].sort();
  const sha256 = hashFiles(base, keys);
  if (!sha256) throw new Error('dashboard build: an input vanished while hashing');
  return { sha256, inputs: keys };
}

/**
 * Was the build in `outDir` made from exactly the sources there are now? False when it has no
 * fingerprint (older build), an input changed or vanished, or a file was added under the web folder.
 */
export function isBuildCurrent(sourceDir: string, outDir: string): boolean {
  const base = dirname(resolve(sourceDir));
  let recorded: Fingerprint;
  try {
    recorded = JSON.parse(readFileSync(join(outDir, FINGERPRINT_FILE), 'utf8'));
  } catch {
    return false;
  }
  if (typeof recorded?.sha256 !== 'string' || !Array.isArray(recorded.inputs)) return false;
  if (!existsSync(join(outDir, 'index.html'))) return false;
  const now = [...recorded.inputs, ...webSources(sourceDir, outDir).map((path) => toKey(base, path))];
  return hashFiles(base, now) === recorded.sha256;
}
