// The one alert of a backfill run (drift from before tfdrift watched, read from CloudTrail event
// history): how many drifts, by severity, the first few, and where to look — instead of one mail per
// drift. Plain text, every CloudTrail string on one line (alert-text.ts's rules).

import { oneLine } from './alert-text.js';
import { compareText } from './text-order.js';
import { type Finding, SEVERITIES, type Severity } from './types.js';

export interface BackfillRun {
  readonly days: number;
  readonly regions: readonly string[];
  readonly events: number;
  readonly errors: number;
}

export interface BackfillSummary {
  /** Under 100 printable characters (SNS's email subject limit). */
  readonly subject: string;
  readonly body: string;
  /** The highest severity among the drifts: the `severity` attribute the subscriptions filter on. */
  readonly severity: Severity;
}

/** How many drifts the body lists by name. */
export const LISTED = 20;

/** The summary of a run that found drifts; null when it found none (nothing is sent). */
export function backfillSummary(
  drifts: readonly Finding[],
  run: BackfillRun,
  dashboardUrl?: string,
): BackfillSummary | null {
  if (drifts.length === 0) return null;
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  const sorted = [...drifts].sort(
    (a, b) => rank(b.severity) - rank(a.severity) || compareText(a.event.time, b.event.time),
  );
  const severity = sorted[0].severity;
  const counts = [...SEVERITIES]
    .reverse()
    .map((s) => [s, drifts.filter((d) => d.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const plural = drifts.length === 1 ? 'drift' : 'drifts';
  const subject = `[tfdrift] Backfill: ${drifts.length} ${plural} from the last ${run.days} days`.slice(
    0,
    99,
  );
  const lines = [
    `tfdrift read ${run.events} write events of the last ${run.days} days from CloudTrail event history (${run.regions.join(', ')}) and found ${drifts.length} ${plural} made before it watched: ${counts}.`,
    '',
    ...sorted
      .slice(0, LISTED)
      .map((d) => `- [${d.severity}] ${oneLine(d.summary, 300)} (${oneLine(d.event.time, 40)})`),
    ...(drifts.length > LISTED ? [`- ... and ${drifts.length - LISTED} more`] : []),
    '',
    ...(run.errors > 0
      ? [`${run.errors} event(s) could not be processed; the function log names them.`, '']
      : []),
    'Each is marked "backfilled" in the dashboard, where you can acknowledge or resolve it.',
    ...(dashboardUrl ? [`Dashboard: ${dashboardUrl.replace(/\/+$/, '')}/`] : []),
  ];
  return { subject, body: lines.join('\n'), severity };
}
