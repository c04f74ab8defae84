// Every real CloudTrail record of test/fixtures/corpus/cloudtrail (listed in its INDEX.tsv) normalises,
// and agrees with the index; the log files there read with the expected counts and clear errors.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type EventInput, parseEventText, readEvents } from '../../lambdas/adapters/local/event-files.js';
import { isReadOnlyName, normaliseRecord } from '../../lambdas/core/cloudtrail.js';
import { InputError } from '../../lambdas/core/errors.js';

const CORPUS = join(import.meta.dirname, '../fixtures/corpus/cloudtrail');
const at = (path: string) => join(CORPUS, path);

interface Row {
  path: string;
  source: string;
  name: string;
  readOnly: string;
  errorCode: string;
  identityType: string;
}

const rows: Row[] = readFileSync(at('INDEX.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [path, source, name, readOnly, , errorCode, identityType] = line.split('\t');
    return { path, source, name, readOnly, errorCode, identityType };
  });
const records = rows.map((row) => JSON.parse(readFileSync(at(row.path), 'utf8')) as Record<string, unknown>);

async function collect(paths: string[]): Promise<EventInput[]> {
  const out: EventInput[] = [];
  for await (const item of readEvents(paths)) out.push(item);
  return out;
}
const oks = (items: EventInput[]) => items.filter((i) => i.ok);
const errors = (items: EventInput[]) =>
  items.flatMap((i) => (i.ok ? [] : [i.error.replace(`${CORPUS}/`, '')]));

describe('every record in INDEX.tsv', () => {
  it('has the whole index loaded', () => {
    expect(rows.length).toBe(1338);
  });

  it('normalises without throwing and agrees with the index columns', () => {
    const mismatches: string[] = [];
    rows.forEach((row, i) => {
      const raw = records[i];
      let event: ReturnType<typeof normaliseRecord>;
      try {
        event = normaliseRecord(raw);
      } catch (err) {
        mismatches.push(`${row.path}: threw ${(err as Error).message}`);
        return;
      }
      const expectId = typeof raw.eventID === 'string' && raw.eventID !== '' ? raw.eventID : null;
      const checks: [string, unknown, unknown][] = [
        ['source', event.source, row.source],
        ['name', event.name, row.name],
        ['errorCode', event.errorCode ?? '', row.errorCode],
        // The index leaves the column empty when userIdentity (or its type) is missing.
        ['actor.type', event.actor.type, row.identityType || 'Unknown'],
        [
          'id',
          expectId ?? event.id.replace(/^synthetic-[0-9a-f]{28}$/, 'SYNTHETIC'),
          expectId ?? 'SYNTHETIC',
        ],
        ['raw', event.raw, raw],
      ];
      if (row.readOnly !== '')
        checks.push(['readOnly', event.readOnly, row.readOnly.toLowerCase() === 'true']);
      for (const [field, actual, expected] of checks) {
        if (actual !== expected)
          mismatches.push(`${row.path}: ${field} ${String(actual)} != ${String(expected)}`);
      }
    });
    expect(mismatches).toEqual([]);
  });

  it('gives records without eventID a stable synthetic id', () => {
    const withoutId = records.filter((r) => r.eventID === undefined);
    expect(withoutId.length).toBe(67);
    const ids = withoutId.map((r) => normaliseRecord(r).id);
    expect(withoutId.map((r) => normaliseRecord(r).id)).toEqual(ids);
    expect(new Set(ids).size).toBeGreaterThan(60); // a few doc examples are identical copies
  });

  it('infers readOnly from the name as CloudTrail reports it, except for known oddities', () => {
    const disagree = new Set<string>();
    rows.forEach((row) => {
      if (row.readOnly === '') return;
      if (isReadOnlyName(row.name) !== (row.readOnly.toLowerCase() === 'true')) disagree.add(row.name);
    });
    // Reads/writes a name cannot tell (AssumeRole, InvokeModel, service events) and a few hand-made
    // test records whose readOnly is simply wrong (DescribeTrail=false, StartLogging=true, ...).
    expect([...disagree].sort()).toEqual([
      'AssumeRole',
      'DescribeTrail',
      'DetachUserGroup',
      'GetFederationToken',
      'InvokeModel',
      'ListWebACLs',
      'NewClientConnection',
      'PolicyExecutionEvent',
      'StartLogging',
    ]);
  });

  it('normalises 100k events in well under two seconds', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => records[i % records.length]);
    const started = performance.now();
    for (const raw of many) normaliseRecord(raw);
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(2000);
  });

  it('rejects what cannot be a CloudTrail event with the field and eventID named', () => {
    const base = records[0];
    expect(() => normaliseRecord({ ...base, eventName: undefined })).toThrow(InputError);
    expect(() => normaliseRecord({ ...base, eventName: undefined })).toThrow(
      `not a CloudTrail record (eventID "${String(base.eventID)}"): missing eventName`,
    );
    expect(() => normaliseRecord({ ...base, eventSource: 7 })).toThrow(
      /eventSource must be a non-empty string, got number 7/,
    );
    expect(() => normaliseRecord([base])).toThrow(
      'not a CloudTrail record: expected a JSON object, got an array',
    );
    expect(() => normaliseRecord({ ...base, eventSource: 'aws:s3' })).toThrow(/event notification/);
  });

  it('tolerates wrong types in optional fields', () => {
    const event = normaliseRecord({
      ...records[0],
      readOnly: 'TRUE',
      errorCode: 403,
      requestParameters: 'not an object',
      userAgent: ['aws-cli/2.0', 'Python/3'],
      sourceIPAddress: { ip: 1 },
      eventVersion: 9.99,
      eventTime: null,
    });
    expect(event.readOnly).toBe(true);
    expect(event.errorCode).toBe('403');
    expect(event.request).toBeNull();
    expect(event.actor.userAgent).toBe('aws-cli/2.0 Python/3');
    expect(event.actor.channel).toBe('cli');
    expect(event.actor.sourceIp).toBeNull();
    expect(event.eventVersion).toBe('9.99');
    expect(event.time).toBe('');
  });
});

