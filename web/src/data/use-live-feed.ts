import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { freshTokenOrSignIn } from '../auth.js';
import { LiveFeed, type LiveStatus } from '../live.js';
import type { Drift, LiveMessage, RuntimeConfig } from '../types.js';
import { updateCachedDetail } from './drift-queries.js';

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
 * The live feed applied: a drift goes into the table (marked new when it goes on top) and into its
 * cached detail; a drift or a state reload refreshes the header and the graph (a reload also /health).
 */
export function useLiveUpdates(options: {
  readonly config: RuntimeConfig;
  readonly addToTable: (drift: Drift) => boolean;
  readonly markNew: (id: string) => void;
  readonly refresh: () => void;
  readonly checkHealth: () => void;
}): LiveStatus {
  const { config, addToTable, markNew, refresh, checkHealth } = options;
  const client = useQueryClient();
  return useLiveFeed(config, (message) => {
    if (message.type === 'drift' && message.drift) {
      if (addToTable(message.drift)) markNew(message.drift.id);
      updateCachedDetail(client, message.drift);
    } else if (message.type === 'state') checkHealth();
    else return;
    refresh();
  });
}
