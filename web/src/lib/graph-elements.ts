// What the graph view draws, as plain data: React Flow's nodes and edges for a laid-out graph, and
// the viewport that shows it readably. Pure, so GraphView stays wiring and these are unit-tested.

import { type Edge, MarkerType, type Node, type Viewport } from '@xyflow/react';
import { displayEventName } from '../../../lambdas/core/display.js';
import type { GroupNode, ResourceNode } from '../components/GraphNodes.js';
import type { Drift, Graph, GraphNode } from '../types.js';
import { actorLabel, shortTime } from './format.js';
import { type Layout, NODE_HEIGHT, NODE_WIDTH } from './layout.js';

/**
 * The first fit (and a re-fit) never zooms out below this: node names (12 px) stay at 9 px or more
 * and types (11 px) at 8 px or more. A graph that does not fit is shown from its worst drift.
 */
export const MIN_FIT_ZOOM = 0.75;
const MAX_FIT_ZOOM = 1.25;
const FIT_PADDING = 24;
/** Room at the top for the search box and the count under it, so that they cover no node. */
const FIT_TOP = 84;

const SEVERITY_RANK = { low: 1, medium: 2, high: 3, critical: 4 } as const;

type Severity = NonNullable<GraphNode['drift']['severity']>;
export type GroupDrift = ReadonlyMap<string, { drifted: number; worst: Severity | null }>;

/** The name shown on a node: the address without its module prefix and type, or the id. */
export function shortName(node: GraphNode): string {
  if (!node.address) return node.resourceId ?? node.id;
  const withoutModule = node.module ? node.address.slice(node.module.length + 1) : node.address;
  return withoutModule.startsWith(`${node.type}.`)
    ? withoutModule.slice(node.type.length + 1)
    : withoutModule;
}

/** Per group: how many of its resources have open drift, and the worst severity among them. */
export function groupDriftOf(graph: Graph, layout: Layout): GroupDrift {
  const drift = new Map<string, { drifted: number; worst: Severity | null }>();
  for (const node of graph.nodes) {
    const group = layout.nodes.get(node.id)?.group;
    if (!group || node.drift.open === 0) continue;
    const current = drift.get(group) ?? { drifted: 0, worst: null };
    const severity = node.drift.severity;
    const worse = severity && (!current.worst || SEVERITY_RANK[severity] > SEVERITY_RANK[current.worst]);
    drift.set(group, { drifted: current.drifted + 1, worst: worse ? severity : current.worst });
  }
  return drift;
}

export interface FlowNodeOptions {
  readonly selectedNode: string | null;
  /** The latest open drift of each node, shown on it. */
  readonly latest?: ReadonlyMap<string, Drift>;
  /** A large graph zoomed out: groups only, resources hidden. */
  readonly overview: boolean;
}

/** Group boxes first (React Flow draws parents before children), then the resources inside them. */
export function flowNodes(
  graph: Graph,
  layout: Layout,
  groupDrift: GroupDrift,
  options: FlowNodeOptions,
): Node[] {
  const { selectedNode, latest, overview } = options;
  const groups: GroupNode[] = layout.groups.map((group) => ({
    id: group.id,
    type: 'group',
    position: group.position,
    data: {
      label: group.label,
      detail: group.detail,
      count: group.count,
      unmanaged: group.unmanaged,
      drifted: groupDrift.get(group.id)?.drifted ?? 0,
      worst: groupDrift.get(group.id)?.worst ?? null,
      overview,
    },
    // Fixed sizes: nothing waits for DOM measurement, and the minimap can draw every node.
    width: group.width,
    height: group.height,
    className: `rf-group${group.unmanaged ? ' unmanaged' : ''}${overview ? ' overview' : ''}`,
    selectable: false,
    focusable: false,
  }));
  const resources: ResourceNode[] = [];
  for (const node of graph.nodes) {
    const place = layout.nodes.get(node.id);
    if (!place) continue;
    const severity = node.drift.open > 0 ? node.drift.severity : null;
    const classes = ['rf-resource'];
    if (severity) classes.push('drifted', `sev-${severity}`);
    if (!node.managed) classes.push('unmanaged');
    if (node.id === selectedNode) classes.push('is-selected');
    const last = severity ? latest?.get(node.id) : undefined;
    const lastText = last
      ? `${displayEventName(last.event.name)} by ${actorLabel(last)} at ${shortTime(last.event.time)} UTC`
      : null;
    resources.push({
      id: node.id,
      type: 'resource',
      parentId: place.group,
      position: place.position,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      data: {
        name: shortName(node),
        type: node.type,
        open: node.drift.open,
        severity,
        managed: node.managed,
        // A node is narrow: an email's name part is enough there (the tooltip has it whole).
        actor: last ? actorLabel(last).replace(/@[^@\s]+$/, '') : null,
        event: last ? displayEventName(last.event.name) : null,
        lastText,
      },
      className: classes.join(' '),
      hidden: overview,
      ariaLabel: `${node.address ?? node.resourceId ?? node.id}${severity ? `, ${node.drift.open} open drift(s)` : ''}${lastText ? `, last: ${lastText}` : ''}`,
    });
  }
  return [...groups, ...resources];
}

