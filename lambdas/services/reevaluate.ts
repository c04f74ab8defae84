// After a state reload: does the new state agree with what a drift saw? Then the drift is over
// (someone ran `terraform apply -refresh-only`, imported the resource, or removed it from code).

import { valueAt } from '../core/paths.js';
import type { StateIndex } from '../core/state-types.js';
import { type Drift, SENSITIVE } from '../core/types.js';
import { sameValue } from '../core/values.js';

function sameLoose(a: unknown, b: unknown): boolean {
  if (sameValue(a, b)) return true;
  const scalar = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);
  return scalar(a) && scalar(b) && String(a) === String(b);
}

function lookupValue(attributes: Record<string, unknown>, path: string): unknown {
  try {
    return valueAt(attributes, path) ?? null;
  } catch {
    return undefined; // an attribute path the path language cannot read: cannot tell
  }
}

/** The reason a drift is resolved by this state, or null while it still stands. */
export function resolutionOf(drift: Drift, index: StateIndex): string | null {
  const r = drift.resource;
  if (drift.kind === 'unmanaged') {
    const byId = r.id ? index.byId(r.id, [r.type]) : [];
    const found = byId[0] ?? (r.arn ? index.byArn(r.arn, [r.type])[0] : undefined);
    return found ? `now managed by Terraform as ${found.address} (${found.stateFile})` : null;
  }
  const inState = index.resources.find(
    (s) => s.address === r.address && (!r.stateFile || s.stateFile === r.stateFile),
  );
  if (drift.kind === 'deleted') {
    return inState ? null : `${r.address} is no longer in state ${r.stateFile ?? ''}`.trim();
  }
  if (!inState || drift.changes.length === 0) return null;
  for (const change of drift.changes) {
    if (change.actual === SENSITIVE) return null;
    const value = lookupValue(inState.attributes, change.attribute);
    if (value === undefined || !sameLoose(change.actual, value)) return null;
  }
  return `state now holds the changed value${drift.changes.length > 1 ? 's' : ''} (${drift.changes.map((c) => c.attribute).join(', ')})`;
}
