// Reading CloudTrail events on one machine: files, folders, stdin; plain or gzipped; whole JSON
// documents (S3 log files, envelopes, arrays) or JSON lines. A bad file, line or record becomes one
// error item and reading goes on with the rest.

import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { open, readdir, readFile as readFileBytes, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { createGunzip, gunzip } from 'node:zlib';
import { eventDuplicateKey, extractEach, normaliseRecord } from '../../core/cloudtrail.js';
import { DEFAULT_CONFIG, type DetectConfig } from '../../core/config.js';
import { isTerraformCall, quickVerdict } from '../../core/detect.js';
import { FingerprintSet, fingerprintLanes } from '../../core/fingerprints.js';

/** One record read, or one reason something could not be read. `error` already names `origin`. */
export type EventInput =
  | { readonly ok: true; readonly record: Record<string, unknown>; readonly origin: string }
  | { readonly ok: false; readonly error: string; readonly origin: string };

/**
 * A batch as the scan takes it: read-only and failed calls (quickVerdict) and Terraform's own calls
 * only counted, and every record with an eventID already checked against the ones before it
 * (eventDuplicateKey), so a duplicate never reaches detection. Records without eventID are left to
 * the scan, which keys them by content once normalised.
 */
export interface PreparedBatch {
  /** Records to detect and read errors, in input order. */
  readonly inputs: EventInput[];
  /** Read-only and failed calls, each counted once. */
  readonly quick: Record<QuickVerdict, number>;
  /**
   * For each verdict counted: how many inputs came before its first call, so the scan counts it at
   * the same place among the other outcomes (the report lists them in the order first met).
   */
  readonly quickFirstAt: Partial<Record<QuickVerdict, number>>;
  /** Records with the duplicate key of one before them. */
  readonly duplicates: number;
}

/** The outcomes detectEvent gives before it looks at the state: counted where the batch is read. */
type QuickVerdict = NonNullable<ReturnType<typeof quickVerdict>> | 'terraform';

/** From a reader thread (event-worker.ts) to the thread that scans. */
export type WorkerMessage =
  /** A batch of source `unit`, judged as far as one reader can (prepareForMerge). */
  | ({ readonly unit: number } & ReaderBatch)
  /** The end of source `unit` (its batches, if any, came before). */
  | { readonly unit: number; readonly end: true }
  /** The reader has no more sources. */
  | { readonly done: true }
  | { readonly failed: string };

/**
 * A batch as a reader thread judged it, for the scanning thread to finish (mergePrepared): every
 * record's verdict and duplicate key, in input order, and the inputs to detect as JSON text in parts.
 * Threads read different files, so whether a key was seen before is decided where all keys meet,
 * in input order: the batches come out as one thread's prepareBatch would give.
 */
export interface ReaderBatch {
  /** The inputs (records to detect, unless a duplicate, and read errors) in parts of PART. */
  readonly parts: readonly string[];
  /** One step per record or error, in input order (STEP_*), keyed steps followed by two lanes. */
  readonly steps: Uint32Array;
  /** Records and errors read, and how many of them were passed on to detect. */
  readonly read: number;
  readonly passed: number;
}

/** The next input is passed on (a read error, or a record without eventID). */
const STEP_INPUT = 0;
/** A read-only or failed call without eventID: counted (verdict in the bits above the step). */
const STEP_QUICK = 1;
/** The next input is passed on unless its key (two lanes follow) was seen. */
const STEP_KEYED_INPUT = 2;
/** Counted (verdict above the step) unless its key (two lanes follow) was seen. */
const STEP_KEYED_QUICK = 3;
const VERDICTS: readonly QuickVerdict[] = ['read-only', 'failed-call', 'terraform'];

/**
 * Records per part of a batch sent across: the scan parses a part just before it detects its
 * records, so they die young (a whole log file parsed at once would outlive a few collections).
 * The part alive when a collection comes is promoted: 64 records promote a quarter of what 256 did
 * (a 25% drift scan: ~20 MB less peak memory, the same CPU).
 */
const PART = 64;

/**
 * Judges a batch where it was read: the outcomes that need no state (read-only, failed, Terraform's
 * own calls, decided as detectEvent decides them) counted, duplicates (by eventID and the call's
 * content, in `seen`) dropped. The reader thread and a scan reading on its own thread do the same.
 */
export function prepareBatch(
  batch: readonly EventInput[],
  seen: FingerprintSet,
  config: DetectConfig,
): PreparedBatch {
  const inputs: EventInput[] = [];
  const quick: Record<QuickVerdict, number> = { 'read-only': 0, 'failed-call': 0, terraform: 0 };
  const quickFirstAt: Partial<Record<QuickVerdict, number>> = {};
  let duplicates = 0;
  for (const input of batch) {
    if (!input.ok) {
      inputs.push(input);
      continue;
    }
    let verdict: QuickVerdict | null = quickVerdict(input.record);
    const id = input.record.eventID;
    if (typeof id !== 'string' || id === '') {
      // Keyed by content by the scan, once normalised: counted there.
      if (verdict) countQuick(verdict);
      else inputs.push(input);
      continue;
    }
    if (!seen.add(eventDuplicateKey(input.record, id, verdict === null))) {
      duplicates++;
      continue;
    }
    verdict ??= stateFreeVerdict(input.record, config);
    if (verdict) countQuick(verdict);
    else inputs.push(input);
  }
  return { inputs, quick, quickFirstAt, duplicates };

  function countQuick(verdict: QuickVerdict): void {
    if (quick[verdict]++ === 0) quickFirstAt[verdict] = inputs.length;
  }
}

/** detectEvent's first outcomes, in its order; null for a record to detect (or to report as bad). */
function stateFreeVerdict(record: Record<string, unknown>, config: DetectConfig): QuickVerdict | null {
  let event: ReturnType<typeof normaliseRecord>;
  try {
    event = normaliseRecord(record);
  } catch {
    return null; // the scan reports it
  }
  if (event.errorCode) return 'failed-call';
  if (event.readOnly) return 'read-only';
  return isTerraformCall(event, config) ? 'terraform' : null;
}

/**
 * prepareBatch on a reader thread, duplicates left to mergePrepared: every record with an eventID
 * goes with its key's lanes (with the scan's `seed`), decided where the keys of every thread meet.
 * (A reader keeps no keys of its own: a second set of every key would double that memory.)
 */
export function prepareForMerge(
  batch: readonly EventInput[],
  seed: number,
  config: DetectConfig,
  part = PART,
): ReaderBatch {
  const inputs: EventInput[] = [];
  const steps: number[] = [];
  for (const input of batch) {
    if (!input.ok) {
      inputs.push(input);
      steps.push(STEP_INPUT);
      continue;
    }
    let verdict: QuickVerdict | null = quickVerdict(input.record);
    const id = input.record.eventID;
    if (typeof id !== 'string' || id === '') {
      if (verdict) steps.push(STEP_QUICK | (VERDICTS.indexOf(verdict) << 3));
      else {
        inputs.push(input);
        steps.push(STEP_INPUT);
      }
      continue;
    }
    const [hi, lo] = fingerprintLanes(eventDuplicateKey(input.record, id, verdict === null), seed);
    verdict ??= stateFreeVerdict(input.record, config);
    if (verdict) steps.push(STEP_KEYED_QUICK | (VERDICTS.indexOf(verdict) << 3), hi, lo);
    else {
      inputs.push(input);
      steps.push(STEP_KEYED_INPUT, hi, lo);
    }
  }
  const parts: string[] = [];
  for (let k = 0; k < inputs.length; k += part) parts.push(JSON.stringify(inputs.slice(k, k + part)));
  return { parts, steps: Uint32Array.from(steps), read: batch.length, passed: inputs.length };
}

/**
 * A reader's batch finished against the keys of every reader (`seen`, filled in input order): the
 * prepared batches prepareBatch gives for the same records, one per part of PART inputs read. A
 * part's JSON is parsed only when its turn comes, so its records die young.
 */
export function* mergePrepared(batch: ReaderBatch, seen: FingerprintSet): Generator<PreparedBatch> {
  const { parts, steps } = batch;
  let inputs: EventInput[] = [];
  let quick: Record<QuickVerdict, number> = { 'read-only': 0, 'failed-call': 0, terraform: 0 };
  let quickFirstAt: Partial<Record<QuickVerdict, number>> = {};
  let duplicates = 0;
  let partAt = -1;
  let read: EventInput[] = [];
  let readAt = 0;
  const countQuick = (verdict: QuickVerdict) => {
    if (quick[verdict]++ === 0) quickFirstAt[verdict] = inputs.length;
  };
  const flush = (): PreparedBatch => {
    const prepared = { inputs, quick, quickFirstAt, duplicates };
    inputs = [];
    quick = { 'read-only': 0, 'failed-call': 0, terraform: 0 };
    quickFirstAt = {};
    duplicates = 0;
    return prepared;
  };
  for (let s = 0; s < steps.length; ) {
    const step = steps[s++];
    const kind = step & 7;
    if (kind === STEP_INPUT || kind === STEP_KEYED_INPUT) {
      if (readAt === read.length) {
        // The next part of the inputs read: the batch so far is one prepared batch.
        if (partAt >= 0) yield flush();
        read = JSON.parse(parts[++partAt]) as EventInput[];
        readAt = 0;
      }
      const input = read[readAt++];
      if (kind === STEP_KEYED_INPUT && !seen.addLanes(steps[s++], steps[s++])) duplicates++;
      else inputs.push(input);
    } else if (kind === STEP_QUICK) countQuick(VERDICTS[step >>> 3]);
    else if (seen.addLanes(steps[s++], steps[s++])) countQuick(VERDICTS[step >>> 3]);
    else duplicates++;
  }
  yield flush();
}

export interface ReadEventsOptions {
  /** What `-` reads (default process.stdin); tests inject a stream here. */
  readonly stdin?: AsyncIterable<Buffer | string>;
}

const gunzipAsync = promisify(gunzip);
/** Larger files are streamed rather than read whole (64 MiB of compressed or plain bytes). */
const WHOLE_FILE_LIMIT = 64 * 1024 * 1024;

/** Files a folder walk picks up (gzip is detected by its magic bytes, whatever the name). */
const EVENT_FILE_RE = /\.(?:json|jsonl|ndjson)(?:\.gz)?$|\.gz$/i;

const BATCH = 1000;

/**
 * Smallest output piece of a whole-file gunzip. zlib's default (16 KiB) makes a 2 MB log ~130
 * callbacks and copies; 1 MiB pieces cut its CPU by about a third (trail files of 300–3,000 records).
 */
const GUNZIP_CHUNK = 1024 * 1024;

/**
 * The output piece size for gunzipping these bytes: the size gzip's trailer gives (ISIZE, the
 * uncompressed length mod 2^32) and a little, so the text comes out as one piece, neither copied
 * into a whole nor held as pieces until a collection frees them (a trail file: 3 MB instead of
 * 7 MB of buffers). A trailer that lies only costs more pieces: never more than MAX_GUNZIP_CHUNK.
 */
function gunzipChunk(bytes: Buffer): number {
  const size = bytes.length >= 18 ? bytes.readUInt32LE(bytes.length - 4) : 0;
  return Math.min(MAX_GUNZIP_CHUNK, Math.max(GUNZIP_CHUNK, size + 64));
}

/** The largest output piece asked for (a larger text comes in pieces of this size). */
const MAX_GUNZIP_CHUNK = 64 * 1024 * 1024;

const NO_EVENT_FILES =
  'no CloudTrail log files found in this folder or below (looked for .json, .jsonl, .ndjson and .gz files)';

/** Reads events from files, folders (recursive) and `-` (stdin), in the order given. */
export async function* readEvents(
  paths: readonly string[],
  opts: ReadEventsOptions = {},
): AsyncGenerator<EventInput> {
  // Streamed records one at a time, so a follower sees each line as soon as it arrives.
  for await (const batch of readEventBatches(paths, opts, 1)) yield* batch;
}

/**
 * The same events in batches: a whole log file's records at once (streamed sources in runs of up
 * to BATCH items). Batch readers (scan) pay one await per file instead of one per record.
 * Files are read and gunzipped a few ahead (libuv's thread pool) while the caller works on the
 * current one, so reading overlaps parsing and detection; at most PREFETCH files are held.
 */
export async function* readEventBatches(
  paths: readonly string[],
  opts: ReadEventsOptions = {},
  size = BATCH,
): AsyncGenerator<EventInput[]> {
  for await (const { batch } of readSourceBatches(eventSources(paths), opts, size)) if (batch) yield batch;
}

/**
 * One thing to read, numbered in input order: a log file, stdin, or an input that could not be read
 * (its error item). A folder is its files, depth first in name order.
 */
type EventSource = { readonly unit: number } & (
  | { readonly file: string }
  | { readonly stdin: true }
  | { readonly error: EventInput }
);

/** The sources of `paths`, in order: the same for every reader thread that lists them. */
async function* eventSources(paths: readonly string[]): AsyncGenerator<EventSource> {
  let unit = 0;
  for (const path of paths) {
    if (path === '-') {
      yield { unit: unit++, stdin: true };
      continue;
    }
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch (err) {
      yield {
        unit: unit++,
        error: { ok: false, error: `${path}: cannot read: ${reason(err)}`, origin: path },
      };
      continue;
    }
    if (!isDir) {
      yield { unit: unit++, file: path };
      continue;
    }
    let files = 0;
    for await (const file of walk(path)) {
      files++;
      yield { unit: unit++, file };
    }
    // A folder with no log in it is most often the wrong folder: say so rather than report no drift.
    if (files === 0)
      yield { unit: unit++, error: { ok: false, error: `${path}: ${NO_EVENT_FILES}`, origin: path } };
  }
}

/**
 * The batches of a reader thread (event-worker.ts): the sources of `paths` it claims, one at a time
 * as it goes (`claims` holds the next unclaimed source's number, shared by every thread reading).
 */
export function readerSourceBatches(
  paths: readonly string[],
  claims: Int32Array,
): AsyncGenerator<SourceBatch> {
  return readSourceBatches(claimedSources(paths, claims), {}, BATCH);
}

/** The sources this thread claims, in order (`claims` as in readerSourceBatches). */
async function* claimedSources(paths: readonly string[], claims: Int32Array): AsyncGenerator<EventSource> {
  const sources = eventSources(paths);
  try {
    for (;;) {
      const { source } = await claimNext(sources, claims);
      if (!source) return;
      yield source;
    }
  } finally {
    await sources.return(undefined);
  }
}

/**
 * Claims the next unclaimed source number (every thread lists the same sources; `claims` holds the
 * next unclaimed one's) and steps this thread's listing to it: the source, or null past the end.
 */
async function claimNext(
  sources: AsyncGenerator<EventSource>,
  claims: Int32Array,
): Promise<{ readonly unit: number; readonly source: EventSource | null }> {
  const unit = Atomics.add(claims, 0, 1);
  let step = await sources.next();
  while (!step.done && step.value.unit < unit) step = await sources.next();
  return { unit, source: step.done ? null : step.value };
}

/** A batch of a source's items, or (batch null) the end of that source. */
export interface SourceBatch {
  readonly unit: number;
  readonly batch: EventInput[] | null;
}

/** The reader thread as the build compiles it (dist/lambdas/adapters/local/event-worker.js). */
const WORKER_URL = new URL('./event-worker.js', import.meta.url);

/**
 * True when `paths` can be read on a thread of their own: the compiled reader is there (the
 * installed command; a checkout run through tsx reads on the same thread) and stdin is not among
 * them (a worker has no access to the process's stdin).
 */
export function canReadAside(paths: readonly string[]): boolean {
  return !paths.includes('-') && existsSync(fileURLToPath(WORKER_URL));
}

export interface ReadAsideOptions {
  /** What decides Terraform's own calls (prepareBatch). @default DEFAULT_CONFIG */
  readonly config?: DetectConfig;
  /** The reader module (tests run the TypeScript one through tsx's loader). */
  readonly workerUrl?: URL;
  readonly execArgv?: string[];
  /** Reader threads. @default READERS */
  readonly readers?: number;
  /**
   * The scanning thread reads the next source itself when it would otherwise wait for the readers;
   * false leaves every source to the readers (tests). @default true
   */
  readonly scanningThreadReads?: boolean;
}

/**
 * Reader threads: one, helped by the scanning thread whenever that would wait. A second reader
 * thread costs ~100 MB of peak memory (its own heap and buffers: 100k events at 1% drift, 410–440
 * MB against 300), over the 300 MB a scan may take.
 */
const READERS = 1;

/** Events read on threads of their own (startReadingAside); close() ends the threads. */
export interface EventReaderThread {
  /** The batches, once: iterate this, then close (early, to stop the readers). */
  readonly batches: AsyncIterable<PreparedBatch>;
  /** Once `batches` has ended: the duplicate keys seen, to prepare later batches with. */
  readonly seen: FingerprintSet | undefined;
  close(): Promise<void>;
}

/** A random seed for a FingerprintSet (a run's keys cannot be predicted, so not crafted to collide). */
export function randomSeed(): number {
  return randomBytes(4).readUInt32LE(0);
}

/** The reader threads as the scanning thread sees them: their messages by source, as they come. */
class ReaderThreads {
  private readonly bySource = new Map<
    number,
    Exclude<WorkerMessage, { done: true } | { failed: string }>[]
  >();
  private readonly from = new WeakMap<object, Worker>();
  private failure: Error | undefined;
  private done = 0;
  private notify: (() => void) | undefined;

  constructor(readonly workers: readonly Worker[]) {
    const wake = () => this.notify?.();
    for (const worker of workers) {
      let finished = false;
      worker.on('message', (message: WorkerMessage) => {
        if ('done' in message) {
          finished = true;
          this.done++;
        } else if ('failed' in message) this.failure ??= new Error(message.failed);
        else {
          if (!('end' in message)) this.from.set(message, worker);
          const queue = this.bySource.get(message.unit);
          if (queue) queue.push(message);
          else this.bySource.set(message.unit, [message]);
        }
        wake();
      });
      worker.on('error', (error) => {
        this.failure ??= error;
        wake();
      });
      worker.on('exit', () => {
        if (!finished) this.failure ??= new Error('event reader thread stopped before the end of the input');
        wake();
      });
    }
  }

  /** Every reader has read all it claimed. */
  get finished(): boolean {
    return this.done === this.workers.length;
  }

  /** The next message of source `unit`, if one came; throws a reader's failure. */
  take(unit: number): Exclude<WorkerMessage, { done: true } | { failed: string }> | undefined {
    if (this.failure) throw this.failure;
    const queue = this.bySource.get(unit);
    const message = queue?.shift();
    if (queue?.length === 0) this.bySource.delete(unit);
    // A batch taken: its reader may read one more ahead.
    if (message && !('end' in message)) this.from.get(message)?.postMessage(1);
    return message;
  }

  /** Until the next message (or failure) comes. */
  async wait(): Promise<void> {
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve) => (this.notify = resolve));
    this.notify = undefined;
  }
}

