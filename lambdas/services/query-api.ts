// The HTTP API of docs/api.md as one function: API Gateway HTTP API (v2) event in, result out.
// The query Lambda calls it directly; the local server converts Node requests into the same shape,
// so both places run this one code path.

import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { extractEach } from '../core/cloudtrail.js';
import { driftStatusChangedEvent } from '../core/drift-events.js';
import { parseDriftQuery, refuseUnknownParams, wholeNumberParam } from '../core/drift-query.js';
import { InputError } from '../core/errors.js';
import { buildGraph } from '../core/graph.js';
import type { Drift, DriftStatus } from '../core/types.js';
import type {
  Clock,
  DriftCounters,
  DriftEvents,
  DriftStore,
  EventLog,
  Logger,
  StateProvider,
} from '../ports.js';
import type { HandleResult } from './detect-service.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export interface QueryApiDeps {
  readonly store: DriftStore;
  /** GET /summary: the counts the store keeps as it writes. */
  readonly counters: DriftCounters;
  readonly state: StateProvider;
  /** When the state was last (re)loaded, for GET /state. */
  readonly stateLoadedAt?: () => string | null;
  readonly events: EventLog;
  /** POST /events goes to the detect service; without one, the endpoint answers 400. */
  readonly detect?: { handle(records: readonly unknown[]): Promise<HandleResult> };
  readonly clock: Clock;
  readonly logger: Logger;
  /** Acknowledge and resolve publish `Drift Status Changed` here (docs/drift-events.md). @default none */
  readonly driftEvents?: DriftEvents;
  /** Dashboard base URL for the events' links. @default none */
  readonly dashboardUrl?: () => string | undefined;
  readonly maxBodyBytes?: number;
  /** Path prefix of the API (default /api/v1). */
  readonly basePath?: string;
  /**
   * Who may POST /events (it feeds the detector, so it can create and resolve drifts): answers why
   * a caller is refused, or undefined to let it through. In AWS only an admin group (`adminGroupOnly`).
   * @default everyone (the local server, which has no sign-in)
   */
  readonly refuseEventPost?: (event: APIGatewayProxyEventV2) => string | undefined;
  /**
   * POST /backfill (same callers as POST /events): starts a backfill of CloudTrail event history
   * (`days` 1–90, default the deployment's). @default none (the endpoint answers 400)
   */
  readonly startBackfill?: (request: { days?: number; by: string }) => Promise<void>;
}

export type ApiResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; body: string };
type ErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'payload_too_large'
  | 'internal';

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const bad = (message: string) => new HttpError(400, 'bad_request', message);

export function json(statusCode: number, value: unknown): ApiResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(value),
  };
}

export function errorResult(statusCode: number, code: ErrorCode, message: string): ApiResult {
  return json(statusCode, { error: { code, message } });
}

function bodyText(event: APIGatewayProxyEventV2, maxBytes: number): string {
  const raw = event.body ?? '';
  const buffer = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw);
  if (buffer.length > maxBytes) {
    throw new HttpError(
      413,
      'payload_too_large',
      `request body is ${buffer.length} bytes; the limit is ${maxBytes}`,
    );
  }
  return buffer.toString('utf8');
}

