// What the graph view draws (web/src/lib/graph-elements.ts): nodes, edges, group drift and the
// readable viewport, on graphs laid out by the real layout. The browser suite checks them on screen.

import { describe, expect, it } from 'vitest';
import type { Drift } from '../../../lambdas/core/types.js';
import {
  flowEdges,
  flowNodes,
  groupDriftOf,
  MIN_FIT_ZOOM,
  minimapClass,
  readableViewport,
  shortName,
} from '../../../web/src/lib/graph-elements.js';
import { layoutGraph } from '../../../web/src/lib/layout.js';
import type { Graph, GraphNode } from '../../../web/src/types.js';

function node(address: string, patch: Partial<GraphNode> = {}): GraphNode {
  const type = address.replace(/^module\.[^.]+\./, '').split('.')[0];
  const module = address.startsWith('module.') ? address.split('.').slice(0, 2).join('.') : null;
  return {
    id: address,
    address,
    type,
    module,
    stateFile: 'prod.tfstate',
    resourceId: `${type}-id`,
    managed: true,
    drift: { open: 0, severity: null },
    ...patch,
  };
}

/** `count` resources in module `app` plus one in the root module, chained by edges. */
function graphOf(count: number, drifted: Record<string, GraphNode['drift']> = {}): Graph {
  const nodes = [
    ...Array.from({ length: count }, (_, i) => node(`module.app.aws_instance.web${i}`)),
    node('aws_s3_bucket.logs'),
  ].map((n) => (drifted[n.id] ? { ...n, drift: drifted[n.id] } : n));
  const edges = nodes
    .slice(1)
    .map((n, i) => ({ id: `${n.id}->${nodes[i].id}`, source: n.id, target: nodes[i].id }));
  return { nodes, edges };
}

const latestDrift = {
  actor: {
    type: 'IAMUser',
    arn: null,
    name: 'alice@example.com',
    accountId: '1',
    sourceIp: null,
    userAgent: null,
  },
  event: {
    id: 'e',
    name: 'ModifyInstanceAttribute',
    source: 'ec2',
    time: '2026-01-01T10:00:00Z',
    region: 'eu-west-1',
    account: '1',
  },
} as unknown as Drift;

describe('shortName', () => {
  it('drops the module prefix and the type, and falls back to the id for unmanaged resources', () => {
    expect(shortName(node('module.app.aws_instance.web[0]'))).toBe('web[0]');
    expect(shortName(node('aws_s3_bucket.logs'))).toBe('logs');
    expect(shortName(node('x', { address: null, resourceId: 'i-9' }))).toBe('i-9');
    expect(shortName(node('x', { address: null, resourceId: null, id: 'unmanaged:t:i' }))).toBe(
      'unmanaged:t:i',
    );
  });
});

describe('groupDriftOf', () => {
  it('counts drifted resources per group and keeps the worst severity whatever the order', () => {
    const graph = graphOf(3, {
      'module.app.aws_instance.web0': { open: 1, severity: 'medium' },
      'module.app.aws_instance.web1': { open: 2, severity: 'critical' },
      'module.app.aws_instance.web2': { open: 1, severity: 'low' },
    });
    const layout = layoutGraph(graph.nodes, graph.edges);
    const drift = groupDriftOf(graph, layout);
    const appGroup = layout.nodes.get('module.app.aws_instance.web0')!.group;
    const rootGroup = layout.nodes.get('aws_s3_bucket.logs')!.group;
    expect(drift.get(appGroup)).toEqual({ drifted: 3, worst: 'critical' });
    expect(drift.has(rootGroup)).toBe(false);
  });
});

describe('flowNodes', () => {
  it('puts groups before resources, marks drift, selection and the latest actor on the node', () => {
    const graph = graphOf(2, { 'module.app.aws_instance.web1': { open: 2, severity: 'high' } });
    const layout = layoutGraph(graph.nodes, graph.edges);
    const latest = new Map([['module.app.aws_instance.web1', latestDrift]]);
    const nodes = flowNodes(graph, layout, groupDriftOf(graph, layout), {
      selectedNode: 'module.app.aws_instance.web0',
      latest,
      overview: false,
    });
    expect(nodes.map((n) => n.type)).toEqual(['group', 'group', 'resource', 'resource', 'resource']);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const drifted = byId.get('module.app.aws_instance.web1')!;
    expect(drifted.className).toBe('rf-resource drifted sev-high');
    expect(drifted.data).toMatchObject({
      name: 'web1',
      open: 2,
      severity: 'high',
      actor: 'alice',
      event: 'ModifyInstanceAttribute',
    });
    expect(drifted.ariaLabel).toMatch(
      /^module\.app\.aws_instance\.web1, 2 open drift\(s\), last: .* by alice@example\.com at .* UTC$/,
    );
    const selected = byId.get('module.app.aws_instance.web0')!;
    expect(selected.className).toBe('rf-resource is-selected');
    expect(selected.data).toMatchObject({ severity: null, actor: null, lastText: null });
    expect(selected.hidden).toBe(false);
  });

  it('hides resources and marks groups in the overview', () => {
    const graph = graphOf(1);
    const layout = layoutGraph(graph.nodes, graph.edges);
    const nodes = flowNodes(graph, layout, groupDriftOf(graph, layout), {
      selectedNode: null,
      overview: true,
    });
    expect(nodes.filter((n) => n.type === 'resource').every((n) => n.hidden === true)).toBe(true);
    expect(
      nodes.filter((n) => n.type === 'group').every((n) => String(n.className).endsWith(' overview')),
    ).toBe(true);
  });
});

