// Scan output formats: json (the contract of DESIGN.md §4), table (a terminal) and markdown (a PR
// comment). Every string from CloudTrail is hostile: the table strips terminal control sequences,
// markdown escapes its syntax and HTML.

import pc from 'picocolors';
import { displayEventName, displayValue } from '../core/display.js';
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

export function renderReport(report: ScanReport, format: ReportFormat, color = false): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (format === 'markdown') return renderMarkdown(report);
  return renderTable(report, color);
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
  const errors = s.errors > 0 ? `, ${s.errors} input error${s.errors === 1 ? '' : 's'}` : '';
  const duplicates =
    s.duplicates > 0 ? ` (${s.duplicates} duplicate record${s.duplicates === 1 ? '' : 's'} skipped)` : '';
  return `${drift} in ${s.events} event${s.events === 1 ? '' : 's'}${duplicates} against ${s.resources} resources from ${s.stateFiles} state file${s.stateFiles === 1 ? '' : 's'}${errors}`;
}

function renderTable(report: ScanReport, color: boolean): string {
  const headers = ['SEVERITY', 'KIND', 'RESOURCE', 'CHANGE', 'WHO', 'EVENT', 'TIME'];
  const rows = report.findings.map((f) => [
    f.severity,
    f.kind,
    truncate(terminalText(resourceText(f)), 60),
    truncate(changeText(f), 70),
    truncate(terminalText(actorText(f)), 40),
    truncate(terminalText(eventText(f)), 40),
    terminalText(f.event.time),
  ]);
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[], paint = false) =>
    cells
      .map((cell, i) => {
        const padded = i === cells.length - 1 ? cell : cell.padEnd(widths[i]);
        return paint && i === 0 ? SEVERITY_COLOR[cell as Severity](padded) : padded;
      })
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (rows.length > 0) {
    out.push(color ? pc.bold(line(headers)) : line(headers));
    for (const row of rows) out.push(line(row, color));
    out.push('');
  }
  out.push(summaryLine(report));
  return `${out.join('\n')}\n`;
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

function renderMarkdown(report: ScanReport): string {
  const out = ['### tfdrift: Terraform drift report', '', summaryLine(report), ''];
  if (report.findings.length > 0) {
    out.push('| Severity | Kind | Resource | Change | Who | Event | Time |', '|---|---|---|---|---|---|---|');
    for (const f of report.findings) {
      const change =
        f.kind === 'modified' && f.changes.length > 0
          ? f.changes
              .map(
                (c) =>
                  `${markdownText(c.attribute)}: ${markdownText(displayValue(c.expected))} → ${markdownText(displayValue(c.actual))}`,
              )
              .join('<br>')
          : markdownText(changeText(f));
      out.push(
        `| **${f.severity}** | ${f.kind} | ${markdownText(resourceText(f))} | ${change} | ${markdownText(actorText(f))} | ${markdownText(eventText(f))} | ${markdownText(f.event.time)} |`,
      );
    }
    out.push('');
  }
  if (report.errors.length > 0) {
    out.push('**Input errors**', '');
    for (const e of report.errors) out.push(`- ${markdownText(e.origin)}: ${markdownText(e.message)}`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
