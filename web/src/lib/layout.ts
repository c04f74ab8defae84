// Graph layout, computed once per graph structure (not per frame): resources are grouped by
// state file + module (unmanaged resources in a group of their own); inside a group, connected
// components are laid out by dagre and lone resources are packed into a grid; blocks and groups
// are then shelf-packed so that thousands of resources stay compact.

import dagre from '@dagrejs/dagre';
import { compareText } from '../../../lambdas/core/text-order.js';
import type { GraphEdge, GraphNode } from '../types.js';

export const NODE_WIDTH = 210;
export const NODE_HEIGHT = 42;
const GRID_GAP_X = 20;
const GRID_GAP_Y = 12;
const BLOCK_GAP = 28;
const GROUP_PAD = 16;
const GROUP_HEADER = 34;
const GROUP_GAP = 48;

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface LaidOutGroup {
  readonly id: string;
  readonly label: string;
  readonly detail: string;
  readonly unmanaged: boolean;
  readonly count: number;
  readonly position: Point;
  readonly width: number;
  readonly height: number;
}

export interface Layout {
  readonly groups: readonly LaidOutGroup[];
  /** Node id → group id and position relative to its group. */
  readonly nodes: ReadonlyMap<string, { readonly group: string; readonly position: Point }>;
  /** Node id → absolute centre (for focusing a node). */
  readonly centres: ReadonlyMap<string, Point>;
}

export const UNMANAGED_GROUP = 'group:unmanaged';

export function groupIdOf(node: GraphNode): string {
  return node.managed ? `group:${node.stateFile ?? ''}::${node.module ?? ''}` : UNMANAGED_GROUP;
}

function baseName(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() || path;
}

interface Block {
  width: number;
  height: number;
  /** Member positions relative to the block's top-left. */
  members: Map<string, Point>;
}