/** Edges between laid-out nodes; those of the selected node stand out, cross-group ones recede. */
export function flowEdges(graph: Graph, layout: Layout, selectedNode: string | null): Edge[] {
  return graph.edges
    .filter((edge) => layout.nodes.has(edge.source) && layout.nodes.has(edge.target))
    .map((edge) => {
      const active = edge.source === selectedNode || edge.target === selectedNode;
      // Edges between groups cross other groups' boxes: faint unless their node is selected,
      // so that the groups and their own edges stay readable.
      const cross = layout.nodes.get(edge.source)?.group !== layout.nodes.get(edge.target)?.group;
      const classes = ['rf-edge'];
      if (cross) classes.push('cross');
      if (active) classes.push('active');
      return {
        id: edge.id,
        source: edge.source,
        target: edge.target,
        className: classes.join(' '),
        markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 },
        focusable: false,
        zIndex: active ? 2 : cross ? 0 : 1,
      };
    });
}

/** The minimap's class for a node: groups and resources, coloured by their worst open drift. */
export function minimapClass(node: Node): string {
  if (node.type === 'group') {
    const worst = (node as GroupNode).data.worst;
    return worst ? `mm-group sev-${worst}` : 'mm-group';
  }
  const severity = (node as ResourceNode).data.severity;
  return severity && (node as ResourceNode).data.open > 0 ? `mm-node sev-${severity}` : 'mm-node';
}

/**
 * The viewport that shows the graph readably in a pane: the whole graph, centred, when it fits at
 * MIN_FIT_ZOOM or more; otherwise MIN_FIT_ZOOM from the top left (group titles in view), moved only
 * as far as it takes to bring the focus on screen — the given group (news: it just appeared), else
 * the worst drift. Null while the pane has no size or the graph no group.
 */
export function readableViewport(
  pane: { readonly width: number; readonly height: number },
  graph: Graph,
  layout: Layout,
  focusGroup?: string,
): Viewport | null {
  const { width, height } = pane;
  if (!width || !height || layout.groups.length === 0) return null;
  const left = Math.min(...layout.groups.map((g) => g.position.x));
  const top = Math.min(...layout.groups.map((g) => g.position.y));
  const right = Math.max(...layout.groups.map((g) => g.position.x + g.width));
  const bottom = Math.max(...layout.groups.map((g) => g.position.y + g.height));
  const zoom = Math.min(
    (width - 2 * FIT_PADDING) / (right - left),
    (height - FIT_TOP - FIT_PADDING) / (bottom - top),
    MAX_FIT_ZOOM,
  );
  if (zoom >= MIN_FIT_ZOOM)
    return {
      x: (width - (right - left) * zoom) / 2 - left * zoom,
      y: FIT_TOP + (height - FIT_TOP - FIT_PADDING - (bottom - top) * zoom) / 2 - top * zoom,
      zoom,
    };
  const worst = graph.nodes
    .filter((node) => node.drift.open > 0 && node.drift.severity)
    .sort((a, b) => SEVERITY_RANK[b.drift.severity!] - SEVERITY_RANK[a.drift.severity!])[0];
  const group = focusGroup ? layout.groups.find((g) => g.id === focusGroup) : undefined;
  const centre = group
    ? { x: group.position.x + group.width / 2, y: group.position.y + group.height / 2 }
    : (worst && layout.centres.get(worst.id)) || { x: left, y: top };
  const half = group
    ? { x: group.width / 2, y: group.height / 2 }
    : { x: NODE_WIDTH / 2, y: NODE_HEIGHT / 2 };
  const z = MIN_FIT_ZOOM;
  // Along one axis: centred when the graph fits that way, else from its start, shifted until the
  // focus's far edge is inside the pane.
  const along = (size: number, start: number, low: number, high: number, middle: number, halfSize: number) =>
    (high - low) * z + start + FIT_PADDING <= size
      ? start + (size - start - FIT_PADDING - (high - low) * z) / 2 - low * z
      : Math.min(start - low * z, size - FIT_PADDING - (middle + halfSize) * z);
  return {
    x: along(width, FIT_PADDING, left, right, centre.x, half.x),
    y: along(height, FIT_TOP, top, bottom, centre.y, half.y),
    zoom: z,
  };
}
