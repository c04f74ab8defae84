import {
  Background,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  type ReactFlowInstance,
  ReactFlowProvider,
  useReactFlow,
  useStore,
} from '@xyflow/react';
import { type RefObject, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { flowEdges, flowNodes, groupDriftOf, minimapClass, readableViewport } from '../lib/graph-elements.js';
import { type Layout, layoutGraph, structureKey } from '../lib/layout.js';
import { useThemeAttribute } from '../lib/use-media.js';
import type { Drift, Graph, GraphNode } from '../types.js';
import { NODE_TYPES } from './GraphNodes.js';

interface GraphViewProps {
  readonly graph: Graph | null;
  readonly error: string | null;
  readonly selectedNode: string | null;
  /** The latest open drift of each node (by node id): who and which event, shown on the node. */
  readonly latest?: ReadonlyMap<string, Drift>;
  /** 'open': a click or Enter (filter the table, open the drift); 'locate': the search box. */
  readonly onSelectNode: (node: GraphNode | null, how?: 'open' | 'locate') => void;
}

/** Above this many resources, only what is in view is mounted, and zooming out shows groups only. */
const LARGE_GRAPH = 400;
/** Below this zoom a large graph shows its groups (with drift counts) instead of 2,000 tiny nodes. */
const OVERVIEW_ZOOM = 0.32;

const MINIMAP_SIZE = { width: 168, height: 112 };

type PaneSize = { readonly width: number; readonly height: number };
const shallowSize = (a: PaneSize, b: PaneSize) => a.width === b.width && a.height === b.height;

/** Layout only when the structure changes: drift counts and selection only restyle nodes. */
function useLayout(graph: Graph): Layout {
  const key = useMemo(() => structureKey(graph.nodes, graph.edges), [graph]);
  const cache = useRef<{ key: string; layout: Layout } | null>(null);
  if (cache.current?.key !== key) cache.current = { key, layout: layoutGraph(graph.nodes, graph.edges) };
  return cache.current.layout;
}

/**
 * Shows the graph readably (graph-elements.ts readableViewport) once the pane has a size, and again
 * when a new group appears: then on that group (it is the news).
 */
function useReadableFit(flow: ReactFlowInstance, graph: Graph, layout: Layout, pane: PaneSize): void {
  const paneSize = useRef(pane);
  paneSize.current = pane;
  const showReadably = useCallback(
    (duration: number, focusGroup?: string) => {
      const viewport = readableViewport(paneSize.current, graph, layout, focusGroup);
      if (viewport) flow.setViewport(viewport, { duration });
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
    if (first) showReadably(0);
    else if (added) showReadably(300, added);
  }, [layout, pane.width, pane.height, showReadably]);
}

/**
 * Follows selections made elsewhere (table, URL): brings the node into view unless it is already on
 * screen and readable. `lastFocused` is the node the graph itself selected (no need to move then).
 */
function useFollowSelection(
  flow: ReactFlowInstance,
  layout: Layout,
  selectedNode: string | null,
  pane: PaneSize,
  lastFocused: RefObject<string | null>,
): void {
  const paneSize = useRef(pane);
  paneSize.current = pane;
  useEffect(() => {
    if (!selectedNode || selectedNode === lastFocused.current) return;
    const centre = layout.centres.get(selectedNode);
    if (!centre) return;
    lastFocused.current = selectedNode;
    const { x, y, zoom } = flow.getViewport();
    const { width, height } = paneSize.current;
    const screen = { x: centre.x * zoom + x, y: centre.y * zoom + y };
    const visible = screen.x > 0 && screen.y > 0 && screen.x < width && screen.y < height;
    if (visible && zoom >= 0.5) return;
    flow.setCenter(centre.x, centre.y, { zoom: Math.max(zoom, 0.8), duration: 350 });
  }, [selectedNode, layout, flow, lastFocused]);
}

/** The search box, its matches and the graph's counts: one panel, so the count never covers the box. */
function GraphSearch({
  graph,
  selectedNode,
  onLocate,
  onClear,
}: {
  readonly graph: Graph;
  readonly selectedNode: string | null;
  readonly onLocate: (node: GraphNode) => void;
  readonly onClear: () => void;
}) {
  const [search, setSearch] = useState('');
  const matches = useMemo(() => {
    const term = search.trim().toLowerCase();
    if (!term) return [];
    return graph.nodes
      .filter((node) => (node.address ?? node.resourceId ?? node.id).toLowerCase().includes(term))
      .slice(0, 8);
  }, [search, graph]);
  const locate = (node: GraphNode) => {
    onLocate(node);
    setSearch('');
  };
  return (
    <Panel position="top-left" className="graph-search">
      <input
        type="search"
        placeholder="Find resource…"
        aria-label="Find resource in graph"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && matches[0]) locate(matches[0]);
          if (event.key === 'Escape') setSearch('');
        }}
      />
      {matches.length > 0 && (
        <ul className="graph-search-results">
          {matches.map((node) => (
            <li key={node.id}>
              <button type="button" className="result" onClick={() => locate(node)}>
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
          <button type="button" className="link-button" onClick={onClear}>
            Clear selection
          </button>
        )}
      </div>
    </Panel>
  );
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
  const layout = useLayout(graph);
  const byId = useMemo(() => new Map(graph.nodes.map((node) => [node.id, node])), [graph]);
  const large = graph.nodes.length > LARGE_GRAPH;
  // Re-renders only when the zoom crosses the threshold, not on every frame.
  const zoomedOut = useStore((state) => state.transform[2] < OVERVIEW_ZOOM);
  const overview = large && zoomedOut;
  const groupDrift = useMemo(() => groupDriftOf(graph, layout), [graph, layout]);
  const nodes = useMemo(
    () => flowNodes(graph, layout, groupDrift, { selectedNode, latest, overview }),
    [layout, graph, selectedNode, groupDrift, overview, latest],
  );
  const edges = useMemo(() => flowEdges(graph, layout, selectedNode), [graph, layout, selectedNode]);

  const pane = useStore((state) => ({ width: state.width, height: state.height }), shallowSize);
  const lastFocused = useRef<string | null>(null);
  useReadableFit(flow, graph, layout, pane);
  useFollowSelection(flow, layout, selectedNode, pane, lastFocused);
  const open = (resource: GraphNode) => {
    lastFocused.current = resource.id;
    onSelectNode(resource);
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
      onlyRenderVisibleElements={large}
      onKeyDown={(event) => {
        // Keyboard: Tab to a node, Enter selects it (as a click does).
        const target = event.target as HTMLElement;
        if (event.key !== 'Enter' || !target.classList.contains('react-flow__node')) return;
        const resource = byId.get(target.dataset.id ?? '');
        if (resource) open(resource);
      }}
      onNodeClick={(_event, node) => {
        const resource = byId.get(node.id);
        if (resource) return open(resource);
        // A group in the overview: zoom into it.
        const group = layout.groups.find((item) => item.id === node.id);
        if (group && overview)
          flow.fitBounds({ ...group.position, width: group.width, height: group.height }, { duration: 350 });
      }}
    >
      <GraphSearch
        graph={graph}
        selectedNode={selectedNode}
        // Search finds and centres a node; it does not filter the table (a click on the node does).
        onLocate={(node) => {
          lastFocused.current = null;
          onSelectNode(node, 'locate');
        }}
        onClear={() => onSelectNode(null)}
      />
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
