// Several state sources as one, under one error policy in Lambda and on one machine: a source that
// fails to load as a whole (a prefix it may not list, a bucket that is gone, a folder that vanished)
// is recorded as an error naming it, and the others load. Errors of single documents are each
// source's own, recorded the same way. They all reach the state index, so the local server's
// /health and GET /state, and the detect function's StateErrors metric, report them.

import type { StateDocument, StateSource } from '../ports.js';

type StateLoad = Awaited<ReturnType<StateSource['load']>>;

export function combineStateSources(sources: readonly StateSource[], description?: string): StateSource {
  return {
    description: description ?? (sources.map((s) => s.description).join(', ') || '(no state configured)'),
    async load() {
      const results = await Promise.all(
        sources.map(
          (source): Promise<StateLoad> =>
            source.load().catch((error: unknown) => ({
              documents: [],
              errors: [{ file: source.description, message: (error as Error).message }],
            })),
        ),
      );
      const documents: StateDocument[] = results.flatMap((r) => r.documents);
      return { documents, errors: results.flatMap((r) => r.errors) };
    },
  };
}
