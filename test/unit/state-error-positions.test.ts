// State parsing behaviours a mutation run of lambdas/core/state.ts left untested
// (npx stryker run --mutate lambdas/core/state.ts): where broken JSON is reported, and which region
// a resource's ARN and region attribute give it. Each test checks both sides of the value.

import { describe, expect, it } from 'vitest';
import { buildStateIndex, parseStateDocument } from '../../lambdas/core/state.js';

/** The message parseStateDocument throws for a text (and that it is a StateError). */
function failure(text: string): string {
  try {
    parseStateDocument(text, 'k.tfstate');
  } catch (error) {
    expect((error as Error).name).toBe('StateError');
    return (error as Error).message;
  }
  throw new Error('parsed');
}

const BOM = '\ufeff';

describe('where invalid JSON breaks', () => {
  it('counts lines and columns without a byte-order mark, as an editor shows them', () => {
    // Three ways V8 tells the spot: quoted context, "at position N", end of input.
    const quoted = '{"version": 4,\n "a": x, "b": 2222222222222222222}';
    const position = '{"version": 4,\n "a" 1}';
    const end = '{"version": 4,\n "a": [';

    expect(failure(BOM + quoted)).toBe("k.tfstate: not valid JSON (Unexpected token 'x'; line 2, column 7)");
    expect(failure(BOM + position)).toBe(
      'k.tfstate: not valid JSON (Unexpected number in JSON at position 20; line 2, column 6)',
    );
    expect(failure(BOM + end)).toBe(
      'k.tfstate: not valid JSON (Unexpected end of JSON input; line 2, column 8)',
    );
    // The same texts without the mark give the same spots.
    expect([quoted, position, end].map(failure)).toEqual(
      [quoted, position, end].map((text) => failure(BOM + text)),
    );
  });

  it('finds a bad token that is a line break, on one line of message', () => {
    // V8: Unexpected token '\n', "{"version": 4,\n "a": tru\n, "b": 2"... is not valid JSON
    const text = '{"version": 4,\n "a": tru\n, "b": 2222222222222222222}';

    const message = failure(text);

    expect(message).toBe("k.tfstate: not valid JSON (Unexpected token ' '; line 2, column 10)");
    expect(message).not.toContain('\n');
  });

  it('places a token eleven characters in (the quoted context starts at the second)', () => {
    // V8: Unexpected token 'x', ..."bcdefg":x, "b": 22"... is not valid JSON
    expect(failure('{"abcdefg":x, "b": 2222222222222222222}')).toBe(
      "k.tfstate: not valid JSON (Unexpected token 'x'; line 1, column 12)",
    );
    expect(failure('{"abcdefgh":x, "b": 2222222222222222222}')).toBe(
      "k.tfstate: not valid JSON (Unexpected token 'x'; line 1, column 13)",
    );
  });

  it('an error at a line break inside a string stays on the line the string is on', () => {
    // V8: Bad control character in string literal in JSON at position 24 (the line break).
    expect(failure('{"version": 4, "a": "abc\n"}')).toBe(
      'k.tfstate: not valid JSON (Bad control character in string literal in JSON at position 24; line 1, column 25)',
    );
    expect(failure('{"version": 4, "a": "abc\\n" x}')).toMatch(/; line 1, column 29\)$/);
  });

  it('a file holding a stringified object is refused with V8’s words and no position', () => {
    // String(object) written to a file; V8 quotes these few literal words without a token.
    expect(failure('[object Object]')).toBe(
      'k.tfstate: not valid JSON ("[object Object]" is not valid JSON)',
    );
    expect(failure('undefined')).toBe('k.tfstate: not valid JSON ("undefined" is not valid JSON)');
  });
});

/** A version 4 state whose resources have the given attributes (one aws_widget each). */
function scopes(...attributes: Record<string, unknown>[]) {
  const text = JSON.stringify({
    version: 4,
    resources: attributes.map((a, i) => ({
      mode: 'managed',
      type: 'aws_widget',
      name: `w${i}`,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [{ attributes: { id: `w${i}`, ...a } }],
    })),
  });
  const index = buildStateIndex([{ file: 'k.tfstate', text }]);
  return index.resources.map((r) => index.scopeOf(r));
}

describe('the region of a resource', () => {
  it('an ARN with a region names that region, even where the siblings disagree', () => {
    const [west, east] = scopes(
      { arn: 'arn:aws:sqs:eu-west-1:111122223333:a' },
      { arn: 'arn:aws:sqs:us-east-1:111122223333:b' },
    );
    expect(west).toEqual({ account: '111122223333', region: 'eu-west-1', global: false });
    expect(east).toEqual({ account: '111122223333', region: 'us-east-1', global: false });
  });

  it('the region attribute wins over the ARN’s region', () => {
    const [moved, plain] = scopes(
      { arn: 'arn:aws:sqs:eu-west-1:111122223333:a', region: 'eu-central-1' },
      { arn: 'arn:aws:sqs:eu-west-1:111122223333:b' },
    );
    expect(moved.region).toBe('eu-central-1');
    expect(plain.region).toBe('eu-west-1');
  });

  it('a region attribute that is not a string is not taken, even a list holding one name', () => {
    const [listed, named] = scopes(
      { arn: 'arn:aws:sqs:eu-west-1:111122223333:a', region: ['us-east-1'] },
      { arn: 'arn:aws:sqs:eu-west-1:111122223333:b', region: 'us-east-1' },
    );
    expect(listed.region).toBe('eu-west-1');
    expect(named.region).toBe('us-east-1');
  });
});
