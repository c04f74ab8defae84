// Net drift: many events' outcomes folded per resource and attribute in time order, so a scan
// reports the state's value against the last value set (a change later set back is no drift),
// naming every event and principal involved. Pure: the caller detects, this only folds.

import type { AttributeEffect } from './detect.js';
import { netFindingId } from './detect.js';
import { displayEventName, displayValue } from './display.js';
import { fingerprintOf } from './fingerprints.js';
import type { StateIndex } from './state-types.js';
import { compareText } from './text-order.js';
import {
  type Actor,
  type AttributeChange,
  type CloudTrailEvent,
  type DriftKind,
  type Finding,
  type NetFindingEvent,
  SENSITIVE,
  SEVERITIES,
  type Severity,
} from './types.js';
import { canonical } from './values.js';

/** One event's detection outcome, as the fold needs it. */
export interface DetectedEvent {
  readonly event: CloudTrailEvent;
  /** The per-event findings (deleted, unmanaged and value-less modified findings fold from these). */
  readonly findings: readonly Finding[];
  /** What the event did to each managed attribute it named (detectEvent's `effects`). */
  readonly effects: readonly AttributeEffect[];
}

/** What the fold needs of a per-event finding that carries no value change. */
type FoldedFinding = Pick<Finding, 'kind' | 'resource' | 'ruleId' | 'severity'> & {
  readonly serviceDriven: boolean;
};

/**
 * What the fold keeps of one event until the end: its identity, its actor and what tells it apart
 * from calls sharing a placeholder eventID, not the record (a scan holds this per drifting event).
 */
interface FoldedEvent {
  /** The event as net findings list it (every group it is in shares this one). */
  readonly listed: NetFindingEvent;
  /** The whole actor, one object per distinct actor (NetFold.add). */
  readonly actor: Actor;
  /** Fingerprint of eventID, time, call and request: one event counts once per finding. */
  readonly call: string;
  readonly effects: readonly AttributeEffect[];
  readonly findings: readonly FoldedFinding[];
}

type ActorRef = Pick<Actor, 'type' | 'arn' | 'name'>;

interface Group {
  readonly kind: DriftKind;
  readonly attribute: string;
  readonly resource: Finding['resource'];
  readonly events: NetFindingEvent[];
  readonly seen: Set<string>;
  /** The latest event and the rule that judged it. */
  last: FoldedEvent;
  lastRuleId: string;
  severity: Severity;
  /** Every event so far was an AWS service acting through a service-linked role. */
  serviceDriven: boolean;
  /** Attribute groups: the state's value and the value after the latest event. */
  value?:
    | { readonly op: 'set'; readonly expected: unknown; actual: unknown; same: boolean }
    | {
        readonly op: 'items';
        readonly expected: Map<string, unknown>;
        readonly running: Map<string, unknown>;
        readonly sensitive: boolean;
      };
}

function byTime(a: FoldedEvent, b: FoldedEvent): number {
  return compareText(a.listed.time, b.listed.time) || compareText(a.listed.id, b.listed.id);
}

/** Keys of the resource references seen (detect.ts makes one reference per state resource). */
const resourceKeys = new WeakMap<Finding['resource'], string>();

function resourceKey(resource: Finding['resource']): string {
  let key = resourceKeys.get(resource);
  if (key === undefined) {
    key = resource.address
      ? `${resource.stateFile ?? ''}#${resource.address}`
      : `${resource.type}:${resource.id ?? resource.arn ?? ''}`;
    resourceKeys.set(resource, key);
  }
  return key;
}

function sameResource(a: Finding['resource'], b: Finding['resource']): boolean {
  return (
    a.type === b.type &&
    a.address === b.address &&
    a.id === b.id &&
    a.arn === b.arn &&
    a.stateFile === b.stateFile &&
    Object.keys(a).length === Object.keys(b).length
  );
}

/** Same keys in the same order (as JSON would write them) with the same primitive values. */
function sameFields(a: object, b: object): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  let i = 0;
  for (const key in b) {
    if (key !== keys[i++] || (a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key])
      return false;
  }
  return true;
}

function itemKey(item: unknown): string {
  return JSON.stringify(canonical(item));
}

function sorted(items: Map<string, unknown>): unknown[] {
  return [...items.entries()].sort(([a], [b]) => compareText(a, b)).map(([, item]) => item);
}

/** The event of a net finding: the one listed, without its actor. */
function findingEvent(listed: NetFindingEvent): Finding['event'] {
  return {
    id: listed.id,
    name: listed.name,
    source: listed.source,
    time: listed.time,
    region: listed.region,
    account: listed.account,
  };
}

/**
 * Folds detected events into net findings: one per resource and attribute that ends away from the
 * state's value, one per deleted or unmanaged resource, and one per managed resource changed in a
 * way no event names a value for. Events are taken in time order (eventID breaks ties); feed each
 * event once (deduplicate by eventID first).
 */
