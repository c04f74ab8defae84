// The detect path shared by the detect Lambda, POST /api/v1/events and the local event readers:
// normalise → filter with the rule set's EventBridge patterns → detect → store once → alert once.

import { extractEach, normaliseRecord } from '../core/cloudtrail.js';
import type { DetectConfig } from '../core/config.js';
import { type DetectContext, type DetectError, detectEvent } from '../core/detect.js';
import { type DriftEvent, driftDetectedEvent, driftStatusChangedEvent } from '../core/drift-events.js';
import { recordErrorMessage } from '../core/errors.js';
import { stableHash } from '../core/hash.js';
import { scrubSecrets } from '../core/redact.js';
import { eventFilter, type RuleSet } from '../core/rules.js';
import type { StateIndex } from '../core/state-types.js';
import type {
  CloudTrailEvent,
  Drift,
  DriftStatus,
  Finding,
  ProcessedEvent,
  RestoredValues,
} from '../core/types.js';
import type {
  AlertLedger,
  Clock,
  DriftEvents,
  EventLog,
  LiveMessage,
  Logger,
  Notifier,
  RevertLog,
  RevertMark,
  SequencedDriftStore,
  StateProvider,
} from '../ports.js';
import { resolutionOf } from './reevaluate.js';

export interface DetectServiceDeps {
  readonly rules: RuleSet;
  readonly state: StateProvider;
  /** Where drifts are written once; each write's change number is its live message's cursor. */
  readonly drifts: SequencedDriftStore;
  /** Who alerts for a drift: every delivery of its event may claim the alert, one wins. */
  readonly alerts: AlertLedger;
  /** Reverts seen, so a drift delivered after the call that undid it is resolved as it is stored. */
  readonly reverts: RevertLog;
  readonly notifier: Notifier;
  /** Where `Drift Detected` and `Drift Status Changed` go (docs/drift-events.md). @default none */
  readonly driftEvents?: DriftEvents;
  /** Dashboard base URL for the events' links (a function: the local server knows it once listening). */
  readonly dashboardUrl?: () => string | undefined;
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
  /** Alerts that could not be sent in this call (their drifts are stored; redeliver to retry). */
  readonly alertsFailed: number;
  /** What became of each processed event (drift, or why it was ignored). */
  readonly outcomes: ProcessedEvent[];
  /** The findings of `created`, as stored. */
  readonly createdFindings?: Finding[];
}

export interface HandleOptions {
  /**
   * Events read from CloudTrail event history after the fact: the drifts are marked `backfilled`
   * and not alerted one by one (the caller sends one summary); they count as alerted, so a live
   * delivery of the same event later sends no mail either.
   */
  readonly backfill?: boolean;
}

