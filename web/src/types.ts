// Shapes of the HTTP API and live feed (docs/api.md). The domain types come from the core.
import type { Drift, Severity } from '../../lambdas/core/types.js';

export type {
  Actor,
  AttributeChange,
  Drift,
  DriftKind,
  DriftStatus,
  Severity,
} from '../../lambdas/core/types.js';

export interface GraphNode {
  readonly id: string;
  readonly address: string | null;
  readonly type: string;
  readonly module: string | null;
  readonly stateFile: string | null;
  readonly resourceId: string | null;
  readonly managed: boolean;
  readonly drift: { readonly open: number; readonly severity: Severity | null };
}

export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

export interface DriftPage {
  readonly items: Drift[];
  readonly nextCursor: string | null;
  readonly total?: number;
}

export interface DriftDetail extends Drift {
  readonly history?: Drift[];
}

export interface Summary {
  readonly open: Record<Severity, number>;
  readonly total: number;
  readonly lastEventTime: string | null;
}

export interface CognitoAuth {
  readonly type: 'cognito';
  readonly userPoolId: string;
  readonly clientId: string;
  readonly domain: string;
  readonly region: string;
}

export interface RuntimeConfig {
  readonly apiBase: string;
  readonly wsUrl: string;
  readonly auth: CognitoAuth | null;
  readonly consoleRegion?: string;
}

export type LiveMessage =
  | { readonly type: 'hello'; readonly cursor: string }
  | { readonly type: 'drift'; readonly drift: Drift; readonly cursor: string }
  | {
      readonly type: 'state';
      readonly files: number;
      readonly resources: number;
      readonly errors: number;
      readonly at: string;
    };

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
