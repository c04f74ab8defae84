// The HTTP API function (lambdas/services/query-api.ts) called directly with API Gateway v2 events,
// over the DynamoDB store against dynalite and the real state and detector: routing, each
// endpoint's answers and refusals (with their messages), who a status change is recorded under,
// and what happens to errors. (npx stryker run --mutate lambdas/services/query-api.ts)

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoDriftStore } from '../../lambdas/adapters/aws/dynamo-drift-store.js';
import { DynamoEventLog } from '../../lambdas/adapters/aws/dynamo-event-log.js';
import { startLocalDynamo } from '../../lambdas/adapters/local/dynalite.js';
import { loadRulesFromDir } from '../../lambdas/adapters/local/rule-files.js';
import { LocalStateFiles } from '../../lambdas/adapters/local/state-files.js';
import { parseConfig } from '../../lambdas/core/config.js';
import type { DriftEvent } from '../../lambdas/core/drift-events.js';
import { InputError } from '../../lambdas/core/errors.js';
import { createDetectService } from '../../lambdas/services/detect-service.js';
import {
  type ApiResult,
  adminGroupOnly,
  claimGroups,
  createQueryApi,
  type QueryApiDeps,
} from '../../lambdas/services/query-api.js';
import { createStateProvider } from '../../lambdas/services/state-provider.js';
import { sampleDrift } from '../support/drift-samples.js';
import { fixturePath, STATE_NAME, suspendEvent } from '../support/hostile-fixtures.js';

const NOW = new Date('2026-03-01T09:30:00.000Z');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function site(over: Partial<QueryApiDeps> = {}) {
  const dynamo = await startLocalDynamo();
  cleanups.push(() => dynamo.close());
  const store = new DynamoDriftStore(dynamo.doc);
  const events = new DynamoEventLog(dynamo.doc);
  const state = createStateProvider(new LocalStateFiles([fixturePath(STATE_NAME)]));
  const logs: string[] = [];
  const logger = {
    info: (m: string, f?: object) => void logs.push(`info ${m} ${JSON.stringify(f ?? {})}`),
    warn: (m: string, f?: object) => void logs.push(`warn ${m} ${JSON.stringify(f ?? {})}`),
    error: (m: string, f?: object) => void logs.push(`error ${m} ${JSON.stringify(f ?? {})}`),
  };
  const clock = { now: () => NOW };
  const detect = createDetectService({
    rules: loadRulesFromDir(),
    state,
    drifts: store,
    alerts: store,
    reverts: store,
    notifier: { notify: async () => undefined },
    events,
    config: parseConfig(undefined),
    clock,
    logger,
  });
  const published: DriftEvent[] = [];
  const backfills: { days?: number; by: string }[] = [];
  const api = createQueryApi({
    store,
    counters: store,
    state,
    events,
    detect,
    clock,
    logger,
    driftEvents: { publish: async (e) => void published.push(e) },
    startBackfill: async (request) => void backfills.push(request),
    ...over,
  });
  return { api, store, logs, published, backfills, detect };
}

interface Req {
  method?: string;
  path: string;
  query?: Record<string, string>;
  body?: string;
  base64?: boolean;
  claims?: Record<string, unknown>;
  /** An authorizer's context as API Gateway passes it (instead of JWT claims). */
  authorizer?: Record<string, unknown>;
}

function event(r: Req): APIGatewayProxyEventV2 {
  return {
    rawPath: r.path,
    queryStringParameters: r.query,
    requestContext: {
      http: { method: r.method ?? 'GET' },
      ...(r.claims ? { authorizer: { jwt: { claims: r.claims } } } : {}),
      ...(r.authorizer ? { authorizer: r.authorizer } : {}),
    },
    headers: {},
    body: r.body,
    isBase64Encoded: r.base64 ?? false,
  } as unknown as APIGatewayProxyEventV2;
}

