import {
  Background,
  Controls,
  type Edge,
  MarkerType,
  MiniMap,
  type Node,
  Panel,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { displayEventName } from '../../../lambdas/core/display.js';
import { actorLabel, shortTime } from '../lib/format.js';
import { type Layout, layoutGraph, NODE_HEIGHT, NODE_WIDTH, structureKey } from '../lib/layout.js';
import { useThemeAttribute } from '../lib/use-media.js';
import type { Drift, Graph, GraphNode } from '../types.js';
import { type GroupNode, NODE_TYPES, type ResourceNode } from './GraphNodes.js';

interface GraphViewProps {
  readonly graph: Graph | null;
  readonly error: string | null;
  readonly selectedNode: string | null;
  /** The latest open drift of each node (by node id): who and which event, shown on the node. */
  readonly latest?: ReadonlyMap<string, Drift>;
  /** 'open': a click or Enter (filter the table, open the drift); 'locate': the search box. */
  readonly onSelectNode: (node: GraphNode | null, how?: 'open' | 'locate') => void;
}

/**
 * The first fit (and a re-fit) never zooms out below this: node names (12 px) stay at 9 px or more
 * and types (11 px) at 8 px or more. A graph that does not fit is shown from its worst drift.
 */
export const MIN_FIT_ZOOM = 0.75;
const FIT_PADDING = 24;
/** Room at the top for the search box and the count under it, so that they cover no node. */
const FIT_TOP = 84;

/** The name shown on a node: the address without its module prefix and type, or the id. */
function shortName(node: GraphNode): string {
  if (!node.address) return node.resourceId ?? node.id;
  const withoutModule = node.module ? node.address.slice(node.module.length + 1) : node.address;
  return withoutModule.startsWith(`${node.type}.`)
    ? withoutModule.slice(node.type.length + 1)
    : withoutModule;
}

/** Above this many resources, only what is in view is mounted, and zooming out shows groups only. */
const LARGE_GRAPH = 400;
/** Below this zoom a large graph shows its groups (with drift counts) instead of 2,000 tiny nodes. */
const OVERVIEW_ZOOM = 0.32;

const MINIMAP_SIZE = { width: 168, height: 112 };

const shallowSize = (a: { width: number; height: number }, b: { width: number; height: number }) =>
  a.width === b.width && a.height === b.height;

const SEVERITY_RANK = { low: 1, medium: 2, high: 3, critical: 4 } as const;

function minimapClass(node: Node): string {
  if (node.type === 'group') {
    const worst = (node as GroupNode).data.worst;
    return worst ? `mm-group sev-${worst}` : 'mm-group';
  }
  const severity = (node as ResourceNode).data.severity;
  return severity && (node as ResourceNode).data.open > 0 ? `mm-node sev-${severity}` : 'mm-node';
}

function GraphCanvas({
  graph,
  selectedNode,
  latest,
  onSelectNode,
}: GraphViewProps & { readonly graph: Graph }) {
  const flow = useReactFlow();
  // React Flow's own colours follow the page's theme.
  const colorMode = useThemeAttribute();
  // Layout only when the structure changes: drift counts and selection only restyle nodes.
  const key = useMemo(() => structureKey(graph.nodes, graph.edges), [graph]);
  const cache = useRef<{ key: string; layout: Layout } | null>(null);
  if (cache.current?.key !== key) cache.current = { key, layout: layoutGraph(graph.nodes, graph.edges) };
  const layout = cache.current.layout;
  const byId = useMemo(() => new Map(graph.nodes.map((node) => [node.id, node])), [graph]);
  const large = graph.nodes.length > LARGE_GRAPH;
  // Re-renders only when the zoom crosses the threshold, not on every frame.
  const zoomedOut = useStore((state) => state.transform[2] < OVERVIEW_ZOOM);
  const overview = large && zoomedOut;
  const groupDrift = useMemo(() => {
    const drift = new Map<string, { drifted: number; worst: GraphNode['drift']['severity'] }>();
    for (const node of graph.nodes) {
      const group = layout.nodes.get(node.id)?.group;
      if (!group || node.drift.open === 0) continue;
      const current = drift.get(group) ?? { drifted: 0, worst: null };
      const severity = node.drift.severity;
      const worse = severity && (!current.worst || SEVERITY_RANK[severity] > SEVERITY_RANK[current.worst]);
      drift.set(group, { drifted: current.drifted + 1, worst: worse ? severity : current.worst });
    }
    return drift;
  }, [graph, layout]);

  const nodes = useMemo(() => {
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
    return [...groups, ...resources] as Node[];
  }, [layout, graph, selectedNode, groupDrift, overview, latest]);

  const edges = useMemo<Edge[]>(
    () =>
      graph.edges
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
        }),
    [graph, layout, selectedNode],
  );

  // Follow selections made elsewhere (table, URL): bring the node into view.
  const lastFocused = useRef<string | null>(null);
  const paneSize = useRef({ width: 0, height: 0 });
  const pane = useStore((state) => ({ width: state.width, height: state.height }), shallowSize);
  paneSize.current = pane;

  // Fit the whole graph when it is readable that way; otherwise the readable zoom, on the worst
  // drift (or the top left). Runs once the pane has a size, and again when a new group appears:
  // then on that group (it is the news).
  const fitReadable = useCallback(
    (duration = 0, focusGroup?: string) => {
      const { width, height } = paneSize.current;
      if (!width || !height || layout.groups.length === 0) return;
      const left = Math.min(...layout.groups.map((g) => g.position.x));
      const top = Math.min(...layout.groups.map((g) => g.position.y));
      const right = Math.max(...layout.groups.map((g) => g.position.x + g.width));
      const bottom = Math.max(...layout.groups.map((g) => g.position.y + g.height));
      const zoom = Math.min(
        (width - 2 * FIT_PADDING) / (right - left),
        (height - FIT_TOP - FIT_PADDING) / (bottom - top),
        1.25,
      );
      if (zoom >= MIN_FIT_ZOOM) {
        flow.setViewport(
          {
            x: (width - (right - left) * zoom) / 2 - left * zoom,
            y: FIT_TOP + (height - FIT_TOP - FIT_PADDING - (bottom - top) * zoom) / 2 - top * zoom,
            zoom,
          },
          { duration },
        );
        return;
      }
      // Too big to read whole: from the top left (group titles in view), moved only as far as it
      // takes to bring the worst drift on screen.
      const worst = [...graph.nodes]
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
      const along = (size: number, start: number, low: number, high: number, middle: number, half: number) =>
        (high - low) * z + start + FIT_PADDING <= size
          ? start + (size - start - FIT_PADDING - (high - low) * z) / 2 - low * z
          : Math.min(start - low * z, size - FIT_PADDING - (middle + half) * z);
      flow.setViewport(
        {
          x: along(width, FIT_PADDING, left, right, centre.x, half.x),
          y: along(height, FIT_TOP, top, bottom, centre.y, half.y),
          zoom: z,
        },
        { duration },
      );
    },
    [flow, layout, graph],
  );
  const seenGroups = useRef<Set<string> | null>(null);
  useEffect(() => {
    if (!pane.width || !pane.height) return;
    const ids = layout.groups.map((group) => group.id);
    const first = !seenGroups.current?.size;
    const added = ids.find((id) => !seenGroups.current?.has(id));
    seenGroups.current = new Set([...(seenGroups.current ?? []), ...ids]);
    if (first) fitReadable(0);
    else if (added) fitReadable(300, added);
  }, [layout, pane.width, pane.height, fitReadable]);
  useEffect(() => {
    if (!selectedNode || selectedNode === lastFocused.current) return;
    const centre = layout.centres.get(selectedNode);
    if (!centre) return;
    lastFocused.current = selectedNode;
    // Leave the view alone when the node is already on screen and readable.
    const { x, y, zoom } = flow.getViewport();
    const pane = paneSize.current;
    const screen = { x: centre.x * zoom + x, y: centre.y * zoom + y };
    const visible = screen.x > 0 && screen.y > 0 && screen.x < pane.width && screen.y < pane.height;
    if (visible && zoom >= 0.5) return;
    flow.setCenter(centre.x, centre.y, { zoom: Math.max(zoom, 0.8), duration: 350 });
  }, [selectedNode, layout, flow]);

  const [search, setSearch] = useState('');
  const matches = useMemo(() => {
    const term = search.trim().toLowerCase();
    if (!term) return [];
    return graph.nodes
      .filter((node) => (node.address ?? node.resourceId ?? node.id).toLowerCase().includes(term))
      .slice(0, 8);
  }, [search, graph]);
  // Search finds and centres a node; it does not filter the table (a click on the node does).
  const focusNode = (node: GraphNode) => {
    lastFocused.current = null;
    onSelectNode(node, 'locate');
    setSearch('');
  };

  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      colorMode={colorMode}
      minZoom={0.05}
      maxZoom={2}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      onlyRenderVisibleElements={graph.nodes.length > LARGE_GRAPH}
      onKeyDown={(event) => {
        // Keyboard: Tab to a node, Enter selects it (as a click does).
        const target = event.target as HTMLElement;
        if (event.key !== 'Enter' || !target.classList.contains('react-flow__node')) return;
        const resource = byId.get(target.dataset.id ?? '');
        if (resource) {
          lastFocused.current = resource.id;
          onSelectNode(resource);
        }
      }}
      onNodeClick={(_event, node) => {
        const resource = byId.get(node.id);
        if (resource) {
          lastFocused.current = node.id;
          onSelectNode(resource);
          return;
        }
        // A group in the overview: zoom into it.
        const group = layout.groups.find((item) => item.id === node.id);
        if (group && overview)
          flow.fitBounds({ ...group.position, width: group.width, height: group.height }, { duration: 350 });
      }}
    >
      {/* One panel: the count sits beside (or under) the search box, so it can never cover it. */}
      <Panel position="top-left" className="graph-search">
        <input
          type="search"
          placeholder="Find resource…"
          aria-label="Find resource in graph"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && matches[0]) focusNode(matches[0]);
            if (event.key === 'Escape') setSearch('');
          }}
        />
        {matches.length > 0 && (
          <ul className="graph-search-results">
            {matches.map((node) => (
              <li key={node.id}>
                <button type="button" className="result" onClick={() => focusNode(node)}>
                  {node.address ?? node.resourceId ?? node.id}
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="graph-legend" data-testid="graph-legend">
          <span>
            {graph.nodes.length} resources · {graph.edges.length} dependencies
          </span>
          {selectedNode && (
            <button type="button" className="link-button" onClick={() => onSelectNode(null)}>
              Clear selection
            </button>
          )}
        </div>
      </Panel>
      <Background gap={24} size={1} />
      <Controls showInteractive={false} />
      <MiniMap pannable zoomable nodeClassName={minimapClass} style={MINIMAP_SIZE} />
    </ReactFlow>
  );
}

export function GraphView(props: GraphViewProps) {
  if (props.error && !props.graph) return <div className="empty">Graph unavailable: {props.error}</div>;
  if (!props.graph) return <div className="empty">Loading graph…</div>;
  if (props.graph.nodes.length === 0) return <div className="empty">No resources in the loaded state.</div>;
  return (
    <ReactFlowProvider>
      <GraphCanvas {...props} graph={props.graph} />
    </ReactFlowProvider>
  );
}
