import { useCallback, useEffect, useRef } from 'react';
import { nodeIdOf } from '../lib/format.js';
import type { UrlState } from '../lib/url-state.js';
import type { Drift, GraphNode } from '../types.js';
import type { Navigate } from '../use-url-state.js';

export interface Selection {
  /** Open a drift's detail (null: none), selecting its node too. */
  readonly selectDrift: (drift: Drift | null) => void;
  /**
   * A node chosen in the graph. A click (or Enter) filters the table to its resource, visibly (a
   * chip), and opens its latest open drift; the graph's search only selects and centres it.
   */
  readonly selectNode: (node: GraphNode | null, how?: 'open' | 'locate') => void;
  readonly setFilters: (filters: UrlState['filters'], replace?: boolean) => void;
  /** Close the detail and give the focus back to its row; Escape does the same. */
  readonly closeDetail: () => void;
}

/** The selection, synchronised between graph, table and URL. */
export function useSelection(options: {
  readonly url: UrlState;
  readonly navigate: Navigate;
  readonly latestOpen: ReadonlyMap<string, Drift>;
  /** A drift opened is no longer "new". */
  readonly seen: (id: string) => void;
}): Selection {
  const { url, navigate, latestOpen, seen } = options;
  const selectDrift = useCallback(
    (drift: Drift | null) => {
      navigate((s) => ({ ...s, drift: drift?.id ?? null, node: drift ? nodeIdOf(drift) : s.node }));
      if (drift) seen(drift.id);
    },
    [navigate, seen],
  );
  // A drifted node clicked before the latest open drifts have loaded (a request of their own): its
  // drift opens when they come, unless the user has chosen something else meanwhile.
  const awaited = useRef<string | null>(null);
  const selectNode = useCallback(
    (node: GraphNode | null, how: 'open' | 'locate' = 'open') => {
      const latestDrift = node && how === 'open' ? latestOpen.get(node.id) : undefined;
      awaited.current = node && how === 'open' && !latestDrift && node.drift.open > 0 ? node.id : null;
      navigate((s) => ({
        ...s,
        node: node?.id ?? null,
        drift: latestDrift?.id ?? null,
        page: how === 'open' ? 1 : s.page,
        filters:
          how === 'open'
            ? { ...s.filters, resource: node ? (node.address ?? node.resourceId ?? '') : '' }
            : s.filters,
      }));
    },
    [navigate, latestOpen],
  );
  useEffect(() => {
    const id = awaited.current;
    if (id === null) return;
    if (url.node !== id || url.drift !== null) {
      awaited.current = null;
      return;
    }
    const latestDrift = latestOpen.get(id);
    if (!latestDrift) return;
    awaited.current = null;
    navigate((s) => ({ ...s, drift: latestDrift.id }), { replace: true });
  }, [latestOpen, url.node, url.drift, navigate]);
  const setFilters = useCallback(
    (filters: UrlState['filters'], replace?: boolean) =>
      navigate((s) => ({ ...s, filters, page: 1 }), { replace }),
    [navigate],
  );
  const openDrift = useRef(url.drift);
  openDrift.current = url.drift;
  const closeDetail = useCallback(() => {
    const id = openDrift.current;
    navigate((s) => ({ ...s, drift: null }));
    // Back to the row the detail came from, for keyboard users.
    if (id)
      requestAnimationFrame(() =>
        document.querySelector<HTMLElement>(`tr[data-drift-id="${CSS.escape(id)}"]`)?.focus(),
      );
  }, [navigate]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && openDrift.current) closeDetail();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [closeDetail]);
  return { selectDrift, selectNode, setFilters, closeDetail };
}
