// The whole product on one machine (docs/architecture.md): the HTTP API (the same query-api as the Lambda),
// the live feed as a WebSocket on the same port, the dashboard, /health and /config.json; the drift
// store is the DynamoDB adapter against an in-process dynalite persisted under the data folder.

import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { DynamoDriftStore } from '../adapters/aws/dynamo-drift-store.js';
import { DynamoEventLog } from '../adapters/aws/dynamo-event-log.js';
import { ConsoleNotifier } from '../adapters/local/console-notifier.js';
import { type LocalDynamo, startLocalDynamo } from '../adapters/local/dynalite.js';
import {
  type DeliveryOptions,
  fanOutNotifier,
  SlackWebhookNotifier,
  WebhookDriftEvents,
} from '../adapters/local/http-delivery.js';
import { OwedAlerts } from '../adapters/local/owed-alerts.js';
import { loadRulesFromDir } from '../adapters/local/rule-files.js';
import { watchStateFiles } from '../adapters/local/state-files.js';
import type { Clock, Logger } from '../ports.js';
import { createDetectService, type DetectService } from '../services/detect-service.js';
import { createQueryApi, DEFAULT_MAX_BODY_BYTES, type QueryApi } from '../services/query-api.js';
import { type CachingStateProvider, createStateProvider } from '../services/state-provider.js';
import { BufferedEventLog } from './buffered-event-log.js';
import { followEvents } from './event-follower.js';
import { BodyTooLargeError, readBody, sendJson, toApiEvent } from './http-adapter.js';
import { LiveFeed, parseSince } from './live-feed.js';
import { createLogger } from './logger.js';
import {
  checkHost,
  checkJsonBody,
  checkOrigin,
  isLoopback,
  isWildcard,
  normaliseHost,
  normaliseOrigin,
  type Refusal,
  reachableHosts,
  SAFE_METHODS,
} from './request-guard.js';
import { loadConfigFile } from './scan.js';
import { combinedStateSource } from './state-source.js';
import { SECURITY_HEADERS, serveStatic } from './static-files.js';

export const DEFAULT_WEB_ROOT = resolve(fileURLToPath(import.meta.url), '../../../web/dist');

export interface ServerOptions {
  /** @default 8080 (0 = any free port) */
  readonly port?: number;
  /** @default 127.0.0.1 — anything beyond loopback requires a token. */
  readonly host?: string;
  /**
   * Where drifts are kept across restarts; null or absent keeps them in memory. The CLI passes its
   * `--data` (default `.tfdrift`), so the one default lives there.
   * @default null
   */
  readonly dataDir?: string | null;
  /**
   * A running DynamoDB (dynalite) whose tables, named in `tables`, keep the drifts and events instead
   * of a dynalite of the server's own; closing the server leaves it running. Tests share one between
   * servers, each on tables of its own.
   * @default a dynalite of its own, under dataDir
   */
  readonly dynamo?: Pick<LocalDynamo, 'doc' | 'tables'>;
  /** State files, folders or s3://bucket/prefix; watched and reloaded on change. */
  readonly statePaths?: readonly string[];
  /** CloudTrail log files or folders (followed as new files appear), or - for JSON lines on stdin. */
  readonly eventPaths?: readonly string[];
  /**
   * Bearer token required on the API and the WebSocket (or TFDRIFT_TOKEN via the CLI); without it,
   * /health says only up or down. The dashboard's files and /config.json stay open (they hold no data).
   */
  readonly token?: string;
  /**
   * Host names the server also answers to, besides the address it is bound to (and, on loopback,
   * localhost, 127.0.0.1 and [::1]): a reverse proxy's or the machine's name. Any other Host is
   * refused, so a page that rebinds its own name to this address reads nothing.
   * @default none
   */
  readonly allowHosts?: readonly string[];
  /**
   * Origins (https://name[:port]) whose pages may write and open the live feed, besides the server's
   * own origin.
   * @default none
   */
  readonly allowOrigins?: readonly string[];
  readonly rulesDir?: string;
  readonly configFile?: string;
  /** Marks the demo (shown in /health). */
  readonly demo?: boolean;
  /** @default 1 MB */
  readonly maxBodyBytes?: number;
  /** @default web/dist of this checkout */
  readonly webRoot?: string;
  readonly logger?: Logger;
  /** Where console alerts go. @default stdout */
  readonly alertsOut?: NodeJS.WritableStream;
  readonly clock?: Clock;
  /** How often event folders are polled. @default 1000 ms */
  readonly pollMs?: number;
  readonly stdin?: AsyncIterable<Buffer | string>;
  /** Each new drift and status change is POSTed here as a drift event (docs/drift-events.md). */
  readonly webhooks?: readonly string[];
  /** Signs webhook bodies: X-Tfdrift-Signature: sha256=<hex HMAC-SHA256 of the raw body>. */
  readonly webhookSecret?: string;
  /** Slack incoming-webhook URLs that receive each new drift as a chat message. */
  readonly slackWebhooks?: readonly string[];
  /** Retry and queue limits of webhook and Slack deliveries. @default 5 attempts, backoff from 1 s */
  readonly delivery?: Omit<DeliveryOptions, 'logger'>;
}

