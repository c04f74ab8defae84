// Whether the server is healthy, as GET /health says: the local server answers 503 with its problems
// when a state file does not load or the drift store fails. The live feed can be connected all the
// while, so this is shown beside it. Where there is no /health (the AWS deployment serves the
// dashboard from S3), the answer is not JSON and nothing is shown.

import { useCallback, useEffect, useRef, useState } from 'react';
import { getToken } from './auth.js';

export interface ServerHealth {
  readonly status: 'ok' | 'degraded';
  readonly problems: readonly string[];
}

/** How often /health is asked when nothing else prompts it. */
const POLL_MS = 15_000;

export async function fetchHealth(): Promise<ServerHealth | null> {
  try {
    // With the server's token, /health says why it is degraded; without, only that it is.
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch('./health', { cache: 'no-store', headers });
    if (!response.headers.get('content-type')?.includes('application/json')) return null;
    const body = (await response.json()) as { status?: unknown; problems?: unknown };
    if (body.status === 'ok') return { status: 'ok', problems: [] };
    if (body.status !== 'degraded') return null;
    const problems = Array.isArray(body.problems)
      ? body.problems.filter((p): p is string => typeof p === 'string')
      : [];
    return { status: 'degraded', problems };
  } catch {
    return null; // unreachable: the live status already says offline
  }
}

/** The server's health, asked now, every POLL_MS and whenever `check` is called (a state reload). */
export function useServerHealth(): { readonly health: ServerHealth | null; readonly check: () => void } {
  const [health, setHealth] = useState<ServerHealth | null>(null);
  const latest = useRef(0);
  const check = useCallback(() => {
    const asked = ++latest.current;
    fetchHealth().then((answer) => {
      if (asked === latest.current) setHealth(answer); // an older answer never overwrites a newer one
    });
  }, []);
  useEffect(() => {
    check();
    const timer = setInterval(check, POLL_MS);
    return () => clearInterval(timer);
  }, [check]);
  return { health, check };
}
