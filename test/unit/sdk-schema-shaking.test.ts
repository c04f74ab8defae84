// The one rewrite of SDK code in the Lambda bundles: computed keys of the clients' schema modules
// written as the string literals they hold, nothing else touched. (Bundled and run against s3rver:
// test/integration/s3-state-source.test.ts.)

import { describe, expect, it } from 'vitest';
import { literalSchemaKeys } from '../../lib/sdk-schema-shaking.js';

// As @aws-sdk/client-*/dist-es/schemas/schemas_0.js lays them out.
const SCHEMAS = [
  'const _e = "error";',
  'const _hE = "httpError";',
  'const _q = "say \\"hi\\"";',
  'let _v = "not a constant";',
  'export var NoSuchBucket$ = [-3, n0, _NSB, { [_e]: _c, [_hE]: 404 }, [], []];',
  'export var Quoted$ = [3, n0, _Q, { [_q]: 1 }, [], []];',
  'export var Other$ = [3, n0, _O, { [_v]: 1, [_unknown]: 2 }, [], []];',
  'const pick = (o) => (o[_e] ? o[_hE] : 0);',
].join('\n');

describe('literalSchemaKeys', () => {
  it('writes each computed key that names a string constant of the module as that string', () => {
    // Act
    const out = literalSchemaKeys(SCHEMAS);
    // Assess
    expect(out).toContain('{ "error": _c, "httpError": 404 }');
    expect(out).toContain('{ "say \\"hi\\"": 1 }');
  });

  it('keeps keys that name no string constant, and every use that is not a key', () => {
    // Act
    const out = literalSchemaKeys(SCHEMAS);
    // Assess
    expect(out).toContain('{ [_v]: 1, [_unknown]: 2 }');
    expect(out).toContain('const pick = (o) => (o[_e] ? o[_hE] : 0);');
    expect(out.split('\n').slice(0, 4)).toEqual(SCHEMAS.split('\n').slice(0, 4));
  });

  it('gives the same values: the rewritten module evaluates to the same objects', () => {
    // Prepare
    const evaluate = (source: string) =>
      new Function(
        `const n0 = "ns", _NSB = "NoSuchBucket", _Q = "Quoted", _O = "Other", _c = "client", _unknown = "elsewhere";\n${source.replaceAll('export var', 'var').replace('let _v', 'var _v')}\nreturn [NoSuchBucket$, Quoted$, Other$];`,
      )() as unknown[];
    // Act + Assess
    expect(evaluate(literalSchemaKeys(SCHEMAS))).toEqual(evaluate(SCHEMAS));
    expect(evaluate(SCHEMAS)[0]).toEqual([
      -3,
      'ns',
      'NoSuchBucket',
      { error: 'client', httpError: 404 },
      [],
      [],
    ]);
  });
});