export interface RunningServer {
  /** Base URL, e.g. http://127.0.0.1:8080 */
  readonly url: string;
  /** URL to open in a browser (carries the token in the fragment when one is set). */
  readonly openUrl: string;
  readonly port: number;
  readonly detect: DetectService;
  /** Resolves once event files present at start have been read. */
  readonly eventsReady: Promise<void>;
  close(): Promise<void>;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** The request's path and query; null for a target no URL can be made of (such as "//"). */
function requestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://local');
  } catch {
    return null;
  }
}

const MALFORMED_TARGET: Refusal = {
  status: 400,
  code: 'bad_request',
  message: 'malformed request target: send a path such as /api/v1/drifts',
};

/** The DynamoDB given (left running on close), or a dynalite of the server's own under the data folder. */
async function openDynamo(
  given: ServerOptions['dynamo'],
  dataDir: string | null,
): Promise<Pick<LocalDynamo, 'doc' | 'tables' | 'close'>> {
  if (given) return { doc: given.doc, tables: given.tables, close: async () => undefined };
  return startLocalDynamo({ path: dataDir ? join(dataDir, 'dynamodb') : undefined });
}

export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const guard = guardOf(options);
  const logger = options.logger ?? createLogger();
  const clock = options.clock ?? { now: () => new Date() };
  const dataDir = options.dataDir ? resolve(options.dataDir) : null;
  const statePaths = options.statePaths ?? [];
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  let baseUrl = '';
  const services = await startServices(options, {
    logger,
    clock,
    dataDir,
    statePaths,
    maxBody,
    baseUrl: () => baseUrl,
  });
  const { detect, feed } = services;

  const server = createServer(
    requestListener({
      ...guard,
      api: services.api,
      state: services.state,
      store: services.store,
      statePaths,
      demo: options.demo ?? false,
      maxBody,
      webRoot: options.webRoot ?? DEFAULT_WEB_ROOT,
      logger,
    }),
  );
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', upgradeListener(guard, wss, feed, logger));

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 8080, guard.host, () => ok());
  }).catch(async (error) => {
    await services.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  const { host } = guard;
  const shownHost = isWildcard(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  baseUrl = `http://${shownHost}:${port}`;

  // State changes on disk: reload, re-evaluate open drifts, announce. Closing waits for a reload
  // under way, so it never reaches a store that is already gone.
  let reloading: Promise<unknown> = Promise.resolve();
  const unwatch = watchStateFiles(
    statePaths.filter((p) => !p.startsWith('s3://')),
    () => {
      reloading = detect
        .reloadState()
        .catch((error) => logger.error('state reload failed', { error: (error as Error).message }));
    },
  );
  const follower = followEvents({
    paths: options.eventPaths ?? [],
    handle: async (records, origin) => {
      const result = await detect.handle(records);
      if (result.processed > 0 || result.errors.length > 0) {
        logger.info('events read', {
          origin,
          processed: result.processed,
          newDrifts: result.created,
          errors: result.errors.length,
        });
      }
    },
    logger,
    memoryFile: dataDir ? join(dataDir, 'processed-event-files.json') : undefined,
    pollMs: options.pollMs,
    stdin: options.stdin,
  });

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    openUrl: guard.token ? `${baseUrl}/#token=${encodeURIComponent(guard.token)}` : baseUrl,
    port,
    detect,
    eventsReady: follower.ready,
    close: () => {
      closing ??= (async () => {
        follower.close();
        unwatch();
        feed.close();
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((ok) => server.close(() => ok()));
        await follower.ready.catch(() => undefined);
        await reloading;
        await services.close();
      })();
      return closing;
    },
  };
}

/** Who may ask: the address bound, its token, and the hosts and origins answered. */
interface Guard {
  readonly host: string;
  readonly token: string | undefined;
  readonly allowedHosts: ReadonlySet<string>;
  readonly allowedOrigins: ReadonlySet<string>;
}

/** The server's guard from its options; throws on an address beyond loopback without a token. */
function guardOf(options: ServerOptions): Guard {
  const host = normaliseHost(options.host ?? '127.0.0.1');
  const token = options.token || undefined;
  if (!isLoopback(host) && !token) {
    throw new Error(
      `refusing to listen on ${host} without a token: anyone who can reach it could read your drifts. Pass --token or set TFDRIFT_TOKEN (or bind to 127.0.0.1).`,
    );
  }
  const allowedOrigins = new Set<string>();
  for (const origin of options.allowOrigins ?? []) {
    const normal = normaliseOrigin(origin);
    if (normal === null)
      throw new Error(`allowed origin ${JSON.stringify(origin)}: must be http(s)://name[:port]`);
    allowedOrigins.add(normal);
  }
  return { host, token, allowedHosts: reachableHosts(host, options.allowHosts), allowedOrigins };
}

/** What the services are built around: the server's own parts, and its address once it listens. */
interface ServiceContext {
  readonly logger: Logger;
  readonly clock: Clock;
  readonly dataDir: string | null;
  readonly statePaths: readonly string[];
  /** The largest request body the API reads. */
  readonly maxBody: number;
  readonly baseUrl: () => string;
}

/** The product's services as the Lambdas have them, on a local store, alert channels and state. */
interface Services {
  readonly detect: DetectService;
  readonly api: QueryApi;
  readonly feed: LiveFeed;
  readonly state: CachingStateProvider;
  /** Answers whether the drift store is reachable (for /health). */
  readonly store: Pick<DynamoDriftStore, 'headSeq'>;
  /** Waits for deliveries under way and the event log, then closes the store. */
  close(): Promise<void>;
}

async function startServices(options: ServerOptions, context: ServiceContext): Promise<Services> {
  const { logger, clock, baseUrl } = context;
  const rules = loadRulesFromDir(options.rulesDir);
  const config = loadConfigFile(options.configFile);
  const delivery = { ...options.delivery, logger };
  // Built before anything starts: a bad URL stops the start with a clear error.
  const webhooks = new WebhookDriftEvents({
    ...delivery,
    urls: options.webhooks ?? [],
    secret: options.webhookSecret || undefined,
    userAgent: 'tfdrift-webhook',
  });
  const slack = new SlackWebhookNotifier({ ...delivery, urls: options.slackWebhooks ?? [], baseUrl });

  const dynamo = await openDynamo(options.dynamo, context.dataDir);
  // One server per data folder (dynalite holds it), so change numbers can come from memory.
  const baseStore = new DynamoDriftStore(dynamo.doc, { singleWriter: true, tableName: dynamo.tables.drifts });
  const events = new BufferedEventLog(
    new DynamoEventLog(dynamo.doc, { tableName: dynamo.tables.events }),
    logger,
  );
  const feed = new LiveFeed(baseStore);
  const alerts = new OwedAlerts();
  const state = createStateProvider(combinedStateSource(context.statePaths), {
    logger,
    now: () => clock.now(),
  });
  const notifier = fanOutNotifier([
    new ConsoleNotifier({
      out: options.alertsOut,
      baseUrl,
      color: !options.alertsOut && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    }),
    ...(slack.queues.length > 0 ? [slack] : []),
  ]);
  const driftEvents = webhooks.queues.length > 0 ? webhooks : undefined;
  const detect = createDetectService({
    rules,
    state,
    // Writes go through the live feed, which sends each one; each new drift owes one alert.
    drifts: alerts.owing(feed.store),
    alerts,
    reverts: baseStore,
    notifier,
    driftEvents,
    dashboardUrl: baseUrl,
    events,
    config,
    clock,
    logger,
    onStateReload: (index) =>
      feed.send({
        type: 'state',
        files: index.files.length,
        resources: index.resources.length,
        errors: index.errors.length,
        at: clock.now().toISOString(),
      }),
  });
  const api = createQueryApi({
    store: feed.store,
    counters: baseStore,
    state,
    stateLoadedAt: () => state.loadedAt()?.toISOString() ?? null,
    events,
    detect,
    clock,
    logger,
    driftEvents,
    dashboardUrl: baseUrl,
    maxBodyBytes: context.maxBody,
  });

  // Never rejects: a state source that fails is an error of the index, which /health and /api/v1/state show.
  await state.reload();
  return {
    detect,
    api,
    feed,
    state,
    store: baseStore,
    close: async () => {
      await Promise.all([webhooks.close(), slack.close()]);
      await events.flush();
      await dynamo.close();
    },
  };
}

/** What answering an HTTP request needs. */
interface Site extends Guard, Pick<Services, 'api' | 'state' | 'store'> {
  readonly statePaths: readonly string[];
  /** Marks the demo in /health. */
  readonly demo: boolean;
  readonly maxBody: number;
  readonly webRoot: string;
  readonly logger: Logger;
}

// The header everywhere; ?token= only on the WebSocket, which browsers cannot give headers.
function isAuthorized(token: string | undefined, req: IncomingMessage, url: URL | null): boolean {
  if (!token) return true;
  const header = req.headers.authorization;
  const given = header?.startsWith('Bearer ') ? header.slice(7) : (url?.searchParams.get('token') ?? null);
  return given !== null && timingSafeEqual(digest(given), digest(token));
}

/** The HTTP side: /health, /config.json, the API, then the dashboard's files. */
function requestListener(site: Site): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    answer(site, req, res).catch((error) => {
      site.logger.error('request failed', { url: req.url, error: (error as Error).stack ?? String(error) });
      if (!res.headersSent)
        sendJson(res, 500, { error: { code: 'internal', message: 'internal error (see the server log)' } });
      else res.end();
    });
  };
}

