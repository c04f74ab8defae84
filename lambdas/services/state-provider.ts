// Keeps the current StateIndex. A reload asks the source for its documents and parses only those
// whose (file, version) changed since the last load; when nothing changed the index is reused.

import { buildStateIndex, type ParsedState, tryParseState } from '../core/state.js';
import type { StateIndex, StateLoadError } from '../core/state-types.js';
import type { Logger, StateProvider, StateSource } from '../ports.js';

export interface StateProviderOptions {
  readonly logger?: Logger;
  readonly now?: () => Date;
}

export interface CachingStateProvider extends StateProvider {
  /** When the current index was built (null before the first load). */
  loadedAt(): Date | null;
}

export function createStateProvider(
  source: StateSource,
  opts: StateProviderOptions = {},
): CachingStateProvider {
  const now = opts.now ?? (() => new Date());
  const parsed = new Map<string, { version: string; result: ParsedState | StateLoadError }>();
  let index: StateIndex | null = null;
  let loadedAt: Date | null = null;
  let signature = '';
  let inFlight: Promise<StateIndex> | null = null;

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
    opts.logger?.info('state loaded', {
      source: source.description,
      files: index.files.length,
      resources: index.resources.length,
      errors: index.errors.length,
      reparsed,
    });
    return index;
  }

  const provider: CachingStateProvider = {
    current: () => (index ? Promise.resolve(index) : provider.reload()),
    reload: () => {
      // Concurrent callers share one load instead of racing.
      inFlight ??= load().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    loadedAt: () => loadedAt,
  };
  return provider;
}