const bodyOf = (result: ApiResult) => JSON.parse(result.body);
const errorOf = (result: ApiResult) => [
  result.statusCode,
  bodyOf(result).error.code,
  bodyOf(result).error.message,
];

describe('routing', () => {
  it('answers 404 outside the base path and for unknown endpoints, naming them', async () => {
    const s = await site();
    expect(errorOf(await s.api(event({ path: '/other/drifts' })))).toEqual([
      404,
      'not_found',
      'no such endpoint: /other/drifts',
    ]);
    expect(errorOf(await s.api(event({ path: '/api/v1' })))).toEqual([
      404,
      'not_found',
      'no such endpoint: /api/v1',
    ]);
    expect(errorOf(await s.api(event({ method: 'delete', path: '/api/v1/summary' })))).toEqual([
      404,
      'not_found',
      'no such endpoint: DELETE /api/v1/summary',
    ]);
    expect(errorOf(await s.api(event({ path: '/api/v1/drifts/a/b/c' })))[0]).toBe(404);
    expect(errorOf(await s.api(event({ method: 'POST', path: '/api/v1/drifts' })))[0]).toBe(404);
    expect(errorOf(await s.api(event({ method: 'POST', path: '/api/v1/drifts/x/archive' })))[0]).toBe(404);
    expect(errorOf(await s.api(event({ method: 'GET', path: '/api/v1/drifts/x/resolve' })))[0]).toBe(404);
    expect(errorOf(await s.api(event({ method: 'POST', path: '/api/v1/graph' })))[0]).toBe(404);
    expect(errorOf(await s.api(event({ method: 'POST', path: '/api/v1/state' })))[0]).toBe(404);
    expect(errorOf(await s.api(event({ method: 'POST', path: '/api/v1/summary' })))[0]).toBe(404);
    expect(errorOf(await s.api(event({ method: 'PUT', path: '/api/v1/events' })))[0]).toBe(404);
    expect(errorOf(await s.api(event({ method: 'GET', path: '/api/v1/backfill' })))[0]).toBe(404);
  });

  it('cuts a long unknown path in the message', async () => {
    const s = await site();
    const long = `/x/${'a'.repeat(300)}`;
    expect(errorOf(await s.api(event({ path: long })))[2]).toBe(`no such endpoint: ${long.slice(0, 200)}`);
    const inside = `/api/v1/${'b'.repeat(300)}`;
    expect(errorOf(await s.api(event({ path: inside })))[2]).toBe(
      `no such endpoint: GET ${inside.slice(0, 200)}`,
    );
  });

  it('serves under another base path when given one', async () => {
    const s = await site({ basePath: '/v2' });
    expect((await s.api(event({ path: '/v2/summary' }))).statusCode).toBe(200);
    expect((await s.api(event({ path: '/api/v1/summary' }))).statusCode).toBe(404);
  });

  it('answers JSON that is never cached', async () => {
    const s = await site();
    const result = await s.api(event({ path: '/api/v1/summary' }));
    expect(result.headers).toEqual({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    });
  });
});