/** A source the scanning thread claimed, and its file's bytes as read (readBytes). */
interface OwnSource {
  readonly source: EventSource;
  readonly read: Promise<ReadBytes> | undefined;
}

/** Sources read by the scanning thread itself, each claimed while it waited for the readers. */
class OwnReads {
  private readonly sources: AsyncGenerator<EventSource>;
  private readonly claimed = new Map<number, OwnSource | null>();

  constructor(paths: readonly string[]) {
    this.sources = eventSources(paths);
  }

  get size(): number {
    return this.claimed.size;
  }

  /**
   * Claims the next unclaimed source and starts reading its bytes (null: there is none, the input
   * ended). They are gunzipped only when its turn comes: a text held a while on this thread outlives
   * a collection and stays, with the state's index, until a full one (~3 MB a log file).
   */
  async claim(claims: Int32Array): Promise<void> {
    const { unit, source } = await claimNext(this.sources, claims);
    this.claimed.set(unit, source && { source, read: 'file' in source ? readBytes(source.file) : undefined });
  }

  /** Source `unit` if this thread claimed it (null: it is past the end), else undefined. */
  take(unit: number): OwnSource | null | undefined {
    const own = this.claimed.get(unit);
    this.claimed.delete(unit);
    return own;
  }

  close(): void {
    for (const own of this.claimed.values()) own?.read?.catch(() => undefined);
    void this.sources.return(undefined);
  }
}

