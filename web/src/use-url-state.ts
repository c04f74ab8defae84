// The URL hash as React state: pushState for navigation-like changes (back/forward undo them),
// replaceState for typing in filter boxes.

import { useCallback, useEffect, useState } from 'react';
import { parseHash, toHash, type UrlState } from './lib/url-state.js';

export type Navigate = (next: (current: UrlState) => UrlState, options?: { replace?: boolean }) => void;

export function useUrlState(): [UrlState, Navigate] {
  const [state, setState] = useState(() => parseHash(location.hash));

  useEffect(() => {
    const sync = () => setState(parseHash(location.hash));
    window.addEventListener('popstate', sync);
    window.addEventListener('hashchange', sync);
    return () => {
      window.removeEventListener('popstate', sync);
      window.removeEventListener('hashchange', sync);
    };
  }, []);

  const navigate = useCallback<Navigate>((next, options) => {
    const current = parseHash(location.hash);
    const updated = next(current);
    const hash = toHash(updated);
    if (hash !== (location.hash || '#')) {
      const url = `${location.pathname}${location.search}${hash}`;
      if (options?.replace) history.replaceState(null, '', url);
      else history.pushState(null, '', url);
    }
    setState(updated);
  }, []);

  return [state, navigate];
}