describe('reading drifts', () => {
  it('lists drifts for GET and HEAD', async () => {
    const s = await site();
    await s.store.putNew(sampleDrift(1));
    for (const method of ['GET', 'head']) {
      const result = await s.api(event({ method, path: '/api/v1/drifts' }));
      expect(result.statusCode).toBe(200);
      expect(bodyOf(result).items.map((d: { id: string }) => d.id)).toEqual(['drift-0001']);
    }
  });

  it('gives one drift with the other drifts of its resource, and 404 for an unknown id', async () => {
    const s = await site();
    await s.store.putNew(sampleDrift(1));
    await s.store.putNew(sampleDrift(4)); // same address (n % 3)
    await s.store.putNew(sampleDrift(2));
    const one = bodyOf(await s.api(event({ path: '/api/v1/drifts/drift-0001' })));
    expect(one.id).toBe('drift-0001');
    expect(one.history.map((d: { id: string }) => d.id)).toEqual(['drift-0004']);
    // An unmanaged drift is keyed by its id.
    const unmanaged = sampleDrift(7, { kind: 'unmanaged', id: 'i-lonely' });
    await s.store.putNew(unmanaged);
    expect(bodyOf(await s.api(event({ path: '/api/v1/drifts/drift-0007' }))).history).toEqual([]);
    expect(errorOf(await s.api(event({ path: '/api/v1/drifts/nope' })))).toEqual([
      404,
      'not_found',
      'no drift with id "nope"',
    ]);
    const long = 'x'.repeat(150);
    expect(errorOf(await s.api(event({ path: `/api/v1/drifts/${long}` })))[2]).toBe(
      `no drift with id "${long.slice(0, 100)}"`,
    );
  });

  it('refuses a broken id encoding, an empty id and unknown parameters', async () => {
    const s = await site();
    expect(errorOf(await s.api(event({ path: '/api/v1/drifts/%E0%A4%A' })))).toEqual([
      400,
      'bad_request',
      'drift id: invalid URL encoding',
    ]);
    expect(errorOf(await s.api(event({ path: '/api/v1/drifts/' })))).toEqual([
      400,
      'bad_request',
      'drift id: empty',
    ]);
    expect(errorOf(await s.api(event({ path: '/api/v1/drifts/d', query: { x: '1' } })))).toEqual([
      400,
      'bad_request',
      'unknown query parameter "x"',
    ]);
    for (const path of ['/api/v1/graph', '/api/v1/state', '/api/v1/summary']) {
      expect(errorOf(await s.api(event({ path, query: { q: '1' } })))[0]).toBe(400);
      expect((await s.api(event({ path }))).statusCode).toBe(200);
    }
  });

  it('gives the state files, resource count, errors and load time', async () => {
    const s = await site({ stateLoadedAt: () => '2026-03-01T09:00:00.000Z' });
    const state = bodyOf(await s.api(event({ path: '/api/v1/state' })));
    expect(state.resources).toBe(15);
    expect(state.files).toHaveLength(1);
    expect(state.errors).toEqual([]);
    expect(state.loadedAt).toBe('2026-03-01T09:00:00.000Z');
    const without = await site();
    expect(bodyOf(await without.api(event({ path: '/api/v1/state' }))).loadedAt).toBeNull();
  });

  it('gives the graph of the state with the open drifts, and the summary counts', async () => {
    const s = await site();
    await s.detect.handle([suspendEvent(1)]);
    const graph = bodyOf(await s.api(event({ path: '/api/v1/graph' })));
    expect(graph.nodes).toHaveLength(15);
    const drifted = graph.nodes.filter((n: { drift: { open: number } }) => n.drift.open > 0);
    expect(drifted.map((n: { id: string }) => n.id)).toEqual(['aws_s3_bucket_versioning.data']);
    const summary = bodyOf(await s.api(event({ path: '/api/v1/summary' })));
    expect(summary.open).toMatchObject({ high: 1, medium: 0 });
  });

  it('lists recent processed events, 100 by default and as many as asked from 1 to 1000', async () => {
    const s = await site();
    await s.detect.handle([suspendEvent(1), suspendEvent(2), suspendEvent(3)]);
    expect(bodyOf(await s.api(event({ path: '/api/v1/events' }))).items).toHaveLength(3);
    expect(bodyOf(await s.api(event({ path: '/api/v1/events', query: { limit: '2' } }))).items).toHaveLength(
      2,
    );
    expect(errorOf(await s.api(event({ path: '/api/v1/events', query: { limit: '0' } })))).toEqual([
      400,
      'bad_request',
      'limit: must be a whole number from 1 to 1000',
    ]);
    expect(errorOf(await s.api(event({ path: '/api/v1/events', query: { limit: '1001' } })))[0]).toBe(400);
    expect(errorOf(await s.api(event({ path: '/api/v1/events', query: { since: '1' } })))[2]).toBe(
      'unknown query parameter "since" (known: limit)',
    );
  });
});

