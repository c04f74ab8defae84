// Small display helpers. Every string that reaches the DOM goes through React text nodes.

import type { Drift } from '../types.js';

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
}

/** Compact UTC time for table cells: 11-25 07:25:56 (the full ISO time goes in the title). */
export function shortTime(iso: string | null | undefined): string {
  const full = formatTime(iso);
  return /^\d{4}-/.test(full) ? full.slice(5, 19) : full;
}

export function relativeTime(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const then = new Date(iso).getTime();
  if (Number.isNaN(then)) return iso;
  const seconds = Math.round((now - then) / 1000);
  if (seconds < 45) return 'just now';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

/** What the table shows for the resource: its address, or its id for unmanaged ones. */
export function resourceLabel(drift: Drift): string {
  return drift.resource.address ?? drift.resource.id ?? drift.resource.arn ?? '(unknown)';
}

/** The graph node id of a drift's resource (docs/api.md GraphNode.id). */
export function nodeIdOf(drift: Drift): string {
  return drift.resource.address ?? `unmanaged:${drift.resource.type}:${drift.resource.id ?? ''}`;
}

export function attributesLabel(drift: Drift): string {
  return drift.changes.map((change) => change.attribute).join(', ');
}

export function actorLabel(drift: Drift): string {
  return drift.actor.name ?? drift.actor.arn ?? drift.actor.type;
}
