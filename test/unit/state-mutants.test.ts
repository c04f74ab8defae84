// State parsing and indexing (lambdas/core/state.ts) behaviours a mutation run found untested
// (npx stryker run --mutate lambdas/core/state.ts): each test checks the value on both sides.

import { describe, expect, it } from 'vitest';
import {
  buildStateIndex,
  configAddress,
  parseStateDocument,
  sensitiveRoots,
  unflatten,
  workspaceOf,
} from '../../lambdas/core/state.js';

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

  it('reads a position of two or more digits as V8 states it', () => {
    // V8: Unexpected number in JSON at position 19
    expect(fail('{"version": 4, "a" 1}')).toThrowError(/; line 1, column 20\)$/);
  });

  it('counts lines up to the error only', () => {
    expect(fail('{"version": 4,\n "a": 1,\n "b": ]\n,\n\n')).toThrowError(/line 3, column 7\)$/);
  });
});

/** A version 4 document with the given resource blocks (and top-level fields). */
const doc = (resources: unknown[], top: Record<string, unknown> = {}) =>
  JSON.stringify({ version: 4, serial: 3, lineage: 'abc', terraform_version: '1.9.0', resources, ...top });
const block = (extra: Record<string, unknown>, instances: unknown[] = [{ attributes: { id: 'x' } }]) => ({
  mode: 'managed',
  type: 'aws_widget',
  name: 'w',
  provider: 'provider["registry.terraform.io/hashicorp/aws"]',
  instances,
  ...extra,
});

describe('documents that are not states', () => {
  it('rejects a top level that is null, a string or a number', () => {
    for (const text of ['null', '"text"', '4'])
      expect(fail(text)).toThrowError(
        'k.tfstate: not a Terraform state (expected a JSON object at the top level)',
      );
  });

  it('names a future version and what to do about it', () => {
    expect(fail('{"version": "5"}')).toThrowError(
      'k.tfstate: state format version "5" is not supported (this tool reads version 4, written by Terraform 0.12 and later); upgrade tfdrift if a newer Terraform wrote it',
    );
  });
});

describe('file facts', () => {
  it('keeps serial, lineage and version only when they have the right type', () => {
    expect(parseStateDocument(doc([]), 'k.tfstate').info).toEqual({
      file: 'k.tfstate',
      serial: 3,
      lineage: 'abc',
      terraformVersion: '1.9.0',
      resourceCount: 0,
      workspace: null,
    });
    const odd = parseStateDocument(doc([], { serial: '3', lineage: 7, terraform_version: 1 }), 'k.tfstate');
    expect([odd.info.serial, odd.info.lineage, odd.info.terraformVersion]).toEqual([null, null, null]);
  });

  it('reads a local workspace path that starts with the directory itself', () => {
    expect(workspaceOf('terraform.tfstate.d/dev/terraform.tfstate')).toBe('dev');
    expect(workspaceOf('x/terraform.tfstate.d/prod/terraform.tfstate')).toBe('prod');
    expect(workspaceOf('myterraform.tfstate.d/dev/terraform.tfstate')).toBeNull();
  });

  it('strips every instance key from a configuration address', () => {
    expect(configAddress('module.a["blue \\"one\\""].aws_x.b[12]')).toBe('module.a.aws_x.b');
    expect(configAddress('aws_x.b["k"]')).toBe('aws_x.b');
    expect(configAddress('aws_x.b[-1]')).toBe('aws_x.b');
  });
});

