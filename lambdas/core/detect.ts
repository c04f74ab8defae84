// The analyser: one normalised CloudTrail event + rules + state index → findings. No I/O.
// Order of judgement: failed → read-only → Terraform's own → ignored principal/event → rules →
// state look-up → modified / deleted / unmanaged, values compared after normalisation, secrets redacted.

import { isTerraformUserAgent } from './cloudtrail.js';
import { anyGlob, type DetectConfig } from './config.js';
import { displayEventName, displayValue } from './display.js';
import { matchesPattern } from './event-pattern.js';
import { stableHash } from './hash.js';
import { valueAt, valuesAt } from './paths.js';
import { isSensitive } from './redact.js';
import type { AttributeSpec, IdentitySpec, TargetSpec } from './rule-types.js';
import type { CompiledRule, RuleSet } from './rules.js';
import type { StateIndex, StateResource } from './state-types.js';
import { compareText } from './text-order.js';
import {
  type AttributeChange,
  type CloudTrailEvent,
  type DriftKind,
  type Finding,
  type IgnoreReason,
  type ProcessedEvent,
  type RestoredValues,
  SENSITIVE,
  SEVERITIES,
  type Severity,
} from './types.js';
import { canonical, NORMALISERS, sameValue, tagKeys, tagMap } from './values.js';

export interface DetectContext {
  readonly rules: RuleSet;
  readonly state: StateIndex;
  readonly config: DetectConfig;
  /**
   * The caller only folds the findings (NetFold), which reads their kind, resource, rule and
   * severity: their ids and summaries are left empty (hashing and wording every drifting event's
   * finding was a tenth of a scan's detection time). @default false
   */
  readonly foldOnly?: boolean;
}

export interface DetectError {
  readonly eventId: string | null;
  readonly message: string;
}

/**
 * What one call did to one managed attribute, judged against the state: the raw material of net
 * drift (scan folds these per resource and attribute in time order). Values are redacted as in
 * findings; `same` is decided on the real values before redaction.
 */
export type AttributeEffect =
  | {
      readonly op: 'set';
      readonly serviceDriven?: boolean;
      readonly resource: Finding['resource'];
      readonly ruleId: string;
      readonly severity: Severity;
      readonly attribute: string;
      readonly expected: unknown;
      readonly actual: unknown;
      /** The call left the attribute at the state's value. */
      readonly same: boolean;
    }
  | {
      /** Set items added or removed (security-group rules): applied to the running set. */
      readonly op: 'add' | 'remove';
      readonly serviceDriven?: boolean;
      readonly resource: Finding['resource'];
      readonly ruleId: string;
      readonly severity: Severity;
      readonly attribute: string;
      readonly expected: readonly unknown[];
      readonly items: readonly unknown[];
      readonly sensitive: boolean;
    };

export interface DetectResult {
  readonly findings: Finding[];
  readonly processed: ProcessedEvent[];
  readonly errors: DetectError[];
}

/** True when Terraform/OpenTofu itself (user agent or a configured CI principal) made the call. */
export function isTerraformCall(event: CloudTrailEvent, config: DetectConfig): boolean {
  if (isTerraformUserAgent(event.actor.userAgent)) return true;
  return anyGlob(config.terraformPrincipals, event.actor.arn, event.actor.roleArn) !== undefined;
}

/**
 * The verdicts that need no normalisation: a failed call or a call CloudTrail marks read-only is
 * never drift. Most of a trail is such calls, so batch readers check this first (same outcome as
 * detectEvent, a fraction of the work).
 */
export function quickVerdict(raw: Record<string, unknown>): 'failed-call' | 'read-only' | null {
  if (typeof raw.errorCode === 'string' && raw.errorCode !== '') return 'failed-call';
  const readOnly = raw.readOnly;
  if (readOnly === true || (typeof readOnly === 'string' && readOnly.toLowerCase() === 'true'))
    return 'read-only';
  return null;
}

export function detectEvents(events: Iterable<CloudTrailEvent>, ctx: DetectContext): DetectResult {
  const findings: Finding[] = [];
  const processed: ProcessedEvent[] = [];
  const errors: DetectError[] = [];
  for (const event of events) {
    const result = detectEvent(event, ctx);
    processed.push(result);
    if (result.outcome.result === 'drift') findings.push(...result.outcome.findings);
    else if (result.outcome.result === 'error')
      errors.push({ eventId: event.id, message: result.outcome.error });
  }
  return { findings, processed, errors };
}

/**
 * Judges one event. `effects`, when given, receives what the call did to each managed attribute it
 * names (changed or not) so a caller can fold many events into net drift.
 */
