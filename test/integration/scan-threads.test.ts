// `tfdrift scan` reading on threads (event-files.ts startReadingAside: reader threads and the
// scanning thread share the files, duplicates decided where every key meets) gives the report the
// in-process path gives: the same bytes on stdout and stderr and the same exit code, whichever
// thread read which file. The input holds what makes threads disagree if they can: duplicates across
// files (whole files and single records, with and without eventID), a corrupt gzip, a truncated
// gzip, JSON lines with a bad line, a missing path and drift in many files.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateEvent, type Target } from '../../bench/events.js';
import { generateState } from '../../bench/state-index.js';
import {
  type EventInput,
  mergePrepared,
  type PreparedBatch,
  prepareForMerge,
  type ReaderBatch,
  readerSourceBatches,
  readPreparedBatches,
} from '../../lambdas/adapters/local/event-files.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { FingerprintSet } from '../../lambdas/core/fingerprints.js';
import { buildStateIndex } from '../../lambdas/core/state.js';
import { runScan, type ScanOptions } from '../../lambdas/local/scan.js';
import { textSink } from '../support/text-sink.js';

const ROOT = join(import.meta.dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'tfdrift-scan-threads-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const EC2_TYPES = new Set(['aws_instance', 'aws_security_group', 'aws_vpc', 'aws_subnet']);
const stateDir = join(tmp, 'state');
const trail = join(tmp, 'AWSLogs', '111122223333', 'CloudTrail', 'eu-west-1', '2026', '01', '01');
const extra = join(tmp, 'extra');
const missing = join(tmp, 'missing.json.gz');

/** The TypeScript reader run through tsx's loader, as dist/ runs the compiled one. */
function readerModule(): URL {
  const tsx = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/esm/api/index.mjs'));
  const reader = pathToFileURL(join(ROOT, 'lambdas/adapters/local/event-worker.ts'));
  const bootstrap = join(tmp, 'reader-bootstrap.mjs');
  writeFileSync(
    bootstrap,
    `import { register } from ${JSON.stringify(tsx.href)};\nregister();\nawait import(${JSON.stringify(reader.href)});\n`,
  );
  return pathToFileURL(bootstrap);
}

let workerUrl: URL;
let logs: string[] = [];
/** Which log file of the trail each eventID was written to. */
const fileOf = new Map<string, number>();

beforeAll(() => {
  // A state of 400 resources in the account and region of the generated calls.
  const stateText = generateState(400).replace(
    /"arn:aws:ec2:[a-z0-9-]+:\d{12}:/g,
    '"arn:aws:ec2:eu-west-1:111122223333:',
  );
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, 'main.tfstate'), stateText);
  const targets: Target[] = buildStateIndex([{ file: 'main.tfstate', text: stateText }])
    .resources.filter((r) => r.id && EC2_TYPES.has(r.type))
    .map((r) => ({ type: r.type, id: r.id as string }));

  // Twelve log files of 150–400 records: hand-made writes are a third of every fourth file's records
  // and 3% of the others' (drift in many files, little enough overall for the scanning thread to
  // read files itself while it waits: startReadingAside's HELP_BELOW).
  mkdirSync(trail, { recursive: true });
  mkdirSync(extra, { recursive: true });
  const files: Record<string, unknown>[][] = [];
  let i = 0;
  for (let f = 0; f < 12; f++) {
    const records = Array.from({ length: 150 + ((f * 97) % 250) }, () =>
      generateEvent(i++, targets, { handWrites: f % 4 === 0 ? 0.33 : 0.03 }),
    );
    files.push(records);
    for (const r of records) fileOf.set(r.eventID as string, f);
    const name = join(
      trail,
      `111122223333_CloudTrail_eu-west-1_20260101T${String(f).padStart(4, '0')}Z_${f}.json.gz`,
    );
    writeFileSync(name, gzipSync(JSON.stringify({ Records: records })));
  }
  logs = [trail];
  const [first, second, third] = files;
  // Duplicates across files: a whole file again, and a file of old and new records mixed.
  writeFileSync(join(extra, 'a-again.json.gz'), readFileSync(join(trail, readdirFirst())));
  const mixed = [
    ...second.slice(0, 40),
    ...Array.from({ length: 60 }, () => generateEvent(i++, targets, { handWrites: 0.5 })),
    ...third.slice(-30),
  ];
  writeFileSync(join(extra, 'b-mixed.json.gz'), gzipSync(JSON.stringify({ Records: mixed })));
  // A corrupt gzip (gzip's magic, then noise) and a truncated one (the first half of a good file).
  writeFileSync(join(extra, 'c-corrupt.json.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  const whole = gzipSync(JSON.stringify({ Records: first }));
  writeFileSync(join(extra, 'd-truncated.json.gz'), whole.subarray(0, whole.length >> 1));
  // JSON lines: a bad line, and records without eventID, one of them twice (keyed by content).
  const noId = (r: Record<string, unknown>) => {
    const { eventID: _, ...rest } = r;
    return rest;
  };
  const lines = [
    JSON.stringify(noId(second[5])),
    '{not json',
    JSON.stringify(noId(second[6])),
    JSON.stringify(noId(second[5])),
    JSON.stringify(first[3]),
  ];
  writeFileSync(join(extra, 'e-lines.jsonl'), `${lines.join('\n')}\n`);
  // The same records without eventID in another file: duplicates across files by content.
  writeFileSync(join(extra, 'f-noid.json'), JSON.stringify({ Records: [noId(second[6]), noId(third[7])] }));
  workerUrl = readerModule();

  function readdirFirst(): string {
    return `111122223333_CloudTrail_eu-west-1_20260101T0000Z_0.json.gz`;
  }
  // The truncated file really is: gunzip fails on it.
  expect(() => gunzipSync(readFileSync(join(extra, 'd-truncated.json.gz')))).toThrow();
});

async function scanOnce(options: Partial<ScanOptions>) {
  const out = textSink();
  const err = textSink();
  const code = await runScan({
    state: [stateDir],
    events: [...logs, extra, missing],
    format: 'json',
    stdout: out.stream,
    stderr: err.stream,
    ...options,
  } as ScanOptions);
  return { code, stdout: out.text(), stderr: err.text() };
}

async function* history(records: Record<string, unknown>[]): AsyncGenerator<EventInput[]> {
  yield records.map((record) => ({ ok: true as const, record, origin: 'history' }));
}

describe('scan on reader threads', () => {
  it('gives the in-process report byte for byte, net and per event, however the threads share the files', async () => {
    // Prepare: the in-process reports (a checkout has no compiled reader: this thread reads).
    const inProcess = {
      net: await scanOnce({}),
      perEvent: await scanOnce({ mode: 'per-event' }),
    };

    // Act
    const threaded: Record<string, Awaited<ReturnType<typeof scanOnce>>> = {};
    // Readers only (one, two, three of them), and one reader helped by the scanning thread.
    for (const [readers, scanningThreadReads] of [
      [1, false],
      [2, false],
      [3, false],
      [1, true],
    ] as const) {
      const readAside = { workerUrl, readers, scanningThreadReads };
      const name = `${readers} readers${scanningThreadReads ? ' and the scanning thread' : ''}`;
      threaded[`net, ${name}`] = await scanOnce({ readAside });
      threaded[`per-event, ${name}`] = await scanOnce({ mode: 'per-event', readAside });
    }

    // Assess: the input holds every case, and every threaded run reports what the in-process one does.
    const report = JSON.parse(inProcess.net.stdout);
    expect(report.summary.duplicates).toBeGreaterThan(200);
    expect(report.summary.findings).toBeGreaterThan(50);
    // Drift in most log files of the trail (per event: each finding names its event).
    const drifting = JSON.parse(inProcess.perEvent.stdout).findings.map((f: { event: { id: string } }) =>
      fileOf.get(f.event.id),
    );
    expect(new Set(drifting.filter((f: number | undefined) => f !== undefined)).size).toBeGreaterThanOrEqual(
      9,
    );
    const errors = inProcess.net.stderr.split('\n').filter(Boolean);
    expect(errors.some((line) => line.includes('c-corrupt.json.gz'))).toBe(true);
    expect(errors.some((line) => line.includes('d-truncated.json.gz'))).toBe(true);
    expect(errors.some((line) => line.includes('e-lines.jsonl:2'))).toBe(true);
    expect(errors.some((line) => line.includes('missing.json.gz'))).toBe(true);
    expect(inProcess.net.code).toBe(1);
    for (const [name, run] of Object.entries(threaded)) {
      const expected = name.startsWith('net') ? inProcess.net : inProcess.perEvent;
      expect({ name, ...run }).toEqual({ name, ...expected });
    }
  });

  it('counts a record of the event history once when a log file held it too', async () => {
    // Prepare: two history records: one read from a log already, one new.
    const logged = JSON.parse(gunzipSync(readFileSync(join(extra, 'b-mixed.json.gz'))).toString())
      .Records[50];
    const fresh = { ...logged, eventID: 'history-only-1' };

    // Act
    const inProcess = await scanOnce({ moreEvents: history([logged, fresh]) });
    const threaded = await scanOnce({
      moreEvents: history([logged, fresh]),
      readAside: { workerUrl, readers: 2 },
    });
    const without = await scanOnce({});

    // Assess: one more event and one more duplicate than the files alone, the same either way.
    expect(threaded).toEqual(inProcess);
    const summary = JSON.parse(threaded.stdout).summary;
    const before = JSON.parse(without.stdout).summary;
    expect(summary.events).toBe(before.events + 1);
    expect(summary.duplicates).toBe(before.duplicates + 1);
  });
});

/**
 * Prepared batches as the scan takes them: the inputs in order, each verdict's count and the place
 * (among all inputs) where it was first met, the duplicates. Equal flows give equal reports, however
 * they are cut into batches.
 */
function flow(batches: readonly PreparedBatch[]) {
  const inputs: string[] = [];
  const quick: Record<string, number> = {};
  const firstAt: [string, number][] = [];
  let duplicates = 0;
  for (const batch of batches) {
    for (const [verdict, at] of Object.entries(batch.quickFirstAt)) {
      if (!(verdict in quick)) firstAt.push([verdict, inputs.length + at]);
      quick[verdict] = (quick[verdict] ?? 0) + batch.quick[verdict as keyof PreparedBatch['quick']];
    }
    inputs.push(...batch.inputs.map((i) => (i.ok ? `${i.origin} ${JSON.stringify(i.record)}` : i.error)));
    duplicates += batch.duplicates;
  }
  return { inputs, quick, firstAt, duplicates };
}

describe('mergePrepared (duplicates across readers)', () => {
  it('gives the flow one thread gives when two readers share the files', async () => {
    // Prepare: what one thread prepares; two readers claiming from one counter, driven in turn.
    const paths = [...logs, extra, missing];
    const expected: PreparedBatch[] = [];
    for await (const batch of readPreparedBatches(paths, new FingerprintSet(11), DEFAULT_CONFIG))
      expected.push(batch);
    const claims = new Int32Array(1);
    const readers = [readerSourceBatches(paths, claims), readerSourceBatches(paths, claims)];
    const readBy = new Map<number, number>();
    const received = new Map<number, (ReaderBatch | null)[]>();
    const finished = [false, false];
    let turn = 0;
    const pull = async () => {
      const r = turn++ % 2;
      if (finished[r]) return;
      const step = await readers[r].next();
      if (step.done) {
        finished[r] = true;
        return;
      }
      const { unit, batch } = step.value;
      readBy.set(unit, r);
      const queue = received.get(unit) ?? [];
      queue.push(batch ? prepareForMerge(batch, 11, DEFAULT_CONFIG) : null);
      received.set(unit, queue);
    };

    // Act: the sources in order, each once its reader has read it to the end.
    const seen = new FingerprintSet(11);
    const got: PreparedBatch[] = [];
    for (let unit = 0; ; unit++) {
      while (!received.get(unit)?.includes(null) && !finished.every(Boolean)) await pull();
      const queue = received.get(unit);
      if (!queue?.includes(null)) break;
      for (const batch of queue) if (batch) got.push(...mergePrepared(batch, seen));
    }

    // Assess: the same flow, its duplicates all found where the keys meet, the files shared.
    expect(flow(got)).toEqual(flow(expected));
    expect(flow(got).duplicates).toBeGreaterThan(200);
    expect(new Set(readBy.values())).toEqual(new Set([0, 1]));
  });
});
