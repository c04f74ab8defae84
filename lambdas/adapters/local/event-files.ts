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
import { FingerprintSet, type FingerprintTable } from '../../core/fingerprints.js';

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

/** From the reader thread (event-worker.ts) to the thread that scans. */
export type WorkerMessage =
  /** One file's prepared batch, in parts (splitBatch). */
  | { readonly batch: readonly SerialisedBatch[] }
  /** The duplicate keys seen, so records read after the files (--lookup) count once with them. */
  | { readonly done: FingerprintTable }
  | { readonly failed: string };

/**
 * A prepared batch with its inputs as JSON text, parsed when the scan takes it: a queued string is
 * one object the collector need not trace or copy, where queued records would be thousands that
 * live long enough to be promoted and swept later (the records came from JSON: nothing is lost).
 */
export type SerialisedBatch = Omit<PreparedBatch, 'inputs'> & { readonly inputsJson: string };

/**
 * Records per part of a batch sent across: the scan parses a part just before it detects its
 * records, so they die young (a whole log file parsed at once would outlive a few collections).
 * The part alive when a collection comes is promoted: 64 records promote a quarter of what 256 did
 * (a 25% drift scan: ~20 MB less peak memory, the same CPU).
 */
const PART = 64;

/** A prepared batch as parts of at most PART inputs, each verdict counted in the part it was met in. */
export function splitBatch(prepared: PreparedBatch, part = PART): SerialisedBatch[] {
  const { inputs, quick, quickFirstAt, duplicates } = prepared;
  const parts = Math.max(1, Math.ceil(inputs.length / part));
  const out: SerialisedBatch[] = [];
  for (let k = 0; k < parts; k++) {
    const counts: Record<QuickVerdict, number> = { 'read-only': 0, 'failed-call': 0, terraform: 0 };
    const firstAt: Partial<Record<QuickVerdict, number>> = {};
    for (const [verdict, at] of Object.entries(quickFirstAt) as [QuickVerdict, number][]) {
      if (Math.min(Math.floor(at / part), parts - 1) !== k) continue;
      counts[verdict] = quick[verdict];
      firstAt[verdict] = at - k * part;
    }
    out.push({
      inputsJson: JSON.stringify(inputs.slice(k * part, (k + 1) * part)),
      quick: counts,
      quickFirstAt: firstAt,
      duplicates: k === 0 ? duplicates : 0,
    });
  }
  return out;
}

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
 * Output piece size of a whole-file gunzip. zlib's default (16 KiB) makes a 2 MB log ~130 callbacks
 * and copies; 1 MiB pieces cut its CPU by about a third (measured on trail files of 300–3,000 records).
 */
const GUNZIP_CHUNK = 1024 * 1024;

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
  for (const path of paths) {
    if (path === '-') {
      yield* batched(readSource(opts.stdin ?? process.stdin, 'stdin'), size);
      continue;
    }
    let isDir: boolean;
    try {
      isDir = (await stat(path)).isDirectory();
    } catch (err) {
      yield [{ ok: false, error: `${path}: cannot read: ${reason(err)}`, origin: path }];
      continue;
    }
    if (!isDir) {
      yield* readFiles(single(path), size);
      continue;
    }
    const found = { files: 0 };
    yield* readFiles(counted(walk(path), found), size);
    // A folder with no log in it is most often the wrong folder: say so rather than report no drift.
    if (found.files === 0) yield [{ ok: false, error: `${path}: ${NO_EVENT_FILES}`, origin: path }];
  }
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
  /** The reader module (tests run the TypeScript one with `execArgv: ['--import', 'tsx']`). */
  readonly workerUrl?: URL;
  readonly execArgv?: string[];
}

/** Events read on a thread of their own (startReadingAside); close() ends the thread. */
export interface EventReaderThread {
  /** The batches, once: iterate this, then close (early, to stop the reader). */
  readonly batches: AsyncIterable<PreparedBatch>;
  /** Once `batches` has ended: the duplicate keys the reader saw, to prepare later batches with. */
  readonly seen: FingerprintSet | undefined;
  close(): Promise<void>;
}

/** A random seed for a FingerprintSet (a run's keys cannot be predicted, so not crafted to collide). */
export function randomSeed(): number {
  return randomBytes(4).readUInt32LE(0);
}

/**
 * readEventBatches and prepareBatch on a thread of their own (event-worker.ts), started now:
 * reading, gunzipping, parsing, judging and deduplicating use the second core while this thread
 * loads the state and detects. The same prepared batches in the same order as
 * readPreparedBatches gives. A reader that fails (a folder that cannot be listed) throws from
 * `batches` with the message readEventBatches would throw.
 */
