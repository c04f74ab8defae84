// `tfdrift scan` as the user reads its report (lambdas/local/scan.ts, in-process so mutants reach
// it): the findings' order (time, then event id, then address or id), records without an eventID
// counted once by content, a record or rule that fails becoming one error line while the rest is
// scanned, the config file taking effect, and messages that name every file that failed.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRulesFromDir } from '../../lambdas/adapters/local/rule-files.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import type { RuleSet } from '../../lambdas/core/rules.js';
import {
  EXIT_CLEAN,
  EXIT_DRIFT,
  EXIT_ERROR,
  runScan,
  type ScanOptions,
  scan,
} from '../../lambdas/local/scan.js';
import { textSink } from '../support/text-sink.js';

const ROOT = join(import.meta.dirname, '../..');
const SAMPLE = join(ROOT, 'examples/scan');
const SAMPLE_STATE = join(SAMPLE, 'state');
const SAMPLE_RECORDS = JSON.parse(readFileSync(join(SAMPLE, 'events.json'), 'utf8')).Records as Record<
  string,
  unknown
>[];
const [MODIFY, , TERMINATE] = SAMPLE_RECORDS;
const WEB_ID = 'i-09c0962723ab84080';
const tmp = mkdtempSync(join(tmpdir(), 'tfdrift-scan-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(options: Partial<ScanOptions>) {
  const out = textSink();
  const err = textSink();
  const code = await runScan({
    state: [SAMPLE_STATE],
    events: [],
    stdout: out.stream,
    stderr: err.stream,
    format: 'json',
    ...options,
  } as ScanOptions);
  return { code, stdout: out.text(), stderr: err.text(), writes: out.writes };
}

interface ReportFinding {
  id: string;
  kind: string;
  summary: string;
  resource: { address: string | null; id: string | null; arn: string | null };
  event: { id: string; time: string };
}
const reportOf = (stdout: string) =>
  JSON.parse(stdout) as {
    findings: ReportFinding[];
    summary: Record<string, number> & { ignored: Record<string, number> };
    errors: { origin: string; message: string }[];
  };

/** The sample's instance_type change on module.app.aws_instance.web[0], as its own call. */
function modify(eventID: string | undefined, eventTime: string, type = 't2.xlarge'): Record<string, unknown> {
  const record: Record<string, unknown> = {
    ...MODIFY,
    eventTime,
    requestParameters: { instanceId: WEB_ID, instanceType: { value: type } },
  };
  if (eventID === undefined) delete record.eventID;
  else record.eventID = eventID;
  return record;
}

/** The sample's TerminateInstances, of the instances named. */
function terminate(eventID: string, eventTime: string, instanceIds: string[]): Record<string, unknown> {
  const items = instanceIds.map((instanceId) => ({ instanceId }));
  return {
    ...TERMINATE,
    eventID,
    eventTime,
    requestParameters: { instancesSet: { items } },
    responseElements: { instancesSet: { items } },
  };
}

function logFile(name: string, records: unknown[]): string {
  const path = join(tmp, name);
  writeFileSync(path, JSON.stringify({ Records: records }));
  return path;
}

/** A state of aws_instance resources: [module or null, name, instance id]. */
function stateFile(name: string, instances: [string | null, string, string][]): string {
  const path = join(tmp, name);
  const resources = instances.map(([module, type, id]) => ({
    ...(module ? { module } : {}),
    mode: 'managed',
    type: 'aws_instance',
    name: type,
    provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: [{ schema_version: 1, attributes: { id, instance_type: 't2.micro', tags: {} } }],
  }));
  writeFileSync(
    path,
    JSON.stringify({
      version: 4,
      terraform_version: '1.9.5',
      serial: 1,
      lineage: name,
      outputs: {},
      resources,
    }),
  );
  return path;
}

const order = (findings: ReportFinding[]) =>
  findings.map((f) => `${f.event.time} ${f.event.id} ${f.resource.address ?? f.resource.id}`);

describe('the order of the findings', () => {
  it('lists per-event findings by event time across files given newest first', async () => {
    const newer = logFile('newer.json', [modify('evt-b', '2024-03-02T00:00:00Z', 'm5.large')]);
    const older = logFile('older.json', [modify('evt-a', '2024-03-01T00:00:00Z', 't2.xlarge')]);

    const { code, stdout } = await run({ events: [newer, older], mode: 'per-event' });

    expect(code).toBe(EXIT_DRIFT);
    expect(order(reportOf(stdout).findings)).toEqual([
      '2024-03-01T00:00:00Z evt-a module.app.aws_instance.web[0]',
      '2024-03-02T00:00:00Z evt-b module.app.aws_instance.web[0]',
    ]);
  });

  it('lists calls made in the same second by event id, whatever order the log has them in', async () => {
    const log = logFile('same-second.json', [
      modify('evt-z', '2024-03-01T00:00:00Z', 'm5.large'),
      modify('evt-m', '2024-03-01T00:00:00Z', 't2.xlarge'),
      modify('evt-a', '2024-03-01T00:00:00Z', 'c5.large'),
    ]);

    const { stdout } = await run({ events: [log], mode: 'per-event' });

    expect(reportOf(stdout).findings.map((f) => f.event.id)).toEqual(['evt-a', 'evt-m', 'evt-z']);
  });

  it('lists the resources of one call by address, across modules and state files', async () => {
    // One state: module.a's instance has the id that sorts last, module.b's the one that sorts first.
    const modules = stateFile('modules.tfstate', [
      ['module.a', 'x', 'i-0000000000000000b'],
      ['module.b', 'y', 'i-0000000000000000a'],
    ]);
    // Two states: the first file's resource has the address that sorts last.
    const first = stateFile('1-first.tfstate', [['module.z', 'p', 'i-00000000000000001']]);
    const second = stateFile('2-second.tfstate', [[null, 'q', 'i-00000000000000002']]);
    const inModules = logFile('terminate-modules.json', [
      terminate('evt-t1', '2024-03-01T00:00:00Z', ['i-0000000000000000a', 'i-0000000000000000b']),
    ]);
    const acrossStates = logFile('terminate-states.json', [
      terminate('evt-t2', '2024-03-01T00:00:00Z', ['i-00000000000000001', 'i-00000000000000002']),
    ]);

    const one = reportOf((await run({ state: [modules], events: [inModules], mode: 'per-event' })).stdout);
    const two = reportOf(
      (await run({ state: [first, second], events: [acrossStates], mode: 'per-event' })).stdout,
    );

    expect(one.findings.map((f) => `${f.kind} ${f.resource.address}`)).toEqual([
      'deleted module.a.aws_instance.x',
      'deleted module.b.aws_instance.y',
    ]);
    expect(two.findings.map((f) => `${f.kind} ${f.resource.address}`)).toEqual([
      'deleted aws_instance.q',
      'deleted module.z.aws_instance.p',
    ]);
  });

  it('puts a resource known only by its ARN first among those of calls sharing a time and eventID, in any log order', async () => {
    // ecs.cluster.create names the new cluster by its ARN alone: an unmanaged finding with no
    // address and no id, beside the instance change that shares its (placeholder) eventID and time.
    const createCluster = {
      ...modify('evt-same', '2024-03-01T00:00:00Z'),
      eventSource: 'ecs.amazonaws.com',
      eventName: 'CreateCluster',
      requestParameters: { clusterName: 'c' },
      responseElements: { cluster: { clusterArn: 'arn:aws:ecs:us-west-2:012345678901:cluster/c' } },
    };
    const change = modify('evt-same', '2024-03-01T00:00:00Z', 'm5.large');
    const changeFirst = logFile('arn-last.json', [change, createCluster]);
    const clusterFirst = logFile('arn-first.json', [createCluster, change]);

    const one = reportOf((await run({ events: [changeFirst], mode: 'per-event' })).stdout).findings;
    const two = reportOf((await run({ events: [clusterFirst], mode: 'per-event' })).stdout).findings;

    const described = (findings: ReportFinding[]) =>
      findings.map((f) => `${f.kind} ${f.resource.address ?? f.resource.id ?? f.resource.arn}`);
    expect(described(one)).toEqual([
      'unmanaged arn:aws:ecs:us-west-2:012345678901:cluster/c',
      'modified module.app.aws_instance.web[0]',
    ]);
    expect(described(two)).toEqual(described(one));
  });
});

describe('records without an eventID', () => {
  it('counts the same call logged twice without an eventID once, and a different one apart', async () => {
    const log = logFile('no-id.json', [
      modify(undefined, '2024-03-01T00:00:00Z', 'm5.large'),
      modify(undefined, '2024-03-01T00:00:00Z', 'm5.large'),
      modify(undefined, '2024-03-01T00:00:01Z', 'c5.large'),
    ]);

    const { code, stdout } = await run({ events: [log], mode: 'per-event' });

    const report = reportOf(stdout);
    expect(code).toBe(EXIT_DRIFT);
    expect([report.summary.events, report.summary.duplicates, report.summary.findings]).toEqual([2, 1, 2]);
    expect(report.findings.map((f) => f.event.time)).toEqual([
      '2024-03-01T00:00:00Z',
      '2024-03-01T00:00:01Z',
    ]);
  });

  it('keys a record with an empty eventID by its content too', async () => {
    const log = logFile('empty-id.json', [
      modify('', '2024-03-01T00:00:00Z', 'm5.large'),
      modify('', '2024-03-01T00:00:00Z', 'm5.large'),
    ]);

    const { stdout } = await run({ events: [log], mode: 'per-event' });

    const { summary } = reportOf(stdout);
    expect([summary.events, summary.duplicates]).toEqual([1, 1]);
  });

  it('counts two different calls sharing a placeholder eventID as two events', async () => {
    const log = logFile('shared-id.json', [
      modify('evt-shared', '2024-03-01T00:00:00Z', 'm5.large'),
      modify('evt-shared', '2024-03-01T00:00:00Z', 'c5.large'),
    ]);

    const { stdout } = await run({ events: [log], mode: 'per-event' });

    const report = reportOf(stdout);
    expect([report.summary.events, report.summary.duplicates, report.summary.findings]).toEqual([2, 0, 2]);
  });

  it('counts two distinct calls with their own eventIDs twice, however alike', async () => {
    const log = logFile('own-ids.json', [
      modify('evt-1', '2024-03-01T00:00:00Z', 'm5.large'),
      modify('evt-2', '2024-03-01T00:00:00Z', 'm5.large'),
    ]);

    const { stdout } = await run({ events: [log], mode: 'per-event' });

    expect([reportOf(stdout).summary.events, reportOf(stdout).summary.duplicates]).toEqual([2, 0]);
  });
});

describe('a record or a rule that fails', () => {
  it('reports a handed-over record that is no CloudTrail event as one error line and scans the rest', async () => {
    const history = (async function* () {
      yield [
        {
          ok: true as const,
          origin: 'cloudtrail:lookup us-west-2',
          record: { eventTime: '2024-03-01T00:00:00Z' },
        },
        {
          ok: true as const,
          origin: 'cloudtrail:lookup us-west-2',
          record: modify('evt-ok', '2024-03-01T00:00:01Z'),
        },
      ];
    })();

    const { code, stdout, stderr } = await run({ moreEvents: history });

    const report = reportOf(stdout);
    expect(code).toBe(EXIT_ERROR);
    expect(report.errors).toHaveLength(1);
    expect(report.errors[0].origin).toBe('cloudtrail:lookup us-west-2');
    expect(report.errors[0].message).toMatch(/eventName|eventSource/);
    expect(stderr).toBe(`tfdrift: cloudtrail:lookup us-west-2: ${report.errors[0].message}\n`);
    expect([report.summary.events, report.summary.errors, report.summary.findings]).toEqual([1, 1, 1]);
  });

  it('reports an event whose rule throws as an error naming the file and event, and counts it nowhere else', async () => {
    const real = loadRulesFromDir();
    const throwing: RuleSet = {
      rules: real.rules,
      forEvent: (source, name) =>
        name === 'TerminateInstances'
          ? real.forEvent(source, name).map((rule) => ({
              ...rule,
              get targets(): never {
                throw new Error('boom');
              },
            }))
          : real.forEvent(source, name),
    };
    const log = logFile('rule-error.json', [
      terminate('evt-term', '2024-03-01T00:00:00Z', ['i-1a2b3c4d']),
      modify('evt-mod', '2024-03-01T00:00:01Z'),
    ]);

    const report = await scan({ state: [SAMPLE_STATE], events: [log] }, throwing, DEFAULT_CONFIG);

    const ruleIds = real.forEvent('ec2.amazonaws.com', 'TerminateInstances').map((r) => r.id);
    expect(ruleIds.length).toBeGreaterThan(0);
    expect(report.errors).toEqual([
      { origin: `${log} (event evt-term)`, message: ruleIds.map((id) => `rule ${id}: boom`).join('; ') },
    ]);
    expect(report.summary.ignored).toEqual({});
    expect([report.summary.events, report.summary.errors]).toEqual([2, 1]);
    expect(report.findings.map((f) => f.event.id)).toEqual(['evt-mod']);
  });
});

describe('findings as the report gives them', () => {
  it('gives each finding its id and summary, per event and as net drift', async () => {
    const log = logFile('ids.json', [modify('evt-1', '2024-03-01T00:00:00Z', 'm5.large')]);

    const perEvent = reportOf((await run({ events: [log], mode: 'per-event' })).stdout).findings;
    const net = reportOf((await run({ events: [log], mode: 'net' })).stdout).findings;

    for (const findings of [perEvent, net]) {
      expect(findings).toHaveLength(1);
      expect(findings[0].id).toMatch(/^[0-9a-z-]{16,}$/);
      expect(findings[0].summary).toContain('module.app.aws_instance.web[0]');
    }
  });

  it('writes a large JSON report in pieces as it is made, which together are the whole report', async () => {
    const records = Array.from({ length: 150 }, (_, n) =>
      modify(`evt-${String(n).padStart(4, '0')}`, '2024-03-01T00:00:00Z', n % 2 ? 'm5.large' : 'c5.large'),
    );
    const log = logFile('large.json', records);

    const { writes, stdout } = await run({ events: [log], mode: 'per-event' });

    expect(stdout.length).toBeGreaterThan(2 * 64 * 1024);
    expect(writes.length).toBeGreaterThan(1);
    expect(Math.max(...writes.map((w) => w.length))).toBeLessThan(64 * 1024 + 8 * 1024);
    expect(reportOf(stdout).findings).toHaveLength(150);
  });
});

describe('messages that name what failed', () => {
  it('names every state file that did not load, on one line', async () => {
    const a = join(tmp, 'broken-a.tfstate');
    const b = join(tmp, 'broken-b.tfstate');
    writeFileSync(a, '{"version": 4, "resources": [');
    writeFileSync(b, 'not json');

    const { code, stdout, stderr } = await run({ state: [a, b] });

    expect(code).toBe(EXIT_ERROR);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toHaveLength(2);
    expect(stderr.startsWith(`tfdrift: ${a}: not valid JSON (`)).toBe(true);
    expect(stderr).toContain(`); ${b}: not valid JSON (`);
  });

  it('quotes the first line of the YAML error of a config file', async () => {
    const bad = join(tmp, 'bad.yml');
    writeFileSync(bad, 'ignore: [\n');

    const { code, stderr } = await run({ configFile: bad });

    expect(code).toBe(EXIT_ERROR);
    expect(stderr).toBe(
      `tfdrift: ${bad}: not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 2, column 1:\n`,
    );
  });

  it('applies a config file that ignores an event name, and scans it without one', async () => {
    const config = join(tmp, 'ignore-modify.yml');
    writeFileSync(config, 'ignore:\n  events: [ModifyInstanceAttribute]\n');
    const log = logFile('config.json', [modify('evt-1', '2024-03-01T00:00:00Z', 'm5.large')]);

    const ignoring = await run({ events: [log], configFile: config });
    const plain = await run({ events: [log] });

    expect(ignoring.code).toBe(EXIT_CLEAN);
    expect(reportOf(ignoring.stdout).summary.ignored).toEqual({ 'ignored-event': 1 });
    expect(plain.code).toBe(EXIT_DRIFT);
    expect(reportOf(plain.stdout).summary.ignored).toEqual({});
  });
});
