// Reading events on one machine: folders, gzip (by magic bytes), broken gzip, JSON lines with a bad
// line, stdin, envelopes, arrays. Inputs are real records (test/fixtures/cloudtrail and the corpus).

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canReadAside,
  type EventInput,
  type PreparedBatch,
  parseEventText,
  prepareBatch,
  readEventBatches,
  readEvents,
  readPreparedBatches,
  startReadingAside,
} from '../../lambdas/adapters/local/event-files.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { FingerprintSet } from '../../lambdas/core/fingerprints.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/cloudtrail');
const fixtureText = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');
const record = (name: string) => JSON.parse(fixtureText(name)) as Record<string, unknown>;

// A real 142-record log file (grycap/cloudtrail-tracker, Apache-2.0).
const bigLogText = fixtureText('cloudtrail-tracker-sample-log.json');
const sso = record('sso-cli-update-function-code.json');
const root = record('root-console-login.json');
const envelopeText = fixtureText('cloud-custodian-event-cloud-trail-create-bucket.json');
const logText = fixtureText('iamuser-console-modify-instance-attribute.json'); // {"Records":[1 record]}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tfdrift-event-files-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(path: string, content: string | Buffer): string {
  const full = join(dir, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, content);
  return full;
}

async function collect(paths: string[], stdin?: AsyncIterable<Buffer | string>): Promise<EventInput[]> {
  const out: EventInput[] = [];
  for await (const item of readEvents(paths, { stdin })) out.push(item);
  return out;
}
const summary = (items: EventInput[]) =>
  items.map((i) =>
    i.ok
      ? `ok ${i.origin.replace(`${dir}/`, '')} ${String(i.record.eventName)}`
      : `error ${i.origin.replace(`${dir}/`, '')}`,
  );