describe('acknowledging and resolving', () => {
  const ack = (id: string, body?: unknown, claims?: Record<string, unknown>) =>
    event({
      method: 'post',
      path: `/api/v1/drifts/${id}/acknowledge`,
      body: body === undefined ? undefined : JSON.stringify(body),
      claims,
    });

  it('records who and why from the body locally, anonymous without one', async () => {
    const s = await site();
    await s.store.putNew(sampleDrift(1));
    await s.store.putNew(sampleDrift(2));
    const first = bodyOf(await s.api(ack('drift-0001', { by: 'carol', comment: 'on it' })));
    expect(first).toMatchObject({
      status: 'acknowledged',
      statusChangedBy: 'carol',
      statusComment: 'on it',
      statusChangedAt: NOW.toISOString(),
    });
    const second = bodyOf(await s.api(event({ method: 'POST', path: '/api/v1/drifts/drift-0002/resolve' })));
    expect(second).toMatchObject({ status: 'resolved', statusChangedBy: 'anonymous' });
    expect(second.statusComment).toBeUndefined();
    const empty = await site();
    await empty.store.putNew(sampleDrift(3));
    const blank = bodyOf(await empty.api(ack('drift-0003', { comment: '' })));
    expect(blank.statusComment).toBeUndefined();
  });

  it('records a signed-in user from the token, never from the body', async () => {
    const s = await site();
    for (let n = 1; n <= 6; n++) await s.store.putNew(sampleDrift(n));
    const by = async (n: number, claims: Record<string, unknown>) =>
      bodyOf(await s.api(ack(`drift-000${n}`, { by: 'mallory' }, claims))).statusChangedBy;
    expect(await by(1, { email: 'ann@example.com', 'cognito:username': 'ann', sub: 's-1' })).toBe(
      'ann@example.com',
    );
    expect(await by(2, { email: '', 'cognito:username': 'bob', username: 'b', sub: 's-2' })).toBe('bob');
    expect(await by(3, { username: 'cy', sub: 's-3' })).toBe('cy');
    expect(await by(4, { email: 42, sub: 's-4' })).toBe('s-4');
    expect(await by(5, {})).toBe('unknown user');
    expect(await by(6, { email: 'e'.repeat(250) })).toBe('e'.repeat(200));
  });

  it('refuses a body that is not an object with by and comment of bounded length', async () => {
    const s = await site();
    await s.store.putNew(sampleDrift(1));
    const refused = async (body: unknown) => errorOf(await s.api(ack('drift-0001', body)));
    expect(await refused([1])).toEqual([400, 'bad_request', 'body: must be an object {"by"?, "comment"?}']);
    expect(await refused('text')).toEqual([
      400,
      'bad_request',
      'body: must be an object {"by"?, "comment"?}',
    ]);
    expect(await refused(null)).toEqual([400, 'bad_request', 'body: must be an object {"by"?, "comment"?}']);
    expect(await refused({ by: 'a', [`x${'y'.repeat(60)}`]: 1 })).toEqual([
      400,
      'bad_request',
      `body: unknown field "x${'y'.repeat(39)}" (known: by, comment)`,
    ]);
    expect(await refused({ by: 7 })).toEqual([
      400,
      'bad_request',
      'by: must be a string of at most 200 characters',
    ]);
    expect(await refused({ by: 'b'.repeat(201) })).toEqual([
      400,
      'bad_request',
      'by: must be a string of at most 200 characters',
    ]);
    expect(await refused({ comment: 7 })).toEqual([
      400,
      'bad_request',
      'comment: must be a string of at most 2000 characters',
    ]);
    expect(await refused({ comment: 'c'.repeat(2001) })).toEqual([
      400,
      'bad_request',
      'comment: must be a string of at most 2000 characters',
    ]);
    expect(
      errorOf(
        await s.api(event({ method: 'POST', path: '/api/v1/drifts/drift-0001/resolve', body: '{' })),
      )[2],
    ).toMatch(/^request body is not valid JSON: /);
    expect((await s.store.get('drift-0001'))?.status).toBe('open');
    // At the limits: accepted.
    const ok = bodyOf(await s.api(ack('drift-0001', { by: 'b'.repeat(200), comment: 'c'.repeat(2000) })));
    expect([ok.statusChangedBy.length, ok.statusComment.length]).toEqual([200, 2000]);
  });

  it('answers 404 for an unknown drift and refuses parameters', async () => {
    const s = await site();
    expect(errorOf(await s.api(ack('ghost', { by: 'x' })))).toEqual([
      404,
      'not_found',
      'no drift with id "ghost"',
    ]);
    await s.store.putNew(sampleDrift(1));
    expect(
      errorOf(
        await s.api(event({ method: 'POST', path: '/api/v1/drifts/drift-0001/resolve', query: { a: 'b' } })),
      )[0],
    ).toBe(400);
  });

  it('announces a change of status once, with the previous status, and logs a publisher that fails', async () => {
    const s = await site({ dashboardUrl: () => 'https://d.example' });
    await s.store.putNew(sampleDrift(1));
    await s.api(ack('drift-0001', { by: 'carol' }));
    await s.api(ack('drift-0001', { by: 'carol' }));
    expect(s.published.map((e) => e.detail.statusChange)).toEqual([
      { previous: 'open', status: 'acknowledged', by: 'carol', at: NOW.toISOString() },
    ]);
    expect(s.published[0].detail.url).toBe('https://d.example/#drift=drift-0001');
    const noUrl = await site({ dashboardUrl: () => '' });
    await noUrl.store.putNew(sampleDrift(1));
    await noUrl.api(ack('drift-0001', {}));
    expect(noUrl.published[0].detail.url).toBeUndefined();

    const failing = await site({
      driftEvents: {
        publish: async () => {
          throw new Error('bus down');
        },
      },
    });
    await failing.store.putNew(sampleDrift(1));
    const result = await failing.api(ack('drift-0001', { by: 'x' }));
    expect(result.statusCode).toBe(200);
    expect(failing.logs).toContain(
      'error drift event not published {"driftId":"drift-0001","error":"bus down"}',
    );
  });

  it('changes the status without announcing it when nobody listens', async () => {
    const s = await site({ driftEvents: undefined });
    await s.store.putNew(sampleDrift(1));
    expect(bodyOf(await s.api(ack('drift-0001', { by: 'z' }))).status).toBe('acknowledged');
    expect(s.published).toEqual([]);
    expect(s.logs.filter((l) => l.startsWith('error'))).toEqual([]);
  });
});