/** Sources the scanning thread claims ahead of its turn while it waits (their bytes are held). */
const OWN_AHEAD = 2;

/**
 * The scanning thread reads files itself only while fewer than one record in this many reaches
 * detection: then its work per file is small beside a reader's and it would wait (1% drift). At 25%
 * it is the slower thread: a file it read would delay detection and hold its heap (measured: 0.1 s
 * more wall and 40 MB more peak memory over 100k events).
 */
const HELP_BELOW = 10;

/**
 * Bytes of log text the scanning thread reads itself, at most. Its heap holds the state's index, so
 * a full collection comes late there, and what it reads (each text outlives a collection during its
 * own parse) stays until then: unbounded, memory would grow with the input (400k events: +60 MB).
 */
const HELP_BYTES = 32 * 1024 * 1024;

/**
 * readEventBatches and prepareBatch on threads of their own (event-worker.ts), started now: reading,
 * gunzipping, parsing and judging use the other core while this thread loads the state and detects.
 * Every thread claims the next source to read from one shared counter; this thread takes the
 * batches in input order, reads a source itself when it would otherwise wait for the readers, and
 * drops duplicates across threads (mergePrepared): the prepared batches are the ones
 * readPreparedBatches gives, in the same order. A listing that fails (a folder that cannot be read)
 * throws from `batches` with the message readEventBatches would throw.
 */
