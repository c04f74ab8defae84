// Scan output formats: json (the contract of DESIGN.md §4), table (a terminal) and markdown (a PR
// comment). Every string from CloudTrail is hostile: the table strips terminal control sequences,
// markdown escapes its syntax and HTML.

import pc from 'picocolors';
import { displayEventName, displayValue } from '../core/display.js';
import { compareText } from '../core/text-order.js';
import type { Finding, IgnoreReason, Severity } from '../core/types.js';
import { SEVERITIES } from '../core/types.js';

export interface ScanSummary {
  /** Distinct events read (an event seen again is counted under `duplicates` instead). */
  readonly events: number;
  /** Records skipped as already read: same eventID, time and call (the same log twice, redelivery). */
  readonly duplicates: number;
  readonly findings: number;
  readonly byKind: Record<string, number>;
  readonly bySeverity: Record<Severity, number>;
  readonly ignored: Partial<Record<IgnoreReason, number>>;
  readonly errors: number;
  readonly stateFiles: number;
  readonly resources: number;
}

export interface ScanError {
  readonly origin: string;
  readonly message: string;
}

export interface ScanReport {
  readonly findings: readonly Finding[];
  readonly summary: ScanSummary;
  readonly errors: readonly ScanError[];
  /** Problems that did not stop the scan (e.g. a duplicate address inside a state file). */
  readonly warnings?: readonly ScanError[];
}

export type ReportFormat = 'json' | 'table' | 'markdown';

/** GitHub's limit on a pull-request comment, in characters. */
export const MARKDOWN_LIMIT = 65_536;
/** The table's width when the output is not a terminal. */
export const DEFAULT_TABLE_WIDTH = 120;

export interface RenderOptions {
  readonly color?: boolean;
  /** Columns the table may use: the terminal's width. @default 120 */
  readonly width?: number;
}

export function renderReport(report: ScanReport, format: ReportFormat, options: RenderOptions = {}): string {
  if (format === 'json') return [...jsonReportChunks(report)].join('');
  if (format === 'markdown') return renderMarkdown(report, MARKDOWN_LIMIT);
  return renderTable(report, options.color ?? false, options.width ?? DEFAULT_TABLE_WIDTH);
}

/** Characters of JSON written at a time while streaming the report. */
const JSON_CHUNK = 64 * 1024;
/** Findings stringified at a time (~250 KB of JSON): one call lays out many, none is re-indented. */
const FINDINGS_AT_ONCE = 64;
/** What JSON.stringify([findings], null, 2) puts around the findings: they sit two levels deep. */
const NESTED_OPEN = '[\n  [';
const NESTED_CLOSE = '\n  ]\n]';

/**
 * The JSON report (`JSON.stringify(report, null, 2)` and a newline, the same text) in pieces of at
 * most JSON_CHUNK characters, FINDINGS_AT_ONCE findings stringified at a time: 25k findings are
 * ~40 MB of JSON that need never be one string in memory.
 */
export function* jsonReportChunks(report: ScanReport): Generator<string> {
  let pending = '';
  const emit = function* (text: string) {
    pending += text;
    while (pending.length >= JSON_CHUNK) {
      // Each piece is written (encoded) alone: a surrogate pair split in two would be two U+FFFD.
      const cut = isHighSurrogate(pending.charCodeAt(JSON_CHUNK - 1)) ? JSON_CHUNK - 1 : JSON_CHUNK;
      yield pending.slice(0, cut);
      pending = pending.slice(cut);
    }
  };
  // Every key as JSON.stringify would write it (in the object's order, undefined values left out).
  const entries = Object.entries(report).filter(
    ([, value]) => value !== undefined && typeof value !== 'function' && typeof value !== 'symbol',
  );
  if (entries.length === 0) {
    yield '{}\n';
    return;
  }
  yield* emit('{');
  for (const [i, [key, value]] of entries.entries()) {
    yield* emit(`\n  ${JSON.stringify(key)}: `);
    if (key === 'findings' && Array.isArray(value) && value.length > 0) {
      yield* emit('[');
      for (let j = 0; j < value.length; j += FINDINGS_AT_ONCE) {
        // Nested in two arrays, the findings are laid out as deep as in the report: each on its
        // own lines after a newline and four spaces, commas between them.
        const nested = JSON.stringify([value.slice(j, j + FINDINGS_AT_ONCE)], null, 2);
        yield* emit(`${j > 0 ? ',' : ''}${nested.slice(NESTED_OPEN.length, -NESTED_CLOSE.length)}`);
      }
      yield* emit('\n  ]');
    } else {
      yield* emit(JSON.stringify(value, null, 2).replaceAll('\n', '\n  '));
    }
    if (i < entries.length - 1) yield* emit(',');
  }
  yield* emit('\n}\n');
  if (pending.length > 0) yield pending;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/** One input problem as one line, naming its file once (reader errors already start with it). */
export function errorText(error: ScanError): string {
  return error.message.startsWith(`${error.origin}: `) ? error.message : `${error.origin}: ${error.message}`;
}

// C0/C1 control characters (ESC starts terminal sequences) and bidi overrides that reorder text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Plain single-line text safe to print on a terminal. */
export function terminalText(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'null');
  return text.replace(CONTROL, '');
}