describe('readEvents', () => {
  it('walks folders recursively in name order, picks event files, detects gzip by magic bytes', async () => {
    write('tree/a-log.json', logText);
    write('tree/b/log.json.gz', gzipSync(logText));
    write('tree/b/c/events.jsonl', `${JSON.stringify(sso)}\n\n${JSON.stringify(root)}\n`);
    write('tree/b/gzipped-but-named.json', gzipSync(JSON.stringify(root))); // .json name, gzip content
    write('tree/d.ndjson.gz', gzipSync(`${JSON.stringify(root)}\n`));
    write('tree/README.md', '# not events');
    write('tree/.hidden.json', JSON.stringify(sso));
    const items = await collect([join(dir, 'tree')]);
    expect(summary(items)).toEqual([
      'ok tree/a-log.json ModifyInstanceAttribute',
      'ok tree/b/c/events.jsonl:1 UpdateFunctionCode20150331v2',
      'ok tree/b/c/events.jsonl:3 ConsoleLogin',
      'ok tree/b/gzipped-but-named.json ConsoleLogin',
      'ok tree/b/log.json.gz ModifyInstanceAttribute',
      'ok tree/d.ndjson.gz:1 ConsoleLogin',
    ]);
  });

  it('reads a gzipped 142-record log and keeps every record as it was', async () => {
    const file = write('big.json.gz', gzipSync(bigLogText));
    const items = await collect([file]);
    expect(items.length).toBe(142);
    const expected = JSON.parse(bigLogText).Records;
    expect(items.map((i) => (i.ok ? i.record : i.error))).toEqual(expected);
  });

  it('reads a trail folder ahead but hands its files over in name order, one batch per file', async () => {
    // Prepare: the first files are the largest (slowest to gunzip); a broken gzip in between.
    const records = JSON.parse(bigLogText).Records as Record<string, unknown>[];
    const day = 'trail/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/01';
    const expected: string[] = [];
    for (let f = 0; f < 9; f++) {
      const part = records.slice(0, 142 - f * 15).map((r, i) => ({ ...r, eventID: `file-${f}-record-${i}` }));
      const name = `111122223333_CloudTrail_eu-west-1_20260101T00${f}0Z_${f}.json.gz`;
      write(
        `${day}/${name}`,
        f === 4
          ? gzipSync(JSON.stringify({ Records: part })).subarray(0, 40)
          : gzipSync(JSON.stringify({ Records: part })),
      );
      if (f === 4) expected.push(`error ${name}`);
      else expected.push(...part.map((r) => `ok ${name} ${r.eventID}`));
    }
    // Act
    const batches: EventInput[][] = [];
    for await (const batch of readEventBatches([join(dir, 'trail')])) batches.push(batch);
    // Assess
    const got = batches
      .flat()
      .map((i) =>
        i.ok
          ? `ok ${i.origin.split('/').pop()} ${String(i.record.eventID)}`
          : `error ${i.origin.split('/').pop()}`,
      );
    expect(got).toEqual(expected);
    expect(batches.map((b) => b.length)).toEqual([142, 127, 112, 97, 1, 67, 52, 37, 22]);
  });

  it('a truncated gzip is ONE error naming the file, and the next file is still read', async () => {
    const gz = gzipSync(bigLogText);
    const truncated = write('truncated.json.gz', gz.subarray(0, Math.floor(gz.length / 2)));
    const garbled = write(
      'garbled.json.gz',
      Buffer.concat([gz.subarray(0, 10), Buffer.from('not deflate data at all')]),
    );
    const good = write('after.json', logText);
    const items = await collect([truncated, garbled, good]);
    expect(summary(items)).toEqual([
      'error truncated.json.gz',
      'error garbled.json.gz',
      'ok after.json ModifyInstanceAttribute',
    ]);
    const [first, second] = items;
    expect(!first.ok && first.error).toBe(
      `${truncated}: cannot decompress (truncated or corrupt gzip): unexpected end of file`,
    );
    expect(!second.ok && second.error).toMatch(
      /garbled\.json\.gz: cannot decompress \(truncated or corrupt gzip\): /,
    );
  });

  it('a gzipped JSON-lines file cut short keeps the lines before the cut and adds one error', async () => {
    const lines = JSON.parse(bigLogText)
      .Records.map((r: unknown) => JSON.stringify(r))
      .join('\n');
    const gz = gzipSync(lines);
    const file = write('cut.jsonl.gz', gz.subarray(0, gz.length - 200));
    const items = await collect([file]);
    const errors = items.filter((i) => !i.ok);
    expect(errors.length).toBe(1);
    expect(errors[0].origin).toBe(file);
    expect(items.filter((i) => i.ok).length).toBeGreaterThan(100);
    expect(items.filter((i) => i.ok).length).toBeLessThan(142);
  });

  it('JSON lines: a bad line is one error naming file:line; the other lines come through', async () => {
    const envelopeLine = JSON.stringify(JSON.parse(envelopeText));
    const file = write(
      'mixed.jsonl',
      [JSON.stringify(sso), '{"eventName": "Bro', envelopeLine, '{"hello":"world"}', ''].join('\n'),
    );
    const items = await collect([file]);
    expect(summary(items)).toEqual([
      'ok mixed.jsonl:1 UpdateFunctionCode20150331v2',
      'error mixed.jsonl:2',
      'ok mixed.jsonl:3 CreateBucket',
      'error mixed.jsonl:4',
    ]);
    expect(!items[1].ok && items[1].error).toMatch(new RegExp(`^${file}:2: invalid JSON: `));
    expect(!items[3].ok && items[3].error).toBe(
      `${file}:4: not a CloudTrail record: missing eventName/eventSource`,
    );
  });

  it('an invalid JSON document is one error, with line and column when the parser gives a position', async () => {
    const trailing = write('trailing-comma.json', '{\n  "Records": [\n    {"eventName": "x",}\n  ]\n}\n');
    const items = await collect([trailing]);
    expect(items.length).toBe(1);
    expect(!items[0].ok && items[0].error).toMatch(
      new RegExp(`^${trailing}: invalid JSON \\(line 3 column 23\\): `),
    );
    const broken = write('broken.json', '{\n  "Records": [\n    {"eventName": }\n  ]\n}\n');
    const more = await collect([broken]);
    expect(more.length).toBe(1);
    expect(!more[0].ok && more[0].error).toMatch(new RegExp(`^${broken}: invalid JSON`));
  });

  it('reads an EventBridge envelope and an array of mixed documents', async () => {
    const envelope = write('envelope.json', envelopeText);
    const array = write(
      'array.json',
      JSON.stringify(
        [sso, JSON.parse(logText), JSON.parse(envelopeText), { Records: [root, root] }],
        null,
        2,
      ),
    );
    expect(summary(await collect([envelope]))).toEqual(['ok envelope.json CreateBucket']);
    expect(summary(await collect([array]))).toEqual([
      'ok array.json UpdateFunctionCode20150331v2',
      'ok array.json ModifyInstanceAttribute',
      'ok array.json CreateBucket',
      'ok array.json ConsoleLogin',
      'ok array.json ConsoleLogin',
    ]);
  });

  it('a missing path is one error and the rest is read', async () => {
    const missing = join(dir, 'no-such-file.json');
    const good = write('present.json', JSON.stringify(root));
    const items = await collect([missing, good]);
    expect(summary(items)).toEqual(['error no-such-file.json', 'ok present.json ConsoleLogin']);
    expect(!items[0].ok && items[0].error).toBe(`${missing}: cannot read: no such file or directory`);
  });

  it('stdin ("-"): JSON lines split across chunks, with line origins', async () => {
    const text = `${JSON.stringify(sso)}\n${JSON.stringify(root)}\n`;
    const chunks = [text.slice(0, 17), text.slice(17, 600), text.slice(600)].map((c) => Buffer.from(c));
    expect(summary(await collect(['-'], Readable.from(chunks)))).toEqual([
      'ok stdin:1 UpdateFunctionCode20150331v2',
      'ok stdin:2 ConsoleLogin',
    ]);
  });

  it('stdin ("-"): a pretty-printed document, and a gzipped one', async () => {
    expect(summary(await collect(['-'], Readable.from([Buffer.from(bigLogText)])))).toHaveLength(142);
    const gz = gzipSync(envelopeText);
    const items = await collect(['-'], Readable.from([gz.subarray(0, 5), gz.subarray(5)]));
    expect(summary(items)).toEqual(['ok stdin CreateBucket']);
  });

  it('streams JSON lines: the first record arrives before the input has ended', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let finished = false;
    async function* slowStdin() {
      yield Buffer.from(`${JSON.stringify(sso)}\n${JSON.stringify(root)}\n`);
      await gate;
      yield Buffer.from(`${JSON.stringify(root)}\n`);
      finished = true;
    }
    const reader = readEvents(['-'], { stdin: slowStdin() });
    const first = await reader.next();
    expect(first.value?.ok && first.value.record.eventName).toBe('UpdateFunctionCode20150331v2');
    expect(finished).toBe(false);
    release();
    const rest: EventInput[] = [];
    for await (const item of reader) rest.push(item);
    expect(summary(rest)).toEqual(['ok stdin:2 ConsoleLogin', 'ok stdin:3 ConsoleLogin']);
    expect(finished).toBe(true);
  });

  it('empty input is one clear error', async () => {
    const file = write('empty.json', '\n  \n');
    expect(await collect([file])).toEqual([
      { ok: false, error: `${file}: empty input: no JSON found`, origin: file },
    ]);
  });
});

