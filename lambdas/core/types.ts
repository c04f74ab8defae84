// The domain's shared vocabulary. Everything here is plain data (JSON-serialisable) so that the
// same values travel through Lambda, DynamoDB, the HTTP API, the WebSocket and the CLI unchanged.

export type Severity = 'low' | 'medium' | 'high' | 'critical';
/** Least to most severe: a severity's index is its rank. */
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];
/** Most severe first, as lists and counts are shown. */
export const SEVERITIES_WORST_FIRST: readonly Severity[] = [...SEVERITIES].reverse();

export type DriftKind = 'modified' | 'deleted' | 'unmanaged';
export const DRIFT_KINDS: readonly DriftKind[] = ['modified', 'deleted', 'unmanaged'];

export type DriftStatus = 'open' | 'acknowledged' | 'resolved';
export const DRIFT_STATUSES: readonly DriftStatus[] = ['open', 'acknowledged', 'resolved'];

/** Open drifts by severity, all drifts, and the newest event's time (GET /summary). */
export interface Summary {
  readonly open: Record<Severity, number>;
  readonly total: number;
  readonly lastEventTime: string | null;
}

/** How the call was made, as far as the user agent and identity tell. */
export type CallChannel = 'console' | 'cli' | 'sdk' | 'terraform' | 'service' | 'unknown';

/** Who made a call. Every string here comes from CloudTrail and is attacker-controlled. */
export interface Actor {
  /** userIdentity.type: IAMUser, AssumedRole, Root, FederatedUser, AWSService, AWSAccount, IdentityCenterUser, ... */
  readonly type: string;
  /** The principal ARN (for an assumed role: the session ARN). */
  readonly arn: string | null;
  /** The person or thing, as best known: user name, role session name (often an email for SSO), service. */
  readonly name: string | null;
  readonly accountId: string | null;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  /** For assumed roles: the role ARN from sessionIssuer. */
  readonly roleArn?: string | null;
  /** True when the role is an IAM Identity Center (SSO) permission-set role. */
  readonly sso?: boolean;
  readonly channel?: CallChannel;
  /** AWS service that made the call on the principal's behalf (userIdentity.invokedBy). */
  readonly invokedBy?: string | null;
  /** IAM Identity Center user id the call was made for (userIdentity.onBehalfOf.userId). */
  readonly onBehalfOf?: string | null;
}

/** One CloudTrail record, normalised. `raw` keeps the record as received (for display and rules). */
export interface CloudTrailEvent {
  readonly id: string;
  readonly source: string;
  readonly name: string;
  readonly time: string;
  readonly region: string;
  readonly account: string;
  readonly readOnly: boolean;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly eventType: string;
  readonly eventVersion: string | null;
  readonly actor: Actor;
  readonly request: Record<string, unknown> | null;
  readonly response: Record<string, unknown> | null;
  readonly raw: Record<string, unknown>;
}

export interface ResourceRef {
  /** Terraform resource type, e.g. aws_instance. */
  readonly type: string;
  /** Full address, e.g. module.app.aws_instance.web[0]; null for unmanaged resources. */
  readonly address: string | null;
  readonly id: string | null;
  readonly arn: string | null;
  /** State file the resource came from (path or s3://bucket/key); null for unmanaged. */
  readonly stateFile: string | null;
}

export interface AttributeChange {
  /** Terraform attribute path, e.g. instance_type, tags.Env, versioning_configuration[0].status. */
  readonly attribute: string;
  /** Value in state ("(sensitive)" when secret). */
  readonly expected: unknown;
  /** Value the event set ("(sensitive)" when secret). */
  readonly actual: unknown;
}

export interface FindingEvent {
  readonly id: string;
  readonly name: string;
  readonly source: string;
  readonly time: string;
  readonly region: string;
  readonly account: string;
}

/** One event of a net finding, with who made it (every string from CloudTrail). */
export interface NetFindingEvent extends FindingEvent {
  readonly actor: Pick<Actor, 'type' | 'arn' | 'name'>;
}

/** The contract of DESIGN.md §4: what scan prints, the store keeps and the dashboard shows. */
export interface Finding {
  readonly id: string;
  readonly kind: DriftKind;
  readonly severity: Severity;
  readonly ruleId: string;
  readonly resource: ResourceRef;
  readonly changes: readonly AttributeChange[];
  readonly actor: Actor;
  readonly event: FindingEvent;
  /** One human sentence: what happened (built from the fields above). */
  readonly summary: string;
  /**
   * Net findings only (scan's default): every event that touched this resource and attribute, in
   * time order; the last of them is `event` (and its principal `actor`). Absent on per-event findings.
   */
  readonly events?: readonly NetFindingEvent[];
  /**
   * True when an AWS service made the change through a service-linked role (Auto Scaling acting on
   * a configuration): not someone's hand change. Absent otherwise.
   */
  readonly serviceDriven?: boolean;
  /**
   * True when a backfill of CloudTrail event history found it (a change made before tfdrift
   * watched, e.g. at install): alerted in one summary, not one by one. Absent otherwise.
   */
  readonly backfilled?: boolean;
  /** Net findings only: each distinct principal among `events`, in order of first appearance. */
  readonly actors?: readonly Pick<Actor, 'type' | 'arn' | 'name'>[];
}

/** A finding as stored: the finding plus its lifecycle. */
export interface Drift extends Finding {
  readonly status: DriftStatus;
  /** When the detector recorded it (ISO). */
  readonly detectedAt: string;
  readonly statusChangedAt?: string;
  readonly statusChangedBy?: string;
  readonly statusComment?: string;
  /** The raw CloudTrail record, with secret-named fields scrubbed. */
  readonly rawEvent?: Record<string, unknown>;
}

/** Why an event produced no finding. */
export type IgnoreReason =
  | 'read-only'
  | 'failed-call'
  | 'terraform'
  | 'ignored-principal'
  | 'ignored-event'
  | 'ignored-resource'
  | 'ignored-attribute'
  | 'no-rule'
  | 'not-managed'
  | 'no-change'
  | 'not-in-state'
  /** An AWS service changed a resource whose scaling configuration Terraform manages. */
  | 'service-driven';

export type EventOutcome =
  | { readonly result: 'drift'; readonly findings: readonly Finding[] }
  | { readonly result: 'ignored'; readonly reason: IgnoreReason; readonly detail?: string }
  | { readonly result: 'error'; readonly error: string };

/** One processed event with its outcome (GET /api/v1/events, scan summaries). */
export interface ProcessedEvent {
  readonly eventId: string;
  readonly name: string;
  readonly source: string;
  readonly time: string;
  readonly actor: string | null;
  readonly outcome: EventOutcome;
  /** True when the event was a Terraform write: callers should reload state. */
  readonly stateWrite?: boolean;
  /** Managed attributes the call set back to the value in state: earlier drift of them is over. */
  readonly restored?: readonly RestoredValues[];
}

/** Attributes of one managed resource that a call set to the value the state holds. */
export interface RestoredValues {
  readonly address: string;
  readonly stateFile: string;
  readonly attributes: readonly string[];
}

export const SENSITIVE = '(sensitive)';
