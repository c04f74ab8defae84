// The resource graph for GET /api/v1/graph (docs/api.md): one node per managed resource instance,
// edges from state `dependencies`, unmanaged drifts as extra nodes, each node with its open drift.

import { configAddress } from './state.js';
import type { StateIndex, StateResource } from './state-types.js';
import type { Drift, Severity } from './types.js';
import { SEVERITIES } from './types.js';

export interface GraphNode {
  /** The address, or "unmanaged:" + type + ":" + id. */
  readonly id: string;
  readonly address: string | null;
  readonly type: string;
  readonly module: string | null;
  readonly stateFile: string | null;
  readonly resourceId: string | null;
  readonly managed: boolean;
  readonly drift: { readonly open: number; readonly severity: Severity | null };
}

/** source depends on target. */
export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
}

export interface Graph {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
}

interface MutableNode {
  id: string;
  address: string | null;
  type: string;
  module: string | null;
  stateFile: string | null;
  resourceId: string | null;
  managed: boolean;
  open: number;
  severity: Severity | null;
}

export function buildGraph(index: StateIndex, drifts: readonly Drift[]): Graph {
  const nodes = new Map<string, MutableNode>();
  // Per state file: a managed node id by its full address, and node ids by config address
  // (dependencies name a resource without instance keys, so they fan out to every instance).
  const byFile = new Map<string, { instances: Map<string, string>; configs: Map<string, string[]> }>();

  for (const resource of index.resources) {
    const id = nodes.has(resource.address) ? `${resource.stateFile}#${resource.address}` : resource.address;
    nodes.set(id, managedNode(id, resource));
    const file = fileEntry(byFile, resource.stateFile);
    file.instances.set(resource.address, id);
    const config = configAddress(resource.address);
    const siblings = file.configs.get(config);
    if (siblings) siblings.push(id);
    else file.configs.set(config, [id]);
  }

  const edges = new Map<string, GraphEdge>();
  for (const resource of index.resources) {
    const file = byFile.get(resource.stateFile)!;
    const source = file.instances.get(resource.address)!;
    for (const dependency of resource.dependencies) {
      // Data sources and other non-resources are not in the index: no edge.
      for (const target of file.configs.get(configAddress(dependency)) ?? []) {
        if (target === source) continue;
        const id = `${source}->${target}`;
        edges.set(id, { id, source, target });
      }
    }
  }

  for (const drift of drifts) attachDrift(nodes, byFile, drift);

  return {
    nodes: [...nodes.values()].sort(byId).map(freeze),
    edges: [...edges.values()].sort(byId),
  };
}

function managedNode(id: string, resource: StateResource): MutableNode {
  return {
    id,
    address: resource.address,
    type: resource.type,
    module: resource.module,
    stateFile: resource.stateFile,
    resourceId: resource.id,
    managed: true,
    open: 0,
    severity: null,
  };
}

function fileEntry(
  byFile: Map<string, { instances: Map<string, string>; configs: Map<string, string[]> }>,
  stateFile: string,
) {
  let entry = byFile.get(stateFile);
  if (!entry) {
    entry = { instances: new Map(), configs: new Map() };
    byFile.set(stateFile, entry);
  }
  return entry;
}

function attachDrift(
  nodes: Map<string, MutableNode>,
  byFile: Map<string, { instances: Map<string, string> }>,
  drift: Drift,
): void {
  const { resource } = drift;
  let id: string;
  if (drift.kind === 'unmanaged' || resource.address === null) {
    id = `unmanaged:${resource.type}:${resource.id ?? resource.arn ?? drift.id}`;
    if (!nodes.has(id)) {
      nodes.set(id, {
        id,
        address: null,
        type: resource.type,
        module: null,
        stateFile: null,
        resourceId: resource.id ?? resource.arn,
        managed: false,
        open: 0,
        severity: null,
      });
    }
  } else {
    const known = resource.stateFile
      ? byFile.get(resource.stateFile)?.instances.get(resource.address)
      : undefined;
    id = known ?? resource.address;
    if (!nodes.has(id)) {
      // The resource left the state since the drift was found (e.g. deleted and removed): keep it
      // visible so its open drift is not hidden.
      nodes.set(id, {
        id,
        address: resource.address,
        type: resource.type,
        module: moduleOf(resource.address),
        stateFile: resource.stateFile,
        resourceId: resource.id,
        managed: true,
        open: 0,
        severity: null,
      });
    }
  }
  if (drift.status !== 'open') return;
  const node = nodes.get(id)!;
  node.open++;
  if (node.severity === null || SEVERITIES.indexOf(drift.severity) > SEVERITIES.indexOf(node.severity)) {
    node.severity = drift.severity;
  }
}

/** module.a[0].module.b.aws_x.y["k"] → module.a[0].module.b (null at the root). */
function moduleOf(address: string): string | null {
  const parts: string[] = [];
  const pattern = /module\.[^.[]+(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?\./y;
  let match = pattern.exec(address);
  while (match) {
    parts.push(match[0].slice(0, -1));
    match = pattern.exec(address);
  }
  return parts.length > 0 ? parts.join('.') : null;
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function freeze(node: MutableNode): GraphNode {
  const { open, severity, ...rest } = node;
  return { ...rest, drift: { open, severity } };
}
