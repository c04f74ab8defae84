// The JSON report is written in pieces (jsonReportChunks) so a scan with tens of thousands of
// findings never holds it as one string: the pieces must make exactly the text
// JSON.stringify(report, null, 2) would, for the real findings of the sample scan.

import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRulesFromDir } from '../../lambdas/adapters/local/rule-files.js';
import { parseConfig } from '../../lambdas/core/config.js';
import type { Finding } from '../../lambdas/core/types.js';
import { jsonReportChunks, renderReport, type ScanReport } from '../../lambdas/local/report.js';
import { scan } from '../../lambdas/local/scan.js';

const SAMPLE = join(import.meta.dirname, '../../examples/scan');
const whole = (report: ScanReport) => `${JSON.stringify(report, null, 2)}\n`;

let sample: ScanReport;
beforeAll(async () => {
  sample = await scan(
    { state: [join(SAMPLE, 'state')], events: [join(SAMPLE, 'events.json')], mode: 'per-event' },
    loadRulesFromDir(),
    parseConfig(undefined),
  );
});

describe('jsonReportChunks', () => {
  it('writes the sample scan exactly as JSON.stringify does', () => {
    // Prepare: the sample has findings (without them the findings path is not exercised).
    expect(sample.findings.length).toBeGreaterThan(2);

    // Act
    const text = [...jsonReportChunks(sample)].join('');

    // Assess
    expect(text).toBe(whole(sample));
    expect(renderReport(sample, 'json')).toBe(text);
  });

  it('writes no findings, no warnings and hostile strings exactly as JSON.stringify does', () => {
    // Prepare: an empty findings array, warnings left out (undefined), a finding whose strings hold
    // newlines, quotes, a line separator and non-ASCII text.
    const empty: ScanReport = { ...sample, findings: [], warnings: undefined };
    const odd = structuredClone(sample.findings[0]) as Finding & { resource: { address: string } };
    odd.resource.address = 'module.a["x\ny"].aws_instance.b "quoted" \u2028 é';
    const hostile: ScanReport = { ...sample, findings: [odd, ...sample.findings], errors: [] };

    // Act
    const emptyText = [...jsonReportChunks(empty)].join('');
    const hostileText = [...jsonReportChunks(hostile)].join('');

    // Assess
    expect(emptyText).toBe(whole(empty));
    expect(emptyText).toContain('"findings": []');
    expect(emptyText).not.toContain('"warnings"');
    expect(hostileText).toBe(whole(hostile));
    expect(JSON.parse(hostileText).findings[0].resource.address).toBe(odd.resource.address);
  });

  it('writes findings laid out a batch at a time exactly, whether the last batch is full or not', () => {
    for (const count of [63, 64, 65, 128]) {
      // Prepare
      const report: ScanReport = {
        ...sample,
        findings: Array.from({ length: count }, (_, i) => sample.findings[i % sample.findings.length]),
      };

      // Act
      const text = [...jsonReportChunks(report)].join('');

      // Assess
      expect(text).toBe(whole(report));
      expect(JSON.parse(text).findings).toHaveLength(count);
    }
  });

  it('yields a large report in bounded pieces, never as one string', () => {
    // Prepare: 3,000 findings (several MB of JSON).
    const many: ScanReport = {
      ...sample,
      findings: Array.from({ length: 3000 }, (_, i) => sample.findings[i % sample.findings.length]),
    };
    const expected = whole(many);

    // Act
    const chunks = [...jsonReportChunks(many)];

    // Assess: the same text, in many pieces each far smaller than the whole.
    expect(chunks.join('')).toBe(expected);
    expect(chunks.length).toBeGreaterThan(10);
    const largest = Math.max(...chunks.map((c) => c.length));
    expect(largest).toBeLessThan(80 * 1024);
    expect(largest).toBeLessThan(expected.length / 10);
    // Full pieces of 64 KiB characters (the text is ASCII: no pair to keep whole), none empty.
    expect(chunks.slice(0, -1).every((c) => c.length === 64 * 1024)).toBe(true);
    expect(chunks.every((c) => c.length > 0)).toBe(true);
  });

  it('gives its first piece before it has laid out every finding', () => {
    // Prepare: 3,000 findings that count how many have been laid out (JSON.stringify calls toJSON).
    let laidOut = 0;
    const counted = Array.from({ length: 3000 }, (_, i) => ({
      ...sample.findings[i % sample.findings.length],
      toJSON(this: Finding) {
        laidOut++;
        const { toJSON: _, ...plain } = this as Finding & { toJSON: unknown };
        return plain;
      },
    }));
    const report: ScanReport = { ...sample, findings: counted as Finding[] };

    // Act
    const pieces = jsonReportChunks(report);
    const first = pieces.next();

    // Assess: a piece came out while most findings were still objects; the rest come later.
    expect(first.done).toBe(false);
    expect(laidOut).toBeGreaterThan(0);
    expect(laidOut).toBeLessThan(1000);
    [...pieces];
    expect(laidOut).toBe(3000);
  });
  it('never splits a character between pieces, whichever code unit a piece would end on', () => {
    // Prepare: a finding full of characters beyond U+FFFF (two UTF-16 code units each: the first and
    // last possible high halves and an emoji) between ASCII, shifted one code unit at a time, so a
    // piece boundary falls inside each kind of pair and after it; each piece is encoded alone.
    const pattern = 'a\u{10000}\u{1F600}\u{10FFFF}';
    const reports = Array.from({ length: pattern.length }, (_, pad): ScanReport => {
      const wide = structuredClone(sample.findings[0]) as Finding & { summary: string };
      wide.summary = `${'x'.repeat(pad)}${pattern.repeat(20_000)}`;
      return { ...sample, findings: [wide, ...sample.findings] };
    });

    for (const report of reports) {
      // Act
      const chunks = [...jsonReportChunks(report)];

      // Assess: the bytes written piece by piece are the report's bytes (no U+FFFD in between).
      expect(chunks.length).toBeGreaterThan(1);
      const written = Buffer.concat(chunks.map((chunk) => Buffer.from(chunk, 'utf8')));
      expect(written.equals(Buffer.from(whole(report), 'utf8'))).toBe(true);
    }
  });
});