describe('POST /events', () => {
  const post = (body: string | undefined, extra: Partial<Req> = {}) =>
    event({ method: 'POST', path: '/api/v1/events', body, ...extra });

  it('feeds the detector and answers what it made of the events', async () => {
    const s = await site();
    const result = await s.api(post(JSON.stringify(suspendEvent(1))));
    expect(result.statusCode).toBe(200);
    expect(bodyOf(result)).toMatchObject({ processed: 1, created: 1 });
    const b64 = await s.api(
      post(Buffer.from(JSON.stringify(suspendEvent(2))).toString('base64'), { base64: true }),
    );
    expect(bodyOf(b64)).toMatchObject({ processed: 1, created: 1 });
  });

  it('refuses an empty body, invalid JSON and a body with no CloudTrail record, naming the first problem', async () => {
    const s = await site();
    expect(errorOf(await s.api(post(undefined)))).toEqual([
      400,
      'bad_request',
      'request body is empty: send JSON',
    ]);
    expect(errorOf(await s.api(post('  \n')))).toEqual([
      400,
      'bad_request',
      'request body is empty: send JSON',
    ]);
    expect(errorOf(await s.api(post('{"a":')))[2]).toMatch(/^request body is not valid JSON: \S/);
    const none = errorOf(await s.api(post('[]')));
    expect(none[2]).toBe(
      'no CloudTrail record in the body (send a record, {"Records": [...]}, an EventBridge event or an array)',
    );
    const bad = errorOf(await s.api(post('{"hello": 1}')));
    expect(bad[2]).toMatch(
      /^no CloudTrail record in the body \(send a record, \{"Records": \[\.\.\.\]\}, an EventBridge event or an array\): \S/,
    );
    expect(errorOf(await s.api(post('{}', { query: { x: '1' } })))[0]).toBe(400);
  });

  it('refuses a caller the deployment refuses, and answers 400 without a detector', async () => {
    const refusing = await site({ refuseEventPost: () => 'POST /events is limited to the admin group' });
    expect(errorOf(await refusing.api(post(JSON.stringify(suspendEvent(1)))))).toEqual([
      403,
      'forbidden',
      'POST /events is limited to the admin group',
    ]);
    const allowing = await site({ refuseEventPost: () => undefined });
    expect((await allowing.api(post(JSON.stringify(suspendEvent(1))))).statusCode).toBe(200);
    const noDetect = await site({ detect: undefined });
    expect(errorOf(await noDetect.api(post('{}')))).toEqual([
      400,
      'bad_request',
      'this deployment does not accept events over HTTP',
    ]);
  });

  it('refuses a body over the limit, naming its size and the limit', async () => {
    const s = await site({ maxBodyBytes: 10 });
    expect(errorOf(await s.api(post('{"a":"12345"}')))).toEqual([
      413,
      'payload_too_large',
      'request body is 13 bytes; the limit is 10',
    ]);
    expect(errorOf(await s.api(post('{"a":"12"}')))[0]).toBe(400); // 10 bytes: read (and not a record)
    expect(
      errorOf(await s.api(post(Buffer.from('{"a":"12345"}').toString('base64'), { base64: true })))[0],
    ).toBe(413);
  });
});

