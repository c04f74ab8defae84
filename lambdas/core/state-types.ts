// Shapes of the Terraform state index the detector looks resources up in.

/** One managed resource instance from a tfstate file. */
export interface StateResource {
  /** Full address: module.a.module.b.aws_x.name["key"] or aws_x.name[0]. */
  readonly address: string;
  readonly type: string;
  readonly name: string;
  /** module.a.module.b, or null at the root. */
  readonly module: string | null;
  /** index_key from count (number) or for_each (string); null when neither. */
  readonly indexKey: string | number | null;
  readonly provider: string;
  readonly id: string | null;
  readonly arn: string | null;
  /** Attributes as stored in state (may hold secrets: never let them out of the core unredacted). */
  readonly attributes: Record<string, unknown>;
  /** Top-level attribute names listed in sensitive_attributes (any depth collapses to its root name). */
  readonly sensitive: ReadonlySet<string>;
  /** Addresses (without instance keys) this resource depends on. */
  readonly dependencies: readonly string[];
  readonly stateFile: string;
  readonly schemaVersion: number;
}

export interface StateFileInfo {
  readonly file: string;
  readonly serial: number | null;
  readonly lineage: string | null;
  readonly terraformVersion: string | null;
  readonly resourceCount: number;
  /** Workspace, when the key tells (env:/NAME/... or terraform.tfstate.d/NAME/...). */
  readonly workspace: string | null;
}

export interface StateLoadError {
  readonly file: string;
  readonly message: string;
}

/**
 * Where a managed resource lives, as far as its state tells: from its ARN, the provider v6 `region`
 * attribute, or (when it stores neither) what the ARNs of its state file's resources under the same
 * provider agree on. Null where nothing tells (then any account or region matches).
 */
export interface ResourceScope {
  readonly account: string | null;
  readonly region: string | null;
  /** A global resource (an ARN without region: IAM, Route 53, CloudFront, …): scoped by account only. */
  readonly global: boolean;
}

/** A read-only index over one or more state files. */
export interface StateIndex {
  readonly resources: readonly StateResource[];
  readonly files: readonly StateFileInfo[];
  readonly errors: readonly StateLoadError[];
  /** Instances whose id equals `id` (any type unless types given). */
  byId(id: string, types?: readonly string[]): StateResource[];
  byArn(arn: string, types?: readonly string[]): StateResource[];
  /** Instances of the given types whose attribute `attribute` equals `value` (top-level, string compare). */
  byAttribute(attribute: string, value: string, types?: readonly string[]): StateResource[];
  byAddress(address: string): StateResource | undefined;
  /** The account and region the resource lives in (see ResourceScope). */
  scopeOf(resource: StateResource): ResourceScope;
}