export function foldNetDrift(detected: readonly DetectedEvent[], state: StateIndex): Finding[] {
  const fold = new NetFold();
  for (const { event, findings, effects } of detected) fold.add(event, findings, effects);
  return fold.findings(state);
}

/**
 * foldNetDrift as events arrive: add() keeps a compact record of each event (FoldedEvent), so a
 * scan need not hold the events themselves until the end; findings() folds them in time order.
 */
export class NetFold {
  private readonly folded: FoldedEvent[] = [];
  /** One reference per resource: the effects of many events name the same few. */
  private readonly resources = new Map<string, Finding['resource']>();
  /**
   * One object per distinct actor, with its short form as events list it: thousands of drifting
   * events are a few principals' (a 25%-drift scan of 100k events: ~20 MB less kept).
   */
  private readonly actors = new Map<string, { readonly actor: Actor; readonly ref: ActorRef }[]>();
  /** One string per distinct event name, source, region and account (few, each met thousands of times). */
  private readonly names = new Map<string, string>();

  /**
   * @param seed of the events' fingerprints (a random one: no input can be crafted to make two
   *   events of a finding one). @default a random number
   */
  constructor(private readonly seed = Math.floor(Math.random() * 2 ** 32)) {}

  /** Events kept so far. */
  get size(): number {
    return this.folded.length;
  }

  add(event: CloudTrailEvent, findings: readonly Finding[], effects: readonly AttributeEffect[]): void {
    const kept: FoldedFinding[] = [];
    for (const { kind, changes, resource, ruleId, severity, serviceDriven } of findings) {
      // Value changes fold from the effects; the rest fold per resource and kind.
      if (kind === 'modified' && changes.length > 0) continue;
      kept.push({
        kind,
        resource: this.shared(resource),
        ruleId,
        severity,
        serviceDriven: serviceDriven === true,
      });
    }
    if (effects.length === 0 && kept.length === 0) return;
    const { actor, ref } = this.actor(event.actor);
    this.folded.push({
      listed: {
        id: event.id,
        name: this.name(event.name),
        source: this.name(event.source),
        time: event.time,
        region: this.name(event.region),
        account: this.name(event.account),
        actor: ref,
      },
      actor,
      call: fingerprintOf(
        `${event.id}\u0000${event.time}\u0000${event.source}\u0000${event.name}\u0000${JSON.stringify(event.request)}`,
        this.seed,
      ),
      effects: effects.map((effect) => {
        const resource = this.shared(effect.resource);
        return resource === effect.resource ? effect : { ...effect, resource };
      }),
      findings: kept,
    });
  }

  private actor(actor: Actor): { readonly actor: Actor; readonly ref: ActorRef } {
    // The key narrows; sameFields decides (a whole actor as key cost a JSON.stringify per event).
    const key = `${actor.arn}\u0000${actor.name}\u0000${actor.sourceIp}\u0000${actor.userAgent}`;
    let known = this.actors.get(key);
    if (!known) {
      known = [];
      this.actors.set(key, known);
    }
    for (const entry of known) if (sameFields(entry.actor, actor)) return entry;
    const entry = { actor, ref: { type: actor.type, arn: actor.arn, name: actor.name } };
    known.push(entry);
    return entry;
  }

  private name(text: string): string {
    const known = this.names.get(text);
    if (known !== undefined) return known;
    this.names.set(text, text);
    return text;
  }

  private shared(resource: Finding['resource']): Finding['resource'] {
    const key = resourceKey(resource);
    const known = this.resources.get(key);
    if (known === resource) return known;
    if (known && sameResource(known, resource)) return known;
    if (!known) this.resources.set(key, resource);
    return resource;
  }

  /** The net findings of every event added (see foldNetDrift). */
  findings(state: StateIndex): Finding[] {
    return fold(this.folded, state);
  }
}

