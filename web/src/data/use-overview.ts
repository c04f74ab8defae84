import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Api } from '../api.js';
import { useThrottled } from '../lib/use-throttled.js';
import type { Drift, Graph, Summary } from '../types.js';
import { fetchLatestOpen, queryKeys } from './drift-queries.js';

const NO_DRIFTS: ReadonlyMap<string, Drift> = new Map();

export interface Overview {
  readonly graph: Graph | null;
  readonly graphError: string | null;
  readonly summary: Summary | null;
  /** The latest open drift of each graph node. */
  readonly latestOpen: ReadonlyMap<string, Drift>;
  /** Re-read the graph and its nodes' drifts soon (at most every 400 ms). */
  readonly refreshGraph: () => void;
  /** Re-read the header's counts soon (at most every 250 ms). */
  readonly refreshSummary: () => void;
}

/** What the header and the graph show: the summary counts, the resource graph and its drifts. */
export function useOverview(api: Api, describeError: (err: unknown) => string): Overview {
  const client = useQueryClient();
  const graph = useQuery({ queryKey: queryKeys.graph, queryFn: () => api.graph() });
  const summary = useQuery({ queryKey: queryKeys.summary, queryFn: () => api.summary() });
  const latestOpen = useQuery({ queryKey: queryKeys.latestOpen, queryFn: () => fetchLatestOpen(api) });
  const refreshGraph = useThrottled(() => {
    void client.invalidateQueries({ queryKey: queryKeys.graph });
    void client.invalidateQueries({ queryKey: queryKeys.latestOpen });
  }, 400);
  const refreshSummary = useThrottled(
    () => void client.invalidateQueries({ queryKey: queryKeys.summary }),
    250,
  );
  return {
    graph: graph.data ?? null,
    graphError: graph.error ? describeError(graph.error) : null,
    summary: summary.data ?? null,
    latestOpen: latestOpen.data ?? NO_DRIFTS,
    refreshGraph,
    refreshSummary,
  };
}