describe('resource blocks', () => {
  const parse = (resources: unknown[]) => parseStateDocument(doc(resources), 'k.tfstate');

  it('skips what is not a resource block, with a warning naming it, and keeps the rest', () => {
    const parsed = parse([
      null,
      'text',
      { type: 'aws_widget', instances: [] },
      { name: 'w', instances: [] },
      { type: 'aws_widget', name: 'w' },
      block({ mode: 'weird', name: 'odd' }),
      block({ mode: 'data', name: 'lookup' }),
      block({ name: 'kept' }),
    ]);
    expect(parsed.warnings).toEqual([
      'k.tfstate: skipped a resource entry that is not an object',
      'k.tfstate: skipped a resource entry that is not an object',
      'k.tfstate: skipped a resource block without type, name or instances',
      'k.tfstate: skipped a resource block without type, name or instances',
      'k.tfstate: skipped a resource block without type, name or instances',
      'k.tfstate: skipped aws_widget.odd with unknown mode "weird"',
    ]);
    expect(parsed.resources.map((r) => r.address)).toEqual(['aws_widget.kept']);
  });

  it('takes a block without mode as managed', () => {
    const { mode: _mode, ...modeless } = block({});
    expect(parse([modeless]).resources.map((r) => r.address)).toEqual(['aws_widget.w']);
    expect(parse([modeless]).warnings).toEqual([]);
  });

  it('skips instances that are not objects and deposed ones, quietly', () => {
    const parsed = parse([
      block({}, [null, 7, { deposed: 'abc123', attributes: { id: 'old' } }, { attributes: { id: 'new' } }]),
    ]);
    expect(parsed.resources.map((r) => r.id)).toEqual(['new']);
    expect(parsed.warnings).toEqual([]);
  });

  it('an empty module and a missing provider leave the address and provider plain', () => {
    const { provider: _p, ...providerless } = block({ module: '' });
    const [resource] = parse([providerless]).resources;
    expect(resource.address).toBe('aws_widget.w');
    expect(resource.module).toBeNull();
    expect(resource.provider).toBe('');
    expect(parse([block({})]).resources[0].provider).toBe('provider["registry.terraform.io/hashicorp/aws"]');
    expect(parse([block({ provider: 5 })]).resources[0].provider).toBe('');
  });

  it('warns about the same address in two blocks and keeps the first', () => {
    const parsed = parse([
      block({}, [{ attributes: { id: 'first' } }]),
      block({}, [{ attributes: { id: 'second' } }]),
    ]);
    expect(parsed.resources.map((r) => r.id)).toEqual(['first']);
    expect(parsed.warnings).toEqual(['k.tfstate: duplicate address aws_widget.w; kept the first instance']);
  });

  it('reads ids: an empty one is none, a number is its text, an object is none', () => {
    const ids = parse([
      block({ name: 'a' }, [{ attributes: { id: '', arn: 42 } }]),
      block({ name: 'b' }, [{ attributes: { id: 42, arn: { x: 1 } } }]),
    ]).resources.map((r) => [r.id, r.arn]);
    expect(ids).toEqual([
      [null, '42'],
      ['42', null],
    ]);
  });

  it('takes the schema version when it is a number, else 0', () => {
    const versions = parse([
      block({ name: 'a' }, [{ schema_version: 2, attributes: {} }]),
      block({ name: 'b' }, [{ schema_version: '2', attributes: {} }]),
    ]).resources.map((r) => r.schemaVersion);
    expect(versions).toEqual([2, 0]);
  });

  it('falls back to flat attributes only when attributes is not an object', () => {
    const attributes = parse([
      block({ name: 'a' }, [{ attributes: 5, attributes_flat: { id: 'flat' } }]),
      block({ name: 'b' }, [{ attributes: 'text', attributes_flat: { id: 'flat' } }]),
      block({ name: 'c' }, [{ attributes: ['x'], attributes_flat: ['y'] }]),
      block({ name: 'd' }, [{ attributes_flat: 'text' }]),
    ]).resources.map((r) => r.attributes);
    expect(attributes).toEqual([{ id: 'flat' }, { id: 'flat' }, {}, {}]);
  });

  it('keeps only the names among dependencies, and none as an empty list', () => {
    const deps = parse([
      block({ name: 'a' }, [{ attributes: {}, dependencies: ['aws_x.a', 7, null, 'aws_x.b'] }]),
      block({ name: 'b' }, [{ attributes: {} }]),
      block({ name: 'c' }, [{ attributes: {}, dependencies: [] }]),
    ]).resources.map((r) => r.dependencies);
    expect(deps).toEqual([['aws_x.a', 'aws_x.b'], [], []]);
  });
});

describe('legacy flat attributes', () => {
  it('builds lists and maps whatever order the keys come in', () => {
    expect(unflatten({ 'x.0': 'a', 'x.1': 'b', 'x.#': '2', 'tags.Env': 'prod', 'tags.%': '1' })).toEqual({
      x: ['a', 'b'],
      tags: { Env: 'prod' },
    });
  });

  it('makes empty lists and maps from their count markers alone', () => {
    expect(unflatten({ 'ingress.#': '0', 'tags.%': '0' })).toEqual({ ingress: [], tags: {} });
  });

  it('nests lists of maps and maps of lists by the keys', () => {
    expect(
      unflatten({
        'ingress.0.cidr_blocks.0': '10.0.0.0/8',
        'ingress.0.cidr_blocks.#': '1',
        'ingress.0.from_port': '80',
        'ingress.1.from_port': '443',
        'labels.1x.value': 'a',
        'labels.x1.value': 'b',
        'ports.12.value': 'c',
      }),
    ).toEqual({
      ingress: [{ cidr_blocks: ['10.0.0.0/8'], from_port: '80' }, { from_port: '443' }],
      labels: { '1x': { value: 'a' }, x1: { value: 'b' } },
      ports: Object.assign([], { 12: { value: 'c' } }),
    });
  });

  it('a key ending in digits is a map key, not a list index', () => {
    expect(unflatten({ 'tags.a1.v': 'x' })).toEqual({ tags: { a1: { v: 'x' } } });
  });

  it('a deeper key replaces a scalar at its parent', () => {
    expect(unflatten({ a: 'x', 'a.b': 'y' })).toEqual({ a: { b: 'y' } });
    expect(unflatten({ a: null, 'a.b': 'y' })).toEqual({ a: { b: 'y' } });
  });
});

