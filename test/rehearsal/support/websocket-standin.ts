// A stand-in for an API Gateway WebSocket API, built from the template: its routes, their Lambda
// integrations, the $connect route's REQUEST authorizer and its identity source, the API's route
// selection expression and the stage. It behaves as API Gateway documents it:
// - $connect: a missing identity source is 401 without calling the authorizer; the authorizer's
//   policy must Allow the route's ARN (else 403); then the $connect integration must answer 2xx
//   before the connection opens. The authorizer's principalId and context reach the integration as
//   requestContext.authorizer.
// - a message is routed by the route selection expression ($request.body.action) to its route, else
//   to $default, else answered with API Gateway's "Forbidden" message.
// - close runs $disconnect.
// - the management API (POST/DELETE /{stage}/@connections/{id}, SigV4 for execute-api) sends to a
//   connection or answers 410 GoneException for one that is not open.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-overview.html
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-how-to-call-websocket-api-connections.html

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { LambdaProcess } from './lambda-process.js';
import type { TemplateNames } from './template-names.js';

interface RouteTarget {
  readonly functionId: string;
  readonly authorizer?: { functionId: string; identitySource: string[] };
}

export interface AuthorizerResult {
  principalId: string;
  policyDocument: { Statement: { Effect: string; Resource: string | string[]; Action: string | string[] }[] };
  context?: Record<string, string | number | boolean>;
}

/** The routes of the WebSocket API `apiId` and the functions behind them, read from the template. */
export function webSocketRoutes(names: TemplateNames, apiId: string): Map<string, RouteTarget> {
  const routes = new Map<string, RouteTarget>();
  for (const id of names.ofType('AWS::ApiGatewayV2::Route')) {
    const props = names.resource(id).Properties as Record<string, unknown>;
    if ((props.ApiId as { Ref?: string }).Ref !== apiId) continue;
    const integrationId = JSON.stringify(props.Target).match(/"Ref":"([^"]+)"/)?.[1] as string;
    const integration = names.resource(integrationId).Properties as Record<string, unknown>;
    let authorizer: RouteTarget['authorizer'];
    if (props.AuthorizationType === 'CUSTOM') {
      const authorizerId = (props.AuthorizerId as { Ref: string }).Ref;
      const auth = names.resource(authorizerId).Properties as Record<string, unknown>;
      authorizer = {
        functionId: names.functionIn(auth.AuthorizerUri),
        identitySource: auth.IdentitySource as string[],
      };
    }
    routes.set(String(props.RouteKey), {
      functionId: names.functionIn(integration.IntegrationUri),
      authorizer,
    });
  }
  return routes;
}

/** The value an identity source such as `route.request.querystring.token` names, if present. */
function identityValue(source: string, url: URL, req: IncomingMessage): string | undefined {
  const query = source.match(/^route\.request\.querystring\.(.+)$/);
  if (query) return url.searchParams.get(query[1]) || undefined;
  const header = source.match(/^route\.request\.header\.(.+)$/);
  if (header) return (req.headers[header[1].toLowerCase()] as string | undefined) || undefined;
  throw new Error(`the rehearsal does not know the identity source ${source}`);
}