describe('parseEventText (what POST /api/v1/events reuses)', () => {
  it('takes a record, a Records log, an envelope, or JSON lines', () => {
    expect(parseEventText(JSON.stringify(root), 'body').map((i) => i.ok)).toEqual([true]);
    expect(parseEventText(bigLogText, 'body').length).toBe(142);
    expect(parseEventText(envelopeText, 'body')).toMatchObject([{ ok: true, origin: 'body' }]);
    const lines = parseEventText(`${JSON.stringify(root)}\n${JSON.stringify(sso)}`, 'body');
    expect(lines.map((i) => i.origin)).toEqual(['body:1', 'body:2']);
  });

  it('says clearly what is wrong', () => {
    expect(parseEventText('', 'body')).toEqual([
      { ok: false, error: 'body: empty input: no JSON found', origin: 'body' },
    ]);
    expect(parseEventText('{"foo": 1}', 'body')).toEqual([
      { ok: false, error: 'body: not a CloudTrail record: missing eventName/eventSource', origin: 'body' },
    ]);
    expect(
      parseEventText('{"detail-type": "Scheduled Event", "source": "aws.events", "detail": {}}', 'body'),
    ).toEqual([
      {
        ok: false,
        error:
          'body: EventBridge event (detail-type "Scheduled Event") does not carry a CloudTrail record in detail: missing eventName/eventSource',
        origin: 'body',
      },
    ]);
    const [bad] = parseEventText('{"Records": [', 'body');
    expect(!bad.ok && bad.error).toMatch(/^body: invalid JSON/);
  });

  it('a digest file beside the logs holds no events and is no error', () => {
    const digest = { awsAccountId: '111122223333', digestStartTime: '2024-01-01T00:00:00Z', logFiles: [] };
    expect(parseEventText(JSON.stringify(digest), 'digest.json')).toEqual([]);
  });
});