describe('POST /backfill', () => {
  const backfill = (body: string | undefined, claims?: Record<string, unknown>) =>
    event({ method: 'POST', path: '/api/v1/backfill', body, claims });

  it('starts a backfill with the days asked for, or the default, and says who started it', async () => {
    const s = await site();
    const result = await s.api(backfill(JSON.stringify({ days: 90 })));
    expect([result.statusCode, bodyOf(result)]).toEqual([202, { started: true, days: 90 }]);
    const fallback = await s.api(backfill(undefined, { email: 'ann@example.com' }));
    expect([fallback.statusCode, bodyOf(fallback)]).toEqual([202, { started: true }]);
    await s.api(backfill('{"days": 1}'));
    expect(s.backfills).toEqual([
      { days: 90, by: 'the local operator' },
      { days: undefined, by: 'ann@example.com' },
      { days: 1, by: 'the local operator' },
    ]);
    expect(s.logs).toContain('info backfill started {"days":90,"by":"the local operator"}');
  });

  it('refuses a window CloudTrail does not keep and bodies of the wrong shape, starting nothing', async () => {
    const s = await site();
    const days = 'days: must be a whole number from 1 to 90 (CloudTrail keeps 90 days of event history)';
    for (const value of [0, 91, 1.5, '3', null]) {
      expect(errorOf(await s.api(backfill(JSON.stringify({ days: value }))))).toEqual([
        400,
        'bad_request',
        days,
      ]);
    }
    expect(errorOf(await s.api(backfill('[1]')))).toEqual([
      400,
      'bad_request',
      'body: must be an object {"days"?}',
    ]);
    expect(errorOf(await s.api(backfill('7')))).toEqual([
      400,
      'bad_request',
      'body: must be an object {"days"?}',
    ]);
    expect(errorOf(await s.api(backfill('null')))).toEqual([
      400,
      'bad_request',
      'body: must be an object {"days"?}',
    ]);
    expect(errorOf(await s.api(backfill(JSON.stringify({ days: 3, [`w${'z'.repeat(50)}`]: 1 }))))).toEqual([
      400,
      'bad_request',
      `body: unknown field "w${'z'.repeat(39)}" (known: days)`,
    ]);
    expect(errorOf(await s.api(backfill('{')))[2]).toMatch(/^request body is not valid JSON/);
    expect(s.backfills).toEqual([]);
  });

  it('refuses who may not post events, and answers 400 where backfills do not run', async () => {
    const refusing = await site({ refuseEventPost: () => 'POST /events is limited to the admin group' });
    expect(errorOf(await refusing.api(backfill('{}')))).toEqual([
      403,
      'forbidden',
      'POST /backfill is limited to the admin group',
    ]);
    const none = await site({ startBackfill: undefined });
    expect(errorOf(await none.api(backfill('{}')))).toEqual([
      400,
      'bad_request',
      'this deployment does not run backfills',
    ]);
    expect(refusing.backfills).toEqual([]);
  });
});