describe('log files of the corpus through readEvents', () => {
  const trailscraper =
    'trailscraper/tests/cloudtrail/data/111111111111_CloudTrail_eu-central-1_20171211T1505Z_A6kvhMoVeCsc7v8U';

  it('trailscraper: the S3 log file, plain and gzipped, gives the same 2 records', async () => {
    const plain = await collect([at(`${trailscraper}.json`)]);
    const gz = await collect([at(`${trailscraper}.json.gz`)]);
    expect(plain.length).toBe(2);
    expect(errors(plain)).toEqual([]);
    expect(gz.map((i) => (i.ok ? i.record.eventID : i.error))).toEqual(
      plain.map((i) => (i.ok ? i.record.eventID : i.error)),
    );
    expect(oks(await collect([at('trailscraper/tests/smoke/events-for-smoke-test.json')])).length).toBe(3);
  });

  it('cloudtrail-tracker: 142 records; the S3 notification beside it is one clear error', async () => {
    const log = await collect([at('cloudtrail-tracker/lambda/tests/sample-cloudtrail-event.json')]);
    expect(oks(log).length).toBe(142);
    expect(errors(log)).toEqual([]);
    expect(errors(await collect([at('cloudtrail-tracker/lambda/tests/event.json')]))).toEqual([
      'cloudtrail-tracker/lambda/tests/event.json: Records[0]: not a CloudTrail record: eventSource "aws:s3" is an AWS event notification (S3/SQS/SNS/...), not a CloudTrail record',
    ]);
  });

  it('cloud-custodian: every envelope and bare record in the folder reads', async () => {
    const items = await collect([at('cloud-custodian')]);
    expect(errors(items)).toEqual([]);
    expect(oks(items).length).toBe(36);
    expect(items.every((i) => i.ok && typeof i.record.eventName === 'string')).toBe(true);
  });

  it('reflexivesecurity: envelopes read; the file with a raw control character is one JSON error', async () => {
    const items = await collect([at('reflexivesecurity')]);
    expect(oks(items).length).toBe(22);
    expect(errors(items)).toEqual([
      'reflexivesecurity/reflex-aws-rds-instance-unencrypted/test/resources/create_instance.json: invalid JSON (line 131 column 63): Bad control character in string literal in JSON at position 5102',
    ]);
  });

  it('streamalert: the Records logs and CloudWatch-Events envelopes inside its test cases', () => {
    const files = [
      ['rules/classifier/cloudtrail/cloudtrail_events.json', 1],
      ['rules/classifier/cloudtrail/cloudtrail_insights.json', 1],
      ['rules/community/cloudtrail/cloudtrail_aws_config.json', 3],
      ['rules/community/cloudwatch_events/cloudtrail_critical_api_calls.json', 15],
      ['rules/community/cloudwatch_events/cloudtrail_ec2_image_creation.json', 2],
      ['rules/community/cloudwatch_events/cloudtrail_public_resources.json', 12],
      ['rules/community/cloudwatch_events/cloudtrail_put_object_acl_public.json', 4],
      ['rules/community/cloudwatch_events/cloudtrail_snapshot_or_ami_made_public.json', 5],
    ] as const;
    for (const [file, count] of files) {
      const cases = JSON.parse(readFileSync(at(`streamalert/${file}`), 'utf8')) as { data: unknown }[];
      const items = cases.flatMap((c, i) => parseEventText(JSON.stringify(c.data), `${file}#${i}`));
      expect(errors(items), file).toEqual([]);
      expect(oks(items).length, file).toBe(count);
    }
    // The Insights record names its call inside insightDetails and is read-only (it changes nothing).
    const [insightCase] = JSON.parse(
      readFileSync(at('streamalert/rules/classifier/cloudtrail/cloudtrail_insights.json'), 'utf8'),
    );
    const insight = normaliseRecord(insightCase.data.Records[0]);
    expect(insight).toMatchObject({
      name: 'CompleteLifecycleAction',
      source: 'autoscaling.amazonaws.com',
      readOnly: true,
    });
    expect(insight.eventType).toBe('AwsCloudTrailInsight');
    // A CloudWatch Logs subscription payload is not CloudTrail input: one clear error.
    const [cwl] = JSON.parse(
      readFileSync(at('streamalert/rules/classifier/cloudwatch/cloudwatch_cloudtrail.json'), 'utf8'),
    );
    expect(errors(parseEventText(JSON.stringify(cwl.data), 'cwl'))).toEqual([
      'cwl: not a CloudTrail record: missing eventName/eventSource',
    ]);
  });

  it('aws-cloudtrail-processing-library: good files read, each bad one gives its clear error', async () => {
    const dir = 'aws-cloudtrail-processing-library/src/test/resources';
    const expected: Record<string, [number, string[]]> = {
      'SerializerTestFile.json': [6, []],
      'SerializerTestFileCompact.json': [6, []],
      'SerializerTestFileCompact.json.gz': [6, []],
      'SerializerTestFileLocation.json': [6, []],
      // Extra/unknown fields and missing optional fields are fine.
      'SerializerTestFileMissField.json': [4, []],
      'SerializerTestFileNewFieldAtRandomPlaces.json': [2, []],
      'SerializerTestFileNewFieldsInRoot.json': [2, []],
      'SerializerTestFileNewFieldsInUserIdentity.json': [2, []],
      'SerializerVariousUserIdentityTestFile.json': [1, []],
      // The broken ones: one error each, the good record beside it still comes through.
      'SerializerTestFileBadJsonFormat.json': [
        0,
        ['invalid JSON (line 37 column 9): Expected double-quoted property name in JSON at position 1293'],
      ],
      'SerializerAllFieldsNull.json': [
        1,
        ['Records[0]: not a CloudTrail record: eventName must be a non-empty string, got null'],
      ],
      'SerializerTestFileBadFieldName.json': [
        1,
        ['Records[0]: not a CloudTrail record: missing eventName/eventSource'],
      ],
      'SerializerTestFileNewFieldName.json': [
        1,
        ['Records[0]: not a CloudTrail record: missing eventName/eventSource'],
      ],
    };
    for (const [file, [count, errs]] of Object.entries(expected)) {
      const items = await collect([at(`${dir}/${file}`)]);
      expect(oks(items).length, file).toBe(count);
      expect(errors(items), file).toEqual(errs.map((e) => `${dir}/${file}: ${e}`));
      for (const item of oks(items))
        expect(() => normaliseRecord(item.ok && item.record), file).not.toThrow();
    }
  });
});
