// Does a drift that arrived on the live feed belong in the table as currently filtered?
// Mirrors the server's filters closely enough for live insertion; a refresh is authoritative.

import type { Drift } from '../types.js';
import type { Filters } from './url-state.js';

const includes = (haystack: string | null | undefined, needle: string) =>
  !!haystack && haystack.toLowerCase().includes(needle.toLowerCase());

export function matchesFilters(drift: Drift, filters: Filters): boolean {
  if (filters.status.length && !filters.status.includes(drift.status)) return false;
  if (filters.severity.length && !filters.severity.includes(drift.severity)) return false;
  if (filters.kind.length && !filters.kind.includes(drift.kind)) return false;
  if (filters.type.length && !filters.type.includes(drift.resource.type)) return false;
  const actor = filters.actor.trim();
  if (actor && !includes(drift.actor.name, actor) && !includes(drift.actor.arn, actor)) return false;
  const resource = filters.resource.trim();
  if (
    resource &&
    drift.resource.address !== resource &&
    drift.resource.id !== resource &&
    drift.resource.arn !== resource
  )
    return false;
  const time = new Date(drift.event.time).getTime();
  if (filters.from && time < new Date(filters.from).getTime()) return false;
  if (filters.to && time > new Date(filters.to).getTime()) return false;
  const q = filters.q.trim();
  if (q) {
    const fields = [
      drift.summary,
      drift.resource.address,
      drift.resource.id,
      drift.resource.type,
      drift.actor.name,
      drift.actor.arn,
      drift.event.name,
      ...drift.changes.map((change) => change.attribute),
    ];
    if (!fields.some((field) => includes(field, q))) return false;
  }
  return true;
}