export interface DetectService {
  /** Takes bare records, `{"Records": [...]}` logs, EventBridge envelopes or arrays of these. */
  handle(records: readonly unknown[], options?: HandleOptions): Promise<HandleResult>;
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

/** ISO time with milliseconds (string order is time order), or null when unparsable. */
function isoTime(time: string): string | null {
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * The revert key of one attribute of one resource (hashed: addresses and paths can be long). Reverts
 * are recorded for managed resources only: an unmanaged one's key (no address, no state file) finds none.
 */
function revertKey(
  resource: { readonly stateFile: string | null; readonly address: string | null },
  attribute: string,
): string {
  return stableHash(`${resource.stateFile}\u0000${resource.address}\u0000${attribute}`);
}

export function createDetectService(deps: DetectServiceDeps): DetectService {
  // The EventBridge patterns, made per eventSource when its first event comes (not at cold start).
  const filter = eventFilter(deps.rules);
  const { logger } = deps;
  const resolutions = createResolutions(deps);

  async function reevaluate(): Promise<Drift[]> {
    const index = await deps.state.current();
    const resolved: Drift[] = [];
    for (const drift of await deps.drifts.listOpen()) {
      const reason = resolutionOf(drift, index);
      if (!reason) continue;
      const updated = await resolutions.resolve(drift.id, drift.status, reason);
      if (updated) resolved.push(updated);
    }
    if (resolved.length > 0) logger.info('drifts resolved by state reload', { count: resolved.length });
    return resolved;
  }

  // Terraform's own calls say a new state is coming. A provider that can (CachingStateProvider) only
  // marks its state stale and checks for the new version now and then; re-evaluation waits for the
  // state write itself (reloadState, on S3's Object Created), so a 500-call apply costs one.
  const staleable = deps.state as StateProvider & { markStale?(): void };
  /** A state-write notification reached this instance: re-evaluation is left to those. */
  let notified = false;
  /** The index the last handled events saw. */
  let seen: StateIndex | null = null;

  async function reloadState(): Promise<Drift[]> {
    notified = true;
    const index = await deps.state.reload();
    seen = index;
    const resolved = await reevaluate();
    deps.onStateReload?.(index, resolved);
    return resolved;
  }

  /** The current state for a batch; without notifications, a new one found is re-evaluated here. */
  async function currentState(): Promise<StateIndex> {
    const index = await deps.state.current();
    const changed = seen !== null && index !== seen;
    seen = index;
    if (changed && !notified) {
      // State-write notifications are off (docs/deploy.md step 2): this check is what saw the write.
      try {
        const resolved = await reevaluate();
        deps.onStateReload?.(index, resolved);
      } catch (error) {
        logger.error('re-evaluation failed', { error: (error as Error).message });
      }
    }
    return index;
  }

  async function store(
    finding: Finding,
    event: CloudTrailEvent,
    tally: { alertsFailed: number },
    options: HandleOptions,
  ): Promise<boolean> {
    const drift: Drift = {
      ...finding,
      ...(options.backfill ? { backfilled: true } : {}),
      status: 'open',
      detectedAt: deps.clock.now().toISOString(),
      rawEvent: scrubSecrets(event.raw),
    };
    const seq = await deps.drifts.putNew(drift);
    const created = seq !== null;
    if (created) deps.publish?.({ type: 'drift', drift, cursor: String(seq) });
    if (created) {
      await resolutions.emit(driftDetectedEvent(drift, resolutions.links()));
      // Delivered late: a call after this one already set the values back.
      await resolutions.resolveIfReverted(drift);
    }
    if (!(await alertOnce(drift, options.backfill === true))) tally.alertsFailed += 1;
    return created;
  }

  /**
   * One alert per drift: every delivery may claim the alert and exactly one wins; a failed alert
   * releases its claim, so the redelivery that follows (the Lambda fails on alertsFailed) sends it,
   * while the drift itself is never written twice.
   */
  async function alertOnce(drift: Drift, summarised: boolean): Promise<boolean> {
    if (!(await deps.alerts.claimAlert(drift.id, deps.clock.now().toISOString()))) return true;
    if (summarised) {
      // A backfilled drift is in its run's one summary alert: it counts as alerted.
      await deps.alerts.settleAlert(drift.id, true);
      return true;
    }
    try {
      await deps.notifier.notify(drift);
    } catch (error) {
      logger.error('alert failed (the drift is stored; a redelivery retries the alert)', {
        driftId: drift.id,
        error: (error as Error).message,
      });
      await deps.alerts.settleAlert(drift.id, false);
      return false;
    }
    await deps.alerts.settleAlert(drift.id, true);
    return true;
  }

  async function handle(records: readonly unknown[], options: HandleOptions = {}): Promise<HandleResult> {
    const tally = { alertsFailed: 0 };
    const { events, errors, filtered } = eventsToDetect(records, filter);
    const findings: Finding[] = [];
    const createdFindings: Finding[] = [];
    const processed: ProcessedEvent[] = [];
    let created = 0;
    let stateWrite = false;
    const ctx: DetectContext = { rules: deps.rules, state: await currentState(), config: deps.config };
    for (const event of events) {
      const result = detectOrError(event, ctx);
      processed.push(result);
      if (result.stateWrite) stateWrite = true;
      if (result.restored) await resolutions.applyReverts(event, result.restored);
      if (result.outcome.result === 'error')
        errors.push({ eventId: event.id, message: result.outcome.error });
      if (result.outcome.result !== 'drift') continue;
      for (const finding of result.outcome.findings) {
        const marked: Finding = options.backfill ? { ...finding, backfilled: true } : finding;
        findings.push(marked);
        if (await store(finding, event, tally, options)) {
          created += 1;
          createdFindings.push(marked);
        }
      }
    }
    if (processed.length > 0) await deps.events.record(processed);
    for (const error of errors) logger.warn('event not processed', { ...error });
    if (stateWrite && staleable.markStale) {
      // Terraform wrote to a watched resource: its state file is about to change (or has).
      staleable.markStale();
    } else if (stateWrite) {
      try {
        await reloadState();
      } catch (error) {
        logger.error('state reload failed', { error: (error as Error).message });
      }
    }
    return {
      processed: processed.length,
      filtered,
      findings,
      created,
      errors,
      outcomes: processed,
      alertsFailed: tally.alertsFailed,
      createdFindings,
    };
  }

  return { handle, reloadState, reevaluate };
}

/**
 * The records' events that EventBridge would deliver (the rule set's patterns), normalised; a part
 * that is no record, or a record that breaks the matcher, is one error and the rest go on.
 */
function eventsToDetect(
  records: readonly unknown[],
  filter: ReturnType<typeof eventFilter>,
): { events: CloudTrailEvent[]; errors: DetectError[]; filtered: number } {
  const events: CloudTrailEvent[] = [];
  const errors: DetectError[] = [];
  let filtered = 0;
  for (const item of records.flatMap((doc) => extractEach(doc))) {
    if ('error' in item) {
      errors.push({ eventId: null, message: item.error });
      continue;
    }
    const record = item.record;
    try {
      const event = normaliseRecord(record);
      if (filter.matches(bridgeEnvelope(event))) events.push(event);
      else filtered += 1;
    } catch (error) {
      // A record extractEach accepted can still break the matcher (e.g. nested too deeply to walk).
      const id = record.eventID;
      errors.push({ eventId: typeof id === 'string' ? id : null, message: recordErrorMessage(error) });
    }
  }
  return { events, errors, filtered };
}

/** detectEvent, a detector that throws becoming that event's error outcome. */
function detectOrError(event: CloudTrailEvent, ctx: DetectContext): ProcessedEvent {
  try {
    return detectEvent(event, ctx);
  } catch (error) {
    const message = `detector failed: ${(error as Error).message}`;
    return { ...eventHead(event), outcome: { result: 'error', error: message } };
  }
}

/**
 * The drift events (Drift Detected, and Drift Status Changed when tfdrift resolves a drift: a state
 * that agrees again, a later call that set the values back) and those resolutions themselves.
 */
function createResolutions(deps: DetectServiceDeps) {
  const { logger } = deps;

  /** Drift events never stop detection: a publisher that fails is logged, the drift stays stored. */
  async function emit(event: DriftEvent): Promise<void> {
    if (!deps.driftEvents) return;
    try {
      await deps.driftEvents.publish(event);
    } catch (error) {
      logger.error('drift event not published', {
        driftId: event.detail.id,
        detailType: event['detail-type'],
        error: (error as Error).message,
      });
    }
  }

  const links = () => ({ dashboardUrl: deps.dashboardUrl?.() || undefined });

  /** Resolves a drift that is not resolved yet as tfdrift and announces it; returns the updated drift. */
  async function resolve(id: string, previous: DriftStatus, comment: string) {
    const at = deps.clock.now().toISOString();
    const updated = await deps.drifts.setStatus(id, { status: 'resolved', by: 'tfdrift', comment, at });
    if (updated) {
      await emit(
        driftStatusChangedEvent(
          updated,
          { previous, status: 'resolved', by: 'tfdrift', comment, at },
          links(),
        ),
      );
    }
    return updated;
  }

  /**
   * A call set attributes back to the state's values: a drift is over once every attribute it changed
   * was set back after it (by this call or earlier ones). The revert is remembered, so a drift
   * delivered after it (out of order) is resolved as it is stored: the final status follows event
   * time, not arrival.
   */
  async function applyReverts(event: CloudTrailEvent, restored: readonly RestoredValues[]): Promise<void> {
    const time = isoTime(event.time);
    if (!time) return;
    const mark: RevertMark = { time, eventId: event.id, name: event.name };
    for (const r of restored) {
      for (const attribute of r.attributes) await deps.reverts.recordRevert(revertKey(r, attribute), mark);
      for (const drift of await deps.drifts.history(r.address)) {
        if (drift.status === 'resolved') continue; // resolved by someone: their word stands
        await resolveIfReverted(drift);
      }
    }
  }

  /** Resolves a drift whose every changed attribute was set back after its event. */
  async function resolveIfReverted(drift: Drift): Promise<void> {
    const later = await laterRevert(drift);
    if (later) {
      await resolve(
        drift.id,
        drift.status,
        `reverted by ${later.name} (event ${later.eventId}) at ${later.time}`,
      );
    }
  }

  /**
   * The latest revert of every attribute a drift changed, when each came after the drift's event
   * (none for a drift without changes, e.g. a deletion, or whose time cannot be read).
   */
  async function laterRevert(drift: Drift): Promise<RevertMark | undefined> {
    const time = isoTime(drift.event.time);
    if (!time) return undefined;
    let latest: RevertMark | undefined;
    for (const change of drift.changes) {
      const mark = await deps.reverts.latestRevert(revertKey(drift.resource, change.attribute));
      if (!mark || mark.time <= time) return undefined;
      if (!latest || mark.time > latest.time) latest = mark;
    }
    return latest;
  }

  return { emit, links, resolve, applyReverts, resolveIfReverted };
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
