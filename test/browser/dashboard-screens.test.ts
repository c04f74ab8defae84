// The dashboard at desktop (1440×900), tablet (1024×768) and phone (390×844) sizes in real headless
// Chromium against the real local server: header controls that do not overlap, no sideways
// scrolling, long resource addresses read whole, a graph readable at first fit whose drifted nodes
// say who and which event and open their drift, a graph search that does not filter the table, a
// re-fit when a group appears, keyboard order, the theme toggle. The phone has its own layout (the
// table first, the graph one tap away): there each graph point is exercised after opening the graph.
// Measured with getBoundingClientRect, not judged from pictures.
//
// One browser and one dashboard build for the file; each test opens its own page (a new browser
// context) and changes nothing the others read, so the tests pass alone and in any order.

import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Drift } from '../../lambdas/core/types.js';
import {
  buildDashboard,
  CHROMIUM_ARGS,
  type Dashboard,
  FIXTURES,
  readFixture,
  SIZES,
  type Size,
  startDashboard,
} from './harness.js';

const STATES = [
  join(FIXTURES, 'tfdrift-falco-detector.tfstate'),
  join(FIXTURES, 'inframap-repeated-modules.tfstate.json'),
];
/** The drift on a long, nested-module address (and the most severe one: the first fit shows it). */
const BASTION_SG = 'module.ec2_openvpn.module.bastion_sg.aws_security_group.this_name_prefix[0]';

/** The first-fit zoom floor (GraphView's MIN_FIT_ZOOM): no label below 8 px on screen. */
const READABLE_ZOOM = 0.75;

let dashboard: Dashboard;
let drifts: Drift[];
let graph: GraphReply;

interface GraphReply {
  readonly nodes: { id: string; stateFile: string | null; module: string | null; drift: { open: number } }[];
  readonly edges: { source: string; target: string }[];
}

function bastionDrift(): Drift {
  const drift = drifts.find((d) => d.resource.address === BASTION_SG);
  if (!drift) throw new Error('fixture drift missing');
  return drift;
}

