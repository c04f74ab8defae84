// Shapes of the HTTP API and live feed (docs/api.md). The domain types come from the core.
import type { Drift, Severity } from '../../lambdas/core/types.js';

export type { Graph, GraphEdge, GraphNode } from '../../lambdas/core/graph.js';
export type {
  Drift,
  DriftKind,
  DriftStatus,
  Severity,
} from '../../lambdas/core/types.js';
export type { DriftPage, LiveMessage } from '../../lambdas/ports.js';

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

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