async function answer(site: Site, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const fail = (status: number, code: string, message: string) =>
    sendJson(res, status, { error: { code, message } }, SECURITY_HEADERS);
  // A refused request's body is never read: answer and close the connection, rather than let
  // Node drain what may be megabytes still coming.
  const refuse = (refusal: Refusal) => {
    res.setHeader('connection', 'close');
    fail(refusal.status, refusal.code, refusal.message);
  };
  const wrongHost = checkHost(req.headers, site.allowedHosts);
  if (wrongHost) return refuse(wrongHost);
  const url = requestUrl(req);
  if (!url) return refuse(MALFORMED_TARGET);
  if (url.pathname === '/health') return health(site, res, isAuthorized(site.token, req, null));
  if (url.pathname === '/config.json') {
    return sendJson(res, 200, { apiBase: '/api/v1', wsUrl: '/ws', auth: null }, SECURITY_HEADERS);
  }
  if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
    if (!SAFE_METHODS.has(method)) {
      const foreign = checkOrigin(req.headers, site.allowedOrigins);
      if (foreign) return refuse(foreign);
    }
    if (!isAuthorized(site.token, req, null)) {
      return refuse({
        status: 401,
        code: 'unauthorized',
        message: 'missing or wrong token: send Authorization: Bearer TOKEN',
      });
    }
    if (!SAFE_METHODS.has(method)) {
      const notJson = checkJsonBody(req.headers);
      if (notJson) return refuse(notJson);
    }
    let body: Buffer;
    try {
      body = await readBody(req, site.maxBody);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        res.setHeader('connection', 'close');
        return fail(413, 'payload_too_large', error.message);
      }
      throw error;
    }
    const result = await site.api(toApiEvent(req, url, body));
    res.writeHead(result.statusCode, {
      ...SECURITY_HEADERS,
      ...(result.headers as Record<string, string>),
    });
    // Node sends no body in answer to HEAD, whatever end() is given.
    res.end(result.body);
    return;
  }
  if (method !== 'GET' && method !== 'HEAD')
    return fail(404, 'not_found', `no such endpoint: ${method} ${url.pathname}`);
  if (await serveStatic(site.webRoot, url.pathname, res, method === 'HEAD')) return;
  fail(404, 'not_found', `no such file: ${url.pathname.slice(0, 200)}`);
}