interface Box {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

const intersects = (a: Box, b: Box) =>
  a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;

async function open(size: { width: number; height: number }, hash = ''): Promise<Page> {
  const page = await dashboard.newPage(size);
  await page.goto(`${dashboard.url}/${hash}`);
  await settled(page);
  return page;
}

/**
 * Until the page shows all it is going to: the header's counts and live status, every row of the
 * table and, where the graph is on screen, its first fit, its edges and who changed each drifted
 * node. They come from separate requests and React Flow draws in passes (nodes, then after
 * measuring them the fit and the edges), so the first row or node drawn says nothing of the rest.
 * Seeded servers (startSeeded) all show the same.
 */
async function settled(page: Page) {
  await page.waitForFunction(
    ({ rows, edges, drifted }) => {
      const text = (selector: string) => document.querySelector(selector)?.textContent;
      if (!document.querySelector('.workspace')) return false;
      if (text('[data-testid=open-total]') !== String(rows) || text('[data-testid=live-status]') !== 'Live')
        return false;
      if (
        document.querySelector('.table-pane') &&
        document.querySelectorAll('tbody tr.drift-row').length !== rows
      )
        return false;
      if (!document.querySelector('.graph-pane')) return true;
      // The first fit has moved the viewport off React Flow's initial identity transform.
      const viewport = document.querySelector('.react-flow__viewport');
      if (!viewport || new DOMMatrix(getComputedStyle(viewport).transform).isIdentity) return false;
      return (
        document.querySelectorAll('.react-flow__edge').length === edges &&
        document.querySelectorAll('.react-flow__node.rf-resource.drifted [data-testid=node-last]').length ===
          drifted
      );
    },
    {
      rows: drifts.length,
      edges: graph.edges.length,
      drifted: graph.nodes.filter((node) => node.drift.open > 0).length,
    },
  );
}

/** Every visible control of the header, with its rectangle. */
function headerControls(page: Page) {
  return page.$$eval(
    '.topbar .brand, .topbar .summary-total, .topbar .summary-chip, .topbar .summary-last, .topbar .live, .topbar .segmented button, .topbar .theme-select',
    (elements) =>
      elements
        .map((element) => {
          const { left, top, right, bottom, width } = element.getBoundingClientRect();
          return { label: element.textContent?.trim() || element.className, left, top, right, bottom, width };
        })
        .filter((box) => box.width > 0),
  );
}

/** The graph's zoom, from React Flow's viewport transform. */
function graphZoom(page: Page): Promise<number> {
  return page.$eval(
    '.react-flow__viewport',
    (element) => new DOMMatrix(getComputedStyle(element).transform).a,
  );
}

/**
 * Until the graph's first fit has run (the viewport moved off React Flow's initial identity
 * transform, which can show a node inside the pane before the fit) and a resource node is on screen
 * inside the pane.
 */
async function waitForGraphInView(page: Page) {
  await page.waitForFunction(() => {
    const pane = document.querySelector('.graph-pane')?.getBoundingClientRect();
    const viewport = document.querySelector('.react-flow__viewport');
    if (!pane || !viewport || new DOMMatrix(getComputedStyle(viewport).transform).isIdentity) return false;
    return [...document.querySelectorAll('.react-flow__node.rf-resource')].some((node) => {
      const r = node.getBoundingClientRect();
      return r.left >= pane.left && r.right <= pane.right && r.top >= pane.top && r.bottom <= pane.bottom;
    });
  });
}

/** Until a node is wholly inside the graph pane (on screen, where a click lands). */
async function waitForNodeInView(page: Page, id: string) {
  await expect
    .poll(() =>
      page.evaluate((nodeId) => {
        const pane = document.querySelector('.graph-pane')?.getBoundingClientRect();
        const node = document.querySelector(`.react-flow__node[data-id="${CSS.escape(nodeId)}"]`);
        const r = node?.getBoundingClientRect();
        return (
          !!pane &&
          !!r &&
          r.left >= pane.left &&
          r.right <= pane.right &&
          r.top >= pane.top &&
          r.bottom <= pane.bottom
        );
      }, id),
    )
    .toBe(true);
}

/** The graph as a phone shows it: one tap away from the table. */
async function openGraphOnPhone(page: Page, size: Size) {
  if (size.name !== 'phone') return;
  await page.getByRole('button', { name: 'Graph', exact: true }).click();
  await page.locator('.graph-pane').waitFor();
  await settled(page);
}

let browser: Browser;
let web: Awaited<ReturnType<typeof buildDashboard>>;

/** A server with the two states and three drifts (versioning suspended, bucket deleted, SG opened). */
async function startSeeded(): Promise<Dashboard> {
  const started = await startDashboard({ statePaths: STATES, browser, webRoot: web.webRoot });
  for (const name of [
    's3-suspend-versioning.json',
    's3-delete-bucket.json',
    'ec2-authorize-ingress-bastion-sg.json',
  ])
    expect((await started.postEvents(await readFixture(name))).findings.length).toBe(1);
  return started;
}

beforeAll(async () => {
  [browser, web] = await Promise.all([
    chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS }),
    buildDashboard(),
  ]);
  dashboard = await startSeeded();
  drifts = (await dashboard.api<{ items: Drift[] }>('/drifts')).items;
  graph = await dashboard.api<GraphReply>('/graph');
}, 60_000);

afterAll(async () => {
  await dashboard?.close();
  await browser?.close();
  await web?.remove();
});

// Every test, in whatever order: no CSP violation and no page error on its pages.
afterEach(() => {
  expect(dashboard.problems).toEqual([]);
});