export function detectEvent(
  event: CloudTrailEvent,
  ctx: DetectContext,
  effects?: AttributeEffect[],
): ProcessedEvent {
  const base = {
    eventId: event.id,
    name: event.name,
    source: event.source,
    time: event.time,
    actor: event.actor.name ?? event.actor.arn,
  };
  const ignored = (reason: IgnoreReason, detail?: string, stateWrite?: boolean): ProcessedEvent => ({
    ...base,
    outcome: { result: 'ignored', reason, ...(detail ? { detail } : {}) },
    ...(stateWrite ? { stateWrite } : {}),
  });

  if (event.errorCode) return ignored('failed-call', event.errorCode);
  if (event.readOnly) return ignored('read-only');
  const rules = ctx.rules.forEvent(event.source, event.name);
  if (isTerraformCall(event, ctx.config)) return ignored('terraform', undefined, rules.length > 0);
  const principal = anyGlob(ctx.config.ignorePrincipals, event.actor.arn, event.actor.roleArn);
  if (principal) return ignored('ignored-principal', principal);
  const eventGlob = anyGlob(ctx.config.ignoreEvents, event.name, `${event.source}:${event.name}`);
  if (eventGlob) return ignored('ignored-event', eventGlob);
  if (rules.length === 0) return ignored('no-rule');

  const byResource = new Map<string, Finding>();
  const effectsFrom = effects?.length ?? 0;
  const reasons: IgnoreReason[] = [];
  const ruleErrors: string[] = [];
  const restored: RestoredValues[] = [];
  for (const rule of rules) {
    try {
      const ruleEffects: AttributeEffect[] | undefined = effects ? [] : undefined;
      const result = evaluateRule(rule, event, ctx, ruleEffects);
      if (ruleEffects) effects?.push(...ruleEffects);
      if (result.reason) reasons.push(result.reason);
      if (result.restored) restored.push(...result.restored);
      for (const finding of result.findings) {
        // The finding's id is a hash of this key (and the event's id): empty when foldOnly.
        const key = ctx.foldOnly
          ? resourceKey(finding, stateIdentityOf(ctx.state, finding.resource.stateFile))
          : finding.id;
        const existing = byResource.get(key);
        byResource.set(key, existing ? mergeFindings(existing, finding, ctx.foldOnly === true) : finding);
      }
    } catch (error) {
      // One broken rule never stops the others: it becomes a counted error.
      ruleErrors.push(`rule ${rule.id}: ${(error as Error).message}`);
    }
  }
  const reverts = restored.length > 0 ? { restored } : {};
  if (byResource.size > 0) {
    let findings = [...byResource.values()].sort((a, b) => compareText(resourceKey(a), resourceKey(b)));
    const service = serviceLinkedService(event);
    if (service && ctx.config.serviceChanges !== 'report') {
      if (ctx.config.serviceChanges === 'ignore') return ignored('service-driven', service);
      findings = findings
        .filter((f) => !(f.kind === 'modified' && scalingManaged(ctx.state, f.resource)))
        .map((f) => ({
          ...f,
          severity: 'low',
          serviceDriven: true,
          summary: ctx.foldOnly ? '' : `${f.summary} [service-driven: ${service}]`,
        }));
      if (effects) {
        // Net drift folds effects: keep those of the resources still reported, labelled the same way.
        const kept = new Set(findings.map((f) => resourceKey(f)));
        const mine = effects.splice(effectsFrom);
        for (const e of mine)
          if (kept.has(resourceKey({ resource: e.resource })))
            effects.push({ ...e, severity: 'low', serviceDriven: true });
      }
      if (findings.length === 0) return ignored('service-driven', service);
    }
    return { ...base, outcome: { result: 'drift', findings }, ...reverts };
  }
  if (ruleErrors.length > 0) return { ...base, outcome: { result: 'error', error: ruleErrors.join('; ') } };
  return { ...ignored(mostTelling(reasons)), ...reverts };
}

/**
 * The AWS service behind a call made through a service-linked role (role path aws-service-role/),
 * or by a service itself; null for people and their automation.
 */
function serviceLinkedService(event: CloudTrailEvent): string | null {
  const linked = /:role\/aws-service-role\/([^/]+)\//.exec(event.actor.roleArn ?? '');
  if (linked) return linked[1];
  if (event.actor.type === 'AWSService') return event.actor.invokedBy ?? event.actor.name ?? 'AWS service';
  return null;
}

const SCALING_TYPES = [
  'aws_appautoscaling_target',
  'aws_appautoscaling_policy',
  'aws_appautoscaling_scheduled_action',
  'aws_autoscaling_policy',
  'aws_autoscaling_schedule',
];

