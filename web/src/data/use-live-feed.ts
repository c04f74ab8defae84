import { useEffect, useRef, useState } from 'react';
import { freshTokenOrSignIn } from '../auth.js';
import { LiveFeed, type LiveStatus } from '../live.js';
import type { Drift, LiveMessage, RuntimeConfig } from '../types.js';

/** The live feed for this config, open while mounted; each message goes to the latest `onMessage`. */
export function useLiveFeed(config: RuntimeConfig, onMessage: (message: LiveMessage) => void): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const onMessageRef = useRef(onMessage);
  onMessageRef.current = onMessage;
  useEffect(() => {
    const feed = new LiveFeed({
      wsUrl: config.wsUrl,
      token: freshTokenOrSignIn,
      onMessage: (message) => onMessageRef.current(message),
      onStatus: setStatus,
    });
    feed.start();
    return () => feed.stop();
  }, [config]);
  return status;
}

/**
 * The live feed applied: a drift goes into the table (marked new when it goes on top) and to the
 * detail panel; a drift or a state reload refreshes the header and the graph (a reload also /health).
 */
export function useLiveUpdates(options: {
  readonly config: RuntimeConfig;
  readonly addToTable: (drift: Drift) => boolean;
  readonly markNew: (id: string) => void;
  readonly refresh: () => void;
  readonly checkHealth: () => void;
}): { readonly status: LiveStatus; readonly latestDrift: Drift | null } {
  const { config, addToTable, markNew, refresh, checkHealth } = options;
  const [latestDrift, setLatestDrift] = useState<Drift | null>(null);
  const status = useLiveFeed(config, (message) => {
    if (message.type === 'drift' && message.drift) {
      if (addToTable(message.drift)) markNew(message.drift.id);
      setLatestDrift(message.drift);
    } else if (message.type === 'state') checkHealth();
    else return;
    refresh();
  });
  return { status, latestDrift };
}
