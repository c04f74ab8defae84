// The admin's backfill control (docs/deploy.md, "Drift from before the install") in real headless
// Chromium. The dashboard is the AWS one (config.json names a Cognito pool, the tab holds an ID
// token); the drift API is the real local server. `POST /api/v1/backfill` exists only in AWS, so
// the page's requests to it go to the real query API service (lambdas/services/query-api.ts) the
// query Lambda runs, with the token's claims passed as API Gateway's JWT authorizer passes them and
// the backfill function's start recorded.

import { join } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminGroupOnly, createQueryApi, type QueryApiDeps } from '../../lambdas/services/query-api.js';
import { ADMIN_GROUP } from '../../lib/tfdrift-stack.js';
import { type Dashboard, FIXTURES, SIZES, startDashboard } from './harness.js';

let dashboard: Dashboard;

const COGNITO_CONFIG = {
  apiBase: '/api/v1',
  wsUrl: '/ws',
  auth: {
    type: 'cognito',
    userPoolId: 'eu-west-1_example',
    clientId: 'exampleclient',
    domain: 'example.auth.eu-west-1.amazoncognito.com',
    region: 'eu-west-1',
    adminGroup: ADMIN_GROUP,
  },
};

/** An unexpired Cognito-shaped ID token (what the hosted-UI sign-in leaves in sessionStorage). */
function idToken(groups: readonly string[] | undefined): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const claims = {
    email: 'sam@example.com',
    'cognito:username': 'sam',
    ...(groups ? { 'cognito:groups': groups } : {}),
    exp: Math.floor(Date.now() / 1000) + 3600,
  };
  return `${b64({ alg: 'RS256', typ: 'JWT' })}.${b64(claims)}.c2lnbmF0dXJl`;
}

interface BackfillDeployment {
  /** The deployment's admin group (`ADMIN_GROUP`), or none configured. */
  readonly adminGroup: string | undefined;
  /** The backfill function's async invoke; it rejects when the invoke fails. */
  readonly startBackfill?: QueryApiDeps['startBackfill'];
}

interface SentRequest {
  readonly authorization: string | undefined;
  readonly body: string | null;
}

/**
 * Answers the page's POST /backfill with the query API service of a deployment: API Gateway's
 * part (the verified token's claims, array claims as one "[a b]" string) and then the service.
 */
async function routeBackfill(page: Page, deployment: BackfillDeployment): Promise<SentRequest[]> {
  const sent: SentRequest[] = [];
  // The backfill route reads only these of the service's dependencies.
  const deps: Pick<QueryApiDeps, 'refuseEventPost' | 'startBackfill' | 'logger'> = {
    refuseEventPost: adminGroupOnly(deployment.adminGroup),
    startBackfill: deployment.startBackfill,
    logger: { info() {}, warn() {}, error() {} },
  };
  const service = createQueryApi(deps as QueryApiDeps);
  await page.route('**/api/v1/backfill', async (route: Route) => {
    const request = route.request();
    const authorization = request.headers().authorization;
    sent.push({ authorization, body: request.postData() });
    const token = authorization?.replace(/^Bearer /, '') ?? '';
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}');
    const groups = claims['cognito:groups'];
    if (Array.isArray(groups)) claims['cognito:groups'] = `[${groups.join(' ')}]`;
    const event = {
      rawPath: new URL(request.url()).pathname,
      headers: request.headers(),
      body: request.postData() ?? undefined,
      isBase64Encoded: false,
      requestContext: { http: { method: request.method() }, authorizer: { jwt: { claims } } },
    } as unknown as APIGatewayProxyEventV2;
    const result = await service(event);
    await route.fulfill({ status: result.statusCode, contentType: 'application/json', body: result.body });
  });
  return sent;
}

/** The dashboard as CloudFront serves it, signed in with `token`, once its table has loaded. */
async function openSignedIn(
  token: string,
  deployment: BackfillDeployment,
  size: { width: number; height: number } = SIZES[0],
  config: object = COGNITO_CONFIG,
) {
  const page = await dashboard.newPage(size);
  await page.route('**/config.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: JSON.stringify(config) }),
  );
  await page.addInitScript((value) => sessionStorage.setItem('tfdrift.token', value), token);
  const sent = await routeBackfill(page, deployment);
  await page.goto(`${dashboard.url}/`);
  await page.locator('[data-testid=sign-out]').waitFor();
  await page.locator('[data-testid=pager-info]').waitFor();
  return { page, sent };
}

beforeAll(async () => {
  dashboard = await startDashboard({ statePaths: [join(FIXTURES, 'tfdrift-falco-detector.tfstate')] });
}, 60_000);

afterAll(async () => {
  const problems = [...(dashboard?.problems ?? [])];
  await dashboard?.close();
  // No CSP violation and no page error in the file (the refused requests are answered, not thrown).
  expect(problems.filter((text) => !/status of (403|500|400)/.test(text))).toEqual([]);
});