export function startReadingAside(
  paths: readonly string[],
  options: ReadAsideOptions = {},
): EventReaderThread {
  const seed = randomSeed();
  const config = options.config ?? DEFAULT_CONFIG;
  const claims = new Int32Array(new SharedArrayBuffer(4));
  const count = Math.max(1, options.readers ?? READERS);
  const readers = new ReaderThreads(
    Array.from(
      { length: count },
      () =>
        new Worker(options.workerUrl ?? WORKER_URL, {
          workerData: { paths: [...paths], seed, config, claims },
          execArgv: options.execArgv,
          // V8's default nursery, not a smaller one: a log file's records (up to ~10 MB parsed) then
          // die young. With 16 MB they outlived a collection mid-parse, were promoted, and old-space
          // collections on the reader cost a sixth of a 100k-event scan's CPU.
        }),
    ),
  );
  const seen = new FingerprintSet(seed);
  const own = new OwnReads(paths);
  const mayHelp = options.scanningThreadReads ?? true;
  // What the readers' batches held so far: whether detection is light enough for this thread to read.
  let read = 0;
  let passed = 0;
  let helped = 0;
  const helps = () => mayHelp && passed * HELP_BELOW < read && helped < HELP_BYTES;
  let ended = false;
  async function* batches(): AsyncGenerator<PreparedBatch> {
    try {
      for (let unit = 0; ; unit++) {
        // Nobody has claimed this source yet (the readers are behind): this thread reads it.
        let mine = own.take(unit);
        if (mine === undefined && helps() && Atomics.load(claims, 0) <= unit) {
          await own.claim(claims);
          mine = own.take(unit);
        }
        if (mine === null) break;
        if (mine) {
          const loaded = mine.read?.then(decode).then((loaded) => {
            if (loaded.kind === 'text') helped += loaded.text.length;
            return loaded;
          });
          for await (const batch of sourceBatches(mine.source, loaded, {}, BATCH))
            yield prepareBatch(batch, seen, config);
          continue;
        }
        for (;;) {
          const message = readers.take(unit);
          if (message === undefined) {
            // Claimed by no thread that is still reading: past the end.
            if (readers.finished) {
              ended = true;
              return;
            }
            if (helps() && own.size < OWN_AHEAD) await own.claim(claims);
            else await readers.wait();
            continue;
          }
          if ('end' in message) break;
          read += message.read;
          passed += message.passed;
          yield* mergePrepared(message, seen);
        }
      }
      ended = true;
    } finally {
      own.close();
    }
  }
  return {
    batches: batches(),
    get seen() {
      return ended ? seen : undefined;
    },
    close: async () => {
      await Promise.all(readers.workers.map((worker) => worker.terminate()));
    },
  };
}

