// What keeps a web page in the user's own browser from using the local server. The server listens
// on loopback, and a browser sends any page's requests there: a no-preflight cross-origin POST, a
// WebSocket (which has no CORS at all), or, after DNS rebinding, requests under the page's own
// hostile name that the browser then lets the page read. So: only the names the server is reachable
// as (Host), only its own or configured origins on writes and the WebSocket (Origin, and
// Sec-Fetch-Site when a browser sends no Origin), and only JSON bodies on writes.

import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/** An address or name as a Host header's hostname compares: lowercase, IPv6 compressed, no brackets. */
export function normaliseHost(host: string): string {
  const bare = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  if (isIP(bare) !== 6) return bare;
  try {
    return new URL(`http://[${bare}]`).hostname.slice(1, -1);
  } catch {
    return bare;
  }
}

/** Every form of "all interfaces": 0.0.0.0, ::, [::], ::ffff:0.0.0.0, 0. */
export function isWildcard(host: string): boolean {
  const h = normaliseHost(host);
  return h === '' || h === '0' || h === '0.0.0.0' || h === '::' || h === '::ffff:0:0';
}

export function isLoopback(host: string): boolean {
  const h = normaliseHost(host);
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * The host names a browser may use to reach a server bound to `bindHost`: the bound address (on
 * loopback, also localhost, 127.0.0.1 and ::1; on a wildcard, every local interface address), plus
 * the names the user allowed (a reverse proxy's name, a machine name).
 */
export function reachableHosts(
  bindHost: string,
  allowHosts: readonly string[] = [],
  interfaces: () => string[] = localAddresses,
): Set<string> {
  const names = new Set<string>(allowHosts.map(normaliseHost));
  if (isWildcard(bindHost)) {
    for (const name of [...LOOPBACK_NAMES, ...interfaces()]) names.add(normaliseHost(name));
  } else {
    names.add(normaliseHost(bindHost));
    if (isLoopback(bindHost)) for (const name of LOOPBACK_NAMES) names.add(name);
  }
  return names;
}

function localAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .map((entry) => entry?.address ?? '')
    .filter(Boolean);
}

/** The hostname of a Host header ("name:port", "[v6]:port"), or null when it is not one. */
export function hostnameOf(header: string | undefined): string | null {
  if (!header || /[\s/?#@\\]/.test(header)) return null;
  try {
    return normaliseHost(new URL(`http://${header}`).hostname);
  } catch {
    return null;
  }
}

export function checkHost(headers: IncomingHttpHeaders, allowed: ReadonlySet<string>): Refusal | null {
  const name = hostnameOf(headers.host);
  if (name !== null && allowed.has(name)) return null;
  return {
    status: 403,
    code: 'forbidden_host',
    message: `this server does not answer to the host ${JSON.stringify(String(headers.host ?? '').slice(0, 100))}: start it with --allow-host NAME to allow a name`,
  };
}

/** An origin as browsers send it: scheme://host[:port], lowercase, no default port. */
export function normaliseOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/**
 * Writes and the WebSocket come from the server's own origin or a configured one. A request with
 * no Origin is a script or curl (browsers send Origin on every cross-origin write and WebSocket),
 * unless the browser's Sec-Fetch-Site says otherwise.
 */
export function checkOrigin(headers: IncomingHttpHeaders, allowOrigins: ReadonlySet<string>): Refusal | null {
  const refuse = (why: string): Refusal => ({
    status: 403,
    code: 'forbidden_origin',
    message: `${why}: this server accepts writes and the live feed only from its own pages (start it with --allow-origin ORIGIN to allow another)`,
  });
  const origin = headers.origin;
  if (origin === undefined) {
    const site = headers['sec-fetch-site'];
    if (site === undefined || site === 'same-origin' || site === 'none') return null;
    return refuse(`a ${String(site).slice(0, 20)} request`);
  }
  const normal = normaliseOrigin(origin);
  if (normal === null) return refuse(`the origin ${JSON.stringify(origin.slice(0, 100))}`);
  if (allowOrigins.has(normal)) return null;
  const ownHost = hostnameOf(headers.host) === null ? null : new URL(`http://${headers.host}`).host;
  if (ownHost !== null && new URL(normal).host === ownHost) return null;
  return refuse(`the origin ${normal}`);
}

/** application/json or any application/…+json, with parameters. */
export function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type);
}

export function checkJsonBody(headers: IncomingHttpHeaders): Refusal | null {
  if (isJsonType(headers['content-type'])) return null;
  return {
    status: 415,
    code: 'unsupported_media_type',
    message: 'writes take JSON: send Content-Type: application/json',
  };
}

export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);
