// `tfdrift scan`: state + CloudTrail events in, findings out. Exit 0 no drift, 2 drift, 1 error
// (the convention of `terraform plan -detailed-exitcode`).

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  canReadAside,
  type EventInput,
  type EventReaderThread,
  type PreparedBatch,
  prepareBatch,
  randomSeed,
  readPreparedBatches,
  startReadingAside,
} from '../adapters/local/event-files.js';
import { loadRulesFromDir } from '../adapters/local/rule-files.js';
import { normaliseRecord } from '../core/cloudtrail.js';
import { type DetectConfig, parseConfig, withIgnoredPrincipals } from '../core/config.js';
import { type AttributeEffect, type DetectContext, detectEvent } from '../core/detect.js';
import { ConfigError, recordErrorMessage, StateError } from '../core/errors.js';
import { FingerprintSet } from '../core/fingerprints.js';
import { NetFold } from '../core/net.js';
import type { RuleSet } from '../core/rules.js';
import { buildStateIndex } from '../core/state.js';
import type { StateIndex } from '../core/state-types.js';
import { compareText } from '../core/text-order.js';
import { type Finding, type IgnoreReason, SEVERITIES, type Severity } from '../core/types.js';
import type { StateDocument } from '../ports.js';
import {
  errorText,
  jsonReportChunks,
  type ReportFormat,
  renderReport,
  type ScanError,
  type ScanReport,
  terminalText,
} from './report.js';
import { combinedStateSource } from './state-source.js';

export interface ScanOptions {
  readonly state: readonly string[];
  readonly events: readonly string[];
  readonly format?: ReportFormat;
  /** Exit 2 only for findings at or above this severity (default: any finding). */
  readonly failOn?: Severity;
  readonly ignorePrincipals?: readonly string[];
  readonly configFile?: string;
  readonly rulesDir?: string;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  readonly color?: boolean;
  /** Columns the table may use. @default the terminal's width, or 120 when stdout is not one */
  readonly width?: number;
  /**
   * `net`: one finding per resource and attribute, the state's value against the last value set
   * (the CLI's default). `per-event`: one finding per drifting event.
   * @default 'per-event' for scan(), 'net' for runScan()
   */
  readonly mode?: 'net' | 'per-event';
  /** For tests: text that `-` reads instead of process.stdin. */
  readonly stdin?: AsyncIterable<Buffer | string>;
  /**
   * `--lookup 7d [--region R ...]`: also read CloudTrail event history (LookupEvents) for the window,
   * with the standard AWS credential chain, one region each (default: the SDK's region).
   */
  readonly lookup?: { readonly window: string; readonly regions: readonly string[] };
  /** Event batches read after the files (the lookup's records; tests inject them here). */
  readonly moreEvents?: AsyncIterable<EventInput[]>;
}

export const EXIT_CLEAN = 0;
export const EXIT_ERROR = 1;
export const EXIT_DRIFT = 2;

export function loadConfigFile(path: string | undefined): DetectConfig {
  if (!path) return parseConfig(undefined);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${path}: cannot read config file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${path}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return parseConfig(parsed, path);
}

/** Sorted the way driftctl sorts: stable across runs and machines. */
function byTimeThenResource(a: Finding, b: Finding): number {
  return (
    compareText(a.event.time, b.event.time) ||
    compareText(a.event.id, b.event.id) ||
    compareText(a.resource.address ?? a.resource.id ?? '', b.resource.address ?? b.resource.id ?? '')
  );
}

class Progress {
  private last = 0;
  constructor(private readonly stream: (NodeJS.WritableStream & { isTTY?: boolean }) | undefined) {}
  update(events: number, findings: number): void {
    if (!this.stream?.isTTY) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    this.stream.write(`\r\x1b[2Kscanning: ${events} events, ${findings} findings`);
  }
  done(): void {
    if (this.stream?.isTTY && this.last > 0) this.stream.write('\r\x1b[2K');
  }
}

