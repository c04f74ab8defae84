// recordErrorMessage (lambdas/core/errors.ts): a record too deep to walk is named as such; every
// other error keeps its own message.

import { describe, expect, it } from 'vitest';
import { recordErrorMessage } from '../../lambdas/core/errors.js';

function overflow(): unknown {
  const walk = (depth: number): number => (depth === 0 ? 0 : walk(depth - 1) + 1);
  try {
    walk(10_000_000);
  } catch (error) {
    return error;
  }
  throw new Error('the stack did not overflow');
}

describe('recordErrorMessage', () => {
  it('says a record nested too deeply to read in the user’s terms', () => {
    const error = overflow();
    expect(error).toBeInstanceOf(RangeError);
    expect(recordErrorMessage(error)).toBe('not a CloudTrail record: nested too deeply to read');
  });

  it('keeps the message of any other error, RangeErrors included', () => {
    let invalidLength: unknown;
    try {
      new Array(-1);
    } catch (error) {
      invalidLength = error;
    }
    expect(recordErrorMessage(invalidLength)).toBe('Invalid array length');
    expect(recordErrorMessage(new TypeError('x is not a function'))).toBe('x is not a function');
    expect(recordErrorMessage('thrown text')).toBe('thrown text');
  });
});
