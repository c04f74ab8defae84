import { Handle, type Node, type NodeProps, Position } from '@xyflow/react';
import { memo } from 'react';
import type { Severity } from '../types.js';

export type ResourceNodeData = {
  readonly name: string;
  readonly type: string;
  readonly open: number;
  readonly severity: Severity | null;
  readonly managed: boolean;
  /** Of the latest open drift: who and which API call. */
  readonly actor?: string | null;
  readonly event?: string | null;
  /** "PutBucketVersioning by alice at 12-04 10:00:00 UTC" */
  readonly lastText?: string | null;
};

export type GroupNodeData = {
  readonly label: string;
  readonly detail: string;
  readonly count: number;
  readonly unmanaged: boolean;
  readonly drifted: number;
  readonly worst: Severity | null;
  /** Zoomed-out large graph: the group stands in for its resources. */
  readonly overview: boolean;
};

export type ResourceNode = Node<ResourceNodeData, 'resource'>;
export type GroupNode = Node<GroupNodeData, 'group'>;

export const ResourceNodeView = memo(function ResourceNodeView({ data }: NodeProps<ResourceNode>) {
  return (
    <div
      className="rn"
      title={`${data.type} ${data.name}${data.lastText ? `\n${data.open} open drift(s); last: ${data.lastText}` : ''}`}
    >
      <Handle type="target" position={Position.Right} isConnectable={false} />
      <div className="rn-text">
        <div className="rn-name">{data.name}</div>
        <div className="rn-type">
          {data.actor && data.event ? (
            // The event gives way first: a long name ends in an ellipsis, the actor stays readable.
            <span className="rn-last" data-testid="node-last">
              <span className="rn-event">{data.event}</span>
              <span className="rn-sep"> · </span>
              <span className="rn-actor">{data.actor}</span>
            </span>
          ) : (
            data.type
          )}
        </div>
      </div>
      {data.open > 0 && data.severity && (
        <span
          className={`rn-count sev-${data.severity}`}
          title={`${data.open} open drift(s), worst ${data.severity}`}
        >
          {data.open}
        </span>
      )}
      <Handle type="source" position={Position.Left} isConnectable={false} />
    </div>
  );
});

export const GroupNodeView = memo(function GroupNodeView({ data }: NodeProps<GroupNode>) {
  if (data.overview) {
    return (
      <div className={`gn-overview${data.worst ? ` sev-${data.worst}` : ''}`}>
        <div className="gn-overview-label">{data.label}</div>
        <div className="gn-overview-detail">{data.detail}</div>
        <div className="gn-overview-count">
          {data.count} resources{data.drifted ? ` · ${data.drifted} drifted` : ''}
        </div>
      </div>
    );
  }
  return (
    <div className="gn-header">
      <span className="gn-label">{data.label}</span>
      {data.detail && <span className="gn-detail">{data.detail}</span>}
      <span className="gn-count">{data.count}</span>
    </div>
  );
});

export const NODE_TYPES = { resource: ResourceNodeView, group: GroupNodeView };