export function startReadingAside(
  paths: readonly string[],
  options: ReadAsideOptions = {},
): EventReaderThread {
  const worker = new Worker(options.workerUrl ?? WORKER_URL, {
    workerData: { paths: [...paths], seed: randomSeed(), config: options.config ?? DEFAULT_CONFIG },
    execArgv: options.execArgv,
    // V8's default nursery (48 MB), not a smaller one: a log file's records (up to ~10 MB parsed)
    // then die young. With 16 MB they outlived a collection mid-parse, were promoted, and old-space
    // collections on the helper threads cost a sixth of a 100k-event scan's CPU (a quarter at 400k).
  });
  const queue: WorkerMessage[] = [];
  let failure: Error | undefined;
  let exited = false;
  let seen: FingerprintSet | undefined;
  let notify: (() => void) | undefined;
  const wake = () => notify?.();
  worker.on('message', (message: WorkerMessage) => {
    queue.push(message);
    wake();
  });
  worker.on('error', (error) => {
    failure = error;
    wake();
  });
  worker.on('exit', () => {
    exited = true;
    wake();
  });
  async function* batches(): AsyncGenerator<PreparedBatch> {
    for (;;) {
      let message = queue.shift();
      while (!message) {
        if (failure) throw failure;
        if (exited) throw new Error('event reader thread stopped before the end of the input');
        await new Promise<void>((resolve) => (notify = resolve));
        notify = undefined;
        message = queue.shift();
      }
      if ('done' in message) {
        seen = new FingerprintSet(message.done);
        return;
      }
      if ('failed' in message) throw new Error(message.failed);
      worker.postMessage(1); // one more batch may be read ahead while this one is used
      for (const { inputsJson, ...counts } of message.batch)
        yield { ...counts, inputs: JSON.parse(inputsJson) as EventInput[] };
    }
  }
  return {
    batches: batches(),
    get seen() {
      return seen;
    },
    close: async () => {
      await worker.terminate();
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

async function* single(path: string): AsyncGenerator<string> {
  yield path;
}

async function* counted(files: AsyncIterable<string>, found: { files: number }): AsyncGenerator<string> {
  for await (const file of files) {
    found.files++;
    yield file;
  }
}

/** A file's content as loaded ahead: whole text, or to be streamed, or why it cannot be read. */
type Loaded =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'stream'; readonly gzipped: boolean }
  | { readonly kind: 'error'; readonly error: string };

async function* readFiles(files: AsyncIterable<string>, size: number): AsyncGenerator<EventInput[]> {
  const ahead: { path: string; loaded: Promise<Loaded> }[] = [];
  const it = files[Symbol.asyncIterator]();
  let more = true;
  const fill = async () => {
    while (more && ahead.length < PREFETCH) {
      const step = await it.next();
      if (step.done) more = false;
      else ahead.push({ path: step.value, loaded: load(step.value) });
    }
  };
  try {
    await fill();
    while (ahead.length > 0) {
      const next = ahead.shift() as { path: string; loaded: Promise<Loaded> };
      await fill(); // the next files load while this one is parsed and used
      const loaded = await next.loaded;
      if (loaded.kind === 'error') {
        yield [{ ok: false, error: `${next.path}: cannot read: ${loaded.error}`, origin: next.path }];
      } else if (loaded.kind === 'text') {
        yield parseEventText(loaded.text, next.path);
      } else {
        yield* batched(readSource(createReadStream(next.path), next.path, loaded.gzipped), size);
      }
    }
  } finally {
    // A reader that stops early leaves no read unobserved (their errors are of no interest then).
    for (const { loaded } of ahead) loaded.catch(() => undefined);
    await it.return?.();
  }
}

/**
 * Log files as a trail writes them (one JSON document, usually one line) are read whole: one
 * JSON.parse is far faster than line splitting. Very large files, JSON lines and damaged gzip are
 * streamed (a damaged gzip then yields what it can and one error).
 */
async function load(path: string): Promise<Loaded> {
  let bytes: Buffer | null = null;
  let gzipped: boolean;
  try {
    const streamed = /\.(?:jsonl|ndjson)(?:\.gz)?$/i.test(path) || (await stat(path)).size > WHOLE_FILE_LIMIT;
    if (streamed) gzipped = await hasGzipMagic(path);
    else {
      bytes = await readFileBytes(path);
      gzipped = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
    }
  } catch (err) {
    return { kind: 'error', error: reason(err) };
  }
  if (!bytes) return { kind: 'stream', gzipped };
  if (!gzipped) return { kind: 'text', text: bytes.toString('utf8') };
  try {
    return { kind: 'text', text: (await gunzipAsync(bytes, { chunkSize: GUNZIP_CHUNK })).toString('utf8') };
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
