import { useCallback, useEffect, useRef } from 'react';

/**
 * A throttle: the first call starts a timer, calls until it fires are folded into it, and `fn`
 * runs once at its end (trailing) with the latest closure. A burst of live messages costs one
 * refresh per `ms`. The timer is cleared on unmount.
 */
export function useThrottled(fn: () => void, ms: number): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    },
    [],
  );
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, ms);
  }, [ms]);
}