/** CloudTrail event history for `--lookup`, loaded only then (a local scan needs no AWS SDK). */
async function lookupSource(
  lookup: NonNullable<ScanOptions['lookup']>,
): Promise<AsyncIterable<EventInput[]>> {
  const [{ CloudTrailClient }, { lookupEventBatches, parseLookupWindow }] = await Promise.all([
    import('@aws-sdk/client-cloudtrail'),
    import('../adapters/aws/cloudtrail-lookup.js'),
  ]);
  const window = parseLookupWindow(lookup.window, new Date());
  const regions = lookup.regions.length > 0 ? [...new Set(lookup.regions)] : [undefined];
  const clients = regions.map((region) => new CloudTrailClient(region ? { region } : {}));
  return lookupEventBatches({ clients, window });
}

/**
 * The log files, then the event history, prepared (event-files.ts prepareBatch): the files on the
 * reader thread when there is one, else here. A record in both counts once: the history is checked
 * against the duplicate keys the files' reader saw.
 */
async function* preparedBatches(
  options: ScanOptions,
  config: DetectConfig,
  aside: EventReaderThread | undefined,
): AsyncGenerator<PreparedBatch> {
  let seen: FingerprintSet;
  if (aside) {
    yield* aside.batches;
    seen = aside.seen as FingerprintSet;
  } else {
    seen = new FingerprintSet(randomSeed());
    yield* readPreparedBatches(options.events, seen, config, { stdin: options.stdin });
  }
  if (options.moreEvents)
    for await (const batch of options.moreEvents) yield prepareBatch(batch, seen, config);
}

/** Loads the state, reads every event, detects. Input problems become report errors, not throws. */
export async function scan(options: ScanOptions, rules: RuleSet, config: DetectConfig): Promise<ScanReport> {
  // The installed command reads the events on a second thread, starting now, while this one loads
  // the state and then detects; stdin, tests and a checkout read here, as the state is loaded. Both
  // give the same batches in the same order.
  const aside =
    options.stdin === undefined && canReadAside(options.events)
      ? startReadingAside(options.events, { config })
      : undefined;
  try {
    return await scanBatches(options, rules, config, preparedBatches(options, config, aside));
  } finally {
    await aside?.close();
  }
}

/**
 * The state index and the warnings of its files. A function of its own so the state files' texts
 * (tens of MB) are garbage as soon as it returns, not held by the scan's frame until the end.
 */
async function loadState(options: ScanOptions): Promise<{ state: StateIndex; warnings: ScanError[] }> {
  const stdin = options.stdin;
  const readStdin = stdin ? () => readAll(stdin) : undefined;
  const { documents, errors: stateErrors } = await combinedStateSource(options.state, readStdin).load();
  const state: StateIndex = buildStateIndex(
    documents.map((d: StateDocument) => ({ file: d.file, text: d.text })),
  );
  // A file that did not load at all is fatal: a scan against part of the state would call managed
  // resources unmanaged. Problems inside a loaded file (a duplicate address) are warnings.
  const loaded = new Set(state.files.map((f) => f.file));
  const fatal = [...stateErrors, ...state.errors.filter((e) => !loaded.has(e.file))];
  if (fatal.length > 0) throw new StateError(fatal.map((e) => e.message).join('; '));
  const warnings = state.errors
    .filter((e) => loaded.has(e.file))
    .map((e) => ({ origin: e.file, message: e.message }));
  return { state, warnings };
}

