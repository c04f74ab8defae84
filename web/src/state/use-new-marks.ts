import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Rows marked "new" (a drift that arrived live), each unmarked after `ms` or when opened. Every
 * timer is cleared when its mark goes and when the component unmounts.
 */
export function useNewMarks(ms: number): {
  readonly newIds: ReadonlySet<string>;
  readonly mark: (id: string) => void;
  readonly unmark: (id: string) => void;
} {
  const [newIds, setNewIds] = useState<ReadonlySet<string>>(new Set());
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const unmark = useCallback((id: string) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setNewIds((ids) => {
      if (!ids.has(id)) return ids;
      const next = new Set(ids);
      next.delete(id);
      return next;
    });
  }, []);
  const mark = useCallback(
    (id: string) => {
      clearTimeout(timers.current.get(id));
      timers.current.set(
        id,
        setTimeout(() => unmark(id), ms),
      );
      setNewIds((ids) => new Set(ids).add(id));
    },
    [ms, unmark],
  );
  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending.values()) clearTimeout(timer);
      pending.clear();
    };
  }, []);
  return { newIds, mark, unmark };
}
