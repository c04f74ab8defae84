// Keeps the current StateIndex. A reload asks the source for its documents and parses only those
// whose (file, version) changed since the last load; when nothing changed the index is reused.
// Terraform's own API calls mark the state stale rather than reload it each: an apply makes hundreds
// of calls and writes the state once, at the end. While stale, `current()` checks the source again
// at most once per `staleRecheckMs` (a conditional read that costs a 304 while the state is
// unchanged), until it sees a new version or the mark expires.

import { buildStateIndex, type ParsedState, tryParseState } from '../core/state.js';
import type { StateIndex, StateLoadError } from '../core/state-types.js';
import type { Logger, StateProvider, StateSource } from '../ports.js';

export interface StateProviderOptions {
  readonly logger?: Logger;
  readonly now?: () => Date;
  /** While stale, the least time between two checks of the source. @default 10_000 */
  readonly staleRecheckMs?: number;
  /** A stale mark that saw no new state version in this long is dropped. @default 900_000 */
  readonly staleForMs?: number;
}

export interface CachingStateProvider extends StateProvider {
  /** When the current index was built (null before the first load). */
  loadedAt(): Date | null;
  /** What the current index could not load (files, sources), without loading anything. */
  loadErrors(): readonly StateLoadError[];
  /** A new state version is coming (Terraform wrote to a watched resource): check for it. */
  markStale(): void;
  /** Whether a stale mark is waiting for a new state version. */
  isStale(): boolean;
}

export function createStateProvider(
  source: StateSource,
  opts: StateProviderOptions = {},
): CachingStateProvider {
  const now = opts.now ?? (() => new Date());
  const recheckMs = opts.staleRecheckMs ?? 10_000;
  const staleForMs = opts.staleForMs ?? 15 * 60_000;
  const parsed = new Map<string, { version: string; result: ParsedState | StateLoadError }>();
  let index: StateIndex | null = null;
  let loadedAt: Date | null = null;
  let signature = '';
  let inFlight: Promise<StateIndex> | null = null;
  /** The stale mark: the document versions it expects to change, and when it lapses. */
  let stale: { versions: ReadonlyMap<string, string>; until: number } | null = null;
  /** When the last load started (a failed one too: a stale check is not retried on every event). */
  let checkedAt = 0;
  /** Each document's version at the last load. */
  let versions: ReadonlyMap<string, string> = new Map();

  async function load(): Promise<StateIndex> {
    const { documents, errors } = await source.load();
    const seen = new Set<string>();
    let reparsed = 0;
    const results = documents.map((document) => {
      seen.add(document.file);
      const cached = parsed.get(document.file);
      if (cached && cached.version === document.version) return cached.result;
      reparsed++;
      const result = tryParseState(document.text, document.file);
      parsed.set(document.file, { version: document.version, result });
      return result;
    });
    for (const file of parsed.keys()) if (!seen.has(file)) parsed.delete(file);

    const next = documents.map((d) => `${d.file}\u0000${d.version}`).join('\u0001') + JSON.stringify(errors);
    if (index === null || next !== signature) {
      index = buildStateIndex(results, errors);
      signature = next;
      for (const error of index.errors)
        opts.logger?.warn('state problem', { file: error.file, message: error.message });
    }
    loadedAt = now();
    // A new version of any document ends the mark (a document that failed to load does not).
    const marked = stale?.versions;
    if (
      marked &&
      (documents.some((d) => marked.get(d.file) !== d.version) || loadedAt.getTime() > (stale?.until ?? 0))
    )
      stale = null;
    versions = new Map(documents.map((d) => [d.file, d.version]));
    opts.logger?.info('state loaded', {
      source: source.description,
      files: index.files.length,
      resources: index.resources.length,
      errors: index.errors.length,
      reparsed,
    });
    return index;
  }

  async function recheck(current: StateIndex): Promise<StateIndex> {
    try {
      return await provider.reload();
    } catch (error) {
      // The state could not be checked: detection goes on with the state it has.
      opts.logger?.warn('stale state check failed', { error: (error as Error).message });
      return current;
    }
  }

  const provider: CachingStateProvider = {
    current: () => {
      if (!index) return provider.reload();
      const due = stale !== null && now().getTime() - checkedAt >= recheckMs;
      return due ? recheck(index) : Promise.resolve(index);
    },
    reload: () => {
      // Concurrent callers share one load instead of racing.
      if (!inFlight) checkedAt = now().getTime();
      inFlight ??= load().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    loadedAt: () => loadedAt,
    loadErrors: () => index?.errors ?? [],
    markStale: () => {
      const until = now().getTime() + staleForMs;
      // The first mark fixes the version it waits to see change; later ones only extend it.
      stale = stale ? { ...stale, until } : { versions, until };
    },
    isStale: () => stale !== null,
  };
  return provider;
}
