// Net drift: many events' outcomes folded per resource and attribute in time order, so a scan
// reports the state's value against the last value set (a change later set back is no drift),
// naming every event and principal involved. Pure: the caller detects, this only folds.

import type { AttributeEffect } from './detect.js';
import { netFindingId } from './detect.js';
import { displayEventName, displayValue } from './display.js';
import type { StateIndex } from './state-types.js';
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

type ActorRef = Pick<Actor, 'type' | 'arn' | 'name'>;

interface Group {
  readonly kind: DriftKind;
  readonly attribute: string;
  readonly resource: Finding['resource'];
  readonly events: NetFindingEvent[];
  readonly seen: Set<string>;
  last: { ruleId: string; actor: Actor; event: Finding['event'] };
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

function byTime(a: DetectedEvent, b: DetectedEvent): number {
  return a.event.time.localeCompare(b.event.time) || a.event.id.localeCompare(b.event.id);
}

function resourceKey(resource: Finding['resource']): string {
  return resource.address
    ? `${resource.stateFile ?? ''}#${resource.address}`
    : `${resource.type}:${resource.id ?? resource.arn ?? ''}`;
}

function itemKey(item: unknown): string {
  return JSON.stringify(canonical(item));
}

function sorted(items: Map<string, unknown>): unknown[] {
  return [...items.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, item]) => item);
}

function findingEvent(event: CloudTrailEvent): Finding['event'] {
  return {
    id: event.id,
    name: event.name,
    source: event.source,
    time: event.time,
    region: event.region,
    account: event.account,
  };
}

/**
 * Folds detected events into net findings: one per resource and attribute that ends away from the
 * state's value, one per deleted or unmanaged resource, and one per managed resource changed in a
 * way no event names a value for. Events are taken in time order (eventID breaks ties); feed each
 * event once (deduplicate by eventID first).
 */
export function foldNetDrift(detected: readonly DetectedEvent[], state: StateIndex): Finding[] {
  const groups = new Map<string, Group>();
  const touch = (
    key: string,
    kind: DriftKind,
    attribute: string,
    resource: Finding['resource'],
    event: CloudTrailEvent,
    ruleId: string,
    severity: Severity,
    serviceDriven: boolean,
  ): Group => {
    let group = groups.get(key);
    const last = { ruleId, actor: event.actor, event: findingEvent(event) };
    if (!group) {
      group = { kind, attribute, resource, events: [], seen: new Set(), last, severity, serviceDriven };
      groups.set(key, group);
    }
    group.last = last;
    group.serviceDriven &&= serviceDriven;
    if (SEVERITIES.indexOf(severity) > SEVERITIES.indexOf(group.severity)) group.severity = severity;
    // Hand-written logs reuse placeholder eventIDs: the call and its request tell events apart.
    const once = `${event.id}\u0000${event.time}\u0000${event.source}\u0000${event.name}\u0000${JSON.stringify(event.request)}`;
    if (!group.seen.has(once)) {
      group.seen.add(once);
      const { type, arn, name } = event.actor;
      group.events.push({ ...last.event, actor: { type, arn, name } });
    }
    return group;
  };

  for (const { event, findings, effects } of [...detected].sort(byTime)) {
    for (const effect of effects) {
      const key = `${resourceKey(effect.resource)}\u0000modified\u0000${effect.attribute}`;
      const group = touch(
        key,
        'modified',
        effect.attribute,
        effect.resource,
        event,
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
    for (const finding of findings) {
      // Value changes fold from the effects above; the rest fold per resource and kind.
      if (finding.kind === 'modified' && finding.changes.length > 0) continue;
      const key = `${resourceKey(finding.resource)}\u0000${finding.kind}\u0000`;
      touch(
        key,
        finding.kind,
        '',
        finding.resource,
        event,
        finding.ruleId,
        finding.severity,
        finding.serviceDriven === true,
      );
    }
  }

  const out: Finding[] = [];
  for (const group of groups.values()) {
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
  const name = displayEventName(group.last.event.name);
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
    ruleId: group.last.ruleId,
    resource: group.resource,
    changes,
    actor: group.last.actor,
    event: group.last.event,
    summary: netSummary(group, changes, actors),
    ...(group.serviceDriven ? { serviceDriven: true } : {}),
    events: group.events,
    actors,
  };
}