function fold(folded: FoldedEvent[], state: StateIndex): Finding[] {
  // Groups by resource, then by kind and attribute: the resource's key is one string per resource
  // (resourceKey), so no key is built per event. `groups` keeps the order they were first met in.
  const byResource = new Map<string, Map<string, Group>>();
  const groups: Group[] = [];
  const touch = (
    key: string,
    kind: DriftKind,
    attribute: string,
    resource: Finding['resource'],
    folded: FoldedEvent,
    ruleId: string,
    severity: Severity,
    serviceDriven: boolean,
  ): Group => {
    const outer = resourceKey(resource);
    let ofResource = byResource.get(outer);
    if (!ofResource) {
      ofResource = new Map();
      byResource.set(outer, ofResource);
    }
    let group = ofResource.get(key);
    if (!group) {
      group = {
        kind,
        attribute,
        resource,
        events: [],
        seen: new Set(),
        last: folded,
        lastRuleId: ruleId,
        severity,
        serviceDriven,
      };
      ofResource.set(key, group);
      groups.push(group);
    }
    group.last = folded;
    group.lastRuleId = ruleId;
    group.serviceDriven &&= serviceDriven;
    if (SEVERITIES.indexOf(severity) > SEVERITIES.indexOf(group.severity)) group.severity = severity;
    // Hand-written logs reuse placeholder eventIDs: the call and its request tell events apart.
    if (!group.seen.has(folded.call)) {
      group.seen.add(folded.call);
      group.events.push(folded.listed);
    }
    return group;
  };

  for (const entry of folded.sort(byTime)) {
    for (const effect of entry.effects) {
      const group = touch(
        effect.attribute,
        'modified',
        effect.attribute,
        effect.resource,
        entry,
        effect.ruleId,
        effect.severity,
        effect.serviceDriven === true,
      );
      if (effect.op === 'set') {
        if (group.value?.op === 'set') {
          group.value.actual = effect.actual;
          group.value.same = effect.same;
        } else
          group.value = { op: 'set', expected: effect.expected, actual: effect.actual, same: effect.same };
        continue;
      }
      if (group.value?.op !== 'items') {
        const expected = new Map(effect.expected.map((item) => [itemKey(item), item]));
        group.value = { op: 'items', expected, running: new Map(expected), sensitive: effect.sensitive };
      }
      const running = group.value.running;
      for (const item of effect.items) {
        if (effect.op === 'add') running.set(itemKey(item), item);
        else running.delete(itemKey(item));
      }
    }
    for (const finding of entry.findings) {
      // Per resource and kind (no attribute name starts with NUL).
      touch(
        `\u0000${finding.kind}`,
        finding.kind,
        '',
        finding.resource,
        entry,
        finding.ruleId,
        finding.severity,
        finding.serviceDriven,
      );
    }
  }

  const out: Finding[] = [];
  for (const group of groups) {
    const changes = netChanges(group);
    if (changes === null) continue;
    out.push(netFinding(group, changes, state));
  }
  return out;
}

/** The net change of a group; null when the attribute ends at the state's value (no drift). */
function netChanges(group: Group): AttributeChange[] | null {
  const value = group.value;
  if (!value) return [];
  if (value.op === 'set') {
    return value.same
      ? null
      : [{ attribute: group.attribute, expected: value.expected, actual: value.actual }];
  }
  const { expected, running } = value;
  if (expected.size === running.size && [...running.keys()].every((k) => expected.has(k))) return null;
  return value.sensitive
    ? [{ attribute: group.attribute, expected: SENSITIVE, actual: SENSITIVE }]
    : [{ attribute: group.attribute, expected: sorted(expected), actual: sorted(running) }];
}

function distinctActors(events: readonly NetFindingEvent[]): ActorRef[] {
  const seen = new Map<string, ActorRef>();
  for (const { actor } of events) {
    const key = `${actor.type}\u0000${actor.arn ?? ''}\u0000${actor.name ?? ''}`;
    if (!seen.has(key)) seen.set(key, actor);
  }
  return [...seen.values()];
}

function shortValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (text === undefined) return 'null';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function netSummary(group: Group, changes: readonly AttributeChange[], actors: readonly ActorRef[]): string {
  const names = actors.map((a) => a.name ?? a.arn ?? 'unknown principal');
  const who =
    names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', ');
  const r = group.resource;
  const what = r.address ?? `${r.type} ${r.id ?? r.arn ?? ''}`.trim();
  const count = group.events.length;
  const name = displayEventName(group.last.listed.name);
  const calls = count === 1 ? name : `${count} events, last ${name}`;
  if (group.kind === 'deleted') return `${who} deleted ${what} outside Terraform (${calls})`;
  if (group.kind === 'unmanaged')
    return `${who} created ${what}, which no Terraform state manages (${calls})`;
  if (changes.length === 0) return `${who} changed ${what} outside Terraform (${calls})`;
  const [change] = changes;
  return `${who} changed ${change.attribute} from ${shortValue(displayValue(change.expected))} to ${shortValue(displayValue(change.actual))} on ${what} (${calls})`;
}

function netFinding(group: Group, changes: AttributeChange[], state: StateIndex): Finding {
  const actors = distinctActors(group.events);
  return {
    id: netFindingId(state, group.resource, group.kind, group.attribute),
    kind: group.kind,
    severity: group.severity,
    ruleId: group.lastRuleId,
    resource: group.resource,
    changes,
    actor: group.last.actor,
    event: findingEvent(group.last.listed),
    summary: netSummary(group, changes, actors),
    ...(group.serviceDriven ? { serviceDriven: true } : {}),
    events: group.events,
    actors,
  };
}