describe('startReadingAside (the installed scan reads on a second thread)', () => {
  // The TypeScript reader, run through tsx's loader (registered by a two-line bootstrap module in
  // the test's folder) as the build's compiled reader runs in dist/.
  const aside = () => {
    const tsx = pathToFileURL(join(import.meta.dirname, '../../node_modules/tsx/dist/esm/api/index.mjs'));
    const reader = new URL('../../lambdas/adapters/local/event-worker.ts', import.meta.url);
    const bootstrap = write(
      'reader-bootstrap.mjs',
      `import { register } from ${JSON.stringify(tsx.href)};\nregister();\nawait import(${JSON.stringify(reader.href)});\n`,
    );
    return { workerUrl: pathToFileURL(bootstrap) };
  };

  it('gives the batches readPreparedBatches gives: reads and failures counted, duplicates dropped', async () => {
    // Prepare: a trail folder with a large gzipped log (reads, writes, failed calls) and the same log
    // again (all duplicates), a broken gzip, JSON lines with a bad line, an envelope, an empty file
    // and records without eventID (never dropped here: the scan keys them by content).
    const records = JSON.parse(bigLogText).Records as Record<string, unknown>[];
    // Terraform's own call (its user agent): counted where read, as detectEvent would ignore it.
    const terraformCall = {
      ...sso,
      eventID: 'terraform-1',
      userAgent:
        'APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.70.0',
    };
    write('aside/a.json.gz', gzipSync(bigLogText));
    write('aside/a-again.json.gz', gzipSync(bigLogText));
    write('aside/b.json.gz', gzipSync(bigLogText).subarray(0, 60));
    write(
      'aside/c.jsonl',
      `${JSON.stringify(sso)}\n{not json\n${JSON.stringify({ ...root, readOnly: 'TRUE' })}\n${JSON.stringify(terraformCall)}\n`,
    );
    write('aside/d.json', envelopeText);
    write('aside/e.json', '');
    const { eventID: _, ...noId } = sso;
    write(
      'aside/f.json',
      JSON.stringify({
        Records: [noId, noId, { ...noId, errorCode: 'AccessDenied' }, { ...noId, readOnly: true }],
      }),
    );
    const paths = [join(dir, 'aside'), join(dir, 'aside', 'missing.json')];
    const expected: PreparedBatch[] = [];
    for await (const batch of readPreparedBatches(paths, new FingerprintSet(7), DEFAULT_CONFIG))
      expected.push(batch);

    // Act
    const reader = startReadingAside(paths, aside());
    const got: PreparedBatch[] = [];
    for await (const batch of reader.batches) got.push(batch);
    const seen = reader.seen;
    await reader.close();

    // Assess: identical, and the input really holds every kind of item.
    expect(got).toEqual(expected);
    const inputs = got.flatMap((b) => b.inputs);
    const quickOf = (verdict: keyof PreparedBatch['quick']) => got.reduce((n, b) => n + b.quick[verdict], 0);
    // Every record read counts once: as a verdict or as a record to detect. The log's 142, c.jsonl's
    // three, the envelope's one and f.json's four (without eventID: not deduplicated here).
    const detectable = inputs.filter((i) => i.ok);
    expect(quickOf('read-only') + quickOf('failed-call') + quickOf('terraform') + detectable.length).toBe(
      records.length + 8,
    );
    // The second copy of the log: every record a duplicate, none crosses again.
    expect(got.reduce((n, b) => n + b.duplicates, 0)).toBe(records.length);
    expect(quickOf('read-only')).toBeGreaterThanOrEqual(2);
    expect(quickOf('failed-call')).toBeGreaterThanOrEqual(2);
    expect(quickOf('terraform')).toBe(1);
    expect(detectable.map((i) => (i.ok ? i.record.eventID : null))).not.toContain('terraform-1');
    expect(detectable.map((i) => (i.ok ? i.record.eventID : null))).toContain(sso.eventID);
    expect(inputs.filter((i) => !i.ok).map((i) => (i.ok ? '' : i.origin.split('/').pop()))).toEqual([
      'b.json.gz',
      'c.jsonl:2',
      'e.json',
      'missing.json',
    ]);
    // The keys seen come back: a record read again later (the event history) is a duplicate.
    expect(seen).toBeDefined();
    const again = prepareBatch(
      [{ ok: true, record: records[0], origin: 'history' }],
      seen as FingerprintSet,
      DEFAULT_CONFIG,
    );
    expect(again).toEqual({
      inputs: [],
      quick: { 'read-only': 0, 'failed-call': 0, terraform: 0 },
      quickFirstAt: {},
      duplicates: 1,
    });
    const fresh = prepareBatch(
      [{ ok: true, record: { ...records[0], eventID: 'never-read' }, origin: 'history' }],
      seen as FingerprintSet,
      DEFAULT_CONFIG,
    );
    expect(fresh.duplicates).toBe(0);
  });

  it('prepareBatch says where each verdict was first met among the records it passes on', () => {
    // Prepare: a write to detect, a Terraform call, a read, another write, another read.
    const terraform = {
      ...sso,
      eventID: 'tf',
      userAgent: 'APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io)',
    };
    const batch: EventInput[] = [
      { ok: true, record: { ...sso, eventID: 'w1' }, origin: 'x' },
      { ok: true, record: terraform, origin: 'x' },
      { ok: true, record: { ...sso, eventID: 'r1', readOnly: true }, origin: 'x' },
      { ok: true, record: { ...sso, eventID: 'w2' }, origin: 'x' },
      { ok: true, record: { ...sso, eventID: 'r2', readOnly: true }, origin: 'x' },
      { ok: true, record: { ...sso, eventID: 'w1' }, origin: 'x' },
    ];

    // Act
    const prepared = prepareBatch(batch, new FingerprintSet(3), DEFAULT_CONFIG);

    // Assess: both verdicts met after the first write (one record passed on), in that order.
    expect(prepared.inputs.map((i) => (i.ok ? i.record.eventID : null))).toEqual(['w1', 'w2']);
    expect(prepared.quick).toEqual({ 'read-only': 2, 'failed-call': 0, terraform: 1 });
    expect(Object.entries(prepared.quickFirstAt)).toEqual([
      ['terraform', 1],
      ['read-only', 1],
    ]);
    expect(prepared.duplicates).toBe(1);
  });

  it('a scan slower than the reader still gets every batch, once and in order', async () => {
    // Prepare: 30 log files, each record a write with an eventID naming its file and place.
    const records = JSON.parse(bigLogText).Records as Record<string, unknown>[];
    const expected: string[] = [];
    for (let f = 0; f < 30; f++) {
      const part = records.map(({ errorCode: _, ...r }, i) => ({
        ...r,
        readOnly: false,
        eventID: `file-${f}-record-${i}`,
      }));
      write(`ahead/log-${String(f).padStart(2, '0')}.json.gz`, gzipSync(JSON.stringify({ Records: part })));
      expected.push(...part.map((r) => r.eventID));
    }
    const idOf = (i: EventInput) => (i.ok ? String(i.record.eventID) : i.error);

    // Act: take one batch, pause while the reader could read everything, take the rest.
    const reader = startReadingAside([join(dir, 'ahead')], aside());
    const batches = reader.batches[Symbol.asyncIterator]();
    const first = await batches.next();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ids = first.done ? [] : first.value.inputs.map(idOf);
    for (let step = await batches.next(); !step.done; step = await batches.next())
      ids.push(...step.value.inputs.map(idOf));
    await reader.close();

    // Assess
    expect(ids).toEqual(expected);
  });

  it('is used by the installed command only: a checkout has no compiled reader, stdin never goes aside', () => {
    expect(canReadAside([join(dir, 'aside')])).toBe(false);
    expect(canReadAside(['-'])).toBe(false);
  });
});