/** True when the resource's state file holds a scaling configuration for it (Terraform set the scaling). */
function scalingManaged(state: StateIndex, ref: Finding['resource']): boolean {
  const resource = ref.address ? state.byAddress(ref.address) : undefined;
  const names = new Set(
    [ref.id, resource?.attributes.name, ref.id?.split(/[/:]/).pop()].filter(
      (n): n is string => typeof n === 'string' && n !== '',
    ),
  );
  return state.resources.some((r) => {
    if (!SCALING_TYPES.includes(r.type) || r.stateFile !== ref.stateFile) return false;
    const group = r.attributes.autoscaling_group_name;
    if (typeof group === 'string' && names.has(group)) return true;
    const target = r.attributes.resource_id;
    return typeof target === 'string' && [...names].some((n) => target.split('/').includes(n));
  });
}

const REASON_ORDER: readonly IgnoreReason[] = [
  'no-change',
  'ignored-attribute',
  'ignored-resource',
  'not-managed',
  'not-in-state',
  'no-rule',
];
function mostTelling(reasons: IgnoreReason[]): IgnoreReason {
  for (const reason of REASON_ORDER) if (reasons.includes(reason)) return reason;
  return 'no-rule';
}

interface RuleResult {
  readonly findings: Finding[];
  readonly reason?: IgnoreReason;
  readonly restored?: RestoredValues[];
}

interface Identity {
  readonly by: string;
  readonly value: string;
  /** State attributes the resource must also hold (compound identities such as role + policy ARN). */
  readonly where?: Readonly<Record<string, string>>;
  /** Normaliser both sides of `where` pass through (a function name given as name or ARN). */
  readonly whereTransform?: string;
}

function evaluateRule(
  rule: CompiledRule,
  event: CloudTrailEvent,
  ctx: DetectContext,
  effects?: AttributeEffect[],
): RuleResult {
  if (rule.when && !matchesPattern(rule.when, event.raw)) return { findings: [], reason: 'no-rule' };
  const severity = severityFor(rule, event, ctx.config);
  let unmanagedTarget: { target: TargetSpec; identities: Identity[] } | undefined;
  let sawIdentity = false;

  for (const target of rule.targets) {
    const items = perItemTargets(target, event.raw);
    if (items) return evaluateItems(rule, items, event, ctx, effects);
    const groups = resolveIdentities(target.identity, event.raw);
    if (groups.length === 0) continue;
    sawIdentity = true;
    // The first identity that finds the resource wins: an API that takes a name or an ARN
    // (`logGroupIdentifier`, SSM `name`) is looked up each way the rule lists.
    let found: StateResource[] = [];
    for (const group of groups) {
      found = lookUp(ctx.state, group, target.types, event);
      if (found.length > 0) break;
    }
    const identities = groups[0];
    // A target of any type that sets tags (the Resource Groups Tagging API) can only be a resource
    // with tags: a split policy sharing its parent's ARN is not what was tagged.
    const resources =
      target.types.includes('*') && target.attributes?.some((a) => a.attribute === 'tags')
        ? found.filter((r) => 'tags' in r.attributes || 'tags_all' in r.attributes)
        : found;
    if (resources.length === 0) {
      unmanagedTarget ??= { target, identities };
      continue;
    }
    const findings: Finding[] = [];
    const restored: RestoredValues[] = [];
    let reason: IgnoreReason | undefined;
    for (const resource of resources) {
      if (isIgnoredResource(ctx.config, resource.type, resource.address, resource.id)) {
        reason = 'ignored-resource';
        continue;
      }
      const change = target.change ?? rule.change;
      if (change === 'delete') {
        findings.push(buildFinding(rule, event, severity, 'deleted', stateRef(resource), [], ctx));
        continue;
      }
      const compared = compareAttributes(
        withSplitsMarked(target.attributes ?? [], ctx, event),
        resource,
        event.raw,
        ctx.config,
        effects && { into: effects, resource: stateRef(resource), ruleId: rule.id, severity },
      );
      if (compared.restored.length > 0) {
        restored.push({
          address: resource.address,
          stateFile: resource.stateFile,
          attributes: compared.restored,
        });
      }
      if (compared.extracted && compared.changes.length === 0) {
        reason = compared.ignored ? 'ignored-attribute' : 'no-change';
        continue;
      }
      findings.push(
        buildFinding(rule, event, severity, 'modified', stateRef(resource), compared.changes, ctx),
      );
    }
    return { findings, reason, ...(restored.length > 0 ? { restored } : {}) };
  }

  const creates = rule.change === 'create' || rule.targets.some((t) => t.change === 'create');
  if (creates && unmanagedTarget) {
    const { target, identities } = unmanagedTarget;
    const type = target.types[0];
    const findings: Finding[] = [];
    for (const identity of identities) {
      const id = identity.by === 'arn' ? null : identity.value;
      const arn = identity.by === 'arn' ? identity.value : null;
      if (isIgnoredResource(ctx.config, type, null, id ?? arn)) continue;
      const ref = { type, address: null, id, arn, stateFile: null };
      findings.push(buildFinding(rule, event, severity, 'unmanaged', ref, [], ctx));
    }
    return { findings, reason: findings.length === 0 ? 'ignored-resource' : undefined };
  }
  return { findings: [], reason: sawIdentity ? 'not-managed' : 'not-in-state' };
}