function componentsOf(ids: readonly string[], edges: readonly GraphEdge[]): string[][] {
  const parent = new Map(ids.map((id) => [id, id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  for (const edge of edges) parent.set(find(edge.source), find(edge.target));
  const groups = new Map<string, string[]>();
  for (const id of ids) {
    const root = find(id);
    const list = groups.get(root) ?? [];
    list.push(id);
    groups.set(root, list);
  }
  return [...groups.values()];
}

function dagreBlock(ids: readonly string[], edges: readonly GraphEdge[]): Block {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 56, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const id of ids) graph.setNode(id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  // Dependencies to the left of what depends on them (vpc → subnet → instance).
  for (const edge of edges) graph.setEdge(edge.target, edge.source);
  dagre.layout(graph);
  const members = new Map<string, Point>();
  let width = 0;
  let height = 0;
  for (const id of ids) {
    const { x, y } = graph.node(id);
    const left = x - NODE_WIDTH / 2;
    const top = y - NODE_HEIGHT / 2;
    members.set(id, { x: left, y: top });
    width = Math.max(width, left + NODE_WIDTH);
    height = Math.max(height, top + NODE_HEIGHT);
  }
  return { width, height, members };
}

function gridBlock(ids: readonly string[]): Block {
  const columns = Math.max(1, Math.min(ids.length, Math.ceil(Math.sqrt(ids.length / 2.5))));
  const rows = Math.ceil(ids.length / columns);
  const members = new Map<string, Point>();
  ids.forEach((id, index) => {
    members.set(id, {
      x: (index % columns) * (NODE_WIDTH + GRID_GAP_X),
      y: Math.floor(index / columns) * (NODE_HEIGHT + GRID_GAP_Y),
    });
  });
  return {
    width: columns * (NODE_WIDTH + GRID_GAP_X) - GRID_GAP_X,
    height: rows * (NODE_HEIGHT + GRID_GAP_Y) - GRID_GAP_Y,
    members,
  };
}

/** Shelf packing: place boxes left to right, wrapping at a width chosen for a roughly square result. */
function shelfPack<T extends { width: number; height: number }>(boxes: readonly T[], gap: number) {
  const area = boxes.reduce((sum, box) => sum + (box.width + gap) * (box.height + gap), 0);
  const widest = boxes.reduce((max, box) => Math.max(max, box.width), 0);
  const limit = Math.max(widest, Math.sqrt(area) * 1.4);
  const placed: { box: T; x: number; y: number }[] = [];
  let x = 0;
  let y = 0;
  let shelf = 0;
  let width = 0;
  for (const box of boxes) {
    if (x > 0 && x + box.width > limit) {
      x = 0;
      y += shelf + gap;
      shelf = 0;
    }
    placed.push({ box, x, y });
    x += box.width + gap;
    shelf = Math.max(shelf, box.height);
    width = Math.max(width, x - gap);
  }
  return { placed, width, height: y + shelf };
}

function groupBlock(ids: readonly string[], edges: readonly GraphEdge[]): Block {
  const components = componentsOf(ids, edges);
  const lone = components.filter((component) => component.length === 1).map((component) => component[0]);
  const connected = components
    .filter((component) => component.length > 1)
    .sort((a, b) => b.length - a.length)
    .map((component) => {
      const set = new Set(component);
      return dagreBlock(
        component,
        edges.filter((edge) => set.has(edge.source)),
      );
    });
  const blocks = lone.length ? [...connected, gridBlock(lone)] : connected;
  const packed = shelfPack(blocks, BLOCK_GAP);
  const members = new Map<string, Point>();
  for (const { box, x, y } of packed.placed) {
    for (const [id, point] of box.members) members.set(id, { x: x + point.x, y: y + point.y });
  }
  return { width: packed.width, height: packed.height, members };
}

export function layoutGraph(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): Layout {
  const byGroup = new Map<string, GraphNode[]>();
  for (const node of nodes) {
    const id = groupIdOf(node);
    const list = byGroup.get(id) ?? [];
    list.push(node);
    byGroup.set(id, list);
  }
  const groupOf = new Map(nodes.map((node) => [node.id, groupIdOf(node)]));
  const internal = new Map<string, GraphEdge[]>();
  for (const edge of edges) {
    const group = groupOf.get(edge.source);
    if (!group || group !== groupOf.get(edge.target) || edge.source === edge.target) continue;
    const list = internal.get(group) ?? [];
    list.push(edge);
    internal.set(group, list);
  }
  // Unmanaged first (kept apart, top left), then the others by size.
  const ordered = [...byGroup.entries()].sort(([a, aNodes], [b, bNodes]) => {
    if (a === UNMANAGED_GROUP) return -1;
    if (b === UNMANAGED_GROUP) return 1;
    return bNodes.length - aNodes.length || compareText(a, b);
  });
  const boxes = ordered.map(([id, members]) => {
    const sorted = [...members].sort((a, b) => compareText(a.address ?? a.id, b.address ?? b.id));
    const block = groupBlock(
      sorted.map((node) => node.id),
      internal.get(id) ?? [],
    );
    const first = members[0];
    const unmanaged = id === UNMANAGED_GROUP;
    return {
      id,
      unmanaged,
      label: unmanaged ? 'Unmanaged' : (first.module ?? 'root module'),
      detail: unmanaged ? 'in no state file' : first.stateFile ? baseName(first.stateFile) : '',
      block,
      width: Math.max(block.width + 2 * GROUP_PAD, 260),
      height: block.height + GROUP_PAD + GROUP_HEADER,
    };
  });
  const packed = shelfPack(boxes, GROUP_GAP);
  const groups: LaidOutGroup[] = [];
  const laidOut = new Map<string, { group: string; position: Point }>();
  const centres = new Map<string, Point>();
  for (const { box, x, y } of packed.placed) {
    groups.push({
      id: box.id,
      label: box.label,
      detail: box.detail,
      unmanaged: box.unmanaged,
      count: box.block.members.size,
      position: { x, y },
      width: box.width,
      height: box.height,
    });
    for (const [id, point] of box.block.members) {
      const position = { x: point.x + GROUP_PAD, y: point.y + GROUP_HEADER };
      laidOut.set(id, { group: box.id, position });
      centres.set(id, { x: x + position.x + NODE_WIDTH / 2, y: y + position.y + NODE_HEIGHT / 2 });
    }
  }
  return { groups, nodes: laidOut, centres };
}

/** A key that changes only when the graph's structure does (drift counts do not re-layout). */
export function structureKey(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): string {
  return `${nodes.map((node) => `${node.id}@${groupIdOf(node)}`).join('\n')}\n--\n${edges.map((edge) => edge.id).join('\n')}`;
}
