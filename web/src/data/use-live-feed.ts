import { useEffect, useRef, useState } from 'react';
import { freshTokenOrSignIn } from '../auth.js';
import { LiveFeed, type LiveStatus } from '../live.js';
import type { LiveMessage, RuntimeConfig } from '../types.js';

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