/** `a.b[*].c` → `a.b[3].c` (the first fan-out only). */
function pinIndex(path: string, index: number): string {
  return path.replace('[*]', `[${index}]`);
}

/**
 * A target whose template identity holds `[*]` (one resource per item of a batch, e.g. the changes
 * of a Route 53 ChangeResourceRecordSets) is judged item by item: one copy per array item, with `[*]`
 * pinned to that index in identity and attribute paths, kept when the item matches `target.when`.
 * Undefined for ordinary targets.
 */
function perItemTargets(target: TargetSpec, raw: Record<string, unknown>): TargetSpec[] | undefined {
  const template = target.identity.find((spec) => spec.template?.includes('[*]'))?.template;
  const inner = template ? /\{([^}]*\[\*\][^}]*)\}/.exec(template)?.[1] : undefined;
  if (!inner) return undefined;
  const arrayPath = inner.slice(0, inner.indexOf('[*]'));
  const array = valueAt(raw, arrayPath);
  const list = Array.isArray(array) ? array : [];
  const pinned: TargetSpec[] = [];
  list.forEach((item, i) => {
    if (target.when && !matchesPattern(target.when, item)) return;
    pinned.push({
      types: target.types,
      ...(target.change ? { change: target.change } : {}),
      identity: target.identity.map((spec) => ({
        ...spec,
        ...(spec.path ? { path: pinIndex(spec.path, i) } : {}),
        ...(spec.template ? { template: spec.template.replaceAll('[*]', `[${i}]`) } : {}),
      })),
      ...(target.attributes
        ? {
            attributes: target.attributes.map((a) => ({
              ...a,
              ...(a.path ? { path: pinIndex(a.path, i) } : {}),
            })),
          }
        : {}),
    });
  });
  return pinned;
}

/** Each item is judged as a one-target rule; the findings of all items are the rule's result. */
function evaluateItems(
  rule: CompiledRule,
  items: readonly TargetSpec[],
  event: CloudTrailEvent,
  ctx: DetectContext,
  effects?: AttributeEffect[],
): RuleResult {
  const { when: _when, ...unconditional } = rule;
  const findings: Finding[] = [];
  const reasons: IgnoreReason[] = [];
  const restored: RestoredValues[] = [];
  for (const item of items) {
    const result = evaluateRule({ ...unconditional, targets: [item] }, event, ctx, effects);
    findings.push(...result.findings);
    if (result.reason) reasons.push(result.reason);
    if (result.restored) restored.push(...result.restored);
  }
  const reverts = restored.length > 0 ? { restored } : {};
  if (findings.length > 0) return { findings, ...reverts };
  return { findings, reason: reasons.length > 0 ? mostTelling(reasons) : 'not-in-state', ...reverts };
}

function severityFor(rule: CompiledRule, event: CloudTrailEvent, config: DetectConfig): Severity {
  const override = config.severityOverrides[rule.id];
  if (override) return override;
  let severity = rule.severity;
  for (const escalation of rule.escalate ?? []) {
    if (
      SEVERITIES.indexOf(escalation.severity) > SEVERITIES.indexOf(severity) &&
      matchesPattern(escalation.when, event.raw)
    ) {
      severity = escalation.severity;
    }
  }
  return severity;
}

