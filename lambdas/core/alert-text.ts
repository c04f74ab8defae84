// The words of an alert, shared by the console and SNS notifiers. Plain text only: every string from
// CloudTrail is attacker-controlled, so control characters (line breaks that would forge extra
// lines, terminal escapes, bidi overrides) are replaced before they reach a mailbox or a terminal.
// Findings arrive already redacted by the detector; nothing here reads state.

import { displayEventName, displayValue } from './display.js';
import type { Drift } from './types.js';

export interface AlertText {
  /** Under 100 printable ASCII characters (SNS's email subject limit). */
  readonly subject: string;
  readonly body: string;
}

const MAX_SUBJECT = 99;
const MAX_VALUE = 200;

/** C0/C1 controls, zero-width and bidi formatting characters, line/paragraph separators, BOM. */
function isUnsafe(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    (code >= 0x200b && code <= 0x200f) ||
    (code >= 0x2028 && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff
  );
}

/** One line of text: control, format and bidi characters become "?". */
export function oneLine(value: unknown, max = 300): string {
  const text = typeof value === 'string' ? value : value === undefined ? 'null' : JSON.stringify(value);
  const clean = [...(text ?? 'null')].map((c) => (isUnsafe(c.codePointAt(0)!) ? '?' : c)).join('');
  return clean.length > max ? `${clean.slice(0, max - 3)}...` : clean;
}

function subjectText(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length > MAX_SUBJECT ? `${ascii.slice(0, MAX_SUBJECT - 3)}...` : ascii;
}

function describeValue(raw: unknown): string {
  const value = displayValue(raw);
  return typeof value === 'string' ? `"${oneLine(value, MAX_VALUE)}"` : oneLine(value, MAX_VALUE);
}

/** Subject and body of the alert for a new drift; `link` points at the drift in the dashboard. */
export function alertText(drift: Drift, link?: string): AlertText {
  const r = drift.resource;
  const what = r.address ?? `${r.type} ${r.id ?? r.arn ?? '(unknown id)'}`;
  const who = drift.actor.name ?? drift.actor.arn ?? 'unknown principal';
  const subject = subjectText(`[${drift.severity.toUpperCase()}] tfdrift: ${drift.kind} ${what} by ${who}`);
  const lines = [
    `${drift.severity.toUpperCase()} drift (${drift.kind}): ${oneLine(drift.summary)}`,
    '',
    `Resource:  ${oneLine(what)} (${oneLine(r.type)}${r.id && r.address ? `, ${oneLine(r.id)}` : ''})`,
  ];
  if (r.stateFile) lines.push(`State:     ${oneLine(r.stateFile)}`);
  if (drift.kind === 'unmanaged') lines.push('           not in any Terraform state');
  if (drift.kind === 'deleted') lines.push('           deleted outside Terraform');
  if (drift.changes.length > 0) {
    lines.push('Changes:');
    for (const change of drift.changes) {
      lines.push(
        `  ${oneLine(change.attribute)}: expected ${describeValue(change.expected)}, actual ${describeValue(change.actual)}`,
      );
    }
  }
  const a = drift.actor;
  lines.push(`Who:       ${oneLine(who)} (${oneLine(a.type)}${a.arn ? ` ${oneLine(a.arn)}` : ''})`);
  const from = [
    a.sourceIp && `from ${oneLine(a.sourceIp)}`,
    a.userAgent && `via ${oneLine(a.userAgent)}`,
  ].filter(Boolean);
  if (from.length > 0) lines.push(`           ${from.join(' ')}`);
  const e = drift.event;
  lines.push(`When:      ${oneLine(e.time)}`);
  lines.push(
    `Call:      ${oneLine(displayEventName(e.name))} (${oneLine(e.source)}, ${oneLine(e.region)}, account ${oneLine(e.account)})`,
  );
  lines.push(`Event id:  ${oneLine(e.id)}`);
  lines.push(`Rule:      ${oneLine(drift.ruleId)}`);
  lines.push(`Drift id:  ${oneLine(drift.id)}`);
  if (link) lines.push(`Open:      ${link}`);
  return { subject, body: `${lines.join('\n')}\n` };
}
