// The live feed: one WebSocket, reconnected with exponential backoff and resumed from the last
// cursor (`?since=` locally, a `resume` message in AWS) so that nothing is missed while disconnected
// (docs/api.md).

import type { LiveMessage } from './types.js';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

export interface LiveOptions {
  readonly wsUrl: string;
  /** The token for `?token=`, asked for before every connect (so a reconnect gets a fresh one). */
  readonly token: () => string | null | Promise<string | null>;
  readonly onMessage: (message: LiveMessage) => void;
  readonly onStatus: (status: LiveStatus, retryInMs?: number) => void;
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

export function socketUrl(
  wsUrl: string,
  since: string | null,
  token: string | null,
  base = location.href,
): string {
  const url = new URL(wsUrl, base);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  if (since) url.searchParams.set('since', since);
  if (token) url.searchParams.set('token', token);
  return url.toString();
}

export function backoffDelay(attempt: number, random = Math.random()): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

export class LiveFeed {
  private socket: WebSocket | null = null;
  private cursor: string | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(private readonly options: LiveOptions) {}

  start(): void {
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.socket?.close();
    this.socket = null;
  }

  private async connect(): Promise<void> {
    this.timer = null;
    this.options.onStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let socket: WebSocket;
    try {
      const token = await this.options.token();
      if (this.stopped) return;
      socket = new WebSocket(socketUrl(this.options.wsUrl, this.cursor, token));
    } catch {
      this.retry();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      // API Gateway (AWS) cannot send during the connect, so it resumes on this message; the local
      // server resumes from ?since= and ignores it (docs/api.md).
      socket.send(JSON.stringify({ action: 'resume', ...(this.cursor ? { since: this.cursor } : {}) }));
      this.options.onStatus('live');
    };
    socket.onmessage = (event) => {
      let message: LiveMessage;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        return;
      }
      if ('cursor' in message && typeof message.cursor === 'string') this.cursor = message.cursor;
      this.options.onMessage(message);
    };
    socket.onclose = () => {
      if (this.socket === socket) this.socket = null;
      if (!this.stopped) this.retry();
    };
  }

  private retry(): void {
    const delay = backoffDelay(this.attempt);
    this.attempt += 1;
    this.options.onStatus(this.attempt > 6 ? 'offline' : 'reconnecting', delay);
    this.timer = setTimeout(() => void this.connect(), delay);
  }
}