describe('backfill control', () => {
  it('an admin chooses the days, confirms, and the request carries the bearer token and days', async () => {
    const started: { days?: number; by: string }[] = [];
    const token = idToken(['ops', ADMIN_GROUP]);
    const { page, sent } = await openSignedIn(token, {
      adminGroup: ADMIN_GROUP,
      startBackfill: async (request) => {
        started.push(request);
      },
    });
    await page.locator('[data-testid=backfill-open]').click();
    const days = page.locator('[data-testid=backfill-days]');
    expect(await days.inputValue()).toBe('7');
    // Outside 1–90 (CloudTrail keeps 90 days): nothing to start.
    const startButton = page.locator('[data-testid=backfill-start]');
    for (const wrong of ['0', '91', '']) {
      await days.fill(wrong);
      expect(await startButton.isDisabled()).toBe(true);
    }
    expect(sent).toEqual([]);
    await days.fill('30');
    expect(await startButton.textContent()).toBe('Start backfill of 30 days');
    await startButton.click();
    await expect
      .poll(() => page.locator('[data-testid=backfill-result]').textContent())
      .toBe('Backfill of 30 days started. The summary mail follows when it is done.');
    expect(sent).toEqual([{ authorization: `Bearer ${token}`, body: '{"days":30}' }]);
    expect(started).toEqual([{ days: 30, by: 'sam@example.com' }]);
    expect(await page.locator('[data-testid=backfill-error]').count()).toBe(0);
    // Started once: the dialog offers only to close.
    expect(await startButton.count()).toBe(0);
    await page.getByRole('button', { name: 'Close' }).click();
    expect(await page.locator('[data-testid=backfill-dialog]').count()).toBe(0);
    await page.close();
  });

  it('is not shown to a signed-in user outside the admin group, where config.json names none, nor locally', async () => {
    for (const groups of [undefined, ['ops', `${ADMIN_GROUP}-readonly`]]) {
      const { page, sent } = await openSignedIn(idToken(groups), { adminGroup: ADMIN_GROUP });
      expect(await page.locator('[data-testid=sign-out]').count()).toBe(1);
      expect(await page.locator('[data-testid=backfill-open]').count()).toBe(0);
      expect(sent).toEqual([]);
      await page.close();
    }
    // A config.json that names no admin group offers nobody the control, members of the stack's group included.
    const { auth, ...rest } = COGNITO_CONFIG;
    const { adminGroup: _none, ...withoutGroup } = auth;
    const unnamed = await openSignedIn(idToken([ADMIN_GROUP]), { adminGroup: ADMIN_GROUP }, SIZES[0], {
      ...rest,
      auth: withoutGroup,
    });
    expect(await unnamed.page.locator('[data-testid=backfill-open]').count()).toBe(0);
    await unnamed.page.close();
    // The local server has no backfill (tfdrift scan --lookup reads the history instead).
    const local = await dashboard.newPage();
    await local.goto(`${dashboard.url}/`);
    await local.locator('[data-testid=pager-info]').waitFor();
    expect(await local.locator('[data-testid=theme]').count()).toBe(1);
    expect(await local.locator('[data-testid=backfill-open]').count()).toBe(0);
    await local.close();
  }, 60_000); // four pages opened one after the other: more than 30 s on a loaded runner

  it.each(SIZES)(
    'fits the $name header beside the other controls, nothing scrolling sideways',
    async (size) => {
      const { page } = await openSignedIn(idToken([ADMIN_GROUP]), { adminGroup: ADMIN_GROUP }, size);
      // Measured as it stays: the live status's label ("Connecting…", then "Live") changes its width.
      await expect.poll(() => page.locator('[data-testid=live-status]').textContent()).toBe('Live');
      const boxes = await page.$$eval(
        '.topbar .brand, .topbar .summary-total, .topbar .summary-chip, .topbar .live, .topbar .segmented button, .topbar .theme-select, .topbar-right > button',
        (elements) =>
          elements
            .map((element) => {
              const { left, top, right, bottom, width } = element.getBoundingClientRect();
              return {
                label: element.textContent?.trim() || element.className,
                left,
                top,
                right,
                bottom,
                width,
              };
            })
            .filter((box) => box.width > 0),
      );
      expect(boxes.map((box) => box.label)).toContain('Backfill');
      for (const [i, a] of boxes.entries()) {
        expect(a.left, `${a.label} starts on screen`).toBeGreaterThanOrEqual(0);
        expect(a.right, `${a.label} ends on screen`).toBeLessThanOrEqual(size.width);
        for (const b of boxes.slice(i + 1)) {
          const overlap =
            a.left < b.right - 0.5 &&
            b.left < a.right - 0.5 &&
            a.top < b.bottom - 0.5 &&
            b.top < a.bottom - 0.5;
          expect(overlap, `${a.label} overlaps ${b.label}`).toBe(false);
        }
      }
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(
        true,
      );
      // The dialog fits too.
      await page.locator('[data-testid=backfill-open]').click();
      const dialog = await page.locator('[data-testid=backfill-dialog]').boundingBox();
      expect(dialog && dialog.x >= 0 && dialog.x + dialog.width <= size.width).toBe(true);
      await page.close();
    },
  );

  it.each([
    {
      what: 'a deployment with no admin group refuses (403)',
      deployment: { adminGroup: undefined, startBackfill: async () => {} },
      error:
        'Backfill not started: HTTP 403: POST /backfill is off in this deployment (no admin group is configured)',
    },
    {
      what: 'a failed invoke of the backfill function (500)',
      deployment: {
        adminGroup: ADMIN_GROUP,
        startBackfill: async () => {
          throw new Error('Lambda Invoke: TooManyRequestsException');
        },
      },
      error: 'Backfill not started: HTTP 500: internal error (see the server log)',
    },
  ])('shows why when $what', async ({ deployment, error }) => {
    const { page, sent } = await openSignedIn(idToken([ADMIN_GROUP]), deployment);
    await page.locator('[data-testid=backfill-open]').click();
    await page.locator('[data-testid=backfill-start]').click();
    await expect.poll(() => page.locator('[data-testid=backfill-error]').textContent()).toBe(error);
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toBe('{"days":7}');
    expect(await page.locator('[data-testid=backfill-result]').count()).toBe(0);
    // Still open, to try again or cancel.
    expect(await page.locator('[data-testid=backfill-start]').isEnabled()).toBe(true);
    await page.close();
  });
});
