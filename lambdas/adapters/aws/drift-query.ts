// The store's page cursor (opaque to callers: base64url JSON). The query itself, its filter and
// its column order are the core's (lambdas/core/drift-query.ts).

import { InputError } from '../../core/errors.js';

export interface TimeCursor {
  /** Time-ordered page: the sortTime of the last drift handed out (exclusive bound). */
  readonly k: string;
}
export interface OffsetCursor {
  /** Column-sorted page: offset into the sorted window, and the sort it belongs to. */
  readonly o: number;
  readonly s: string;
}
export type Cursor = TimeCursor | OffsetCursor;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InputError('invalid cursor: pass back the nextCursor of a previous page unchanged');
  }
  const v = value as Record<string, unknown>;
  if (v && typeof v === 'object' && typeof v.k === 'string') return { k: v.k };
  if (
    v &&
    typeof v === 'object' &&
    Number.isInteger(v.o) &&
    (v.o as number) >= 0 &&
    typeof v.s === 'string'
  ) {
    return { o: v.o as number, s: v.s };
  }
  throw new InputError('invalid cursor: pass back the nextCursor of a previous page unchanged');
}