function truncate(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

function changeText(finding: Finding): string {
  if (finding.kind === 'deleted') return 'deleted';
  if (finding.kind === 'unmanaged') return 'created outside Terraform';
  if (finding.changes.length === 0) return 'changed (values not in event)';
  return finding.changes
    .map(
      (c) =>
        `${c.attribute}: ${terminalText(displayValue(c.expected))} → ${terminalText(displayValue(c.actual))}`,
    )
    .join('; ');
}

function resourceText(finding: Finding): string {
  const r = finding.resource;
  return r.address ?? `${r.type} ${r.id ?? r.arn ?? ''}`.trim();
}

function actorText(finding: Finding): string {
  const actors = finding.actors ?? [finding.actor];
  return actors.map((a) => a.name ?? a.arn ?? a.type).join(', ');
}

/** The call name; a net finding also says how many events it folds (the last one is named). */
function eventText(finding: Finding): string {
  const count = finding.events?.length ?? 1;
  const name = displayEventName(finding.event.name);
  return count > 1 ? `${name} (+${count - 1} earlier)` : name;
}

const SEVERITY_COLOR: Record<Severity, (s: string) => string> = {
  critical: (s) => pc.bold(pc.red(s)),
  high: pc.red,
  medium: pc.yellow,
  low: pc.cyan,
};

function summaryLine(report: ScanReport): string {
  const s = report.summary;
  const severities = [...SEVERITIES]
    .reverse()
    .filter((sev) => s.bySeverity[sev] > 0)
    .map((sev) => `${s.bySeverity[sev]} ${sev}`)
    .join(', ');
  const drift =
    s.findings === 0
      ? 'no drift'
      : `${s.findings} drift finding${s.findings === 1 ? '' : 's'} (${severities})`;
  const duplicates =
    s.duplicates > 0 ? ` (${s.duplicates} duplicate record${s.duplicates === 1 ? '' : 's'} skipped)` : '';
  const read = `${s.events} event${s.events === 1 ? '' : 's'}${duplicates} against ${s.resources} resources from ${s.stateFiles} state file${s.stateFiles === 1 ? '' : 's'}`;
  if (s.errors === 0) return `${drift} in ${read}`;
  // Never a bare "no drift": part of the input was not read.
  return `incomplete: ${s.errors} input error${s.errors === 1 ? '' : 's'}; ${drift} in the ${read} that could be read`;
}

const TABLE_HEADERS = ['SEVERITY', 'KIND', 'RESOURCE', 'CHANGE', 'WHO', 'EVENT', 'TIME'];
/** The widest each column gets, and the narrowest it is squeezed to before columns are dropped. */
const MAX_WIDTHS = [8, 9, 60, 70, 40, 40, Number.POSITIVE_INFINITY];
const MIN_WIDTHS = [8, 9, 16, 16, 10, 10, 20];
/** How much width each column keeps while squeezed: the resource and the change matter most. */
const WEIGHTS = [1, 1, 3, 3, 1, 1.5, 1];
/** Dropped in this order when even the narrowest columns are too wide for the terminal. */
const DROPPABLE = [6, 5, 4];
const GAP = 2;

/** Column widths that fit `width`: the widest (by weight) shrinks first; null marks a dropped column. */
function fitColumns(natural: number[], width: number): (number | null)[] {
  const widths: (number | null)[] = natural.map((w, i) => Math.min(w, MAX_WIDTHS[i]));
  const total = () => {
    const shown = widths.filter((w): w is number => w !== null);
    return shown.reduce((sum, w) => sum + w, 0) + GAP * (shown.length - 1);
  };
  for (const drop of [...DROPPABLE, null]) {
    let excess = total() - width;
    while (excess > 0) {
      let widest = -1;
      widths.forEach((w, i) => {
        const share = (w ?? 0) / WEIGHTS[i];
        if (
          w !== null &&
          w > MIN_WIDTHS[i] &&
          (widest < 0 || share > (widths[widest] ?? 0) / WEIGHTS[widest])
        )
          widest = i;
      });
      if (widest < 0) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
      excess--;
    }
    if (excess <= 0 || drop === null) break;
    widths[drop] = null;
  }
  return widths;
}

function renderTable(report: ScanReport, color: boolean, width: number): string {
  if (report.errors.length > 0 && report.summary.events === 0) return ''; // nothing was read
  const rows = report.findings.map((f) => [
    f.severity,
    f.kind,
    terminalText(resourceText(f)),
    changeText(f),
    terminalText(actorText(f)),
    terminalText(eventText(f)),
    terminalText(f.event.time),
  ]);
  const natural = TABLE_HEADERS.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const widths = fitColumns(natural, width);
  const line = (cells: string[], paint = false) =>
    cells
      .flatMap((cell, i) => {
        const w = widths[i];
        if (w === null) return [];
        const padded = truncate(cell, w).padEnd(w);
        return [paint && i === 0 ? SEVERITY_COLOR[cell as Severity](padded) : padded];
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  const out: string[] = [];
  if (rows.length > 0) {
    out.push(color ? pc.bold(line(TABLE_HEADERS)) : line(TABLE_HEADERS));
    for (const row of rows) out.push(line(row, color));
    out.push('');
  }
  out.push(...wrap(summaryLine(report), width));
  return `${out.join('\n')}\n`;
}

/** Words into lines of at most `width` characters (a longer word keeps its own line). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  return [...lines, current];
}

/** Escapes text for a markdown table cell: no HTML, no links, no emphasis, no pipes or newlines. */
export function markdownText(value: unknown): string {
  const text = terminalText(value);
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) =>
      c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`,
    )
    .replace(/\s+/g, ' ');
}

/** Most severe first, then oldest first: what a reviewer should read first is at the top. */
function bySeverityThenTime(a: Finding, b: Finding): number {
  return (
    SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) || compareText(a.event.time, b.event.time)
  );
}

function markdownRow(f: Finding): string {
  const change =
    f.kind === 'modified' && f.changes.length > 0
      ? f.changes
          .map(
            (c) =>
              `${markdownText(c.attribute)}: ${markdownText(displayValue(c.expected))} → ${markdownText(displayValue(c.actual))}`,
          )
          .join('<br>')
      : markdownText(changeText(f));
  return `| **${f.severity}** | ${f.kind} | ${markdownText(resourceText(f))} | ${change} | ${markdownText(actorText(f))} | ${markdownText(eventText(f))} | ${markdownText(f.event.time)} |`;
}

const more = (count: number, what: string) =>
  `_…and ${count} more ${what}: see the JSON artifact (\`tfdrift scan --format json\`)._`;

/** Characters that lines take joined by newlines, with the newline that ends the last. */
const sizeOf = (lines: readonly string[]) => lines.reduce((sum, line) => sum + line.length + 1, 0);

/**
 * The first lines that fit in `budget` characters together with the line that counts the rest
 * (null when every line fits).
 */
function fitLines(
  lines: readonly string[],
  budget: number,
  moreLine: (count: number) => string,
): { kept: string[]; more: string | null } {
  if (sizeOf(lines) <= budget) return { kept: [...lines], more: null };
  const room = budget - sizeOf([moreLine(lines.length)]);
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > room) break;
    kept.push(line);
    used += line.length + 1;
  }
  return { kept, more: moreLine(lines.length - kept.length) };
}

/**
 * A pull-request comment: findings most severe first, within `limit` characters (GitHub refuses a
 * longer comment). What does not fit is counted, and the JSON report (a CI artifact) has it all.
 * The input errors come after the findings and always keep at least their heading and count.
 */
function renderMarkdown(report: ScanReport, limit: number): string {
  const out = ['### tfdrift: Terraform drift report', '', summaryLine(report), ''];
  const errorHead = ['**Input errors**', ''];
  const errorLines = report.errors.map((e) => `- ${markdownText(errorText(e))}`);
  const moreErrors = (n: number) => more(n, `input error${n === 1 ? '' : 's'}`);
  const errorFloor = errorLines.length > 0 ? sizeOf([...errorHead, moreErrors(errorLines.length), '']) : 0;
  if (report.findings.length > 0) {
    const head = [
      '| Severity | Kind | Resource | Change | Who | Event | Time |',
      '|---|---|---|---|---|---|---|',
    ];
    const rows = [...report.findings].sort(bySeverityThenTime).map(markdownRow);
    // Below the table: a blank line ends it, then the count of what was left out and a blank line.
    const budget = limit - sizeOf(out) - sizeOf([...head, '', '']) - errorFloor;
    const { kept, more: moreFindings } = fitLines(rows, budget, (n) =>
      more(n, `finding${n === 1 ? '' : 's'}`),
    );
    out.push(...head, ...kept, '');
    if (moreFindings) out.push(moreFindings, '');
  }
  if (errorLines.length > 0) {
    const { kept, more: rest } = fitLines(errorLines, limit - sizeOf([...out, ...errorHead, '']), moreErrors);
    out.push(...errorHead, ...kept, ...(rest ? [rest] : []), '');
  }
  return `${out.join('\n')}\n`;
}
