// A WebSocket test client that keeps every message and waits for the ones a test expects.

import WebSocket from 'ws';
import type { LiveMessage } from '../../lambdas/ports.js';

export interface LiveClient {
  readonly messages: LiveMessage[];
  /** Resolves with the messages once `count` messages matching `pred` have arrived. */
  waitFor(pred: (m: LiveMessage) => boolean, count?: number, timeoutMs?: number): Promise<LiveMessage[]>;
  lastCursor(): string | null;
  close(): Promise<void>;
}

export function connectLive(baseUrl: string, query: Record<string, string> = {}): Promise<LiveClient> {
  const url = new URL('/ws', baseUrl.replace(/^http/, 'ws'));
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const ws = new WebSocket(url);
  const messages: LiveMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    messages.push(JSON.parse(String(data)) as LiveMessage);
    for (const wake of waiters) wake();
  });
  const client: LiveClient = {
    messages,
    waitFor(pred, count = 1, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.filter(pred);
          if (found.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(found);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out waiting for ${count} messages; got ${JSON.stringify(messages.map((m) => m.type))}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    lastCursor() {
      for (let i = messages.length - 1; i >= 0; i--) {
        const m = messages[i];
        if ('cursor' in m) return m.cursor;
      }
      return null;
    },
    close: () =>
      new Promise((resolve) => {
        if (ws.readyState === ws.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
      }),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}