function allows(result: AuthorizerResult, arn: string): boolean {
  const matches = (pattern: string) =>
    new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`).test(arn);
  const statements = result.policyDocument?.Statement ?? [];
  const applies = (s: (typeof statements)[number]) => [s.Resource].flat().some(matches);
  return (
    statements.some((s) => s.Effect === 'Allow' && applies(s)) &&
    !statements.some((s) => s.Effect === 'Deny' && applies(s))
  );
}

export interface WebSocketStandInOptions {
  readonly names: TemplateNames;
  /** Logical id of the AWS::ApiGatewayV2::Api. */
  readonly apiId: string;
  readonly stageName: string;
  readonly functions: ReadonlyMap<string, LambdaProcess>;
}

export class WebSocketStandIn {
  readonly routes: Map<string, RouteTarget>;
  readonly connections = new Map<string, WebSocket>();
  /** Each authorizer call's outcome, newest last. */
  readonly authorizations: { allowed: boolean; principalId?: string }[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private server?: Server;
  private readonly apiPhysicalId: string;
  private readonly routeSelection: string;
  url = '';

  constructor(private readonly options: WebSocketStandInOptions) {
    this.routes = webSocketRoutes(options.names, options.apiId);
    this.apiPhysicalId = options.names.ref(options.apiId);
    this.routeSelection = String(options.names.resource(options.apiId).Properties?.RouteSelectionExpression);
  }

  /** Base URL of the management API (the stage path is part of the connection URLs). */
  get managementEndpoint(): string {
    return this.url.replace(/^ws:/, 'http:');
  }

  private fn(id: string): LambdaProcess {
    const fn = this.options.functions.get(id);
    if (!fn) throw new Error(`function ${id} is not running`);
    return fn;
  }

  private requestContext(connectionId: string, routeKey: string, eventType: string) {
    const now = Date.now();
    return {
      routeKey,
      eventType,
      extendedRequestId: randomUUID(),
      requestTime: new Date(now).toUTCString(),
      messageDirection: 'IN',
      stage: this.options.stageName,
      connectedAt: now,
      requestTimeEpoch: now,
      requestId: randomUUID(),
      domainName: `${this.apiPhysicalId}.execute-api.${this.options.names.target.region}.amazonaws.com`,
      connectionId,
      apiId: this.apiPhysicalId,
      identity: { sourceIp: '203.0.113.50', userAgent: 'rehearsal' },
    };
  }

  private async connect(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
    };
    if (this.unavailable) return refuse(503, 'Service Unavailable');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== `/${this.options.stageName}`) return refuse(403, 'Forbidden');
    const route = this.routes.get('$connect');
    const connectionId = `${randomBytes(11).toString('base64').slice(0, 15)}=`;
    const query = Object.fromEntries(url.searchParams);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    let authorizer: Record<string, unknown> | undefined;
    if (route?.authorizer) {
      const identity = route.authorizer.identitySource.map((s) => identityValue(s, url, req));
      if (identity.some((v) => v === undefined)) return refuse(401, 'Unauthorized');
      const methodArn = `arn:aws:execute-api:${this.options.names.target.region}:${this.options.names.target.account}:${this.apiPhysicalId}/${this.options.stageName}/$connect`;
      let result: AuthorizerResult;
      try {
        result = await this.fn(route.authorizer.functionId).invoke<AuthorizerResult>({
          type: 'REQUEST',
          methodArn,
          headers,
          multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
          queryStringParameters: query,
          multiValueQueryStringParameters: Object.fromEntries(
            Object.entries(query).map(([k, v]) => [k, [v]]),
          ),
          stageVariables: {},
          requestContext: this.requestContext(connectionId, '$connect', 'CONNECT'),
        });
      } catch {
        return refuse(500, 'Internal Server Error');
      }
      const allowed = allows(result, methodArn);
      this.authorizations.push({ allowed, principalId: result.principalId });
      if (!allowed) return refuse(403, 'Forbidden');
      authorizer = { principalId: result.principalId, ...result.context };
    }
    if (route) {
      const answer = await this.fn(route.functionId)
        .invoke<{ statusCode?: number }>({
          requestContext: { ...this.requestContext(connectionId, '$connect', 'CONNECT'), authorizer },
          headers,
          multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
          queryStringParameters: query,
          multiValueQueryStringParameters: Object.fromEntries(
            Object.entries(query).map(([k, v]) => [k, [v]]),
          ),
          isBase64Encoded: false,
        })
        .catch(() => ({ statusCode: 500 }));
      const status = answer?.statusCode ?? 200;
      if (status < 200 || status > 299) return refuse(status, 'Refused');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.connections.set(connectionId, ws);
      this.clientPorts.set(connectionId, req.socket.remotePort);
      ws.on('message', (data) => {
        void this.message(connectionId, String(data));
      });
      ws.on('close', (code) => {
        this.connections.delete(connectionId);
        const disconnect = this.routes.get('$disconnect');
        const ran = disconnect
          ? this.fn(disconnect.functionId)
              .invoke({
                requestContext: {
                  ...this.requestContext(connectionId, '$disconnect', 'DISCONNECT'),
                  disconnectStatusCode: code,
                },
                isBase64Encoded: false,
              })
              .catch(() => undefined)
          : Promise.resolve();
        void ran.finally(() => {
          for (const resolve of this.disconnected.get(connectionId) ?? []) resolve();
          this.disconnected.delete(connectionId);
        });
      });
    });
  }

  /** While true, every new connection is refused with 503 (an outage between client and API). */
  unavailable = false;

  /** Closes a connection from the API's side, as API Gateway does after its idle or 2-hour limit. */
  drop(connectionId: string): void {
    this.connections.get(connectionId)?.close(1001, 'Going away');
  }

  private readonly disconnected = new Map<string, (() => void)[]>();
  /**
   * Loses a connection without running $disconnect (API Gateway does not guarantee $disconnect is
   * delivered): the management API answers 410 for it from now on.
   */
  vanish(connectionId: string): void {
    const ws = this.connections.get(connectionId);
    this.connections.delete(connectionId);
    ws?.removeAllListeners('close');
    ws?.terminate();
  }

  /** Resolves once $disconnect of the connection has run (at once for a connection not open). */
  whenDisconnected(connectionId: string): Promise<void> {
    if (!this.connections.has(connectionId)) return Promise.resolve();
    return new Promise((resolve) => {
      this.disconnected.set(connectionId, [...(this.disconnected.get(connectionId) ?? []), resolve]);
    });
  }

  /** The route a message selects: `$request.body.<field>` of a JSON message, else $default. */
  private selectRoute(body: string): string | undefined {
    const field = this.routeSelection.match(/^\$request\.body\.(.+)$/)?.[1];
    let key: unknown;
    try {
      key = field ? (JSON.parse(body) as Record<string, unknown>)[field] : undefined;
    } catch {
      key = undefined;
    }
    if (typeof key === 'string' && this.routes.has(key) && !key.startsWith('$')) return key;
    return this.routes.has('$default') ? '$default' : undefined;
  }

  private readonly answered = new Map<string, ((answer: unknown) => void)[]>();
  /** Resolves with the result of the next message invocation of the connection, once it completes. */
  whenAnswered(connectionId: string): Promise<unknown> {
    return new Promise((resolve) => {
      this.answered.set(connectionId, [...(this.answered.get(connectionId) ?? []), resolve]);
    });
  }

  private async message(connectionId: string, body: string): Promise<void> {
    const routeKey = this.selectRoute(body);
    const ws = this.connections.get(connectionId);
    if (!routeKey) {
      ws?.send(JSON.stringify({ message: 'Forbidden', connectionId, requestId: randomUUID() }));
      return;
    }
    const answer = await this.fn((this.routes.get(routeKey) as RouteTarget).functionId)
      .invoke({
        requestContext: { ...this.requestContext(connectionId, routeKey, 'MESSAGE') },
        body,
        isBase64Encoded: false,
      })
      .catch((error: Error) => ({ error: error.message }));
    const waiting = this.answered.get(connectionId) ?? [];
    this.answered.delete(connectionId);
    for (const resolve of waiting) resolve(answer);
  }

  /** The connection id of the open connection whose client uses `clientPort`. */
  connectionIdOf(clientPort: number): string | undefined {
    for (const [id, port] of this.clientPorts) if (port === clientPort && this.connections.has(id)) return id;
    return undefined;
  }

  /** The client's TCP port of each connection (API Gateway never tells a client its connection id). */
  private readonly clientPorts = new Map<string, number | undefined>();

  private management(req: IncomingMessage, body: Buffer, res: import('node:http').ServerResponse): void {
    const match = (req.url ?? '').match(/^\/([^/]+)\/@connections\/([^/?]+)$/);
    const signed = /^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/execute-api\/aws4_request/.test(
      req.headers.authorization ?? '',
    );
    if (!match || match[1] !== this.options.stageName || !signed) {
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'ForbiddenException' });
      res.end(JSON.stringify({ message: 'Forbidden' }));
      return;
    }
    const ws = this.connections.get(decodeURIComponent(match[2]));
    if (!ws) {
      res.writeHead(410, { 'content-type': 'application/json', 'x-amzn-errortype': 'GoneException' });
      res.end(JSON.stringify({ message: null }));
      return;
    }
    if (req.method === 'POST') ws.send(body.toString('utf8'));
    else if (req.method === 'DELETE') ws.close(1000);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{}');
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.management(req, Buffer.concat(chunks), res));
    });
    this.server.on('upgrade', (req, socket, head) => {
      void this.connect(req, socket, head);
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const ws of this.connections.values()) ws.terminate();
    this.wss.close();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