describe('errors', () => {
  it('answers 400 for input errors and 500 for anything else, logging the path', async () => {
    const s = await site({
      counters: {
        summary: async () => {
          throw new InputError('bad summary input');
        },
      } as never,
      events: {
        record: async () => undefined,
        recent: async () => {
          throw new Error('disk on fire');
        },
      },
    });
    expect(errorOf(await s.api(event({ path: '/api/v1/summary' })))).toEqual([
      400,
      'bad_request',
      'bad summary input',
    ]);
    expect(errorOf(await s.api(event({ path: '/api/v1/events' })))).toEqual([
      500,
      'internal',
      'internal error (see the server log)',
    ]);
    const logged = s.logs.find((l) => l.startsWith('error request failed'));
    expect(logged).toContain('"path":"/api/v1/events"');
    expect(logged).toContain('disk on fire');
    expect(logged).toContain('\\n    at '); // with its stack
  });

  it('logs a thrown value that is not an Error as it is', async () => {
    const s = await site({
      counters: {
        summary: async () => {
          throw 'summary table throttled';
        },
      } as never,
    });
    expect(errorOf(await s.api(event({ path: '/api/v1/summary' })))[0]).toBe(500);
    expect(s.logs).toContain(
      'error request failed {"path":"/api/v1/summary","error":"summary table throttled"}',
    );
  });
});