/** readEventBatches prepared on this thread (prepareBatch): what startReadingAside gives. */
export async function* readPreparedBatches(
  paths: readonly string[],
  seen: FingerprintSet,
  config: DetectConfig,
  opts: ReadEventsOptions = {},
): AsyncGenerator<PreparedBatch> {
  for await (const batch of readEventBatches(paths, opts)) yield prepareBatch(batch, seen, config);
}

/** Files read ahead of the one being parsed. */
const PREFETCH = 3;

/** A file's content as loaded ahead: whole text, or to be streamed, or why it cannot be read. */
type Loaded =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'stream'; readonly gzipped: boolean }
  | { readonly kind: 'error'; readonly error: string };

/**
 * The sources' batches in order, each source's end marked; files loaded up to PREFETCH ahead. A
 * listing that fails (a folder that cannot be read) throws once the sources before it are read.
 */
async function* readSourceBatches(
  sources: AsyncIterable<EventSource>,
  opts: ReadEventsOptions,
  size: number,
): AsyncGenerator<SourceBatch> {
  type Ahead =
    | { readonly source: EventSource; readonly loaded: Promise<Loaded> | undefined }
    | { readonly failure: unknown };
  const ahead: Ahead[] = [];
  const it = sources[Symbol.asyncIterator]();
  let more = true;
  const fill = async () => {
    while (more && ahead.length < PREFETCH) {
      let step: IteratorResult<EventSource>;
      try {
        step = await it.next();
      } catch (failure) {
        ahead.push({ failure });
        more = false;
        return;
      }
      if (step.done) more = false;
      else ahead.push({ source: step.value, loaded: loadSource(step.value) });
    }
  };
  try {
    await fill();
    while (ahead.length > 0) {
      const next = ahead.shift() as Ahead;
      await fill(); // the next files load while this one is parsed and used
      if ('failure' in next) throw next.failure;
      const { unit } = next.source;
      for await (const batch of sourceBatches(next.source, next.loaded, opts, size)) yield { unit, batch };
      yield { unit, batch: null };
    }
  } finally {
    // A reader that stops early leaves no read unobserved (their errors are of no interest then).
    for (const entry of ahead) if ('loaded' in entry) entry.loaded?.catch(() => undefined);
    await it.return?.();
  }
}

