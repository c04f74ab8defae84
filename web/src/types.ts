// Shapes of the HTTP API and live feed (docs/api.md). The domain types come from the core.
import { type Drift, SEVERITIES_WORST_FIRST } from '../../lambdas/core/types.js';

export type { Graph, GraphEdge, GraphNode } from '../../lambdas/core/graph.js';
export type {
  Drift,
  DriftKind,
  DriftStatus,
  Severity,
  Summary,
} from '../../lambdas/core/types.js';
export type { DriftPage, LiveMessage } from '../../lambdas/ports.js';

export interface DriftDetail extends Drift {
  readonly history?: Drift[];
}

export interface CognitoAuth {
  readonly type: 'cognito';
  readonly userPoolId: string;
  readonly clientId: string;
  readonly domain: string;
  readonly region: string;
  /** The Cognito group whose members may start a backfill (the stack's ADMIN_GROUP); none: nobody. */
  readonly adminGroup?: string;
}

export interface RuntimeConfig {
  readonly apiBase: string;
  readonly wsUrl: string;
  readonly auth: CognitoAuth | null;
  readonly consoleRegion?: string;
}

export const SEVERITY_ORDER = SEVERITIES_WORST_FIRST;