function asIdentityString(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  // Booleans too, so `where: { egress: requestParameters.egress }` matches a state `egress: false`.
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** The identities of each spec that yields a value, in the rule's order (tried until one is in state). */
function resolveIdentities(specs: readonly IdentitySpec[], raw: Record<string, unknown>): Identity[][] {
  const groups: Identity[][] = [];
  for (const spec of specs) {
    // `by: type` without a path: every resource of the target's types (account-level singletons).
    if (spec.by === 'type' && !spec.path && !spec.template) {
      groups.push([{ by: 'type', value: '*' }]);
      continue;
    }
    const transform = spec.transform ? NORMALISERS[spec.transform] : undefined;
    const values: string[] = [];
    if (spec.template) {
      let complete = true;
      const text = spec.template.replace(/\{([^}]+)\}/g, (_, path: string) => {
        const value = asIdentityString(valueAt(raw, path));
        if (value === null) complete = false;
        return value ?? '';
      });
      if (complete) values.push(text);
    } else if (spec.path) {
      for (const value of valuesAt(raw, spec.path)) {
        const text = asIdentityString(value);
        if (text !== null) values.push(text);
      }
    }
    const where = resolveWhere(spec.where, raw, spec.whereTransform);
    if (where === null) continue;
    const along = spec.whereTransform ? { whereTransform: spec.whereTransform } : {};
    const identities = values
      .map((value) => (transform ? asIdentityString(transform(value)) : value))
      .filter((value): value is string => value !== null)
      .map((value) => (where ? { by: spec.by, value, where, ...along } : { by: spec.by, value }));
    if (identities.length > 0) groups.push(identities);
  }
  return groups;
}

/** `where` paths resolved to strings; null when one is missing (the identity does not apply). */
function resolveWhere(
  where: IdentitySpec['where'],
  raw: Record<string, unknown>,
  transform?: string,
): Record<string, string> | null | undefined {
  if (!where) return undefined;
  const out: Record<string, string> = {};
  for (const [attribute, path] of Object.entries(where)) {
    const value = whereValue(valueAt(raw, path), transform);
    if (value === null) return null;
    out[attribute] = value;
  }
  return out;
}

function holds(resource: StateResource, where: Identity['where'], transform?: string): boolean {
  if (!where) return true;
  return Object.entries(where).every(
    ([attribute, value]) => whereValue(resource.attributes[attribute], transform) === value,
  );
}

function whereValue(value: unknown, transform: string | undefined): string | null {
  const normalise = transform ? NORMALISERS[transform] : undefined;
  return asIdentityString(normalise ? normalise(value) : value);
}

/**
 * Services whose resources are global: a call is logged in one region (mostly us-east-1) whatever
 * it changes, so only the account scopes it.
 */
const GLOBAL_SOURCES: ReadonlySet<string> = new Set([
  'iam.amazonaws.com',
  'sts.amazonaws.com',
  'route53.amazonaws.com',
  'route53domains.amazonaws.com',
  'cloudfront.amazonaws.com',
  'organizations.amazonaws.com',
  'shield.amazonaws.com',
  'waf.amazonaws.com',
  'globalaccelerator.amazonaws.com',
  'budgets.amazonaws.com',
  'account.amazonaws.com',
]);

/**
 * A call changes a resource only in the call's account (recipientAccountId) and region (awsRegion);
 * global services and global resources are scoped by account only. What the state does not tell
 * (no ARN, no region, siblings that disagree) does not exclude.
 */
const ACCOUNT_ID = /^\d{12}$/;
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d+$/;

function inScope(state: StateIndex, resource: StateResource, event: CloudTrailEvent): boolean {
  const scope = state.scopeOf(resource);
  // Only a well-formed account id or region name tells where a call acted; anything else tells nothing.
  const account = event.raw.recipientAccountId;
  const accountDiffers =
    scope.account !== null &&
    typeof account === 'string' &&
    ACCOUNT_ID.test(account) &&
    account !== scope.account;
  const regionDiffers =
    !scope.global &&
    scope.region !== null &&
    REGION_NAME.test(event.region) &&
    !GLOBAL_SOURCES.has(event.source) &&
    scope.region !== event.region;
  if (!accountDiffers && !regionDiffers) return true;
  // A call that names the resource's own ARN (request, `resources`) says where it acted.
  return resource.arn !== null && namesArn(event, resource.arn);
}

function namesArn(event: CloudTrailEvent, arn: string): boolean {
  const named = (value: unknown): boolean =>
    typeof value === 'string'
      ? value === arn
      : Array.isArray(value)
        ? value.some(named)
        : value !== null && typeof value === 'object' && Object.values(value).some(named);
  return named(event.raw.resources) || named(event.raw.requestParameters);
}

