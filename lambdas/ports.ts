// The interfaces the services need from the outside world. AWS adapters (lambdas/adapters/aws) and
// local adapters (lambdas/adapters/local) implement them; the core never imports either.

import type { DriftEvent } from './core/drift-events.js';
import type { DriftQuery } from './core/drift-query.js';
import type { StateIndex } from './core/state-types.js';
import type { Drift, DriftStatus, ProcessedEvent, Summary } from './core/types.js';

/** A raw state document with where it came from. */
export interface StateDocument {
  /** Path or s3://bucket/key. */
  readonly file: string;
  readonly text: string;
  /** ETag or mtime+size: unchanged version means the cached parse can be reused. */
  readonly version: string;
}

export interface StateSource {
  /** Human description, e.g. "s3://bucket/prefix" or "./states". */
  readonly description: string;
  /** All current state documents. Adapters cache by version and return unchanged docs cheaply. */
  load(): Promise<{ documents: StateDocument[]; errors: { file: string; message: string }[] }>;
}

/** Keeps the current StateIndex; reload() rebuilds it from the source (cached per document version). */
export interface StateProvider {
  current(): Promise<StateIndex>;
  reload(): Promise<StateIndex>;
}

export interface DriftPage {
  readonly items: Drift[];
  readonly nextCursor: string | null;
  /** Total matching items when cheaply known. */
  readonly total?: number;
}

export interface StatusChange {
  readonly status: DriftStatus;
  readonly by: string;
  readonly comment?: string;
  readonly at: string;
}

export interface DriftStore {
  /** Writes the drift only if absent. Returns false when it already existed (redelivery). */
  putIfAbsent(drift: Drift): Promise<boolean>;
  get(id: string): Promise<Drift | undefined>;
  query(q: DriftQuery): Promise<DriftPage>;
  /** Returns the updated drift, or undefined when the id is unknown. */
  setStatus(id: string, change: StatusChange): Promise<Drift | undefined>;
  /** Every drift of one resource (address, or id for unmanaged), newest first. */
  history(resourceKey: string): Promise<Drift[]>;
  /** Open drifts (for re-evaluation after a state reload). */
  listOpen(): Promise<Drift[]>;
}

/** A drift with its place in the store's change sequence (the live feed's cursor). */
export interface DriftChange {
  readonly drift: Drift;
  readonly seq: number;
}

/**
 * A drift store that numbers every change it makes, in one sequence: a live message carries its
 * change's number, and a client that reconnects is replayed what came after the last one it saw.
 */
export interface SequencedDriftStore extends DriftStore {
  /** Writes the drift if absent: its change number, or null when it already existed (redelivery). */
  putNew(drift: Drift): Promise<number | null>;
  /**
   * Sets the status unless the drift already has it (then the drift comes back unchanged with seq
   * null: a repeated acknowledge changes nothing). Undefined when the id is unknown.
   */
  changeStatus(id: string, change: StatusChange): Promise<{ drift: Drift; seq: number | null } | undefined>;
}

/** The change sequence read back: a live client's hello and replay. */
export interface ChangeFeed {
  /** The latest change number handed out (0 before the first write). */
  headSeq(): Promise<number>;
  /** Every drift changed after `seq`, in change order, each at its latest change. */
  changesSince(seq: number, limit?: number): Promise<DriftChange[]>;
}

/**
 * One alert per drift under at-least-once delivery: claimAlert answers true to exactly one caller
 * per drift until settleAlert(id, false) releases the claim (the alert failed, so a redelivery may
 * try again); settleAlert(id, true) makes the claim final.
 */
export interface AlertLedger {
  claimAlert(id: string, at: string): Promise<boolean>;
  settleAlert(id: string, sent: boolean): Promise<void>;
}

/**
 * Reverts seen, for events delivered out of order: keeps, per key (one attribute of one resource),
 * the latest call that set it back to the state's value; older marks change nothing.
 */
export interface RevertLog {
  recordRevert(key: string, mark: RevertMark): Promise<void>;
  latestRevert(key: string): Promise<RevertMark | undefined>;
}

/** Drift counts kept up to date as drifts are written and change status (GET /summary reads no drift). */
export interface DriftCounters {
  summary(): Promise<Summary>;
}

/** A call that set an attribute back to the value in state. `time` is ISO with milliseconds. */
export interface RevertMark {
  readonly time: string;
  readonly eventId: string;
  readonly name: string;
}

export interface Notifier {
  /** Sends one alert for a new drift. Must not be called twice for the same drift id by the service. */
  notify(drift: Drift): Promise<void>;
}

/**
 * Drift events (docs/drift-events.md) leave through this: EventBridge in AWS, webhooks on one machine.
 * The services publish one `Drift Detected` per new drift and one `Drift Status Changed` per change.
 */
export interface DriftEvents {
  /** Hands one event over for delivery; a failure is logged by the caller and never stops detection. */
  publish(event: DriftEvent): Promise<void>;
}

/** Live feed messages (DESIGN.md §4): JSON objects with a `type`. */
export type LiveMessage =
  | { readonly type: 'drift'; readonly drift: Drift; readonly cursor: string }
  | {
      readonly type: 'state';
      readonly files: number;
      readonly resources: number;
      readonly errors: number;
      readonly at: string;
    }
  | { readonly type: 'hello'; readonly cursor: string };

export interface ConnectionSender {
  /** Sends to one connection; resolves false when the connection is gone (and should be dropped). */
  send(connectionId: string, message: LiveMessage): Promise<boolean>;
}

export interface ConnectionRegistry {
  add(connectionId: string, meta?: Record<string, string>): Promise<void>;
  remove(connectionId: string): Promise<void>;
  list(): Promise<string[]>;
}

/** Recent processed events (GET /api/v1/events). */
export interface EventLog {
  record(events: readonly ProcessedEvent[]): Promise<void>;
  recent(limit: number): Promise<ProcessedEvent[]>;
}

export interface Clock {
  now(): Date;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
