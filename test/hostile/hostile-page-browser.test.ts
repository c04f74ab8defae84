// A hostile page in real Chromium: served from another origin on the same machine, its script sends
// the no-preflight text/plain POST, the cross-origin resolve and the WebSocket a browser allows any
// page. The tfdrift server refuses all three; a page on the server's own origin does the same
// things and succeeds (the control, so a page that cannot reach the server at all fails the test).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Drift } from '../../lambdas/core/types.js';
import { type RunningServer, startServer } from '../../lambdas/local/server.js';
import { CHROMIUM_ARGS } from '../browser/harness.js';
import { fixturePath, STATE_NAME, suspendEvent } from '../support/hostile-fixtures.js';

let tfdrift: RunningServer;
let evil: Server;
let evilUrl: string;
let browser: Browser;

beforeAll(async () => {
  tfdrift = await startServer({
    port: 0,
    dataDir: null,
    statePaths: [fixturePath(STATE_NAME)],
    logger: { info() {}, warn() {}, error() {} },
    alertsOut: { write: () => true } as never,
  });
  // Another origin (another port on the same loopback address): any page the user happens to open.
  evil = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>cute cats</title>');
  });
  await new Promise<void>((ok) => evil.listen(0, '127.0.0.1', ok));
  evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((ok) => evil?.close(ok));
  await tfdrift?.close();
});

interface PageOutcome {
  wsOpened: boolean;
  wsMessages: string[];
}

/** On a page at `pageUrl`, what a page script can do to the server at `target`. */
async function attackFrom(
  pageUrl: string,
  target: string,
  eventN: number,
  resolveId: string,
): Promise<PageOutcome> {
  const page = await browser.newPage();
  try {
    await page.goto(pageUrl);
    return await page.evaluate(
      async ({ target, record, resolveId }) => {
        // no-cors: the browser sends it without a preflight and hides the answer; the harm is in the sending.
        await fetch(`${target}/api/v1/events`, {
          method: 'POST',
          mode: 'no-cors',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify(record),
        }).catch(() => undefined);
        await fetch(`${target}/api/v1/drifts/${resolveId}/resolve`, {
          method: 'POST',
          mode: 'no-cors',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ by: 'mallory' }),
        }).catch(() => undefined);
        return new Promise<{ wsOpened: boolean; wsMessages: string[] }>((resolve) => {
          const outcome = { wsOpened: false, wsMessages: [] as string[] };
          const ws = new WebSocket(`${target.replace('http', 'ws')}/ws`);
          ws.onopen = () => {
            outcome.wsOpened = true;
          };
          ws.onmessage = (m) => {
            outcome.wsMessages.push(String(m.data));
            ws.close();
          };
          ws.onclose = () => resolve(outcome);
        });
      },
      { target, record: suspendEvent(eventN), resolveId },
    );
  } finally {
    await page.close();
  }
}

async function drifts(): Promise<Drift[]> {
  const res = await fetch(`${tfdrift.url}/api/v1/drifts?limit=500`);
  return ((await res.json()) as { items: Drift[] }).items;
}

async function openDrift(n: number): Promise<string> {
  const res = await fetch(`${tfdrift.url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(suspendEvent(n)),
  });
  return ((await res.json()) as { findings: { id: string }[] }).findings[0].id;
}

describe('a hostile page in Chromium', () => {
  it('forges no drift, resolves none and opens no live feed', async () => {
    const victim = await openDrift(310);
    const outcome = await attackFrom(evilUrl, tfdrift.url, 300, victim);
    expect(outcome).toEqual({ wsOpened: false, wsMessages: [] });
    const stored = await drifts();
    expect(stored.map((d) => d.event.id)).not.toContain(suspendEvent(300).eventID);
    expect(stored.find((d) => d.id === victim)?.status).toBe('open');
  });

  it('while a page on the server’s own origin can do all three (text/plain aside, which is refused everywhere)', async () => {
    const victim = await openDrift(311);
    const own = await attackFrom(`${tfdrift.url}/config.json`, tfdrift.url, 301, victim);
    expect(own.wsOpened).toBe(true);
    expect(JSON.parse(own.wsMessages[0]).type).toBe('hello');
    // The same writes as JSON, from the own origin, go through.
    const page = await browser.newPage();
    try {
      await page.goto(`${tfdrift.url}/config.json`);
      const statuses = await page.evaluate(
        async ({ record, victim }) => {
          const post = (path: string, body: unknown) =>
            fetch(path, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(body),
            }).then((r) => r.status);
          return [
            await post('/api/v1/events', record),
            await post(`/api/v1/drifts/${victim}/resolve`, { by: 'alice' }),
          ];
        },
        { record: suspendEvent(301), victim },
      );
      expect(statuses).toEqual([200, 200]);
    } finally {
      await page.close();
    }
    const stored = await drifts();
    expect(stored.map((d) => d.event.id)).toContain(suspendEvent(301).eventID);
    expect(stored.find((d) => d.id === victim)).toMatchObject({
      status: 'resolved',
      statusChangedBy: 'alice',
    });
  });
});