/** A file source's content, loaded ahead (undefined for the other sources). */
function loadSource(source: EventSource): Promise<Loaded> | undefined {
  return 'file' in source ? load(source.file) : undefined;
}

/** A source's batches, its file (if any) loaded by loadSource. */
async function* sourceBatches(
  source: EventSource,
  loading: Promise<Loaded> | undefined,
  opts: ReadEventsOptions,
  size: number,
): AsyncGenerator<EventInput[]> {
  if ('error' in source) {
    yield [source.error];
    return;
  }
  if ('stdin' in source) {
    yield* batched(readSource(opts.stdin ?? process.stdin, 'stdin'), size);
    return;
  }
  const path = source.file;
  const loaded = (await loading) as Loaded;
  if (loaded.kind === 'error')
    yield [{ ok: false, error: `${path}: cannot read: ${loaded.error}`, origin: path }];
  else if (loaded.kind === 'text') yield parseEventText(loaded.text, path);
  else yield* batched(readSource(createReadStream(path), path, loaded.gzipped), size);
}

/**
 * Log files as a trail writes them (one JSON document, usually one line) are read whole: one
 * JSON.parse is far faster than line splitting. Very large files, JSON lines and damaged gzip are
 * streamed (a damaged gzip then yields what it can and one error).
 */
