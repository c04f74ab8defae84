// State parsing and indexing (lambdas/core/state.ts) behaviours a mutation run found untested
// (npx stryker run --mutate lambdas/core/state.ts): each test checks the value on both sides.

import { describe, expect, it } from 'vitest';
import { parseStateDocument } from '../../lambdas/core/state.js';

const fail = (text: string) => () => parseStateDocument(text, 'k.tfstate');

describe('where invalid JSON breaks', () => {
  it('finds the spot from the text V8 quotes before and after it, without quoting it', () => {
    // V8: Unexpected token 'x', ..." 4,\n "a": x, "b": 22"... is not valid JSON
    const middle = '{"version": 4,\n "a": x, "b": 2222222222222222222}';
    expect(fail(middle)).toThrowError(
      /^k\.tfstate: not valid JSON \(Unexpected token 'x'; line 2, column 7\)$/,
    );
    // Quoted from the start of the text (no leading ...).
    const start = '{"a": x, "b": 2222222222222222222}';
    expect(fail(start)).toThrowError(/\(Unexpected token 'x'; line 1, column 7\)$/);
    // Quoted up to the end of the text (no trailing ...).
    const end = '{"version": 4, "resources": [1, 2, 3, 4, 5, 6, 7, 8, 9,\n 10, x]}';
    expect(fail(end)).toThrowError(/\(Unexpected token 'x'; line 2, column 6\)$/);
  });

  it('names no position when the whole short text is quoted', () => {
    expect(fail('{"a": x}')).toThrowError(/^k\.tfstate: not valid JSON \(Unexpected token 'x'\)$/);
  });

  it('puts an unexpected end at the end of the text', () => {
    expect(fail('{"version": 4,\n\n  "resources": [')).toThrowError(
      /^k\.tfstate: not valid JSON \(Unexpected end of JSON input; line 3, column 17\)$/,
    );
  });

  it('counts lines up to the error only', () => {
    expect(fail('{"version": 4,\n "a": 1,\n "b": ]\n,\n\n')).toThrowError(/line 3, column 7\)$/);
  });
});