function lookUp(
  state: StateIndex,
  identities: readonly Identity[],
  types: readonly string[],
  event: CloudTrailEvent,
): StateResource[] {
  const typeFilter = types.includes('*') ? undefined : types;
  const found = new Map<string, StateResource>();
  for (const { by, value, where, whereTransform } of identities) {
    const matches =
      by === 'type'
        ? state.resources.filter((r) => typeFilter?.includes(r.type))
        : by === 'id'
          ? state.byId(value, typeFilter)
          : by === 'arn'
            ? state.byArn(value, typeFilter)
            : state.byAttribute(by, value, typeFilter);
    for (const resource of matches) {
      // An ARN names its account and region itself: an exact ARN match needs no scope check.
      if (!holds(resource, where, whereTransform) || (by !== 'arn' && !inScope(state, resource, event)))
        continue;
      found.set(`${resource.stateFile}\u0000${resource.address}`, resource);
    }
  }
  return [...found.values()];
}

function isIgnoredResource(
  config: DetectConfig,
  type: string,
  address: string | null,
  id: string | null,
): boolean {
  if (config.ignoreResources.length === 0) return false;
  return anyGlob(config.ignoreResources, type, address, id ? `${type}:${id}` : null) !== undefined;
}

function isIgnoredAttribute(config: DetectConfig, resource: StateResource, attribute: string): boolean {
  if (config.ignoreAttributes.length === 0) return false;
  return (
    anyGlob(config.ignoreAttributes, `${resource.type}.${attribute}`, `${resource.address}.${attribute}`) !==
    undefined
  );
}

/** One reference per resource, made once: thousands of findings and effects name the same few. */
const stateRefs = new WeakMap<StateResource, Finding['resource']>();

function stateRef(resource: StateResource): Finding['resource'] {
  let ref = stateRefs.get(resource);
  if (!ref) {
    ref = {
      type: resource.type,
      address: resource.address,
      id: resource.id,
      arn: resource.arn,
      stateFile: resource.stateFile,
    };
    stateRefs.set(resource, ref);
  }
  return ref;
}

/** An attribute a dedicated resource in state takes over: seen in the call, reported there. */
type MarkedSpec = AttributeSpec & { readonly heldBySplit?: boolean };

function withSplitsMarked(
  specs: readonly AttributeSpec[],
  ctx: DetectContext,
  event: CloudTrailEvent,
): readonly MarkedSpec[] {
  if (!specs.some((spec) => spec.splitInto)) return specs;
  return specs.map((spec) => {
    const split = spec.splitInto;
    if (!split) return spec;
    const held = resolveIdentities(split.identity, event.raw).some(
      (group) => lookUp(ctx.state, group, split.types, event).length > 0,
    );
    return held ? { ...spec, heldBySplit: true } : spec;
  });
}

interface Compared {
  /** True when the event carried at least one comparable value. */
  readonly extracted: boolean;
  readonly changes: AttributeChange[];
  /** Attributes the event set to the value the state holds (a hand-made revert of earlier drift). */
  readonly restored: string[];
  /** True when a difference was dropped because the config ignores that attribute. */
  readonly ignored: boolean;
}

/**
 * Where compareAttributes puts every value the event set on an attribute not ignored, changed or not
 * (net drift folds them), and whose they are. Made whole where they are made: a scan makes one per
 * drifting event, and copying each to add the resource cost a tenth of a heavy scan's detection.
 */
interface EffectSink {
  readonly into: AttributeEffect[];
  readonly resource: Finding['resource'];
  readonly ruleId: string;
  readonly severity: Severity;
}

const TAG_OPS: ReadonlySet<string> = new Set(['merge-map', 'replace-map', 'remove-keys']);

/**
 * The state's value for a spec. A map operation on `tags` reads `tags_all` when the state has it:
 * the provider's default_tags are tags Terraform manages too (it would put a removed one back).
 */
function stateValue(resource: StateResource, spec: AttributeSpec, mapOp = false): unknown {
  const tagsAll = resource.attributes.tags_all;
  if (
    mapOp &&
    spec.state === undefined &&
    spec.attribute === 'tags' &&
    tagsAll &&
    typeof tagsAll === 'object'
  )
    return tagsAll;
  const paths = spec.state === undefined ? [spec.attribute] : [spec.state].flat();
  for (const path of paths) {
    const value = valueAt(resource.attributes, path);
    if (value !== undefined) return value;
  }
  return null;
}

function eventValue(raw: Record<string, unknown>, spec: AttributeSpec): { found: boolean; value: unknown } {
  if (spec.path === undefined) return { found: 'value' in spec, value: spec.value ?? null };
  const values = valuesAt(raw, spec.path);
  if (values.length === 0) {
    // A whole-configuration call that leaves the attribute out unsets it.
    if (spec.configuration !== undefined && valueAt(raw, spec.configuration) !== undefined)
      return { found: true, value: null };
    return { found: false, value: undefined };
  }
  return { found: true, value: values.length === 1 ? values[0] : values };
}