describe.each(SIZES)('dashboard at $name size ($width×$height)', (size) => {
  it('header controls do not overlap, stay on screen, and nothing scrolls sideways', async () => {
    const page = await open(size);
    const controls = await headerControls(page);
    // The four severity chips, the three (phone: two) view buttons, the theme, the live status.
    expect(controls.filter((box) => /\b(critical|high|medium|low)\b/.test(box.label))).toHaveLength(4);
    expect(controls.some((box) => box.label === 'Table')).toBe(true);
    for (const [i, a] of controls.entries()) {
      expect(a.left, `${a.label} starts on screen`).toBeGreaterThanOrEqual(0);
      expect(a.right, `${a.label} ends on screen`).toBeLessThanOrEqual(size.width);
      for (const b of controls.slice(i + 1))
        expect(intersects(a, b), `${a.label} overlaps ${b.label}`).toBe(false);
    }
    const widths = await page.evaluate(() => ({
      scroll: document.scrollingElement?.scrollWidth ?? 0,
      inner: window.innerWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.inner);

    // Ticking a row brings the bulk bar; it fits the screen too.
    await page.locator('tbody tr.drift-row input[type=checkbox]').first().check();
    const bar = await page.locator('[data-testid=bulkbar]').boundingBox();
    expect(bar && bar.x >= 0 && bar.x + bar.width <= size.width).toBe(true);
    for (const name of ['Acknowledge', 'Resolve']) {
      const button = await page
        .locator('[data-testid=bulkbar]')
        .getByRole('button', { name, exact: true })
        .boundingBox();
      expect(button && button.x >= 0 && button.x + button.width <= size.width, `${name} on screen`).toBe(
        true,
      );
    }
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
    // The table's header labels are whole, whichever columns the width leaves room for.
    const clipped = await page.$$eval('.drift-table th button', (buttons) =>
      buttons.filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => b.textContent),
    );
    expect(clipped).toEqual([]);
    await page.close();
  });

  it('shows the graph readable at first fit, its count beside (never over) the search box', async () => {
    // A phone opens on the table; the graph is one tap away.
    const page = await open(size);
    if (size.name === 'phone') {
      expect(await page.locator('.graph-pane').count()).toBe(0);
      expect(await page.locator('[data-testid=view-switch] button', { hasText: 'Split' }).count()).toBe(0);
      const table = await page.locator('.table-pane').boundingBox();
      expect(table?.y).toBeLessThan(260);
      await page.getByRole('button', { name: 'Graph', exact: true }).click();
      await page.locator('.graph-pane').waitFor();
      expect(await page.locator('.table-pane').count()).toBe(0);
    }
    await waitForGraphInView(page);
    const zoom = await graphZoom(page);
    expect(zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    // Text as drawn on screen: font size times zoom.
    const smallest = await page.$$eval(
      '.react-flow__node.rf-resource .rn-name, .react-flow__node.rf-resource .rn-type',
      (labels) => Math.min(...labels.map((label) => Number.parseFloat(getComputedStyle(label).fontSize))),
    );
    expect(smallest * zoom).toBeGreaterThanOrEqual(8);

    const search = await page.getByLabel('Find resource in graph').boundingBox();
    const chip = await page.locator('[data-testid=graph-legend]').boundingBox();
    const pane = await page.locator('.graph-pane').boundingBox();
    if (!search || !chip || !pane) throw new Error('graph search, count chip or pane missing');
    expect(await page.locator('[data-testid=graph-legend]').textContent()).toMatch(
      /^\d+ resources · \d+ dependencies/,
    );
    const box = (r: { x: number; y: number; width: number; height: number }) => ({
      left: r.x,
      top: r.y,
      right: r.x + r.width,
      bottom: r.y + r.height,
    });
    expect(intersects(box(search), box(chip))).toBe(false);
    expect(chip.x + chip.width).toBeLessThanOrEqual(pane.x + pane.width);
    expect(search.x + search.width).toBeLessThanOrEqual(pane.x + pane.width);
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);
    await page.close();
  });

  it('Tab goes skip link, filters, table, then graph; the skip link lands on the table', async () => {
    const page = await open(size, size.name === 'phone' ? '' : '#view=split');
    await page.locator('.react-flow__node.rf-resource, tbody tr.drift-row').first().waitFor();
    const order: string[] = [];
    // Until the graph (a phone: the first row; it has no graph beside the table to reach).
    const last = size.name === 'phone' ? 'row' : 'graph';
    for (let i = 0; i < 120 && !order.includes(last); i++) {
      await page.keyboard.press('Tab');
      order.push(
        await page.evaluate(() => {
          const element = document.activeElement;
          if (!element || element === document.body) return 'none';
          if (element.classList.contains('skip-link')) return 'skip';
          if (element.closest('.filterbar')) return 'filter';
          if (element.matches('tr.drift-row')) return 'row';
          if (element.closest('.graph-pane')) return 'graph';
          return 'other';
        }),
      );
    }
    expect(order[0]).toBe('skip');
    const firstFilter = order.indexOf('filter');
    const firstRow = order.indexOf('row');
    expect(firstFilter).toBeGreaterThan(0);
    expect(firstRow).toBeGreaterThan(firstFilter);
    // The phone shows no graph beside the table; elsewhere the graph comes after the rows.
    if (size.name === 'phone') {
      expect(order).not.toContain('graph');
      expect(await page.locator('.graph-pane').count()).toBe(0);
    } else expect(order.indexOf('graph')).toBeGreaterThan(firstRow);

    // Skip link: the first Tab stop, visible when focused; Enter moves focus into the table.
    await page.reload();
    await page.locator('tbody tr.drift-row').first().waitFor();
    await page.keyboard.press('Tab');
    const skip = await page.locator('.skip-link').boundingBox();
    expect(skip?.y).toBeGreaterThanOrEqual(0);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-drift-id')))
      .toBe(await page.locator('tbody tr.drift-row').first().getAttribute('data-drift-id'));
    await page.close();
  });
  it('shows a long resource address whole, in the row and in the detail panel', async () => {
    const page = await open(size);
    const row = page.locator(`tr.drift-row[data-drift-id="${bastionDrift().id}"]`);
    // A phone stacks the address over when, what and who; elsewhere it has a column of its own.
    const address = row.locator(size.name === 'phone' ? '.row-address' : 'td.col-address');
    expect(await address.textContent()).toBe(BASTION_SG);
    const fit = await address.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const text = document.createRange();
      text.selectNodeContents(element);
      const lines = [...text.getClientRects()].filter((r) => r.width > 0);
      return {
        wide: element.scrollWidth <= element.clientWidth,
        tall: element.scrollHeight <= element.clientHeight,
        inside: lines.every((r) => r.left >= box.left - 0.5 && r.right <= box.right + 0.5),
        lines: new Set(lines.map((r) => Math.round(r.top))).size,
      };
    });
    expect(fit).toMatchObject({ wide: true, tall: true, inside: true });
    // Wrapped at the dots, not cut: a few lines at most (75 characters in a phone's column: 4).
    expect(fit.lines).toBeGreaterThanOrEqual(1);
    expect(fit.lines).toBeLessThanOrEqual(4);
    // The module and the name both on screen, and nothing scrolls sideways.
    expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth)).toBe(true);

    await row.click();
    const title = page.locator('[data-testid=detail] h2');
    await expect.poll(() => title.textContent()).toBe(BASTION_SG);
    const whole = await title.evaluate(
      (h) => h.scrollWidth <= h.clientWidth && h.scrollHeight <= h.clientHeight,
    );
    expect(whole).toBe(true);
    const box = await title.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= size.width).toBe(true);
    await page.close();
  });

  it('opens the drift of a clicked drifted node, and shows only its resource in the table', async () => {
    const page = await open(size);
    await openGraphOnPhone(page, size);
    await waitForNodeInView(page, BASTION_SG);
    const node = page.locator(`.react-flow__node[data-id="${BASTION_SG}"]`);
    expect(await node.getAttribute('class')).toMatch(/\bdrifted\b/);
    // A click opens the node's latest drift: the page knows it once it shows it on the node (a
    // request of its own, apart from the graph's).
    await node.locator('[data-testid=node-last]').waitFor();
    await node.click();
    const detail = page.locator('[data-testid=detail]');
    await expect.poll(() => detail.locator('h2').textContent()).toBe(BASTION_SG);
    expect(await page.evaluate(() => location.hash)).toContain(`drift=${bastionDrift().id}`);
    const box = await detail.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= size.width).toBe(true);
    // The table follows, visibly: a chip names the resource it is filtered to.
    await page.keyboard.press('Escape');
    if (size.name === 'phone') await page.getByRole('button', { name: 'Table', exact: true }).click();
    await expect
      .poll(() =>
        page.$$eval('tbody tr.drift-row', (rows) => rows.map((r) => r.getAttribute('data-drift-id'))),
      )
      .toEqual([bastionDrift().id]);
    expect(await page.locator('[data-testid=resource-filter]').textContent()).toContain(BASTION_SG);
    await page.close();
  });

  it('finds a node with the graph search without filtering the table', async () => {
    const page = await open(size);
    await openGraphOnPhone(page, size);
    await page.getByLabel('Find resource in graph').fill('versioning.data');
    await page.getByLabel('Find resource in graph').press('Enter');
    await expect
      .poll(() => page.locator('.react-flow__node.is-selected').getAttribute('data-id'))
      .toBe('aws_s3_bucket_versioning.data');
    await waitForNodeInView(page, 'aws_s3_bucket_versioning.data');
    expect(await page.locator('[data-testid=detail]').count()).toBe(0);
    if (size.name === 'phone') await page.getByRole('button', { name: 'Table', exact: true }).click();
    // Every open drift still listed, the found resource's marked; no filter chip appeared.
    await expect.poll(() => page.locator('tbody tr.drift-row').count()).toBe(drifts.length);
    expect(await page.locator('tr.drift-row.is-related').count()).toBe(1);
    expect(await page.locator('[data-testid=resource-filter]').count()).toBe(0);
    expect(await page.evaluate(() => location.hash)).not.toContain('resource=');
    await page.close();
  });

  it('shows who and which event on a drifted node, and keeps long cross-group edges faint', async () => {
    const page = await open(size);
    await openGraphOnPhone(page, size);
    await waitForNodeInView(page, BASTION_SG);
    const drift = bastionDrift();
    const node = page.locator(`.react-flow__node[data-id="${BASTION_SG}"]`);
    await expect
      .poll(() => node.locator('[data-testid=node-last]').textContent())
      .toContain(drift.event.name);
    expect(await node.locator('[data-testid=node-last]').textContent()).toContain(drift.actor.name);
    // Read on screen, not only in the DOM: the actor whole, the event's start, inside the node.
    const shown = await node.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const part = (selector: string) => {
        const span = element.querySelector(selector) as HTMLElement;
        const r = span.getBoundingClientRect();
        return { whole: span.scrollWidth <= span.clientWidth, width: r.width, inside: r.right <= box.right };
      };
      return { actor: part('.rn-actor'), event: part('.rn-event') };
    });
    expect(shown.actor).toMatchObject({ whole: true, inside: true });
    expect(shown.event.inside).toBe(true);
    expect(shown.event.width).toBeGreaterThan(40);
    expect(await node.locator('.rn').getAttribute('title')).toMatch(
      new RegExp(`last: ${drift.event.name} by ${drift.actor.name}`),
    );
    // A node without open drift shows its type instead.
    expect(
      await page.locator('.react-flow__node.rf-resource:not(.drifted) [data-testid=node-last]').count(),
    ).toBe(0);

    const groupOf = new Map(graph.nodes.map((n) => [n.id, `${n.stateFile}::${n.module}`]));
    const crossing = graph.edges.filter((e) => groupOf.get(e.source) !== groupOf.get(e.target)).length;
    expect(crossing).toBeGreaterThan(0);
    expect(graph.edges.length - crossing).toBeGreaterThan(0);
    // React Flow draws edges after it has measured the nodes: wait for them, as for everything else
    // drawn, both kinds (the minimum opacity of no edge at all would be Infinity).
    await expect.poll(() => page.locator('.react-flow__edge.cross').count()).toBe(crossing);
    await expect
      .poll(() => page.locator('.react-flow__edge:not(.cross)').count())
      .toBe(graph.edges.length - crossing);
    const opacity = (selector: string) =>
      page.$$eval(selector, (paths) => paths.map((p) => Number(getComputedStyle(p).opacity)));
    expect(Math.max(...(await opacity('.react-flow__edge.cross .react-flow__edge-path')))).toBeLessThan(0.5);
    expect(Math.min(...(await opacity('.react-flow__edge:not(.cross) .react-flow__edge-path')))).toBe(1);
    await page.close();
  });

  it('re-fits the graph when a new group appears', async () => {
    // A server of its own: the group that appears (unmanaged) appears once per server.
    const own = await startSeeded();
    try {
      const page = await own.newPage(size);
      await page.goto(`${own.url}/`);
      await settled(page);
      await openGraphOnPhone(page, size);
      await waitForGraphInView(page);
      expect(await page.locator('.rf-group.unmanaged').count()).toBe(0);
      const translate = () =>
        page.$eval('.react-flow__viewport', (v) => {
          const m = new DOMMatrix(getComputedStyle(v).transform);
          return { x: m.e, y: m.f };
        });
      // The user has dragged the graph up and left, away from where the new group lands (the top
      // left): without a re-fit, it would appear off screen.
      const pane = await page.locator('.graph-pane').boundingBox();
      if (!pane) throw new Error('graph pane missing');
      const start = await page.evaluate(() => {
        const r = document.querySelector('.graph-pane')!.getBoundingClientRect();
        for (let fy = 0.9; fy > 0.5; fy -= 0.05)
          for (let fx = 0.9; fx > 0.5; fx -= 0.05) {
            const x = r.left + r.width * fx;
            const y = r.top + r.height * fy;
            if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
          }
        return null;
      });
      if (!start) throw new Error('no empty spot to drag the graph from');
      const before = await translate();
      await page.mouse.move(start.x, start.y);
      await page.mouse.down();
      await page.mouse.move(start.x - pane.width * 0.5, start.y - pane.height * 0.4, { steps: 8 });
      await page.mouse.up();
      // The drag's last move is drawn on React Flow's next store update: read it once drawn.
      await expect.poll(async () => (await translate()).x).toBeLessThan(before.x - pane.width * 0.3);
      await expect.poll(async () => (await translate()).y).toBeLessThan(before.y - pane.height * 0.2);
      // A bucket no state knows about: the graph gains the "unmanaged" group.
      expect(
        (await own.postEvents(await readFixture('cloud-custodian-event-cloud-trail-create-bucket.json')))
          .findings,
      ).toHaveLength(1);
      const group = page.locator('.react-flow__node.rf-group.unmanaged');
      await group.waitFor({ timeout: 5_000 });
      // ... and the new group is in view, at a readable zoom.
      await expect
        .poll(async () => {
          const pane = await page.locator('.graph-pane').boundingBox();
          const box = await group.boundingBox();
          return (
            !!pane &&
            !!box &&
            box.x >= pane.x &&
            box.x + box.width <= pane.x + pane.width + 1 &&
            box.y >= pane.y &&
            box.y + box.height <= pane.y + pane.height + 1
          );
        })
        .toBe(true);
      // The fit animates: the zoom is read once it has settled (it passes lower values on the way).
      await expect.poll(() => graphZoom(page)).toBeGreaterThanOrEqual(READABLE_ZOOM);
      expect(own.problems).toEqual([]);
      await page.close();
    } finally {
      await own.close();
    }
  });

  it('switches light and dark beside the OS default, and remembers the choice', async () => {
    const page = await dashboard.newPage({ ...size, colorScheme: 'dark' });
    await page.goto(`${dashboard.url}/`);
    await settled(page);
    const panel = () => page.$eval('.topbar', (bar) => getComputedStyle(bar).backgroundColor);
    const theme = page.getByLabel('Colour theme');
    // Beside the other header controls, on screen.
    const box = await theme.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= size.width).toBe(true);
    expect(await theme.inputValue()).toBe('system');
    const darkPanel = await panel();
    expect(darkPanel).toBe('rgb(23, 27, 35)');
    await theme.selectOption('light');
    expect(await panel()).toBe('rgb(255, 255, 255)');
    await page.reload();
    await page.locator('tbody tr.drift-row').first().waitFor();
    expect(await theme.inputValue()).toBe('light');
    expect(await panel()).toBe('rgb(255, 255, 255)');
    await theme.selectOption('system');
    expect(await panel()).toBe(darkPanel);
    await theme.selectOption('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    expect(await panel()).toBe(darkPanel);
    // The graph's own colours (React Flow's controls, minimap) follow the toggle.
    await openGraphOnPhone(page, size);
    await expect.poll(() => page.locator('.react-flow').getAttribute('class')).toMatch(/\bdark\b/);
    await theme.selectOption('light');
    await expect.poll(() => page.locator('.react-flow').getAttribute('class')).toMatch(/\blight\b/);
    expect(await panel()).toBe('rgb(255, 255, 255)');
    await page.close();
  });
});

