// Bulk triage with the per-drift endpoints: at most `concurrency` requests in flight, every item
// tried (one failure does not stop the rest), progress reported as items finish.

export interface BulkResult<T> {
  readonly done: T[];
  readonly failed: { readonly id: string; readonly message: string }[];
}

export async function runBounded<T>(
  ids: readonly string[],
  work: (id: string) => Promise<T>,
  options: { readonly concurrency?: number; readonly onProgress?: (finished: number) => void } = {},
): Promise<BulkResult<T>> {
  const concurrency = Math.max(1, options.concurrency ?? 6);
  const done: T[] = [];
  const failed: { id: string; message: string }[] = [];
  let next = 0;
  let finished = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      try {
        done.push(await work(id));
      } catch (err) {
        failed.push({ id, message: err instanceof Error ? err.message : String(err) });
      }
      options.onProgress?.(++finished);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
  return { done, failed };
}