function compareAttributes(
  specs: readonly MarkedSpec[],
  resource: StateResource,
  raw: Record<string, unknown>,
  config: DetectConfig,
  sink?: EffectSink,
): Compared {
  const changes: AttributeChange[] = [];
  const restored: string[] = [];
  let extracted = false;
  let ignored = false;
  for (const spec of specs) {
    const { found, value } = eventValue(raw, spec);
    if (!found) continue;
    extracted = true;
    if (spec.heldBySplit) continue;
    const normalise = NORMALISERS[spec.normalise ?? 'raw'];
    const expectedRaw = stateValue(resource, spec, TAG_OPS.has(spec.op ?? 'set'));
    const secret = spec.sensitive === true || isSensitive(spec.attribute, resource.sensitive);
    const hidden = (attribute: string) => secret || isSensitive(attribute, resource.sensitive);
    const push = (attribute: string, expected: unknown, actual: unknown) => {
      if (isIgnoredAttribute(config, resource, attribute)) {
        ignored = true;
        return;
      }
      changes.push(
        hidden(attribute)
          ? { attribute, expected: SENSITIVE, actual: SENSITIVE }
          : { attribute, expected, actual },
      );
    };
    /** One attribute (or map key) set to a value: a change, or a restore of the state's value. */
    const setTo = (attribute: string, expected: unknown, actual: unknown) => {
      const same = sameValue(expected, actual);
      if (same) restored.push(attribute);
      else push(attribute, expected, actual);
      if (!sink || isIgnoredAttribute(config, resource, attribute)) return;
      const shown = !hidden(attribute);
      sink.into.push({
        op: 'set',
        resource: sink.resource,
        ruleId: sink.ruleId,
        severity: sink.severity,
        attribute,
        expected: shown ? expected : SENSITIVE,
        actual: shown ? actual : SENSITIVE,
        same,
      });
    };
    switch (spec.op ?? 'set') {
      case 'set':
        setTo(spec.attribute, normalise(expectedRaw), normalise(value));
        break;
      case 'merge-map': {
        const current = tagMap(expectedRaw);
        for (const [k, v] of Object.entries(tagMap(value)))
          setTo(`${spec.attribute}.${k}`, current[k] ?? null, v);
        break;
      }
      case 'replace-map': {
        const current = tagMap(expectedRaw);
        const next = tagMap(value);
        for (const k of new Set([...Object.keys(current), ...Object.keys(next)]))
          setTo(`${spec.attribute}.${k}`, current[k] ?? null, next[k] ?? null);
        break;
      }
      case 'remove-keys': {
        const current = tagMap(expectedRaw);
        const only = valuedKeys(value);
        for (const k of tagKeys(value)) {
          const expected = current[k] ?? null;
          // EC2 DeleteTags naming a value deletes the tag only when it has that value.
          const kept = only.has(k) && expected !== only.get(k);
          setTo(`${spec.attribute}.${k}`, expected, kept ? expected : null);
        }
        break;
      }
      case 'add-to-set':
      case 'remove-from-set': {
        const current = setItems(normalise(expectedRaw));
        const items = setItems(normalise(value));
        const adding = spec.op === 'add-to-set';
        const next = new Map(current);
        for (const [k, item] of items) {
          if (adding) next.set(k, item);
          else next.delete(k);
        }
        if (next.size !== current.size || [...next.keys()].some((k) => !current.has(k))) {
          push(spec.attribute, sortedItems(current), sortedItems(next));
        }
        if (sink && !isIgnoredAttribute(config, resource, spec.attribute)) {
          sink.into.push({
            op: adding ? 'add' : 'remove',
            resource: sink.resource,
            ruleId: sink.ruleId,
            severity: sink.severity,
            attribute: spec.attribute,
            expected: sortedItems(current),
            items: sortedItems(items),
            sensitive: hidden(spec.attribute),
          });
        }
        break;
      }
    }
  }
  return { extracted, changes, ignored, restored };
}

/** Keys of a removal list that name a value too ([{key, value}]): those remove only that value. */
function valuedKeys(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const list =
    value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>).items
      : value;
  if (!Array.isArray(list)) return out;
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const t = item as Record<string, unknown>;
    const key = t.key ?? t.Key;
    const v = t.value ?? t.Value;
    if (typeof key === 'string' && typeof v === 'string' && v !== '') out.set(key, v);
  }
  return out;
}

function setItems(value: unknown): Map<string, unknown> {
  const list = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
  return new Map(list.map((item) => [JSON.stringify(canonical(item)), item]));
}

