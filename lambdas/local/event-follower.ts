// Events on one machine, followed like a trail writing to S3: files and folders are polled, each new
// event file is read once (remembered in the data folder, so a restart does not read it again), and
// `-` reads JSON lines from stdin as they come.

import { readFileSync, writeFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readEvents } from '../adapters/local/event-files.js';
import type { Logger } from '../ports.js';

const EVENT_FILE_RE = /\.(?:json|jsonl|ndjson)(?:\.gz)?$|\.gz$/i;

export interface FollowerOptions {
  readonly paths: readonly string[];
  /** Receives the records of one file (or one stdin line). */
  readonly handle: (records: unknown[], origin: string) => Promise<void>;
  readonly logger: Logger;
  /** JSON file remembering processed files; none: remembered in memory only. */
  readonly memoryFile?: string;
  readonly pollMs?: number;
  readonly stdin?: AsyncIterable<Buffer | string>;
}

export interface Follower {
  /** Resolves once every file present at start has been read. */
  readonly ready: Promise<void>;
  close(): void;
}

export function followEvents(options: FollowerOptions): Follower {
  const done = new Set<string>(loadMemory(options.memoryFile));
  const sizes = new Map<string, number>();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const { logger } = options;

  const remember = () => {
    if (options.memoryFile) writeFileSync(options.memoryFile, JSON.stringify([...done].sort(), null, 1));
  };

  async function readOne(file: string): Promise<void> {
    const records: unknown[] = [];
    for await (const input of readEvents([file])) {
      if (input.ok) records.push(input.record);
      else logger.warn('event input skipped', { origin: input.origin, error: input.error });
    }
    await options.handle(records, file);
  }

  async function candidates(path: string): Promise<string[]> {
    const info = await stat(path).catch(() => null);
    if (!info) return [];
    if (!info.isDirectory()) return [path];
    const found: string[] = [];
    for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      if (entry.name.startsWith('.')) continue;
      const full = join(path, entry.name);
      if (entry.isDirectory()) found.push(...(await candidates(full)));
      else if (entry.isFile() && EVENT_FILE_RE.test(entry.name)) found.push(full);
    }
    return found;
  }

  /** One pass: read files that are new and whose size held still since the last pass (fully written). */
  async function poll(first: boolean): Promise<void> {
    for (const path of options.paths) {
      if (path === '-' || closed) continue;
      for (const file of await candidates(path)) {
        if (done.has(file) || closed) continue;
        const size = (await stat(file).catch(() => null))?.size;
        if (size === undefined) continue;
        if (!first && sizes.get(file) !== size) {
          sizes.set(file, size);
          continue;
        }
        sizes.delete(file);
        try {
          await readOne(file);
        } catch (error) {
          logger.error('event file failed', { file, error: (error as Error).message });
        }
        done.add(file);
        remember();
      }
    }
  }

  const schedule = () => {
    if (closed) return;
    timer = setTimeout(() => {
      poll(false)
        .catch((error) => logger.error('event poll failed', { error: (error as Error).message }))
        .finally(schedule);
    }, options.pollMs ?? 1000);
    timer.unref();
  };

  if (options.paths.includes('-')) void followStdin();

  async function followStdin(): Promise<void> {
    for await (const input of readEvents(['-'], { stdin: options.stdin })) {
      if (closed) return;
      if (!input.ok) {
        logger.warn('event input skipped', { origin: input.origin, error: input.error });
        continue;
      }
      await options
        .handle([input.record], 'stdin')
        .catch((error) => logger.error('stdin event failed', { error: (error as Error).message }));
    }
  }

  const ready = poll(true).then(schedule);
  return {
    ready,
    close: () => {
      closed = true;
      clearTimeout(timer);
    },
  };
}

function loadMemory(file: string | undefined): string[] {
  if (!file) return [];
  try {
    const value = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
