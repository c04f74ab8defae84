// A local stand-in for the two API Gateway endpoints the dashboard talks to, in front of a real
// tfdrift backend (the local server): the HTTP API with its JWT authorizer and CORS as the template
// configures them, and the WebSocket API whose $connect goes through a REQUEST authorizer function.
//
// The HTTP API's JWT check follows API Gateway's documented rules
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html):
// the token from the Authorization header (a `Bearer ` prefix is stripped), signature against the
// issuer's JWKS, `iss` equal to the configured issuer, `exp`/`nbf`/`iat` checked, and "aud or
// client_id – Must match one of the audience entries … API Gateway validates client_id only if aud
// is not present." Anything else is 401 {"message":"Unauthorized"}.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JwtVerifier } from 'aws-jwt-verify';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import WebSocket, { WebSocketServer } from 'ws';

export interface JwtAuthorizerConfig {
  readonly issuer: string;
  readonly audience: readonly string[];
  readonly jwks: { keys: Record<string, unknown>[] };
}

export interface CorsConfig {
  readonly allowOrigins: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly allowMethods: readonly string[];
  readonly maxAge?: number;
}

export interface ApiGatewayOptions {
  /** The real backend: a tfdrift local server (`/api/v1/*`, `/ws`). */
  readonly backend: string;
  readonly jwt: JwtAuthorizerConfig;
  readonly cors: CorsConfig;
  /** The WebSocket stage's path, e.g. `/live`. */
  readonly wsPath: string;
  /** The WebSocket API's $connect authorizer (the template's function). */
  readonly wsAuthorizer: (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;
}

export interface ApiCall {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** `sub` of the accepted token. */
  readonly sub?: string;
  /** The token as sent (without `Bearer `). */
  readonly token?: string;
}

export interface WsConnect {
  readonly token: string | null;
  readonly allowed: boolean;
}

export interface ApiGateway {
  readonly origin: string;
  readonly calls: ApiCall[];
  readonly connects: WsConnect[];
  /** Drop every open WebSocket (as API Gateway does at its 2-hour or idle limits). */
  dropSockets(): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startApiGateway(options: ApiGatewayOptions): Promise<ApiGateway> {
  const calls: ApiCall[] = [];
  const connects: WsConnect[] = [];
  const verifier = JwtVerifier.create({ issuer: options.jwt.issuer, audience: null });
  verifier.cacheJwks(options.jwt.jwks as never);
  const audiences = new Set(options.jwt.audience);

  /** The claims of an acceptable token, or null. */
  const authorize = async (token: string | undefined): Promise<Record<string, unknown> | null> => {
    if (!token) return null;
    try {
      const claims = (await verifier.verify(token)) as Record<string, unknown>;
      const aud = claims.aud;
      const ok =
        aud !== undefined
          ? (Array.isArray(aud) ? aud : [aud]).some((value) => audiences.has(String(value)))
          : audiences.has(String(claims.client_id));
      return ok ? claims : null;
    } catch {
      return null;
    }
  };

  const corsHeaders = (req: IncomingMessage): Record<string, string> => {
    const origin = req.headers.origin;
    if (!origin || !options.cors.allowOrigins.includes(origin)) return {};
    return { 'access-control-allow-origin': origin, vary: 'origin' };
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const cors = corsHeaders(req);
    if (req.method === 'OPTIONS') {
      // API Gateway answers preflights itself when CORS is configured.
      res.writeHead(204, {
        ...cors,
        ...(cors['access-control-allow-origin']
          ? {
              'access-control-allow-headers': options.cors.allowHeaders.join(','),
              'access-control-allow-methods': options.cors.allowMethods.join(','),
              'access-control-max-age': String(options.cors.maxAge ?? 0),
            }
          : {}),
      });
      res.end();
      return;
    }
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    const claims = await authorize(token);
    if (!claims) {
      calls.push({ method: req.method ?? 'GET', path: url.pathname, status: 401, token });
      res.writeHead(401, { ...cors, 'content-type': 'application/json' });
      res.end('{"message":"Unauthorized"}');
      return;
    }
    const body = req.method === 'POST' ? (await readBody(req)).toString('utf8') : undefined;
    const upstream = await fetch(`${options.backend}${url.pathname}${url.search}`, {
      method: req.method,
      headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
      body,
    });
    calls.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      status: upstream.status,
      sub: String(claims.sub),
      token,
    });
    res.writeHead(upstream.status, {
      ...cors,
      'content-type': upstream.headers.get('content-type') ?? 'text/plain',
    });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  };

  const server: Server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: String((error as Error).message) }));
    });
  });

  const wss = new WebSocketServer({ noServer: true });
  const open = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const token = url.searchParams.get('token');
    const reject = (status: number) => {
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\n\r\n`);
    };
    if (url.pathname !== options.wsPath) return reject(403);
    const event = {
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:eu-west-1:123456789012:local/live/$connect',
      queryStringParameters: Object.fromEntries(url.searchParams),
      headers: {},
      requestContext: { routeKey: '$connect', eventType: 'CONNECT' },
    } as unknown as APIGatewayRequestAuthorizerEvent;
    options
      .wsAuthorizer(event)
      .then((result) => {
        const allowed = result.policyDocument.Statement.every(
          (statement) => (statement as { Effect: string }).Effect === 'Allow',
        );
        connects.push({ token, allowed });
        if (!allowed) return reject(403);
        const since = url.searchParams.get('since');
        const upstream = new WebSocket(
          `${options.backend.replace(/^http/, 'ws')}/ws${since ? `?since=${encodeURIComponent(since)}` : ''}`,
        );
        upstream.on('error', () => socket.destroy());
        upstream.on('open', () => {
          wss.handleUpgrade(req, socket, head, (client) => {
            open.add(client);
            upstream.on('message', (data) => client.send(data.toString()));
            upstream.on('close', () => client.close());
            client.on('close', () => {
              open.delete(client);
              upstream.close();
            });
          });
        });
      })
      .catch(() => reject(500));
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    calls,
    connects,
    dropSockets() {
      for (const client of open) client.terminate();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of open) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