/** Without the token (when one is set), only up or down: the details name state paths. */
async function health(site: Site, res: ServerResponse, detailed: boolean): Promise<void> {
  const { state, statePaths, store } = site;
  const problems: string[] = [];
  // Never rejects (a failing source is an error of the index).
  const index = await state.current();
  if (statePaths.length === 0) problems.push('no state given: start with --state PATH');
  else if (index.files.length === 0) problems.push('no state file loaded');
  // State errors already start with their file; others are prefixed with it, so each names it once.
  for (const error of index.errors) {
    const named = error.message.startsWith(error.file) ? error.message : `${error.file}: ${error.message}`;
    problems.push(`state ${named}`);
  }
  const body = {
    stateFiles: index.files.length,
    resources: index.resources.length,
    loadedAt: state.loadedAt()?.toISOString() ?? null,
  };
  try {
    await store.headSeq();
  } catch (error) {
    problems.push(`drift store: ${(error as Error).message}`);
  }
  const demo = site.demo ? { demo: true } : {};
  const status = problems.length > 0 ? 'degraded' : 'ok';
  const details = detailed ? { ...(problems.length > 0 ? { problems } : {}), ...body, ...demo } : {};
  sendJson(res, problems.length > 0 ? 503 : 200, { status, ...details }, SECURITY_HEADERS);
}

/** The live feed's side: /ws upgrades from an allowed host and origin, with the token when one is set. */
function upgradeListener(guard: Guard, wss: WebSocketServer, feed: LiveFeed, logger: Logger) {
  return (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = requestUrl(req);
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (checkHost(req.headers, guard.allowedHosts) || checkOrigin(req.headers, guard.allowedOrigins)) {
      return refuse('403 Forbidden');
    }
    if (!url) return refuse('400 Bad Request');
    if (url.pathname !== '/ws') return refuse('404 Not Found');
    if (!isAuthorized(guard.token, req, url)) return refuse('401 Unauthorized');
    let since: number | undefined;
    try {
      since = parseSince(url.searchParams.get('since'));
    } catch {
      return refuse('400 Bad Request');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      feed.attach(ws, since).catch((error) => {
        logger.error('live feed replay failed', { error: (error as Error).message });
        ws.close(1011, 'replay failed');
      });
    });
  };
}
