import { QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api.js';

/** The API refused the token: signing in again is the way forward. */
export function isUnauthorized(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401;
}

/** An error as the dashboard shows it. */
export function describeError(err: unknown): string {
  if (isUnauthorized(err)) return 'Sign-in required';
  return err instanceof Error ? err.message : String(err);
}

/**
 * The dashboard's query cache. Data is refreshed by the live feed and by the user, not by focus
 * or reconnect events, and a failed request is shown at once rather than retried; any query the
 * API refuses with 401 calls `onUnauthorized`.
 */
export function createQueryClient(onUnauthorized: () => void): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({
      onError: (err) => {
        if (isUnauthorized(err)) onUnauthorized();
      },
    }),
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
    },
  });
}
