// docs/finding.schema.json is the published contract: every golden report, both scan modes and
// a hand-broken finding are held to it, so the schema and the code cannot drift apart unnoticed.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { loadRulesFromDir } from '../../lambdas/adapters/local/rule-files.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { scan } from '../../lambdas/local/scan.js';

const ROOT = join(import.meta.dirname, '../..');
const schema = JSON.parse(readFileSync(join(ROOT, 'docs/finding.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);
const GOLDEN = join(ROOT, 'test/golden');
const SAMPLE = join(ROOT, 'examples/scan');

function problems(report: unknown): string {
  return validate(report) ? '' : JSON.stringify(validate.errors, null, 1);
}

describe('docs/finding.schema.json', () => {
  const goldens = readdirSync(GOLDEN, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(GOLDEN, d.name, 'expected.json')))
    .map((d) => d.name);

  it.each(goldens)('accepts the golden report %s', (name) => {
    const report = JSON.parse(readFileSync(join(GOLDEN, name, 'expected.json'), 'utf8'));
    expect(problems(report)).toBe('');
  });

  it('accepts a net and a per-event scan, and net findings carry events and actors', async () => {
    const rules = loadRulesFromDir();
    const options = { state: [join(SAMPLE, 'state')], events: [join(SAMPLE, 'events.json')] };
    const net = await scan({ ...options, mode: 'net' }, rules, DEFAULT_CONFIG);
    const perEvent = await scan({ ...options, mode: 'per-event' }, rules, DEFAULT_CONFIG);
    const asJson = (report: unknown) => JSON.parse(JSON.stringify(report));
    expect(problems(asJson(net))).toBe('');
    expect(problems(asJson(perEvent))).toBe('');
    expect(net.findings.every((f) => (f.events?.length ?? 0) > 0 && (f.actors?.length ?? 0) > 0)).toBe(true);
    expect(perEvent.findings.some((f) => f.events !== undefined)).toBe(false);
  });

  it('rejects a finding with an unknown field, a missing actor or a bad kind', () => {
    const report = JSON.parse(readFileSync(join(GOLDEN, 'modified-module-count', 'expected.json'), 'utf8'));
    const [finding] = report.findings;
    const { actor: _actor, ...noActor } = finding;
    for (const broken of [
      { ...finding, extra: 1 },
      noActor,
      { ...finding, kind: 'changed' },
      { ...finding, events: [{ ...finding.event }] },
    ]) {
      expect(problems({ ...report, findings: [broken] }), JSON.stringify(broken).slice(0, 80)).not.toBe('');
    }
  });
});
