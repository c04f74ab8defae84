// CloudWatch embedded metric format (EMF): one JSON log line that CloudWatch Logs turns into metrics,
// with no API call and no extra permission. Spec: "Specification: Embedded metric format" in the
// CloudWatch user guide (_aws.CloudWatchMetrics[{Namespace, Dimensions, Metrics}] + values at root).

export type MetricUnit = 'Milliseconds' | 'Count' | 'None';

export interface MetricValue {
  readonly value: number;
  readonly unit: MetricUnit;
}

export interface EmfInput {
  readonly namespace: string;
  /** Dimension name → value; every metric is emitted under these dimensions. */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly metrics: Readonly<Record<string, MetricValue>>;
  /** Extra searchable fields in the log line (not metrics). */
  readonly properties?: Readonly<Record<string, string | number | boolean>>;
  readonly timestamp: number;
}

/** EMF allows at most 100 metrics per line; values must be finite numbers. */
export const MAX_METRICS = 100;

/** The EMF log line for the given metrics (metrics with non-finite values are left out). */
export function formatEmf(input: EmfInput): string {
  const metrics = Object.entries(input.metrics)
    .filter(([, m]) => Number.isFinite(m.value))
    .slice(0, MAX_METRICS);
  const line: Record<string, unknown> = {
    ...input.properties,
    ...input.dimensions,
    _aws: {
      Timestamp: input.timestamp,
      CloudWatchMetrics: [
        {
          Namespace: input.namespace,
          Dimensions: [Object.keys(input.dimensions)],
          Metrics: metrics.map(([name, m]) => ({ Name: name, Unit: m.unit })),
        },
      ],
    },
  };
  for (const [name, m] of metrics) line[name] = m.value;
  return JSON.stringify(line);
}

/** Metrics one detect invocation reports. */
export interface DetectMetrics {
  /** Milliseconds between the CloudTrail eventTime and now (null when unknown). */
  readonly lagMs: number | null;
  readonly events: number;
  readonly drifts: number;
  readonly errors: number;
  /** State files and sources the current state index could not load. */
  readonly stateErrors: number;
  /** Ignored events by reason (read-only, terraform, ...). */
  readonly ignored: Readonly<Record<string, number>>;
}

/** Detect metrics as EMF: Lag, Events, Drifts, Errors, StateErrors and Ignored.<reason> under Function. */
export function detectMetricsLine(
  namespace: string,
  functionName: string,
  m: DetectMetrics,
  timestamp: number,
): string {
  const metrics: Record<string, MetricValue> = {
    Events: { value: m.events, unit: 'Count' },
    Drifts: { value: m.drifts, unit: 'Count' },
    Errors: { value: m.errors, unit: 'Count' },
    StateErrors: { value: m.stateErrors, unit: 'Count' },
  };
  if (m.lagMs !== null) metrics.LagMs = { value: Math.max(0, m.lagMs), unit: 'Milliseconds' };
  for (const [reason, count] of Object.entries(m.ignored).sort()) {
    metrics[`Ignored.${reason}`] = { value: count, unit: 'Count' };
  }
  return formatEmf({ namespace, dimensions: { Function: functionName }, metrics, timestamp });
}
