// The detect service as the detect, backstop and query-api functions compose it from their
// environment: DynamoDB store and event log, SNS alerts, S3 state, the bundled rule set.

import { DynamoDriftStore } from '../../adapters/aws/dynamo-drift-store.js';
import { DynamoEventLog } from '../../adapters/aws/dynamo-event-log.js';
import { EventBridgeDriftEvents } from '../../adapters/aws/eventbridge-drift-events.js';
import { SnsNotifier } from '../../adapters/aws/sns-notifier.js';
import { parseConfig } from '../../core/config.js';
import type { ProcessedEvent } from '../../core/types.js';
import type { DriftEvents, EventLog } from '../../ports.js';
import { combineStateSources } from '../../services/combined-state-source.js';
import { createDetectService, type DetectService } from '../../services/detect-service.js';
import { type CachingStateProvider, createStateProvider } from '../../services/state-provider.js';
import { dynamoDocumentClient, eventBridgeClient, s3Client, snsClient } from './clients.js';
import { jsonEnv, numberEnv, optionalEnv, requireEnv } from './env.js';
import { FUNCTION_ENV } from './function-env.js';
import { type FunctionLogger, jsonLogger } from './logger.js';
import { loadCompiledRules, rulesFilePath } from './rules.js';
import { type StateLocation, stateSources } from './state-sources.js';

/** Outcomes of the events recorded since the last `take()`: the detect function's metrics. */
export interface OutcomeCounter {
  take(): { drifts: number; ignored: Record<string, number>; errors: number; events: number };
}

/** Wraps an EventLog so the outcomes the service records are also counted. */
export function countingEventLog(inner: EventLog): EventLog & OutcomeCounter {
  let counts = { drifts: 0, ignored: {} as Record<string, number>, errors: 0, events: 0 };
  return {
    async record(events: readonly ProcessedEvent[]) {
      for (const { outcome } of events) {
        counts.events += 1;
        if (outcome.result === 'drift') counts.drifts += outcome.findings.length;
        else if (outcome.result === 'error') counts.errors += 1;
        else counts.ignored[outcome.reason] = (counts.ignored[outcome.reason] ?? 0) + 1;
      }
      await inner.record(events);
    },
    recent: (limit) => inner.recent(limit),
    take() {
      const taken = counts;
      counts = { drifts: 0, ignored: {}, errors: 0, events: 0 };
      return taken;
    },
  };
}

export interface DetectorRuntime {
  readonly detect: DetectService;
  readonly store: DynamoDriftStore;
  readonly events: EventLog & OutcomeCounter;
  readonly state: CachingStateProvider;
  /** The thin logger (logger.ts): Powertools' would cost the detect function's cold start. */
  readonly logger: FunctionLogger;
  readonly metricsNamespace: string;
  /** Drift events onto the stack's drift bus (DRIFT_EVENT_BUS); absent when no bus is deployed. */
  readonly driftEvents?: DriftEvents;
  readonly dashboardUrl?: string;
}

/** Reads every variable first, so a misconfigured function fails at cold start, naming the variable. */
export function createDetectorRuntime(env: NodeJS.ProcessEnv = process.env): DetectorRuntime {
  const driftsTable = requireEnv(FUNCTION_ENV.driftsTable, env);
  const eventsTable = requireEnv(FUNCTION_ENV.eventsTable, env);
  const topicArn = requireEnv(FUNCTION_ENV.topicArn, env);
  const locations = jsonEnv<StateLocation[]>(FUNCTION_ENV.stateSources, env);
  const config = parseConfig(jsonEnv<unknown>(FUNCTION_ENV.detectConfig, env), FUNCTION_ENV.detectConfig);
  const retentionDays = numberEnv(FUNCTION_ENV.retentionDays, 365, env);
  const logger = jsonLogger({ function_name: env.AWS_LAMBDA_FUNCTION_NAME ?? 'tfdrift' }, undefined, env);
  const rules = loadCompiledRules(rulesFilePath(env));

  const doc = dynamoDocumentClient();
  const store = new DynamoDriftStore(doc, { tableName: driftsTable, retentionDays });
  const events = countingEventLog(new DynamoEventLog(doc, { tableName: eventsTable }));
  // After Terraform's own calls, how often a warm instance checks S3 for the state they announce.
  const staleRecheckMs = numberEnv(FUNCTION_ENV.stateRecheckSeconds, 10, env) * 1000;
  const state = createStateProvider(combineStateSources(stateSources(s3Client(env), locations)), {
    logger,
    staleRecheckMs,
  });
  const dashboardUrl = env[FUNCTION_ENV.dashboardUrl] || undefined;
  const notifier = new SnsNotifier(snsClient(), { topicArn, dashboardUrl });
  const bus = optionalEnv(FUNCTION_ENV.driftEventBus, env);
  const driftEvents = bus
    ? new EventBridgeDriftEvents(eventBridgeClient(), { eventBusName: bus })
    : undefined;
  const detect = createDetectService({
    rules,
    state,
    drifts: store,
    alerts: store,
    reverts: store,
    notifier,
    events,
    config,
    clock: { now: () => new Date() },
    logger,
    driftEvents,
    dashboardUrl: () => dashboardUrl,
  });
  return {
    detect,
    store,
    events,
    state,
    logger,
    metricsNamespace: env[FUNCTION_ENV.metricsNamespace] || 'tfdrift',
    driftEvents,
    dashboardUrl,
  };
}
