// HTTP client for docs/api.md. apiBase may be relative (local server, CloudFront path) or an
// absolute API Gateway URL.

import { freshToken } from './auth.js';
import type { Drift, DriftDetail, DriftPage, Graph, RuntimeConfig, Summary } from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function loadConfig(): Promise<RuntimeConfig> {
  const response = await fetch('./config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const config = (await response.json()) as Partial<RuntimeConfig>;
  return {
    apiBase: config.apiBase ?? '/api/v1',
    wsUrl: config.wsUrl ?? '/ws',
    auth: config.auth ?? null,
    consoleRegion: config.consoleRegion,
  };
}

export class Api {
  constructor(private readonly config: RuntimeConfig) {}

  private url(path: string, query?: Record<string, string>): string {
    const base = this.config.apiBase.replace(/\/+$/, '');
    const url = new URL(`${base}${path}`, location.href);
    for (const [key, value] of Object.entries(query ?? {})) url.searchParams.set(key, value);
    return url.toString();
  }

  private async request<T>(
    method: string,
    path: string,
    query?: Record<string, string>,
    body?: unknown,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    // Refreshed first when it is about to expire (web/src/auth.ts).
    const token = await freshToken();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.url(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      throw new ApiError(response.status, 'bad_response', `HTTP ${response.status}: not JSON`);
    }
    if (!response.ok) {
      const error = (data as { error?: { code?: string; message?: string } } | null)?.error;
      throw new ApiError(response.status, error?.code ?? 'http', error?.message ?? `HTTP ${response.status}`);
    }
    return data as T;
  }

  drifts(query: Record<string, string>): Promise<DriftPage> {
    return this.request('GET', '/drifts', query);
  }

  drift(id: string): Promise<DriftDetail> {
    return this.request('GET', `/drifts/${encodeURIComponent(id)}`);
  }

  changeStatus(
    id: string,
    action: 'acknowledge' | 'resolve',
    body: { by?: string; comment?: string },
  ): Promise<Drift> {
    return this.request('POST', `/drifts/${encodeURIComponent(id)}/${action}`, undefined, body);
  }

  /** Starts a backfill of `days` of CloudTrail event history (AWS, admins only): 202 when started. */
  backfill(days: number): Promise<{ started: boolean; days?: number }> {
    return this.request('POST', '/backfill', undefined, { days });
  }

  graph(): Promise<Graph> {
    return this.request('GET', '/graph');
  }

  summary(): Promise<Summary> {
    return this.request('GET', '/summary');
  }
}
