// The detect path shared by the detect Lambda, POST /api/v1/events and the local event readers:
// normalise → filter with the rule set's EventBridge patterns → detect → store once → alert once.

import { extractEach, normaliseRecord } from '../core/cloudtrail.js';
import type { DetectConfig } from '../core/config.js';
import { type DetectContext, type DetectError, detectEvent } from '../core/detect.js';
import { type EventPattern, matchesPattern } from '../core/event-pattern.js';
import { scrubSecrets } from '../core/redact.js';
import { eventPatterns, type RuleSet } from '../core/rules.js';
import type { StateIndex } from '../core/state-types.js';
import type { CloudTrailEvent, Drift, Finding, ProcessedEvent } from '../core/types.js';
import type { Clock, DriftStore, EventLog, LiveMessage, Logger, Notifier, StateProvider } from '../ports.js';
import { resolutionOf } from './reevaluate.js';

export interface DetectServiceDeps {
  readonly rules: RuleSet;
  readonly state: StateProvider;
  readonly store: DriftStore;
  readonly notifier: Notifier;
  readonly events: EventLog;
  /** Live message for each new drift (the AWS path publishes through the table's stream instead). */
  readonly publish?: (message: LiveMessage) => void;
  readonly config: DetectConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Called after a state reload (and the re-evaluation that follows it). */
  readonly onStateReload?: (index: StateIndex, resolved: readonly Drift[]) => void;
}

export interface HandleResult {
  /** Events that reached the detector (matched the rule set's patterns). */
  readonly processed: number;
  /** Events the EventBridge patterns drop (AWS would never deliver them). */
  readonly filtered: number;
  readonly findings: Finding[];
  /** Findings stored for the first time (redelivered events add none). */
  readonly created: number;
  readonly errors: DetectError[];
}

export interface DetectService {
  /** Takes bare records, `{"Records": [...]}` logs, EventBridge envelopes or arrays of these. */
  handle(records: readonly unknown[]): Promise<HandleResult>;
  /** Reloads state, then re-evaluates open drifts; returns the drifts it resolved. */
  reloadState(): Promise<Drift[]>;
  /** Open drifts the current state now agrees with become resolved (by "tfdrift"). */
  reevaluate(): Promise<Drift[]>;
}

/** What EventBridge matches for a CloudTrail record ("AWS API Call via CloudTrail"). */
export function bridgeEnvelope(event: CloudTrailEvent): Record<string, unknown> {
  return {
    version: '0',
    id: event.id,
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${event.source.replace(/\.amazonaws\.com$/, '')}`,
    account: event.account,
    time: event.time,
    region: event.region,
    resources: [],
    detail: event.raw,
  };
}

function recordId(record: unknown): string | null {
  const id = record && typeof record === 'object' ? (record as Record<string, unknown>).eventID : undefined;
  return typeof id === 'string' ? id : null;
}

export function createDetectService(deps: DetectServiceDeps): DetectService {
  const patterns: EventPattern[] = eventPatterns(deps.rules);
  const { logger } = deps;

  async function reevaluate(): Promise<Drift[]> {
    const index = await deps.state.current();
    const resolved: Drift[] = [];
    for (const drift of await deps.store.listOpen()) {
      const reason = resolutionOf(drift, index);
      if (!reason) continue;
      const updated = await deps.store.setStatus(drift.id, {
        status: 'resolved',
        by: 'tfdrift',
        comment: reason,
        at: deps.clock.now().toISOString(),
      });
      if (updated) resolved.push(updated);
    }
    if (resolved.length > 0) logger.info('drifts resolved by state reload', { count: resolved.length });
    return resolved;
  }

  async function reloadState(): Promise<Drift[]> {
    const index = await deps.state.reload();
    const resolved = await reevaluate();
    deps.onStateReload?.(index, resolved);
    return resolved;
  }

  async function store(finding: Finding, event: CloudTrailEvent): Promise<boolean> {
    const drift: Drift = {
      ...finding,
      status: 'open',
      detectedAt: deps.clock.now().toISOString(),
      rawEvent: scrubSecrets(event.raw),
    };
    if (!(await deps.store.putIfAbsent(drift))) return false;
    // The alert follows the write that created the drift, so a redelivery alerts nobody twice.
    try {
      await deps.notifier.notify(drift);
    } catch (error) {
      logger.error('alert failed (the drift is stored)', {
        driftId: drift.id,
        error: (error as Error).message,
      });
    }
    deps.publish?.({ type: 'drift', drift, cursor: drift.detectedAt });
    return true;
  }

  async function handle(records: readonly unknown[]): Promise<HandleResult> {
    const errors: DetectError[] = [];
    const events: CloudTrailEvent[] = [];
    let filtered = 0;
    for (const item of records.flatMap((doc) => extractEach(doc))) {
      if ('error' in item) {
        errors.push({ eventId: null, message: item.error });
        continue;
      }
      const record = item.record;
      try {
        const event = normaliseRecord(record);
        if (patterns.some((p) => matchesPattern(p, bridgeEnvelope(event)))) events.push(event);
        else filtered += 1;
      } catch (error) {
        errors.push({ eventId: recordId(record), message: (error as Error).message });
      }
    }
    const findings: Finding[] = [];
    const processed: ProcessedEvent[] = [];
    let created = 0;
    let stateWrite = false;
    const ctx: DetectContext = { rules: deps.rules, state: await deps.state.current(), config: deps.config };
    for (const event of events) {
      let result: ProcessedEvent;
      try {
        result = detectEvent(event, ctx);
      } catch (error) {
        const message = `detector failed: ${(error as Error).message}`;
        result = { ...eventHead(event), outcome: { result: 'error', error: message } };
      }
      processed.push(result);
      if (result.stateWrite) stateWrite = true;
      if (result.outcome.result === 'error')
        errors.push({ eventId: event.id, message: result.outcome.error });
      if (result.outcome.result !== 'drift') continue;
      for (const finding of result.outcome.findings) {
        findings.push(finding);
        if (await store(finding, event)) created += 1;
      }
    }
    if (processed.length > 0) await deps.events.record(processed);
    for (const error of errors) logger.warn('event not processed', { ...error });
    if (stateWrite) {
      // Terraform wrote to a watched resource: its state file is about to change (or has).
      try {
        await reloadState();
      } catch (error) {
        logger.error('state reload failed', { error: (error as Error).message });
      }
    }
    return { processed: processed.length, filtered, findings, created, errors };
  }

  return { handle, reloadState, reevaluate };
}

function eventHead(event: CloudTrailEvent) {
  return {
    eventId: event.id,
    name: event.name,
    source: event.source,
    time: event.time,
    actor: event.actor.name ?? event.actor.arn,
  };
}