async function load(path: string): Promise<Loaded> {
  return decode(await readBytes(path));
}

/** A file as read from disk: its bytes (whole files), or to be streamed, or why it cannot be read. */
type ReadBytes = Exclude<Loaded, { kind: 'text' }> | { readonly kind: 'bytes'; readonly bytes: Buffer };

async function readBytes(path: string): Promise<ReadBytes> {
  try {
    const streamed = /\.(?:jsonl|ndjson)(?:\.gz)?$/i.test(path) || (await stat(path)).size > WHOLE_FILE_LIMIT;
    if (streamed) return { kind: 'stream', gzipped: await hasGzipMagic(path) };
    return { kind: 'bytes', bytes: await readFileBytes(path) };
  } catch (err) {
    return { kind: 'error', error: reason(err) };
  }
}

/** A whole file's text, gunzipped when it is gzip; a damaged gzip is streamed (what it can give). */
async function decode(read: ReadBytes): Promise<Loaded> {
  if (read.kind !== 'bytes') return read;
  const { bytes } = read;
  const gzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!gzipped) return { kind: 'text', text: bytes.toString('utf8') };
  try {
    return {
      kind: 'text',
      text: (await gunzipAsync(bytes, { chunkSize: gunzipChunk(bytes) })).toString('utf8'),
    };
  } catch {
    return { kind: 'stream', gzipped };
  }
}

async function* batched(items: AsyncIterable<EventInput>, size: number): AsyncGenerator<EventInput[]> {
  let batch: EventInput[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Event files under a folder, depth first, in name order (stable output); hidden entries skipped. */
async function* walk(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(full).catch(() => null);
      isDir = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
    }
    if (isDir) yield* walk(full);
    else if (isFile && EVENT_FILE_RE.test(entry.name)) yield full;
  }
}

async function hasGzipMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Reads one byte source. The first non-empty line decides the form: if it is a JSON value on its
 * own, the source is JSON lines (parsed line by line, memory stays flat); otherwise the whole text
 * is one JSON document. A decompression error ends the source with one error item.
 */
async function* readSource(
  source: AsyncIterable<Buffer | string>,
  name: string,
  gzipped?: boolean,
): AsyncGenerator<EventInput> {
  // A one-line file is a document (origin "file"); line numbers appear once a second line does.
  const linesByName = /\.(?:jsonl|ndjson)(?:\.gz)?$/i.test(name);
  let mode: 'undecided' | 'first-line' | 'lines' | 'document' = 'undecided';
  const docLines: string[] = [];
  let first: { value: unknown; lineNo: number } | null = null;
  let lineNo = 0;
  try {
    for await (const line of linesOf(bytesOf(source, gzipped))) {
      lineNo++;
      if (mode === 'document') {
        docLines.push(line);
        continue;
      }
      if (line.trim() === '') {
        if (mode === 'undecided') docLines.push(line);
        continue;
      }
      if (mode === 'first-line' && first) {
        mode = 'lines';
        yield* toInputs(first.value, `${name}:${first.lineNo}`);
        first = null;
      }
      if (mode === 'lines') {
        yield* parseLine(line, `${name}:${lineNo}`);
        continue;
      }
      const parsed = tryParse(line);
      if (!parsed.ok) {
        mode = 'document';
        docLines.push(line);
      } else if (linesByName) {
        mode = 'lines';
        yield* toInputs(parsed.value, `${name}:${lineNo}`);
      } else {
        mode = 'first-line';
        first = { value: parsed.value, lineNo };
        docLines.length = 0;
      }
    }
  } catch (err) {
    if (first) yield* toInputs(first.value, `${name}:${first.lineNo}`);
    yield {
      ok: false,
      error: `${name}: cannot decompress (truncated or corrupt gzip): ${reason(err)}`,
      origin: name,
    };
    return;
  }
  if (mode === 'document') yield* parseEventText(docLines.join('\n'), name);
  else if (first) yield* toInputs(first.value, name);
  else if (mode === 'undecided')
    yield { ok: false, error: `${name}: empty input: no JSON found`, origin: name };
}