describe('sensitive attribute paths', () => {
  it('collapses each form to its root name and drops what names none', () => {
    expect([...sensitiveRoots(['', '[0]', [], 5, null, { type: 'get_attr', value: 5 }])]).toEqual([]);
    expect([...sensitiveRoots([{ value: 'password' }, { type: 'index', value: 'k' }])]).toEqual(['password']);
    expect([...sensitiveRoots([{ path: [{ type: 'get_attr', value: 'token' }] }, 'tags.secret'])]).toEqual([
      'token',
      'tags',
    ]);
  });
});

describe('the index', () => {
  const index = (resources: unknown[], file = 'k.tfstate') =>
    buildStateIndex([{ file, text: doc(resources) }]);

  it('keeps errors found while reading the sources', () => {
    const errors = buildStateIndex([], [{ file: 's3://b/k', message: 'access denied' }]).errors;
    expect(errors).toEqual([{ file: 's3://b/k', message: 'access denied' }]);
  });

  it('indexes no empty and no object attribute values', () => {
    const idx = index([
      block({}, [{ attributes: { id: 'x', name: '', tags: { a: 1 }, port: 80, on: false } }]),
    ]);
    expect(idx.byAttribute('name', '')).toEqual([]);
    expect(idx.byAttribute('tags', '[object Object]')).toEqual([]);
    expect(idx.byAttribute('port', '80')).toHaveLength(1);
    expect(idx.byAttribute('on', 'false')).toHaveLength(1);
  });

  it('an empty type list filters nothing, and a returned list is the caller’s own', () => {
    const idx = index([
      block({ name: 'a' }, [{ attributes: { id: 'same' } }]),
      block({ name: 'b', type: 'aws_gadget' }, [{ attributes: { id: 'same' } }]),
    ]);
    expect(idx.byId('same', []).map((r) => r.address)).toEqual(['aws_widget.a', 'aws_gadget.b']);
    expect(idx.byId('same', ['aws_gadget']).map((r) => r.address)).toEqual(['aws_gadget.b']);
    const list = idx.byId('same') as unknown[];
    list.length = 0;
    expect(idx.byId('same')).toHaveLength(2);
  });
});

describe('where a resource lives (scope)', () => {
  const scopes = (resources: unknown[]) => {
    const idx = buildStateIndex([{ file: 'k.tfstate', text: doc(resources) }]);
    return idx.resources.map((r) => idx.scopeOf(r));
  };
  const withArn = (name: string, arn: string | undefined, extra: Record<string, unknown> = {}) =>
    block({ name }, [{ attributes: { id: name, ...(arn ? { arn } : {}), ...extra } }]);

  it('an ARN without a region is global, except an S3 bucket’s', () => {
    expect(scopes([withArn('role', 'arn:aws:iam::111122223333:role/r')])[0]).toEqual({
      account: '111122223333',
      region: null,
      global: true,
    });
    const [bucket] = scopes([
      withArn('bucket', 'arn:aws:s3:::b'),
      withArn('q', 'arn:aws:sqs:eu-west-1:111122223333:q'),
    ]);
    expect(bucket).toEqual({ account: '111122223333', region: 'eu-west-1', global: false });
  });

  it('a resource without an ARN takes the account and region its siblings agree on', () => {
    const agree = scopes([
      withArn('none', undefined),
      withArn('a', 'arn:aws:sqs:eu-west-1:111122223333:a'),
      withArn('b', undefined, { region: 'eu-west-1' }),
    ]);
    expect(agree[0]).toEqual({ account: '111122223333', region: 'eu-west-1', global: false });
    const disagree = scopes([
      withArn('none', undefined),
      withArn('a', 'arn:aws:sqs:eu-west-1:111122223333:a'),
      withArn('b', undefined, { region: 'us-east-1' }),
    ]);
    expect(disagree[0]).toEqual({ account: '111122223333', region: null, global: false });
  });

  it('a region attribute counts only when it is a region name', () => {
    const region = (value: unknown) => scopes([withArn('r', undefined, { region: value })])[0].region;
    expect(region('us-gov-west-1')).toBe('us-gov-west-1');
    expect(region('ap-southeast-10')).toBe('ap-southeast-10');
    for (const bad of ['1us-east-1', 'us-east-1x', 'us-east', 5])
      expect([bad, region(bad)]).toEqual([bad, null]);
  });

  it('only an arn: string with five parts and a 12-digit account names an account', () => {
    const account = (arn: string) => scopes([withArn('r', arn)])[0].account;
    expect(account('arn:aws:sqs:eu-west-1:111122223333:q')).toBe('111122223333');
    expect(account('urn:aws:sqs:eu-west-1:111122223333:q')).toBeNull();
    expect(account('arn:aws:sqs:eu-west-1')).toBeNull();
    expect(scopes([withArn('r', 'arn:aws:sqs:eu-west-1')])[0].region).toBeNull();
    expect(account('arn:aws:sqs:eu-west-1:1111222233334:q')).toBeNull();
    expect(account('arn:aws:iam::aws:policy/ReadOnlyAccess')).toBeNull();
    expect(scopes([withArn('r', 'urn:aws:sqs:eu-west-1:111122223333:q')])[0].region).toBeNull();
  });
});