describe('routes that name a drift', () => {
  it('read and change a drift only through its own paths and methods', async () => {
    const s = await site();
    await s.store.putNew(sampleDrift(1));
    for (const [method, path] of [
      ['GET', '/api/v1/drifts/drift-0001/resolve'],
      ['GET', '/api/v1/drifts/drift-0001/acknowledge'],
      ['POST', '/api/v1/drifts/drift-0001'],
      ['POST', '/api/v1/drifts/drift-0001/archive'],
      ['POST', '/api/v1/drifts/drift-0001/resolve/now'],
      ['POST', '/api/v1/events/drift-0001/resolve'],
      ['GET', '/api/v1/state/drift-0001'],
    ]) {
      expect(errorOf(await s.api(event({ method, path })))).toEqual([
        404,
        'not_found',
        `no such endpoint: ${method} ${path}`,
      ]);
    }
    expect((await s.store.get('drift-0001'))?.status).toBe('open');
    // Its own paths: read it, then resolve it.
    expect(bodyOf(await s.api(event({ path: '/api/v1/drifts/drift-0001' }))).id).toBe('drift-0001');
    const resolved = await s.api(event({ method: 'POST', path: '/api/v1/drifts/drift-0001/resolve' }));
    expect(bodyOf(resolved).status).toBe('resolved');
  });

  it('give the history of a resource by its address, across a replaced instance', async () => {
    const s = await site();
    await s.store.putNew(sampleDrift(1)); // module.app.aws_instance.web[1], i-0abc1
    await s.store.putNew(sampleDrift(4, { id: 'i-0replaced' })); // the same address, a new instance
    await s.store.putNew(sampleDrift(7, { address: 'module.app.aws_instance.other', id: 'i-0abc1' }));
    const one = bodyOf(await s.api(event({ path: '/api/v1/drifts/drift-0001' })));
    expect(one.history.map((d: { id: string }) => d.id)).toEqual(['drift-0004']);
    // A drift with neither address nor resource id has no history.
    const anonymous = sampleDrift(9, { kind: 'unmanaged' });
    await s.store.putNew({ ...anonymous, resource: { ...anonymous.resource, id: null } });
    expect(bodyOf(await s.api(event({ path: '/api/v1/drifts/drift-0009' }))).history).toEqual([]);
  });

  it('cut a long unknown id in the message of a status change', async () => {
    const s = await site();
    const long = 'y'.repeat(150);
    expect(errorOf(await s.api(event({ method: 'POST', path: `/api/v1/drifts/${long}/resolve` })))).toEqual([
      404,
      'not_found',
      `no drift with id "${long.slice(0, 100)}"`,
    ]);
  });

  it('record the body’s name under an authorizer that carries no JWT (IAM)', async () => {
    const s = await site();
    await s.store.putNew(sampleDrift(1));
    const result = await s.api(
      event({
        method: 'POST',
        path: '/api/v1/drifts/drift-0001/acknowledge',
        body: JSON.stringify({ by: 'carol' }),
        authorizer: { iam: { userArn: 'arn:aws:iam::123456789012:user/carol' } },
      }),
    );
    expect([result.statusCode, bodyOf(result).statusChangedBy]).toEqual([200, 'carol']);
  });
});

describe('the admin group from the token', () => {
  it('reads the groups claim as HTTP APIs, REST authorizers and JSON arrays pass it', () => {
    // Cognito group names may hold brackets: only the list's own are taken off.
    expect(claimGroups({ 'cognito:groups': '[ops[eu] tfdrift-admins]' })).toEqual([
      'ops[eu]',
      'tfdrift-admins',
    ]);
    expect(claimGroups({ 'cognito:groups': '[admins[1]]' })).toEqual(['admins[1]']);
    expect(claimGroups({ 'cognito:groups': ' ops,  tfdrift-admins ' })).toEqual(['ops', 'tfdrift-admins']);
    expect(claimGroups({ 'cognito:groups': '[]' })).toEqual([]);
    expect(claimGroups({ 'cognito:groups': ['ops', 7, null, 'tfdrift-admins'] })).toEqual([
      'ops',
      'tfdrift-admins',
    ]);
  });

  it('lets a member of an admin group with brackets in its name post events, and nobody else', async () => {
    const s = await site({ refuseEventPost: adminGroupOnly('ops[eu]') });
    const post = (groups: string) =>
      s.api(
        event({
          method: 'POST',
          path: '/api/v1/events',
          body: JSON.stringify(suspendEvent(1)),
          claims: { email: 'ann@example.com', 'cognito:groups': groups },
        }),
      );
    expect((await post('[ops[eu] viewers]')).statusCode).toBe(200);
    expect(errorOf(await post('[ops viewers]'))).toEqual([
      403,
      'forbidden',
      'POST /events is limited to the admin group',
    ]);
  });
});

describe('POST /backfill body edges', () => {
  it('takes a body of only white space as no body: the default window', async () => {
    const s = await site();
    const result = await s.api(event({ method: 'POST', path: '/api/v1/backfill', body: ' \n\t' }));
    expect([result.statusCode, bodyOf(result)]).toEqual([202, { started: true }]);
    expect(s.backfills).toEqual([{ days: undefined, by: 'the local operator' }]);
    const refused = await s.api(event({ method: 'POST', path: '/api/v1/backfill', body: 'true' }));
    expect(errorOf(refused)).toEqual([400, 'bad_request', 'body: must be an object {"days"?}']);
  });
});
