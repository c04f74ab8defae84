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
} from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { type Layout, layoutGraph, NODE_HEIGHT, NODE_WIDTH, structureKey } from '../lib/layout.js';
import type { Graph, GraphNode } from '../types.js';
import { type GroupNode, NODE_TYPES, type ResourceNode } from './GraphNodes.js';

interface GraphViewProps {
  readonly graph: Graph | null;
  readonly error: string | null;
  readonly selectedNode: string | null;
  readonly onSelectNode: (node: GraphNode | null) => void;
}

/** The name shown on a node: the address without its module prefix and type, or the id. */
function shortName(node: GraphNode): string {
  if (!node.address) return node.resourceId ?? node.id;
  const withoutModule = node.module ? node.address.slice(node.module.length + 1) : node.address;
  return withoutModule.startsWith(`${node.type}.`)
    ? withoutModule.slice(node.type.length + 1)
    : withoutModule;
}

const LARGE_GRAPH = 400;

function minimapClass(node: Node): string {
  if (node.type === 'group') return 'mm-group';
  const severity = (node as ResourceNode).data.severity;
  return severity && (node as ResourceNode).data.open > 0 ? `mm-node sev-${severity}` : 'mm-node';
}

function GraphCanvas({ graph, selectedNode, onSelectNode }: GraphViewProps & { readonly graph: Graph }) {
  const flow = useReactFlow();
  // Layout only when the structure changes: drift counts and selection only restyle nodes.
  const key = useMemo(() => structureKey(graph.nodes, graph.edges), [graph]);
  const cache = useRef<{ key: string; layout: Layout } | null>(null);
  if (cache.current?.key !== key) cache.current = { key, layout: layoutGraph(graph.nodes, graph.edges) };
  const layout = cache.current.layout;
  const byId = useMemo(() => new Map(graph.nodes.map((node) => [node.id, node])), [graph]);

  const nodes = useMemo(() => {
    const groups: GroupNode[] = layout.groups.map((group) => ({
      id: group.id,
      type: 'group',
      position: group.position,
      data: { label: group.label, detail: group.detail, count: group.count, unmanaged: group.unmanaged },
      // Fixed sizes: nothing waits for DOM measurement, and the minimap can draw every node.
      width: group.width,
      height: group.height,
      className: group.unmanaged ? 'rf-group unmanaged' : 'rf-group',
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
        },
        className: classes.join(' '),
        ariaLabel: `${node.address ?? node.resourceId ?? node.id}${severity ? `, ${node.drift.open} open drift(s)` : ''}`,
      });
    }
    return [...groups, ...resources] as Node[];
  }, [layout, graph, selectedNode]);

  const edges = useMemo<Edge[]>(
    () =>
      graph.edges
        .filter((edge) => layout.nodes.has(edge.source) && layout.nodes.has(edge.target))
        .map((edge) => {
          const active = edge.source === selectedNode || edge.target === selectedNode;
          return {
            id: edge.id,
            source: edge.source,
            target: edge.target,
            className: active ? 'rf-edge active' : 'rf-edge',
            markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 },
            focusable: false,
            zIndex: active ? 2 : 1,
          };
        }),
    [graph, layout, selectedNode],
  );

  // Follow selections made elsewhere (table, URL): bring the node into view.
  const lastFocused = useRef<string | null>(null);
  useEffect(() => {
    if (!selectedNode || selectedNode === lastFocused.current) return;
    const centre = layout.centres.get(selectedNode);
    if (!centre) return;
    lastFocused.current = selectedNode;
    flow.setCenter(centre.x, centre.y, { zoom: Math.max(flow.getZoom(), 0.9), duration: 350 });
  }, [selectedNode, layout, flow]);

  const [search, setSearch] = useState('');
  const matches = useMemo(() => {
    const term = search.trim().toLowerCase();
    if (!term) return [];
    return graph.nodes
      .filter((node) => (node.address ?? node.resourceId ?? node.id).toLowerCase().includes(term))
      .slice(0, 8);
  }, [search, graph]);
  const focusNode = (node: GraphNode) => {
    lastFocused.current = null;
    onSelectNode(node);
    setSearch('');
  };

  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={NODE_TYPES}
      colorMode="system"
      fitView
      fitViewOptions={{ padding: 0.08 }}
      minZoom={0.05}
      maxZoom={2}
      nodesDraggable={false}
      nodesConnectable={false}
      elementsSelectable={false}
      onlyRenderVisibleElements={graph.nodes.length > LARGE_GRAPH}
      onNodeClick={(_event, node) => {
        const resource = byId.get(node.id);
        if (resource) {
          lastFocused.current = node.id;
          onSelectNode(resource);
        }
      }}
    >
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
                <button type="button" onClick={() => focusNode(node)}>
                  {node.address ?? node.resourceId ?? node.id}
                </button>
              </li>
            ))}
          </ul>
        )}
      </Panel>
      <Panel position="top-right" className="graph-legend">
        <span>
          {graph.nodes.length} resources · {graph.edges.length} dependencies
        </span>
        {selectedNode && (
          <button type="button" className="link-button" onClick={() => onSelectNode(null)}>
            Clear selection
          </button>
        )}
      </Panel>
      <Background gap={24} size={1} />
      <Controls showInteractive={false} />
      <MiniMap pannable zoomable nodeClassName={minimapClass} />
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