describe('dashboard details by size', () => {
  it('keeps every Table-view column readable at 1024 px', async () => {
    const page = await open({ width: 1024, height: 768 }, '#view=table');
    const headers = await page.$$eval('.drift-table th', (cells) =>
      cells.map((cell) => {
        const button = cell.querySelector('button');
        return {
          label: button?.textContent ?? '',
          width: cell.getBoundingClientRect().width,
          clipped: button ? button.scrollWidth > button.clientWidth + 1 : false,
        };
      }),
    );
    expect(headers.map((h) => h.label.replace(/[▲▼]/g, ''))).toEqual([
      '',
      'Time (UTC)',
      'Severity',
      'Kind',
      'Resource',
      'Type',
      'Attribute(s)',
      'Actor',
      'Event',
      'Status',
    ]);
    for (const header of headers.slice(1)) {
      expect(header.clipped, `${header.label} header cut off`).toBe(false);
      expect(header.width, `${header.label} width`).toBeGreaterThanOrEqual(80);
    }
    // Whole times, and the table fits its pane (no scrolling sideways inside it either).
    const times = await page.$$eval('tbody td.col-time', (cells) =>
      cells.map((c) => c.scrollWidth <= c.clientWidth),
    );
    expect(times).toEqual(drifts.map(() => true));
    // Every type, attribute, actor and event reads whole: a long one wraps rather than ends in "…".
    const cut = await page.$$eval(
      'tbody td.col-type, tbody td.col-attr, tbody td.col-actor, tbody td.col-event',
      (cells) => cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent),
    );
    expect(cut).toEqual([]);
    expect(await page.$$eval('tbody td.col-event', (cells) => cells.length)).toBe(drifts.length);
    expect(await page.$eval('.table-scroll', (s) => s.scrollWidth <= s.clientWidth)).toBe(true);
    await page.close();
  });

  it('on a phone shows each row with its time, event and actor', async () => {
    const page = await open({ width: 390, height: 844 });
    const drift = drifts.find((d) => d.resource.address === 'aws_s3_bucket_versioning.data');
    if (!drift) throw new Error('fixture drift missing');
    const row = page.locator(`tr.drift-row[data-drift-id="${drift.id}"]`);
    expect(await row.locator('.row-meta').textContent()).toContain(drift.event.name);
    expect(await row.locator('.row-meta').textContent()).toContain(drift.actor.name ?? drift.actor.type);
    // Each row's actor is on screen inside its cell, whole unless longer than a line (then it has
    // the line to itself), not cut off the end of the time and event.
    const actors = await page.$$eval('tbody tr.drift-row .row-meta', (metas) =>
      metas.map((meta) => {
        const actor = meta.querySelector('.row-actor') as HTMLElement;
        const cell = meta.closest('td')!.getBoundingClientRect();
        const box = actor.getBoundingClientRect();
        const inside = box.left >= cell.left && box.right <= cell.right;
        const whole = actor.scrollWidth <= actor.clientWidth;
        return inside && (whole || actor.clientWidth >= meta.clientWidth - 1);
      }),
    );
    expect(actors).toEqual(drifts.map(() => true));
    await page.close();
  });
});
