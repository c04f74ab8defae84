// The rule format (rules/*.yaml, documented in rules/README.md, validated by rules/schema.json).

import type { EventPattern } from './event-pattern.js';
import type { Severity } from './types.js';

export type ChangeKind = 'modify' | 'create' | 'delete';

/** How an event value changes the state attribute. */
export type AttributeOp =
  /** The event sets the attribute to this value (default). */
  | 'set'
  /** The event sets some keys of a map (tags): each differing key is a change `attr.key`. */
  | 'merge-map'
  /**
   * The event carries the whole new map (S3 PutBucketTagging): each key whose value differs is a
   * change `attr.key`, keys the event leaves out are removed.
   */
  | 'replace-map'
  /** The event removes keys of a map (untag): each key present in state is a change. */
  | 'remove-keys'
  /** The event adds items to a set (e.g. SG rules): items not yet in state are drift. */
  | 'add-to-set'
  /** The event removes items from a set: items that were in state are drift. */
  | 'remove-from-set';

export interface AttributeSpec {
  /** Terraform attribute as reported, e.g. `instance_type` or `versioning_configuration[0].status`. */
  readonly attribute: string;
  /** Where the expected value sits in state when not at `attribute` (first path with a value wins). */
  readonly state?: string | readonly string[];
  /** Where the new value sits in the CloudTrail record (paths from the record root). */
  readonly path?: string;
  /**
   * Path of the whole configuration the call carries (S3 `PutBucket*` bodies): when the record holds
   * it but not `path`, the call left the attribute unset, and that is compared (as null).
   */
  readonly configuration?: string;
  /** A fixed new value, for calls whose name says it (StopLogging → enable_logging false). */
  readonly value?: unknown;
  /** Normaliser applied to both sides (values.ts NORMALISERS); default `raw`. */
  readonly normalise?: string;
  readonly op?: AttributeOp;
  /** Treat both values as secret. Secret-named attributes are secret anyway. */
  readonly sensitive?: boolean;
  /**
   * A dedicated resource that takes this attribute over (aws_opensearch_domain_policy for a domain's
   * access_policies): when the state holds one for the call, the attribute is reported there (by the
   * rule that targets it) and not on this resource; the value still counts as seen here.
   */
  readonly splitInto?: { readonly types: readonly string[]; readonly identity: readonly IdentitySpec[] };
}

export interface IdentitySpec {
  /** Path to the identifying value in the record, e.g. `requestParameters.instanceId`. */
  readonly path?: string;
  /** Or a template joining several paths: `{requestParameters.roleName}:{requestParameters.policyName}`. */
  readonly template?: string;
  /** What the value is: `id`, `arn`, or the name of a state attribute (`bucket`, `function_name`). */
  readonly by: string;
  /** Transform applied to the value first (a normaliser name, e.g. `arn-name`). */
  readonly transform?: string;
  /**
   * Further state attributes the resource must hold, each mapped to a record path:
   * `{policy_arn: requestParameters.policyArn}` picks one `aws_iam_role_policy_attachment` of a role.
   * When a path is missing in the record this identity does not apply.
   */
  readonly where?: Readonly<Record<string, string>>;
}

export interface TargetSpec {
  /** Terraform resource types this target can be. */
  readonly types: readonly string[];
  /** Overrides the rule's change kind for this target (a split resource deleted vs a bucket modified). */
  readonly change?: ChangeKind;
  /** Per-item targets only (a template identity with `[*]`): pattern over each item; others skip it. */
  readonly when?: EventPattern;
  readonly identity: readonly IdentitySpec[];
  readonly attributes?: readonly AttributeSpec[];
}

export interface EscalationSpec {
  readonly severity: Severity;
  /** EventBridge-style pattern over the CloudTrail record. */
  readonly when: EventPattern;
  readonly reason?: string;
}

export interface RuleSpec {
  readonly id: string;
  readonly description?: string;
  /** Defaults to the file's eventSource. */
  readonly eventSource?: string;
  readonly eventNames: readonly string[];
  /** Only records matching this pattern (e.g. one attribute of ModifyInstanceAttribute). */
  readonly when?: EventPattern;
  readonly change: ChangeKind;
  readonly severity: Severity;
  readonly escalate?: readonly EscalationSpec[];
  /** Tried in order; the first whose resource is in state produces the finding. */
  readonly targets: readonly TargetSpec[];
  /** Provider version the identity/attribute mapping assumes, when it matters. */
  readonly provider?: string;
  /** Free-form notes for the coverage document. */
  readonly notes?: string;
}

export interface RuleFile {
  readonly service: string;
  readonly eventSource: string;
  readonly rules: readonly RuleSpec[];
}
