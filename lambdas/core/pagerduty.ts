// A drift event as a PagerDuty Events API v2 event (POST https://events.pagerduty.com/v2/enqueue):
// a new drift triggers an alert, acknowledging it acknowledges, resolving it resolves — all under
// one dedup_key, the drift id, so PagerDuty folds them into one incident. The routing key is not
// here: it is a secret, added by whoever sends (an EventBridge connection from Secrets Manager).

import { oneLine } from './alert-text.js';
import { DRIFT_DETECTED, type DriftEvent } from './drift-events.js';
import type { Severity } from './types.js';

export type PagerDutyAction = 'trigger' | 'acknowledge' | 'resolve';
export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

export interface PagerDutyEvent {
  readonly routing_key?: string;
  readonly event_action: PagerDutyAction;
  /** At most 255 characters: the drift id. */
  readonly dedup_key: string;
  readonly payload?: {
    /** At most 1024 characters. */
    readonly summary: string;
    readonly source: string;
    readonly severity: PagerDutySeverity;
    readonly timestamp: string;
    readonly component: string;
    readonly group: string;
    readonly class: string;
    readonly custom_details: Record<string, unknown>;
  };
  readonly client?: string;
  readonly client_url?: string;
  readonly links?: readonly { readonly href: string; readonly text: string }[];
}

const SEVERITY: Record<Severity, PagerDutySeverity> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
};

/** The PagerDuty event for a drift event, or null when it means nothing to PagerDuty (reopened). */
export function pagerDutyEvent(event: DriftEvent, routingKey?: string): PagerDutyEvent | null {
  const d = event.detail;
  const key = routingKey ? { routing_key: routingKey } : {};
  const dedup_key = d.id.slice(0, 255);
  if (event['detail-type'] !== DRIFT_DETECTED) {
    const status = d.statusChange?.status ?? d.status;
    if (status === 'resolved') return { ...key, event_action: 'resolve', dedup_key };
    if (status === 'acknowledged') return { ...key, event_action: 'acknowledge', dedup_key };
    return null;
  }
  const what =
    d.resource.address ?? `${d.resource.type} ${d.resource.id ?? d.resource.arn ?? '(unknown id)'}`;
  const who = d.actor.name ?? d.actor.arn ?? 'unknown principal';
  return {
    ...key,
    event_action: 'trigger',
    dedup_key,
    payload: {
      summary: oneLine(`[${d.severity.toUpperCase()}] Terraform drift (${d.kind}): ${what} by ${who}`, 1024),
      source: oneLine(d.resource.arn ?? `${d.event.account}/${d.event.region}`, 255),
      severity: SEVERITY[d.severity],
      timestamp: d.event.time,
      component: oneLine(what, 255),
      group: oneLine(d.resource.stateFile ?? 'unmanaged', 255),
      class: d.kind,
      custom_details: {
        summary: d.summary,
        changes: d.changes,
        actor: { type: d.actor.type, arn: d.actor.arn, name: d.actor.name, sourceIp: d.actor.sourceIp },
        event: d.event,
        ruleId: d.ruleId,
      },
    },
    client: 'tfdrift',
    ...(d.url ? { client_url: d.url, links: [{ href: d.url, text: 'Open the drift in tfdrift' }] } : {}),
  };
}