function sortedItems(items: Map<string, unknown>): unknown[] {
  return [...items.entries()].sort(([a], [b]) => compareText(a, b)).map(([, item]) => item);
}

function resourceKey(finding: Pick<Finding, 'resource'>, stateIdentity?: string): string {
  const r = finding.resource;
  return r.address
    ? `${stateIdentity ?? r.stateFile ?? ''}#${r.address}`
    : `${r.type}:${r.id ?? r.arn ?? ''}`;
}

/**
 * Deterministic: the same event and resource always give the same id (idempotent writes).
 * `stateIdentity` is the state's lineage, so the id does not change with the path a state is read
 * from (./a.tfstate, /abs/a.tfstate, s3://...); without it the state file path is used.
 */
export function findingId(
  eventId: string,
  resource: Pick<Finding, 'resource'>,
  stateIdentity?: string,
): string {
  return `d-${stableHash(`${eventId}\u0000${resourceKey(resource, stateIdentity)}`)}`;
}

/**
 * The id of a net finding: deterministic from the resource (its state's lineage, as findingId) and
 * what was folded (kind and attribute), so a rescan with more events keeps the id.
 */
export function netFindingId(
  state: StateIndex,
  resource: Finding['resource'],
  kind: DriftKind,
  attribute: string,
): string {
  return `n-${stableHash(`${kind}\u0000${attribute}\u0000${resourceKey({ resource }, stateIdentityOf(state, resource.stateFile))}`)}`;
}

const lineages = new WeakMap<StateIndex, Map<string, string>>();

/** The lineage of a state file in the index (the file itself when the state has none). */
function stateIdentityOf(state: StateIndex, file: string | null): string | undefined {
  if (file === null) return undefined;
  let byFile = lineages.get(state);
  if (!byFile) {
    byFile = new Map(state.files.filter((f) => f.lineage).map((f) => [f.file, `lineage:${f.lineage}`]));
    lineages.set(state, byFile);
  }
  return byFile.get(file) ?? file;
}

function buildFinding(
  rule: CompiledRule,
  event: CloudTrailEvent,
  severity: Severity,
  kind: DriftKind,
  resource: Finding['resource'],
  changes: AttributeChange[],
  ctx: DetectContext,
): Finding {
  const folded = ctx.foldOnly === true;
  return {
    id: folded ? '' : findingId(event.id, { resource }, stateIdentityOf(ctx.state, resource.stateFile)),
    kind,
    severity,
    ruleId: rule.id,
    resource,
    changes,
    actor: event.actor,
    event: {
      id: event.id,
      name: event.name,
      source: event.source,
      time: event.time,
      region: event.region,
      account: event.account,
    },
    summary: folded ? '' : summarise(kind, resource, changes, event),
  };
}

function mergeFindings(a: Finding, b: Finding, foldOnly: boolean): Finding {
  const seen = new Set(a.changes.map((c) => c.attribute));
  const changes = [...a.changes, ...b.changes.filter((c) => !seen.has(c.attribute))];
  const kind: DriftKind = a.kind === 'deleted' || b.kind === 'deleted' ? 'deleted' : a.kind;
  const severity = SEVERITIES.indexOf(b.severity) > SEVERITIES.indexOf(a.severity) ? b.severity : a.severity;
  const summary = foldOnly ? '' : summarise(kind, a.resource, changes, null, a);
  return { ...a, kind, severity, changes, summary };
}

function shortValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return 'null';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One plain sentence. Event strings inside are data, never markup: renderers must treat it as text. */
export function summarise(
  kind: DriftKind,
  resource: Finding['resource'],
  changes: readonly AttributeChange[],
  event: CloudTrailEvent | null,
  previous?: Finding,
): string {
  const who = event
    ? (event.actor.name ?? event.actor.arn ?? 'unknown principal')
    : (previous?.actor.name ?? previous?.actor.arn ?? 'unknown principal');
  const call = displayEventName(event?.name ?? previous?.event.name ?? '');
  const what = resource.address ?? `${resource.type} ${resource.id ?? resource.arn ?? ''}`.trim();
  if (kind === 'deleted') return `${who} deleted ${what} outside Terraform (${call})`;
  if (kind === 'unmanaged') return `${who} created ${what}, which no Terraform state manages (${call})`;
  if (changes.length === 0) return `${who} changed ${what} outside Terraform (${call})`;
  const first = changes[0];
  const detail = `${first.attribute} from ${shortValue(displayValue(first.expected))} to ${shortValue(displayValue(first.actual))}`;
  const more = changes.length > 1 ? ` and ${changes.length - 1} more` : '';
  return `${who} changed ${detail} on ${what}${more} (${call})`;
}