async function scanBatches(
  options: ScanOptions,
  rules: RuleSet,
  config: DetectConfig,
  batches: AsyncIterable<PreparedBatch>,
): Promise<ScanReport> {
  const errors: ScanError[] = [];
  const { state, warnings } = await loadState(options);
  const net = options.mode === 'net' ? new NetFold() : undefined;
  const ctx: DetectContext = { rules, state, config, foldOnly: net !== undefined };
  let findings: Finding[] = [];
  const ignored: Partial<Record<IgnoreReason, number>> = {};
  const progress = new Progress(options.stderr);
  // CloudTrail delivers at least once and a log can be passed twice: one event counts once. Records
  // with an eventID were checked where they were read (prepareBatch); one without is keyed here by
  // its content, once normalised.
  const seenWithoutId = new FingerprintSet(randomSeed());
  let duplicates = 0;
  let events = 0;
  for await (const batch of batches) {
    duplicates += batch.duplicates;
    const quick = Object.entries(batch.quickFirstAt) as [keyof PreparedBatch['quick'], number][];
    // Read-only and failed calls are counted where their first one was met among the inputs.
    const countQuick = (at: number) => {
      for (const [reason, firstAt] of quick) {
        if (firstAt !== at) continue;
        events += batch.quick[reason];
        ignored[reason] = (ignored[reason] ?? 0) + batch.quick[reason];
      }
    };
    for (let at = 0; at <= batch.inputs.length; at++) {
      if (quick.length > 0) countQuick(at);
      if (at === batch.inputs.length) break;
      const input = batch.inputs[at];
      if (!input.ok) {
        errors.push({ origin: input.origin, message: input.error });
        continue;
      }
      const rawId = input.record.eventID;
      let processed: ReturnType<typeof detectEvent>;
      const effects: AttributeEffect[] | undefined = net ? [] : undefined;
      let event: ReturnType<typeof normaliseRecord>;
      try {
        event = normaliseRecord(input.record);
        // A record without eventID gets a content hash as id: the same record twice is one event.
        if ((typeof rawId !== 'string' || rawId === '') && !seenWithoutId.add(event.id)) {
          duplicates++;
          continue;
        }
        processed = detectEvent(event, ctx, effects);
      } catch (error) {
        errors.push({ origin: input.origin, message: recordErrorMessage(error) });
        continue;
      }
      events++;
      const outcome = processed.outcome;
      if (net && effects) net.add(event, outcome.result === 'drift' ? outcome.findings : [], effects);
      if (outcome.result === 'drift') {
        if (!net) findings.push(...outcome.findings);
      } else if (outcome.result === 'ignored') ignored[outcome.reason] = (ignored[outcome.reason] ?? 0) + 1;
      else errors.push({ origin: `${input.origin} (event ${processed.eventId})`, message: outcome.error });
    }
    progress.update(events, net ? net.size : findings.length);
  }
  progress.done();
  if (net) findings = net.findings(state);
  findings.sort(byTimeThenResource);

  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byKind: Record<string, number> = { modified: 0, deleted: 0, unmanaged: 0 };
  for (const f of findings) {
    bySeverity[f.severity]++;
    byKind[f.kind]++;
  }
  return {
    findings,
    summary: {
      events,
      duplicates,
      findings: findings.length,
      byKind,
      bySeverity,
      ignored,
      errors: errors.length,
      stateFiles: state.files.length,
      resources: state.resources.length,
    },
    errors,
    warnings,
  };
}

/** The whole command: returns the exit code; writes the report to stdout and errors to stderr. */
export async function runScan(options: ScanOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  let report: ScanReport;
  try {
    const rules = loadRulesFromDir(options.rulesDir);
    const config = withIgnoredPrincipals(loadConfigFile(options.configFile), options.ignorePrincipals ?? []);
    const moreEvents =
      options.moreEvents ?? (options.lookup ? await lookupSource(options.lookup) : undefined);
    report = await scan({ ...options, moreEvents, mode: options.mode ?? 'net' }, rules, config);
  } catch (error) {
    stderr.write(`tfdrift: ${terminalText((error as Error).message)}\n`);
    return EXIT_ERROR;
  }
  const format = options.format ?? 'table';
  // Problems first, one line each, so the report below is read knowing it is incomplete.
  for (const w of report.warnings ?? []) stderr.write(`tfdrift: warning: ${terminalText(w.message)}\n`);
  for (const e of report.errors) stderr.write(`tfdrift: ${terminalText(errorText(e))}\n`);
  const width = options.width ?? (stdout as { columns?: number }).columns;
  if (format === 'json') {
    // Written as it is made: the whole report is never one string.
    for (const chunk of jsonReportChunks(report)) stdout.write(chunk);
  } else stdout.write(renderReport(report, format, { color: options.color ?? false, width }));
  // A truncated log makes the result incomplete, so the exit says error.
  if (report.errors.length > 0) return EXIT_ERROR;
  const threshold = SEVERITIES.indexOf(options.failOn ?? 'low');
  return report.findings.some((f) => SEVERITIES.indexOf(f.severity) >= threshold) ? EXIT_DRIFT : EXIT_CLEAN;
}

async function readAll(stream: AsyncIterable<Buffer | string>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