describe('flowEdges', () => {
  it('marks edges across groups as cross and those of the selected node as active, above the rest', () => {
    const graph = graphOf(2);
    const layout = layoutGraph(graph.nodes, graph.edges);
    const edges = flowEdges(graph, layout, 'aws_s3_bucket.logs');
    const cross = edges.find((e) => e.source === 'aws_s3_bucket.logs')!;
    const inner = edges.find((e) => e.source === 'module.app.aws_instance.web1')!;
    expect(cross).toMatchObject({ className: 'rf-edge cross active', zIndex: 2 });
    expect(inner).toMatchObject({ className: 'rf-edge', zIndex: 1 });
    expect(flowEdges(graph, layout, null).find((e) => e.id === cross.id)).toMatchObject({
      className: 'rf-edge cross',
      zIndex: 0,
    });
  });
});

describe('minimapClass', () => {
  it('colours groups and resources by their worst open drift only', () => {
    expect(minimapClass({ id: 'g', type: 'group', position: { x: 0, y: 0 }, data: { worst: 'high' } })).toBe(
      'mm-group sev-high',
    );
    expect(minimapClass({ id: 'g', type: 'group', position: { x: 0, y: 0 }, data: { worst: null } })).toBe(
      'mm-group',
    );
    expect(
      minimapClass({
        id: 'r',
        type: 'resource',
        position: { x: 0, y: 0 },
        data: { severity: 'low', open: 1 },
      }),
    ).toBe('mm-node sev-low');
    expect(
      minimapClass({
        id: 'r',
        type: 'resource',
        position: { x: 0, y: 0 },
        data: { severity: 'low', open: 0 },
      }),
    ).toBe('mm-node');
  });
});

describe('readableViewport', () => {
  it('waits for a pane with a size', () => {
    const graph = graphOf(2);
    const layout = layoutGraph(graph.nodes, graph.edges);
    expect(readableViewport({ width: 0, height: 600 }, graph, layout)).toBeNull();
    expect(readableViewport({ width: 800, height: 0 }, graph, layout)).toBeNull();
  });

  it('shows a small graph whole, centred, at no more than 1.25', () => {
    const graph = graphOf(2);
    const layout = layoutGraph(graph.nodes, graph.edges);
    const viewport = readableViewport({ width: 1600, height: 1000 }, graph, layout)!;
    const right = Math.max(...layout.groups.map((g) => g.position.x + g.width));
    const left = Math.min(...layout.groups.map((g) => g.position.x));
    expect(viewport.zoom).toBeGreaterThanOrEqual(MIN_FIT_ZOOM);
    expect(viewport.zoom).toBeLessThanOrEqual(1.25);
    // Centred: the same margin on both sides.
    const leftMargin = viewport.x + left * viewport.zoom;
    const rightMargin = 1600 - (viewport.x + right * viewport.zoom);
    expect(Math.abs(leftMargin - rightMargin)).toBeLessThan(1);
    expect(leftMargin).toBeGreaterThan(0);
  });

  it('shows a large graph at the readable zoom with its worst drift on screen, or a new group', () => {
    const worstId = 'module.app.aws_instance.web390';
    const graph = graphOf(400, {
      [worstId]: { open: 1, severity: 'critical' },
      'module.app.aws_instance.web5': { open: 1, severity: 'low' },
    });
    const layout = layoutGraph(graph.nodes, graph.edges);
    const pane = { width: 800, height: 600 };
    const onScreen = (viewport: { x: number; y: number; zoom: number }, p: { x: number; y: number }) => {
      const sx = p.x * viewport.zoom + viewport.x;
      const sy = p.y * viewport.zoom + viewport.y;
      return sx > 0 && sy > 0 && sx < pane.width && sy < pane.height;
    };
    const viewport = readableViewport(pane, graph, layout)!;
    expect(viewport.zoom).toBe(MIN_FIT_ZOOM);
    expect(onScreen(viewport, layout.centres.get(worstId)!)).toBe(true);
    const rootGroup = layout.groups.find((g) => g.id === layout.nodes.get('aws_s3_bucket.logs')!.group)!;
    const focused = readableViewport(pane, graph, layout, rootGroup.id)!;
    const centre = {
      x: rootGroup.position.x + rootGroup.width / 2,
      y: rootGroup.position.y + rootGroup.height / 2,
    };
    expect(onScreen(focused, centre)).toBe(true);
  });
});