function parseJson(text: string, required: boolean): unknown {
  if (text.trim() === '') {
    if (required) throw bad('request body is empty: send JSON');
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw bad(`request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The JWT claims API Gateway's authorizer verified, or undefined when the request carries none. */
function claimsOf(event: APIGatewayProxyEventV2): Record<string, unknown> | undefined {
  const ctx = event.requestContext as unknown as {
    authorizer?: { jwt?: { claims?: Record<string, unknown> } };
  };
  return ctx.authorizer?.jwt?.claims;
}

/** The signed-in user's name from the token (ID tokens carry email, access tokens username). */
function principalOf(claims: Record<string, unknown>): string {
  for (const name of [claims.email, claims['cognito:username'], claims.username, claims.sub]) {
    if (typeof name === 'string' && name !== '') return name.slice(0, 200);
  }
  return 'unknown user';
}

/**
 * The caller's Cognito groups. HTTP APIs pass array claims as one string ("[admins ops]"), a
 * REST-style authorizer as "admins,ops"; a JSON array is taken as is.
 */
export function claimGroups(claims: Record<string, unknown> | undefined): string[] {
  const raw = claims?.['cognito:groups'];
  if (Array.isArray(raw)) return raw.filter((g): g is string => typeof g === 'string');
  if (typeof raw !== 'string') return [];
  return raw
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]/)
    .filter(Boolean);
}

/** POST /events for members of `group` only; no group configured: for nobody. */
export function adminGroupOnly(
  group: string | undefined,
): (event: APIGatewayProxyEventV2) => string | undefined {
  return (event) => {
    if (!group) return 'POST /events is off in this deployment (no admin group is configured)';
    if (!claimGroups(claimsOf(event)).includes(group)) return 'POST /events is limited to the admin group';
    return undefined;
  };
}

/** A drift id from its URL path segment. */
function driftId(segment: string): string {
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    throw bad('drift id: invalid URL encoding');
  }
  if (!id) throw bad('drift id: empty');
  return id;
}

function statusBody(value: unknown): { by?: string; comment?: string } {
  if (value === undefined) return {};
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw bad('body: must be an object {"by"?, "comment"?}');
  const { by, comment, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw bad(`body: unknown field "${extra[0].slice(0, 40)}" (known: by, comment)`);
  if (by !== undefined && (typeof by !== 'string' || by.length > 200))
    throw bad('by: must be a string of at most 200 characters');
  if (comment !== undefined && (typeof comment !== 'string' || comment.length > 2000)) {
    throw bad('comment: must be a string of at most 2000 characters');
  }
  return { by: by as string | undefined, comment: comment as string | undefined };
}

export type QueryApi = (event: APIGatewayProxyEventV2) => Promise<ApiResult>;

export function createQueryApi(deps: QueryApiDeps): QueryApi {
  const base = deps.basePath ?? '/api/v1';
  const maxBody = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  /** A status change is stored before it is announced; a publisher that fails is only logged. */
  async function publishChange(
    driftEvents: DriftEvents,
    drift: Drift,
    previous: DriftStatus,
    change: { status: DriftStatus; by: string; comment?: string; at: string },
  ): Promise<void> {
    try {
      const dashboardUrl = deps.dashboardUrl?.() || undefined;
      await driftEvents.publish(driftStatusChangedEvent(drift, { previous, ...change }, { dashboardUrl }));
    } catch (error) {
      deps.logger.error('drift event not published', { driftId: drift.id, error: (error as Error).message });
    }
  }

  async function route(event: APIGatewayProxyEventV2): Promise<ApiResult> {
    const method = event.requestContext.http.method.toUpperCase();
    const path = event.rawPath;
    if (!path.startsWith(`${base}/`))
      throw new HttpError(404, 'not_found', `no such endpoint: ${path.slice(0, 200)}`);
    const parts = path.slice(base.length + 1).split('/');
    const params = event.queryStringParameters ?? {};
    const get = method === 'GET' || method === 'HEAD';
    const noParams = () => refuseUnknownParams(params, []);

    if (parts[0] === 'drifts' && parts.length === 1 && get) {
      return json(200, await deps.store.query(parseDriftQuery(params)));
    }
    if (parts[0] === 'drifts' && parts.length === 2 && get) {
      const id = driftId(parts[1]);
      noParams();
      const drift = await deps.store.get(id);
      if (!drift) throw new HttpError(404, 'not_found', `no drift with id "${id.slice(0, 100)}"`);
      const key = drift.resource.address ?? drift.resource.id;
      const history = key ? (await deps.store.history(key)).filter((d) => d.id !== drift.id) : [];
      return json(200, { ...drift, history });
    }
    const action = parts[2];
    if (
      parts[0] === 'drifts' &&
      parts.length === 3 &&
      method === 'POST' &&
      (action === 'acknowledge' || action === 'resolve')
    ) {
      const id = driftId(parts[1]);
      noParams();
      const body = statusBody(parseJson(bodyText(event, maxBody), false));
      const claims = claimsOf(event);
      // The status before, for the status-change event (read only when someone listens).
      const listener = deps.driftEvents && {
        driftEvents: deps.driftEvents,
        before: await deps.store.get(id),
      };
      const change = {
        status: action === 'acknowledge' ? ('acknowledged' as const) : ('resolved' as const),
        // Signed in (AWS): the token says who; the body's `by` is only for the local server.
        by: claims ? principalOf(claims) : (body.by ?? 'anonymous'),
        ...(body.comment ? { comment: body.comment } : {}),
        at: deps.clock.now().toISOString(),
      };
      const updated = await deps.store.setStatus(id, change);
      if (!updated) throw new HttpError(404, 'not_found', `no drift with id "${id.slice(0, 100)}"`);
      if (listener?.before && listener.before.status !== change.status)
        await publishChange(listener.driftEvents, updated, listener.before.status, change);
      return json(200, updated);
    }
    if (path === `${base}/graph` && get) {
      noParams();
      return json(200, buildGraph(await deps.state.current(), await deps.store.listOpen()));
    }
    if (path === `${base}/state` && get) {
      noParams();
      const index = await deps.state.current();
      return json(200, {
        files: index.files,
        resources: index.resources.length,
        errors: index.errors,
        loadedAt: deps.stateLoadedAt?.() ?? null,
      });
    }
    if (path === `${base}/summary` && get) {
      noParams();
      return json(200, await deps.counters.summary());
    }
    if (path === `${base}/events` && get) {
      refuseUnknownParams(params, ['limit']);
      return json(200, {
        items: await deps.events.recent(wholeNumberParam('limit', params.limit, 1, 1000, 100)),
      });
    }
    if (path === `${base}/events` && method === 'POST') {
      const refused = deps.refuseEventPost?.(event);
      if (refused) throw new HttpError(403, 'forbidden', refused);
      noParams();
      if (!deps.detect) throw bad('this deployment does not accept events over HTTP');
      const body = parseJson(bodyText(event, maxBody), true);
      // Nothing usable at all is a bad request; a bad record among good ones is a counted error.
      const found = extractEach(body);
      if (!found.some((item) => 'record' in item)) {
        const first = found.find((item) => 'error' in item);
        throw bad(
          `no CloudTrail record in the body (send a record, {"Records": [...]}, an EventBridge event or an array)${first && 'error' in first ? `: ${first.error}` : ''}`,
        );
      }
      return json(200, await deps.detect.handle([body]));
    }
    if (path === `${base}/backfill` && method === 'POST') {
      const refused = deps.refuseEventPost?.(event);
      if (refused) throw new HttpError(403, 'forbidden', refused.replace('POST /events', 'POST /backfill'));
      noParams();
      if (!deps.startBackfill) throw bad('this deployment does not run backfills');
      const parsed = parseJson(bodyText(event, maxBody), false);
      const body = parsed === undefined ? {} : parsed; // no body: the deployment's default
      if (!body || typeof body !== 'object' || Array.isArray(body))
        throw bad('body: must be an object {"days"?}');
      const { days, ...rest } = body as Record<string, unknown>;
      const extra = Object.keys(rest);
      if (extra.length > 0) throw bad(`body: unknown field "${extra[0].slice(0, 40)}" (known: days)`);
      // Number.isInteger is false for anything that is not a number.
      if (days !== undefined && !(Number.isInteger(days) && (days as number) >= 1 && (days as number) <= 90))
        throw bad('days: must be a whole number from 1 to 90 (CloudTrail keeps 90 days of event history)');
      const claims = claimsOf(event);
      const by = claims ? principalOf(claims) : 'the local operator';
      await deps.startBackfill({ days: days as number | undefined, by });
      deps.logger.info('backfill started', { days, by });
      return json(202, { started: true, days }); // JSON leaves days out when none was asked for
    }
    throw new HttpError(404, 'not_found', `no such endpoint: ${method} ${path.slice(0, 200)}`);
  }

  return async (event) => {
    try {
      return await route(event);
    } catch (error) {
      if (error instanceof HttpError) return errorResult(error.status, error.code, error.message);
      if (error instanceof InputError) return errorResult(400, 'bad_request', error.message);
      deps.logger.error('request failed', {
        path: event.rawPath,
        error: (error as Error).stack ?? String(error),
      });
      return errorResult(500, 'internal', 'internal error (see the server log)');
    }
  };
}
