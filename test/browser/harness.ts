// Shared by the browser test and the screenshot script: build the dashboard, start the real
// local server on a free port, launch headless Chromium, and record CSP violations and errors.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { startServer } from '../../lambdas/local/server.js';
import { buildWeb } from '../../web/build.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/browser/', import.meta.url));

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The sizes the issue asks for: desktop, tablet and phone (the phone has a layout of its own). */
export const SIZES = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'tablet', width: 1024, height: 768 },
  { name: 'phone', width: 390, height: 844 },
] as const;
export type Size = (typeof SIZES)[number];

export type CloudTrailRecord = Record<string, unknown>;

export async function readFixture(name: string): Promise<CloudTrailRecord> {
  return JSON.parse(await readFile(join(FIXTURES, name), 'utf8'));
}

export interface Dashboard {
  readonly url: string;
  readonly browser: Browser;
  /** CSP violations and page errors seen so far, on any page opened with newPage(). */
  readonly problems: string[];
  newPage(options?: { width?: number; height?: number; colorScheme?: 'light' | 'dark' }): Promise<Page>;
  postEvents(body: unknown): Promise<{ findings: { id: string }[] }>;
  api<T>(path: string): Promise<T>;
  close(): Promise<void>;
}

export interface DashboardOptions {
  readonly statePaths: readonly string[];
  readonly eventPaths?: readonly string[];
  readonly demo?: boolean;
  /** Require this bearer token on the API and the WebSocket. */
  readonly token?: string;
  /** Reuse a browser (one Chromium for several servers). */
  readonly browser?: Browser;
  /** Serve this already built dashboard (see buildDashboard) instead of building one for this server. */
  readonly webRoot?: string;
}

/** Builds the dashboard once into a temporary folder, for several servers to share. */
export async function buildDashboard(): Promise<{ webRoot: string; remove(): Promise<void> }> {
  const webRoot = await mkdtemp(join(tmpdir(), 'tfdrift-web-'));
  await buildWeb({ outDir: webRoot });
  return { webRoot, remove: () => rm(webRoot, { recursive: true, force: true }) };
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const ownWebRoot = !options.webRoot;
  const webRoot = options.webRoot ?? (await buildDashboard()).webRoot;
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: null,
    statePaths: options.statePaths,
    eventPaths: options.eventPaths ?? [],
    demo: options.demo,
    token: options.token,
    webRoot,
    alertsOut: { write: () => true } as unknown as NodeJS.WritableStream,
    logger: { info() {}, warn() {}, error() {} },
  });
  await server.eventsReady;
  const ownBrowser = !options.browser;
  const browser =
    options.browser ?? (await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS }));
  const auth: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  const problems: string[] = [];

  return {
    url: server.url,
    browser,
    problems,
    async newPage({ width = 1440, height = 900, colorScheme = 'light' } = {}) {
      const page = await browser.newPage({ viewport: { width, height }, colorScheme });
      // TFDRIFT_BROWSER_SLOWDOWN=30: pages run 30 times slower (Chromium's CPU throttling), to find
      // the tests that read the page before it has drawn what they read, as a loaded CI runner does.
      const slowdown = Number(process.env.TFDRIFT_BROWSER_SLOWDOWN ?? 1);
      if (slowdown > 1) {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Emulation.setCPUThrottlingRate', { rate: slowdown });
      }
      await page.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) => {
          console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
        });
      });
      page.on('console', (message) => {
        const text = message.text();
        if (message.type() === 'error' || /Content.Security.Policy/i.test(text)) problems.push(text);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      return page;
    },
    async postEvents(body) {
      const response = await fetch(`${server.url}/api/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`POST /events: HTTP ${response.status} ${await response.text()}`);
      return response.json();
    },
    async api(path) {
      const response = await fetch(`${server.url}/api/v1${path}`, { headers: auth });
      if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
      return response.json();
    },
    async close() {
      if (ownBrowser) await browser.close();
      await server.close();
      if (ownWebRoot) await rm(webRoot, { recursive: true, force: true });
    },
  };
}
