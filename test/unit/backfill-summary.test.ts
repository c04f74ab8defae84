// The one alert of a backfill run: the subject and body an operator reads, and the severity the
// subscriptions filter on. Each test checks both sides of what it changes (mutation run of
// lambdas/core/backfill-summary.ts).

import { describe, expect, it } from 'vitest';
import { type BackfillRun, backfillSummary, LISTED } from '../../lambdas/core/backfill-summary.js';
import type { Drift, Severity } from '../../lambdas/core/types.js';
import { sampleDrift } from '../support/drift-samples.js';

const run: BackfillRun = { days: 7, regions: ['us-east-1', 'eu-west-1'], events: 40, errors: 0 };

/** A drift of `severity` at second `second` of 2026-01-01T10:00, with a summary naming it. */
function drift(n: number, severity: Severity, second = n): Drift {
  const time = new Date(Date.UTC(2026, 0, 1, 10, 0, second)).toISOString();
  return { ...sampleDrift(n, { severity, time }), summary: `drift number ${n}` };
}

const listedLines = (body: string) => body.split('\n').filter((line) => line.startsWith('- '));

describe('backfill summary', () => {
  it('sends nothing for a run that found no drift', () => {
    expect(backfillSummary([], run)).toBeNull();
    expect(backfillSummary([drift(1, 'low')], run)).not.toBeNull();
  });

  it('counts one drift in the singular and several in the plural, in the subject and the body', () => {
    const one = backfillSummary([drift(1, 'high')], run);
    expect(one?.subject).toBe('[tfdrift] Backfill: 1 drift from the last 7 days');
    expect(one?.body.split('\n')[0]).toBe(
      'tfdrift read 40 write events of the last 7 days from CloudTrail event history (us-east-1, eu-west-1) and found 1 drift made before it watched: 1 high.',
    );
    const two = backfillSummary([drift(1, 'high'), drift(2, 'low')], { ...run, days: 3 });
    expect(two?.subject).toBe('[tfdrift] Backfill: 2 drifts from the last 3 days');
    expect(two?.body.split('\n')[0]).toContain('found 2 drifts made before it watched: 1 high, 1 low.');
  });

  it('counts by severity worst first and leaves out severities with no drift', () => {
    const drifts = [
      drift(1, 'low'),
      drift(2, 'critical'),
      drift(3, 'medium'),
      drift(4, 'low'),
      drift(5, 'critical'),
    ];
    const summary = backfillSummary(drifts, run);
    expect(summary?.body.split('\n')[0]).toMatch(/: 2 critical, 1 medium, 2 low\.$/);
    expect(summary?.body).not.toContain('0 high');
  });

  it('takes the highest severity for the filter attribute, wherever that drift is in the list', () => {
    expect(backfillSummary([drift(1, 'low'), drift(2, 'high'), drift(3, 'medium')], run)?.severity).toBe(
      'high',
    );
    expect(backfillSummary([drift(1, 'critical'), drift(2, 'low')], run)?.severity).toBe('critical');
    expect(backfillSummary([drift(1, 'low'), drift(2, 'low')], run)?.severity).toBe('low');
  });

  it('lists the worst drifts first and, within a severity, the oldest first', () => {
    const drifts = [drift(1, 'low', 5), drift(2, 'high', 30), drift(3, 'high', 10), drift(4, 'critical', 50)];
    const lines = listedLines(backfillSummary(drifts, run)?.body ?? '');
    expect(lines).toEqual([
      '- [critical] drift number 4 (2026-01-01T10:00:50.000Z)',
      '- [high] drift number 3 (2026-01-01T10:00:10.000Z)',
      '- [high] drift number 2 (2026-01-01T10:00:30.000Z)',
      '- [low] drift number 1 (2026-01-01T10:00:05.000Z)',
    ]);
  });

  it(`names at most ${LISTED} drifts, then says how many more there are`, () => {
    const exactly = Array.from({ length: LISTED }, (_, n) => drift(n, 'medium'));
    const atLimit = listedLines(backfillSummary(exactly, run)?.body ?? '');
    expect(atLimit).toHaveLength(LISTED);
    expect(atLimit.some((line) => line.includes('more'))).toBe(false);

    const over = Array.from({ length: LISTED + 3 }, (_, n) => drift(n, 'medium'));
    const lines = listedLines(backfillSummary(over, run)?.body ?? '');
    expect(lines).toHaveLength(LISTED + 1);
    expect(lines.at(-1)).toBe('- ... and 3 more');
    expect(lines.at(-2)).toContain(`drift number ${LISTED - 1} `);
  });

  it('keeps every CloudTrail string on one line and cuts it', () => {
    const hostile: Drift = {
      ...drift(1, 'high'),
      summary: `bad\nSubject: forged ${'x'.repeat(400)}`,
      event: { ...drift(1, 'high').event, time: `2026\n${'9'.repeat(100)}` },
    };
    const [line] = listedLines(backfillSummary([hostile], run)?.body ?? '');
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^- \[high\] bad\?Subject: forged x+\.\.\. \(2026\?9+\.\.\.\)$/);
    const summaryText = line.slice('- [high] '.length, line.indexOf(' (2026'));
    expect(summaryText).toHaveLength(300);
    const timeText = line.slice(line.indexOf(' (2026') + 2, -1);
    expect(timeText).toHaveLength(40);
  });

  it('lays the body out as paragraphs: the count, the list, the failures, what to do, the link', () => {
    const plain = backfillSummary([drift(1, 'high')], run)?.body;
    expect(plain).toBe(
      [
        'tfdrift read 40 write events of the last 7 days from CloudTrail event history (us-east-1, eu-west-1) and found 1 drift made before it watched: 1 high.',
        '',
        '- [high] drift number 1 (2026-01-01T10:00:01.000Z)',
        '',
        'Each is marked "backfilled" in the dashboard, where you can acknowledge or resolve it.',
      ].join('\n'),
    );
    const full = backfillSummary([drift(1, 'high')], { ...run, errors: 1 }, 'https://tfdrift.example')?.body;
    expect(full?.split('\n').slice(2)).toEqual([
      '- [high] drift number 1 (2026-01-01T10:00:01.000Z)',
      '',
      '1 event(s) could not be processed; the function log names them.',
      '',
      'Each is marked "backfilled" in the dashboard, where you can acknowledge or resolve it.',
      'Dashboard: https://tfdrift.example/',
    ]);
  });

  it('says how many events failed only when some did', () => {
    const clean = backfillSummary([drift(1, 'high')], run)?.body ?? '';
    expect(clean).not.toContain('could not be processed');
    const failed = backfillSummary([drift(1, 'high')], { ...run, errors: 2 })?.body ?? '';
    expect(failed).toContain('\n2 event(s) could not be processed; the function log names them.\n');
  });

  it('links the dashboard with one trailing slash, and only when its address is known', () => {
    const withLink = backfillSummary([drift(1, 'high')], run, 'https://d111.cloudfront.net//')?.body ?? '';
    expect(withLink.split('\n').at(-1)).toBe('Dashboard: https://d111.cloudfront.net/');
    const without = backfillSummary([drift(1, 'high')], run)?.body ?? '';
    expect(without).not.toContain('Dashboard:');
    expect(without.split('\n').at(-1)).toBe(
      'Each is marked "backfilled" in the dashboard, where you can acknowledge or resolve it.',
    );
  });
});