/** The bytes of a source, gunzipped when it is gzip (told, or detected from the first chunk). */
async function* bytesOf(source: AsyncIterable<Buffer | string>, gzipped?: boolean): AsyncGenerator<Buffer> {
  const it = source[Symbol.asyncIterator]();
  const firstStep = await it.next();
  if (firstStep.done) return;
  const head = toBuffer(firstStep.value);
  const all = (async function* () {
    try {
      yield head;
      for (;;) {
        const step = await it.next();
        if (step.done) return;
        yield toBuffer(step.value);
      }
    } finally {
      await it.return?.(); // closes the file when the reader stops early
    }
  })();
  const isGzip = gzipped ?? (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b);
  if (!isGzip) {
    yield* all;
    return;
  }
  const input = Readable.from(all);
  const gunzip = createGunzip();
  input.on('error', (err) => gunzip.destroy(err));
  gunzip.on('close', () => input.destroy());
  input.pipe(gunzip);
  for await (const chunk of gunzip) yield chunk as Buffer;
}

function toBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
}

/** UTF-8 lines (without their line ends). A partial last line is lost only if the bytes fail. */
async function* linesOf(chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  // Pieces of the current line; only new text is searched, so a long one-line document stays linear.
  let pieces: string[] = [];
  let first = true;
  for await (const chunk of chunks) {
    let text = decoder.write(chunk);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl >= 0) {
      pieces.push(text.slice(start, nl));
      yield stripCr(pieces.join(''));
      pieces = [];
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start < text.length) pieces.push(text.slice(start));
  }
  pieces.push(decoder.end());
  const last = pieces.join('');
  if (last.length > 0) yield stripCr(last);
}

const stripCr = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

function tryParse(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: reason(err) };
  }
}

function toInputs(doc: unknown, origin: string): EventInput[] {
  return extractEach(doc).map((item) =>
    'record' in item
      ? { ok: true as const, record: item.record, origin }
      : { ok: false as const, error: `${origin}: ${item.error}`, origin },
  );
}

function parseLine(line: string, origin: string): EventInput[] {
  const parsed = tryParse(line);
  return parsed.ok
    ? toInputs(parsed.value, origin)
    : [{ ok: false, error: `${origin}: invalid JSON: ${parsed.error}`, origin }];
}

/**
 * Events in a text: one JSON document (record, `{"Records":[...]}`, envelope, array) or JSON lines.
 * Pure apart from JSON.parse; the HTTP API uses it for request bodies (origin e.g. "request body").
 */
export function parseEventText(text: string, origin: string): EventInput[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // /\S/ stops at the first character; trim() would copy a whole (often megabyte) log file.
  if (!/\S/.test(body)) return [{ ok: false, error: `${origin}: empty input: no JSON found`, origin }];
  const whole = tryParse(body);
  if (whole.ok) return toInputs(whole.value, origin);
  const lines = body.split('\n');
  const nonEmpty = lines.filter((l) => l.trim() !== '');
  if (nonEmpty.length > 1 && tryParse(nonEmpty[0]).ok) {
    const out: EventInput[] = [];
    lines.forEach((line, i) => {
      if (line.trim() !== '') out.push(...parseLine(line, `${origin}:${i + 1}`));
    });
    return out;
  }
  return [{ ok: false, error: `${origin}: invalid JSON${where(body, whole.error)}: ${whole.error}`, origin }];
}

// " (line L column C)" for a JSON.parse message that gives a character position.
function where(text: string, message: string): string {
  if (/line \d+ column \d+/.test(message)) return '';
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const pos = Math.min(Number(m[1]), text.length);
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return ` (line ${line} column ${pos - lineStart + 1})`;
}

function reason(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && err.code === 'ENOENT')
    return 'no such file or directory';
  return err instanceof Error ? err.message : String(err);
}
