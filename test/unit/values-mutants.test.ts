// The value normalisers one by one, as a rule sees them: each form a state or an event writes a value
// in compares equal to the others, and a different value stays different (both sides of every rule of
// lambdas/core/values.ts). Written from its mutation run; the rule cases test them through rules.

import { describe, expect, it } from 'vitest';
import { NORMALISERS, sameValue, tagKeys, tagMap } from '../../lambdas/core/values.js';

const n = (name: string, value: unknown) => NORMALISERS[name](value);
/** True when the normaliser makes the two values equal, as the detector compares them. */
const same = (name: string, a: unknown, b: unknown) => sameValue(n(name, a), n(name, b));

describe('scalars', () => {
  it('string: numbers and booleans as text, EC2 {value} and {Value} wrappers unwrapped, null for nothing', () => {
    expect(n('string', 5)).toBe('5');
    expect(n('string', true)).toBe('true');
    expect(n('string', { value: 't3.micro' })).toBe('t3.micro');
    expect(n('string', { Value: 7 })).toBe('7');
    expect(n('string', { value: 1, other: 2 })).toEqual({ other: 2, value: 1 });
    expect(n('string', { name: 'x' })).toEqual({ name: 'x' });
    expect(n('string', ['a'])).toEqual(['a']);
    expect(n('string', null)).toBeNull();
    expect(n('string', undefined)).toBeNull();
    expect(n('string', { value: null })).toBeNull();
  });

  it('number: numeric text as the number, blank and non-finite text left alone, nothing as null', () => {
    expect(n('number', '42')).toBe(42);
    expect(n('number', ' 4.5 ')).toBe(4.5);
    expect(n('number', 3)).toBe(3);
    expect(n('number', { value: '8' })).toBe(8);
    expect(n('number', '')).toBe('');
    expect(n('number', '   ')).toBe('   ');
    expect(n('number', 'Infinity')).toBe('Infinity');
    expect(n('number', 'ten')).toBe('ten');
    expect(n('number', undefined)).toBeNull();
    expect(n('number', true)).toBe(true);
  });

  it('bool: the words AWS uses for on and off, any case; numbers by zero; others as they are', () => {
    for (const on of ['true', 'TRUE', 'Enabled', 'on', 'ON']) expect(n('bool', on), on).toBe(true);
    for (const off of ['false', 'False', 'disabled', 'Off', 'Suspended'])
      expect(n('bool', off), off).toBe(false);
    expect(n('bool', true)).toBe(true);
    expect(n('bool', false)).toBe(false);
    expect(n('bool', { value: 'true' })).toBe(true);
    expect(n('bool', 1)).toBe(true);
    expect(n('bool', 0)).toBe(false);
    expect(n('bool', 'maybe')).toBe('maybe');
    expect(n('bool', null)).toBeNull();
    expect(n('bool', undefined)).toBeNull();
  });

  it('lower, upper and cidr change case (cidr trims too) and leave non-text alone', () => {
    expect(n('lower', 'GP3')).toBe('gp3');
    expect(n('upper', 'gp3')).toBe('GP3');
    expect(n('lower', 5)).toBe('5');
    expect(n('upper', null)).toBeNull();
    expect(n('lower', null)).toBeNull();
    expect(n('cidr', ' 2001:DB8::/32 ')).toBe('2001:db8::/32');
    expect(n('cidr', null)).toBeNull();
    expect(n('lower', { a: 'B' })).toEqual({ a: 'B' });
    expect(n('upper', { a: 'b' })).toEqual({ a: 'b' });
    expect(n('cidr', { a: 'B ' })).toEqual({ a: 'B ' });
  });

  it('scalar: a one-element list is its element; longer lists stay lists', () => {
    expect(n('scalar', ['private'])).toBe('private');
    expect(n('scalar', [1])).toBe('1');
    expect(n('scalar', ['a', 'b'])).toEqual(['a', 'b']);
    expect(n('scalar', 'x')).toBe('x');
  });

  it('enabled: not set means off; other values pass', () => {
    for (const on of [true, 'Enabled', ['true'], 'on']) expect(n('enabled', on), String(on)).toBe(true);
    for (const off of [false, 'Disabled', 'Suspended', '', null, undefined, [''], ['Disabled']])
      expect(n('enabled', off), String(off)).toBe(false);
    expect(n('enabled', 'maybe')).toBe('maybe');
  });

  it('raw: compares by content, missing as null', () => {
    expect(n('raw', { b: 1, a: [2, { d: 1, c: 2 }] })).toEqual({ a: [2, { c: 2, d: 1 }], b: 1 });
    expect(JSON.stringify(n('raw', { b: 1, a: 2 }))).toBe('{"a":2,"b":1}');
    expect(n('raw', undefined)).toBeNull();
  });

  it('present: an element that is there, empty or not, is true; state booleans pass', () => {
    expect(n('present', '')).toBe(true);
    expect(n('present', {})).toBe(true);
    expect(n('present', null)).toBe(false);
    expect(n('present', undefined)).toBe(false);
    expect(n('present', false)).toBe(false);
    expect(n('present', true)).toBe(true);
  });
});

describe('documents', () => {
  it('json: a document in text equals the object, key order and numeric text aside', () => {
    expect(same('json', '{"b":1,"a":"2"}', { a: 2, b: 1 })).toBe(true);
    expect(same('json', '{"a":[1,"3"]}', { a: [1, 3] })).toBe(true);
    expect(same('json', '{"a":1}', { a: 2 })).toBe(false);
    expect(n('json', '  ')).toBeNull();
    expect(n('json', 'not json')).toBe('not json');
    expect(n('json', { value: '{"a":1}' })).toEqual({ a: 1 });
    expect(n('json', undefined)).toBeNull();
    // Only the canonical form of a number converts: an account id keeps its leading zero.
    expect(n('json', '{"account":"012345678901","n":"1.50","m":"-3","k":"0.5"}')).toEqual({
      account: '012345678901',
      k: 0.5,
      m: -3,
      n: '1.50',
    });
    expect(n('json', '{"a":"1e3","b":"12abc"}')).toEqual({ a: '1e3', b: '12abc' });
  });

  it('json reads URL-encoded text (+ as a space), and leaves text that does not decode as it is', () => {
    expect(n('json', '%7B%22a%22%3A%22x+y%22%7D')).toEqual({ a: 'x y' });
    expect(n('json', '%E0%A4%A')).toBe('%E0%A4%A');
    expect(n('json', '100% sure')).toBe('100% sure');
    expect(n('json', 'plain')).toBe('plain');
  });

  it('iam-policy: one statement or a list, one action or many, in any order, is the same policy', () => {
    const listed = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:PutObject', 's3:GetObject', 's3:GetObject'],
          Resource: 'arn:aws:s3:::b/*',
        },
      ],
    };
    const single = JSON.stringify({
      Statement: {
        Resource: ['arn:aws:s3:::b/*'],
        Action: ['s3:GetObject', 's3:PutObject'],
        Effect: 'Allow',
      },
      Version: '2012-10-17',
    });
    expect(same('iam-policy', listed, single)).toBe(true);
    expect(same('iam-policy', listed, encodeURIComponent(single))).toBe(true);
    expect(
      same('iam-policy', listed, { ...listed, Statement: [{ ...listed.Statement[0], Effect: 'Deny' }] }),
    ).toBe(false);
    expect(n('iam-policy', single)).toEqual({
      Statement: [
        { Action: ['s3:GetObject', 's3:PutObject'], Effect: 'Allow', Resource: ['arn:aws:s3:::b/*'] },
      ],
      Version: '2012-10-17',
    });
  });

  it('iam-policy: statements in any order, every list key as a set, Principal "*" as everyone', () => {
    const a = { Sid: 'A', Effect: 'Allow', NotAction: 'iam:*', NotResource: ['x'] };
    const b = { Sid: 'B', Effect: 'Deny', Principal: '*', Action: 'sqs:*' };
    expect(same('iam-policy', { Statement: [a, b] }, { Statement: [b, a] })).toBe(true);
    expect(n('iam-policy', { Statement: [b, a] })).toEqual({
      Statement: [
        // Sorted by their text: {"Action"... before {"Effect"...
        { Action: ['sqs:*'], Effect: 'Deny', Principal: { AWS: ['*'] }, Sid: 'B' },
        { Effect: 'Allow', NotAction: ['iam:*'], NotResource: ['x'], Sid: 'A' },
      ],
    });
    expect(same('iam-policy', { Statement: [b] }, { Statement: [{ ...b, Principal: { AWS: '*' } }] })).toBe(
      true,
    );
    expect(
      same(
        'iam-policy',
        { Statement: [b] },
        { Statement: [{ ...b, Principal: { AWS: 'arn:aws:iam::1:root' } }] },
      ),
    ).toBe(false);
    const principals = {
      Statement: [
        {
          Principal: { Service: 'b.amazonaws.com', Federated: ['f'], CanonicalUser: 'c', AWS: ['2', '1'] },
          Condition: {
            NumericLessThan: { 's3:max-keys': '10' },
            StringEquals: { 'aws:SourceAccount': '012' },
          },
        },
      ],
    };
    expect(n('iam-policy', principals)).toEqual({
      Statement: [
        {
          Condition: { NumericLessThan: { 's3:max-keys': 10 }, StringEquals: { 'aws:SourceAccount': '012' } },
          Principal: {
            AWS: ['1', '2'],
            CanonicalUser: ['c'],
            Federated: ['f'],
            Service: ['b.amazonaws.com'],
          },
        },
      ],
    });
  });

  it('iam-policy: lists outside the list keys keep their order; nothing and text pass through', () => {
    expect(n('iam-policy', { Statement: [{ Condition: { X: { k: ['b', 'a'] } } }] })).toEqual({
      Statement: [{ Condition: { X: { k: ['b', 'a'] } } }],
    });
    expect(n('iam-policy', null)).toBeNull();
    expect(n('iam-policy', 'not a policy')).toBe('not a policy');
  });
  it('json: numbers in lists and decimals of any length; + is a space only in URL-encoded text', () => {
    expect(n('json', '["1", 2, {"a": ["3"]}]')).toEqual([1, 2, { a: [3] }]);
    expect(n('json', '{"a":"1.25","b":"-0.125"}')).toEqual({ a: 1.25, b: -0.125 });
    expect(n('json', '[1,+2]')).toBe('[1,+2]');
  });

  it('iam-policy: a single NotResource or Federated principal is a list of one; "*" elsewhere stays text', () => {
    const one = {
      Statement: [{ Effect: 'Deny', NotResource: 'arn:x', Principal: { Federated: 'cognito' } }],
    };
    const listed = {
      Statement: [{ Effect: 'Deny', NotResource: ['arn:x'], Principal: { Federated: ['cognito'] } }],
    };
    expect(same('iam-policy', one, listed)).toBe(true);
    expect(n('iam-policy', one)).toEqual(n('iam-policy', listed));
    expect(n('iam-policy', { Statement: [{ Condition: { StringLike: { 'aws:userid': '*' } } }] })).toEqual({
      Statement: [{ Condition: { StringLike: { 'aws:userid': '*' } } }],
    });
  });
});

describe('sets and tags', () => {
  it('string-set: any order, duplicates once, one value as a set of one, nothing as empty', () => {
    expect(n('string-set', ['b', 'a', 'b', 1])).toEqual(['1', 'a', 'b']);
    expect(n('string-set', 'a')).toEqual(['a']);
    expect(n('string-set', { value: ['x'] })).toEqual(['x']);
    expect(n('string-set', [{ value: 'y' }])).toEqual(['y']);
    expect(n('string-set', null)).toEqual([]);
    expect(n('string-set', undefined)).toEqual([]);
  });

  it('comma-set: a comma list or a list, blanks and spaces dropped', () => {
    expect(n('comma-set', 'subnet-b, subnet-a,,subnet-b')).toEqual(['subnet-a', 'subnet-b']);
    expect(n('comma-set', ' , ')).toEqual([]);
    expect(n('comma-set', ['subnet-b', 'subnet-a'])).toEqual(['subnet-a', 'subnet-b']);
    expect(n('comma-set', { value: 'a,b' })).toEqual(['a', 'b']);
  });

  it('tag-map: every list and wrapper AWS writes tags in is the same map', () => {
    const map = { env: 'prod', team: '' };
    for (const form of [
      { env: 'prod', team: null },
      [{ key: 'env', value: 'prod' }, { key: 'team' }],
      [
        { Key: 'env', Value: 'prod' },
        { Key: 'team', Value: null },
      ],
      [
        { TagKey: 'env', TagValue: 'prod' },
        { TagKey: 'team', TagValue: '' },
      ],
      [
        { tagKey: 'env', tagValue: 'prod' },
        { tagKey: 'team', tagValue: '' },
      ],
      {
        items: [
          { key: 'env', value: 'prod' },
          { key: 'team', value: '' },
        ],
      },
      {
        Tag: [
          { Key: 'env', Value: 'prod' },
          { Key: 'team', Value: '' },
        ],
      },
      {
        tags: [
          { key: 'env', value: 'prod' },
          { key: 'team', value: '' },
        ],
      },
      {
        Tags: [
          { Key: 'env', Value: 'prod' },
          { Key: 'team', Value: '' },
        ],
      },
    ]) {
      expect(tagMap(form), JSON.stringify(form)).toEqual(map);
    }
    expect(tagMap({ Tag: { Key: 'env', Value: 'prod' } })).toEqual({ env: 'prod' });
    expect(tagMap({ Tag: { TagKey: 'env', TagValue: 'prod' } })).toEqual({ env: 'prod' });
    expect(tagMap({ Tag: { Name: 'env' } })).toEqual({ Tag: '[object Object]' });
    expect(
      tagMap([{ key: 'n', value: 5 }, 'stray', null, { value: 'no key' }, { key: null, value: 'x' }]),
    ).toEqual({
      n: '5',
    });
    expect(tagMap({ Tag: 'x' })).toEqual({ Tag: 'x' });
    expect(
      tagMap([
        { name: null, value: 'x' },
        { name: 'n', value: 'v' },
      ]),
    ).toEqual({ n: 'v' });
    expect(tagMap(null)).toEqual({});
    expect(tagMap(undefined)).toEqual({});
    expect(tagMap('text')).toEqual({});
    expect(n('tag-map', [{ Key: 'a', Value: 'b' }])).toEqual({ a: 'b' });
  });

  it('tag-keys: every form of a key list is the same keys', () => {
    for (const form of [
      ['a', 'b'],
      [{ key: 'a' }, { Key: 'b' }],
      [{ TagKey: 'a' }, { key: 'b' }],
      { items: ['a', 'b'] },
      { TagKeys: ['a', 'b'] },
      { tagKeys: ['a', 'b'] },
      { Keys: ['a', 'b'] },
      { a: '1', b: '2' },
    ]) {
      expect(tagKeys(form), JSON.stringify(form)).toEqual(['a', 'b']);
    }
    expect(tagKeys('a')).toEqual(['a']);
    expect(tagKeys([{ other: 'a' }, null, 3])).toEqual(['3']);
    expect(tagKeys(null)).toEqual([]);
    expect(tagKeys(undefined)).toEqual([]);
  });

  it('single: a one-block list is its block', () => {
    expect(n('single', [{ b: 1, a: 2 }])).toEqual({ a: 2, b: 1 });
    expect(n('single', [{ a: 1 }, { a: 2 }])).toEqual([{ a: 1 }, { a: 2 }]);
    expect(n('single', undefined)).toBeNull();
  });
});

describe('names from ARNs', () => {
  it('arn-name: the last segment of an ARN or a path', () => {
    expect(n('arn-name', 'arn:aws:iam::1:policy/a/b')).toBe('b');
    expect(n('arn-name', 'arn:aws:sns:eu-west-1:1:topic')).toBe('topic');
    expect(n('arn-name', 'arn:aws:logs:r:1:log-group:g:*')).toBe('*');
    expect(n('arn-name', 'path/to/name')).toBe('name');
    expect(n('arn-name', 'name')).toBe('name');
    expect(n('arn-name', 'trailing/')).toBe('trailing/');
    expect(n('arn-name', null)).toBeNull();
  });

  it('lambda names from a name, a qualified name, a partial ARN or a full ARN', () => {
    const forms = [
      'orders',
      'orders:prod',
      '123456789012:function:orders',
      '123456789012:function:orders:3',
      'arn:aws:lambda:eu-west-1:123456789012:function:orders',
      'arn:aws:lambda:eu-west-1:123456789012:function:orders:prod',
    ];
    expect(forms.map((f) => n('lambda-function-name', f))).toEqual(forms.map(() => 'orders'));
    expect(forms.map((f) => n('lambda-qualified-name', f))).toEqual([
      'orders',
      'orders:prod',
      'orders',
      'orders:3',
      'orders',
      'orders:prod',
    ]);
    expect(forms.map((f) => n('lambda-unqualified-name', f))).toEqual([
      'orders',
      null,
      'orders',
      null,
      'orders',
      null,
    ]);
    expect(n('lambda-qualified-name', 'arn:aws:lambda')).toBe('arn:aws:lambda');
    expect(n('lambda-function-name', null)).toBeNull();
    expect(n('lambda-unqualified-name', null)).toBeNull();
    expect(n('lambda-qualified-name', null)).toBeNull();
  });

  it('log-group-name: a name, or the name in a log group ARN; another ARN names no log group', () => {
    expect(n('log-group-name', '/aws/lambda/orders')).toBe('/aws/lambda/orders');
    expect(n('log-group-name', 'arn:aws:logs:eu-west-1:1:log-group:/aws/lambda/orders:*')).toBe(
      '/aws/lambda/orders',
    );
    expect(n('log-group-name', 'arn:aws:logs:eu-west-1:1:log-group:/aws/x')).toBe('/aws/x');
    expect(n('log-group-name', 'arn:aws-cn:logs:::log-group:g')).toBe('g');
    expect(n('log-group-name', 'arn:aws:logs:eu-west-1:1:destination:d')).toBeNull();
    expect(n('log-group-name', 'arn:aws:s3:::log-group:g')).toBeNull();
    expect(n('log-group-name', 'xarn:aws:logs:r:1:log-group:g')).toBe('xarn:aws:logs:r:1:log-group:g');
    expect(n('log-group-name', 'arn:aws:logs:r:1:log-group:g:*:extra')).toBeNull();
    expect(n('log-group-name', 'arn:aws:s3:::b/arn:aws:logs:r:1:log-group:g')).toBeNull();
    expect(n('log-group-name', null)).toBeNull();
  });

  it('arn-resource: what follows the resource type; an ARN without one is its resource', () => {
    expect(n('arn-resource', 'arn:aws:ecs:r:1:task-definition/api:41')).toBe('api:41');
    expect(n('arn-resource', 'arn:aws:sns:r:1:topic:extra')).toBe('extra');
    expect(n('arn-resource', 'arn:aws:sqs:r:1:queue')).toBe('queue');
    expect(n('arn-resource', 'api:41')).toBe('api:41');
    expect(n('arn-resource', null)).toBeNull();
  });
});

describe('DNS', () => {
  it('route53-record-id: no zone prefix, no dot before the type, set identifiers kept', () => {
    expect(n('route53-record-id', '/hostedzone/Z1_www.example.com._A')).toBe('Z1_www.example.com_A');
    expect(n('route53-record-id', 'hostedzone/Z1_www.example.com._TXT_blue')).toBe(
      'Z1_www.example.com_TXT_blue',
    );
    expect(n('route53-record-id', 'Z1_www.example.com_A')).toBe('Z1_www.example.com_A');
    expect(n('route53-record-id', 'Z1_www.example.com._NOTATYPE')).toBe('Z1_www.example.com._NOTATYPE');
    expect(n('route53-record-id', 'x/hostedzone/Z1')).toBe('x/hostedzone/Z1');
    expect(n('route53-record-id', null)).toBeNull();
  });

  it('dns-name and dns-values: case, the root dot, order and TXT quotes aside', () => {
    expect(n('dns-name', 'WWW.Example.com.')).toBe('www.example.com');
    expect(n('dns-name', 'a.b')).toBe('a.b');
    expect(n('dns-name', null)).toBeNull();
    expect(n('dns-values', [{ value: '"v=spf1"' }, { value: '1.2.3.4' }])).toEqual(['1.2.3.4', 'v=spf1']);
    expect(n('dns-values', ['"a"', 'a', '"b'])).toEqual(['"b', 'a']);
    expect(n('dns-values', '"multi\nline"')).toEqual(['multi\nline']);
    expect(n('dns-values', ['v="1"', '"a"b', '"x" "y"'])).toEqual(['"a"b', 'v="1"', 'x" "y']);
  });
});

describe('security group rules (ec2-permissions)', () => {
  const perms = (value: unknown) => n('ec2-permissions', value);

  it('gives one atom per source from CloudTrail ipPermissions', () => {
    expect(
      perms({
        items: [
          {
            ipProtocol: 'tcp',
            fromPort: 443,
            toPort: 443,
            ipRanges: { items: [{ cidrIp: '10.0.0.0/8' }, { cidrIp: '10.0.0.0/8' }] },
            ipv6Ranges: { items: [{ cidrIpv6: '2001:DB8::/32' }] },
            groups: { items: [{ groupId: 'sg-1' }] },
            prefixListIds: { items: [{ prefixListId: 'pl-1' }] },
          },
        ],
      }),
    ).toEqual([
      'tcp|443|443|cidr:10.0.0.0/8',
      'tcp|443|443|cidr:2001:db8::/32',
      'tcp|443|443|pl:pl-1',
      'tcp|443|443|sg:sg-1',
    ]);
  });

  it('gives the same atoms from the state blocks', () => {
    expect(
      perms([
        {
          protocol: '6',
          from_port: 443,
          to_port: 443,
          cidr_blocks: ['10.0.0.0/8'],
          ipv6_cidr_blocks: ['2001:DB8::/32'],
          security_groups: ['sg-1'],
          prefix_list_ids: ['pl-1'],
          self: true,
        },
      ]),
    ).toEqual([
      'tcp|443|443|cidr:10.0.0.0/8',
      'tcp|443|443|cidr:2001:db8::/32',
      'tcp|443|443|pl:pl-1',
      'tcp|443|443|self',
      'tcp|443|443|sg:sg-1',
    ]);
  });

  it('names protocols by number or name, and all protocols with no ports', () => {
    const one = (p: Record<string, unknown>) => perms([{ ...p, cidr_blocks: ['0.0.0.0/0'] }]);
    expect(one({ protocol: '-1', from_port: 0, to_port: 0 })).toEqual(['-1|0|0|cidr:0.0.0.0/0']);
    expect(one({ protocol: 'all', from_port: 5, to_port: 9 })).toEqual(['-1|0|0|cidr:0.0.0.0/0']);
    expect(one({ from_port: 5, to_port: 9 })).toEqual(['-1|0|0|cidr:0.0.0.0/0']);
    expect(one({ protocol: '17', from_port: 53, to_port: 53 })).toEqual(['udp|53|53|cidr:0.0.0.0/0']);
    expect(one({ protocol: '1', from_port: 8, to_port: -1 })).toEqual(['icmp|8|-1|cidr:0.0.0.0/0']);
    expect(one({ protocol: '58', from_port: 1, to_port: 2 })).toEqual(['icmpv6|1|2|cidr:0.0.0.0/0']);
    expect(one({ protocol: 'TCP', from_port: '22', to_port: '22' })).toEqual(['tcp|22|22|cidr:0.0.0.0/0']);
    expect(one({ ip_protocol: 'udp', from_port: 1 })).toEqual(['udp|1|0|cidr:0.0.0.0/0']);
    expect(one({ protocol: 'tcp' })).toEqual(['tcp|0|0|cidr:0.0.0.0/0']);
    expect(perms({ items: [{ ipProtocol: '50', ipRanges: { items: [{ cidrIp: '1.1.1.1/32' }] } }] })).toEqual(
      ['50|0|0|cidr:1.1.1.1/32'],
    );
  });

  it('reads the single-rule forms (legacy ingress, aws_vpc_security_group_*_rule)', () => {
    expect(perms({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIp: '1.2.3.4/32' })).toEqual([
      'tcp|22|22|cidr:1.2.3.4/32',
    ]);
    expect(perms({ ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv6: '2001:DB8::/64' })).toEqual([
      'tcp|22|22|cidr:2001:db8::/64',
    ]);
    const rule = { ip_protocol: 'tcp', from_port: 80, to_port: 80 };
    expect(perms([{ ...rule, cidr_ipv4: '10.0.0.0/16' }])).toEqual(['tcp|80|80|cidr:10.0.0.0/16']);
    expect(perms([{ ...rule, cidr_ipv6: '2001:DB8::/48' }])).toEqual(['tcp|80|80|cidr:2001:db8::/48']);
    expect(perms([{ ...rule, referenced_security_group_id: 'sg-9' }])).toEqual(['tcp|80|80|sg:sg-9']);
    expect(perms([{ ...rule, prefix_list_id: 'pl-9' }])).toEqual(['tcp|80|80|pl:pl-9']);
    expect(perms([{ ...rule, self: 'true' }])).toEqual([]);
  });

  it('takes an empty object as an empty list, skips odd entries, sorts and dedupes atoms', () => {
    expect(perms({})).toEqual([]);
    expect(perms(null)).toEqual([]);
    expect(perms({ items: [{ ipProtocol: 'tcp', fromPort: 1, toPort: 1, groups: {} }] })).toEqual([]);
    expect(
      perms([null, 'x', { protocol: 'tcp', from_port: 1, to_port: 1, cidr_blocks: ['b', 'a', 'b'] }]),
    ).toEqual(['tcp|1|1|cidr:a', 'tcp|1|1|cidr:b']);
    expect(
      perms({
        items: [
          {
            ipProtocol: 'tcp',
            fromPort: 1,
            toPort: 1,
            ipRanges: { items: [{ cidrIp: 5 }, { cidrIp: {} }, {}] },
          },
        ],
      }),
    ).toEqual(['tcp|1|1|cidr:5']);
    expect(
      perms({ items: [{ ipProtocol: 'tcp', fromPort: 1, toPort: 1, ipRanges: { cidrIp: '9.9.9.9/32' } }] }),
    ).toEqual(['tcp|1|1|cidr:9.9.9.9/32']);
    expect(
      perms({
        items: [
          {
            ipProtocol: 'tcp',
            fromPort: 1,
            toPort: 1,
            ipRanges: { items: [null, { cidrIp: '8.8.8.8/32' }] },
            ipv6Ranges: { items: [{}, { cidrIpv6: 'FE80::/10' }] },
          },
        ],
      }),
    ).toEqual(['tcp|1|1|cidr:8.8.8.8/32', 'tcp|1|1|cidr:fe80::/10']);
  });
});

describe('sameValue', () => {
  it('compares objects by content and anything else by identity', () => {
    expect(sameValue({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(sameValue({ a: 1 }, { a: 2 })).toBe(false);
    expect(sameValue([1, 2], [2, 1])).toBe(false);
    expect(sameValue('1', 1)).toBe(false);
    expect(sameValue(null, null)).toBe(true);
    expect(sameValue(null, {})).toBe(false);
    expect(sameValue({}, null)).toBe(false);
    expect(sameValue('a', 'a')).toBe(true);
    expect(sameValue({ a: 1 }, '{"a":1}')).toBe(false);
  });
});

describe('instant', () => {
  it("compares the provider's RFC 3339 text with CloudTrail's Java-style dates as the same instant", () => {
    expect(n('instant', 'Jan 1, 2021 8:00:00 PM')).toBe('2021-01-01T20:00:00.000Z');
    expect(same('instant', 'Jan 1, 2021 8:00:00 PM', '2021-01-01T20:00:00Z')).toBe(true);
    expect(same('instant', 'Jan 1, 2021 8:00:00 PM', '2021-01-01T21:00:00+01:00')).toBe(true);
    expect(same('instant', 'Jan 1, 2021 8:00:00 PM', '2021-01-01T08:00:00Z')).toBe(false);
    expect(same('instant', 'Jan 1, 2021 8:00:00 AM', '2021-01-01T08:00:00Z')).toBe(true);
    expect(same('instant', 'Jan 2, 2021 8:00:00 PM', '2021-01-01T20:00:00Z')).toBe(false);
  });

  it('reads 12 AM as midnight, 12 PM as noon, and a 24-hour hour as it is whatever half follows', () => {
    expect(n('instant', 'Dec 11, 2014 12:58:42 AM')).toBe('2014-12-11T00:58:42.000Z');
    expect(n('instant', 'Dec 11, 2014 12:58:42 PM')).toBe('2014-12-11T12:58:42.000Z');
    expect(n('instant', 'Apr 12, 2021 18:58:30 PM')).toBe('2021-04-12T18:58:30.000Z');
    expect(n('instant', 'Oct 3, 2022 07:05:09')).toBe('2022-10-03T07:05:09.000Z');
    expect(n('instant', 'Sep 30, 2022 1:02:03 AM')).toBe('2022-09-30T01:02:03.000Z');
  });

  it('leaves what is no date as text: unknown months, impossible hours, free text, loose date words', () => {
    expect(n('instant', 'Foo 1, 2021 8:00:00 PM')).toBe('Foo 1, 2021 8:00:00 PM');
    expect(n('instant', 'Jan 1, 2021 25:00:00 PM')).toBe('Jan 1, 2021 25:00:00 PM');
    expect(n('instant', 'next tuesday')).toBe('next tuesday');
    expect(n('instant', '1 January 2021')).toBe('1 January 2021');
    expect(n('instant', '2021-13-45T00:00:00Z')).toBe('2021-13-45T00:00:00Z');
    expect(n('instant', '2021-01-01')).toBe('2021-01-01T00:00:00.000Z');
    expect(n('instant', null)).toBeNull();
    expect(n('instant', 1609531200)).toBe('1609531200');
  });

  it('leaves days a month does not have and impossible minutes and seconds as text, not the next month', () => {
    expect(n('instant', 'Feb 30, 2021 8:00:00 PM')).toBe('Feb 30, 2021 8:00:00 PM');
    expect(n('instant', 'Feb 29, 2021 8:00:00 PM')).toBe('Feb 29, 2021 8:00:00 PM');
    expect(n('instant', 'Feb 29, 2020 8:00:00 PM')).toBe('2020-02-29T20:00:00.000Z');
    expect(n('instant', 'Apr 0, 2021 8:00:00 PM')).toBe('Apr 0, 2021 8:00:00 PM');
    expect(n('instant', 'Dec 31, 2021 11:59:59 PM')).toBe('2021-12-31T23:59:59.000Z');
    expect(n('instant', 'Jan 1, 2021 8:60:00 PM')).toBe('Jan 1, 2021 8:60:00 PM');
    expect(n('instant', 'Jan 1, 2021 8:00:60 PM')).toBe('Jan 1, 2021 8:00:60 PM');
    expect(n('instant', '2021-02-30T00:00:00Z')).toBe('2021-02-30T00:00:00Z');
    expect(n('instant', '2021-04-31')).toBe('2021-04-31');
    expect(n('instant', '2020-02-29')).toBe('2020-02-29T00:00:00.000Z');
    expect(n('instant', '2021-04-30T23:00:00-01:00')).toBe('2021-05-01T00:00:00.000Z');
  });

  it('reads hours 12 to 23 without a half as they are, and a 24-hour hour before AM as it is', () => {
    expect(n('instant', 'Jan 1, 2021 23:00:00')).toBe('2021-01-01T23:00:00.000Z');
    expect(n('instant', 'Oct 3, 2022 18:05:09')).toBe('2022-10-03T18:05:09.000Z');
    expect(n('instant', 'Oct 3, 2022 12:05:09')).toBe('2022-10-03T12:05:09.000Z');
    expect(n('instant', 'Apr 12, 2021 18:58:30 AM')).toBe('2021-04-12T18:58:30.000Z');
    // A date and time with a space is no RFC 3339 text (Date.parse would read it in local time).
    expect(n('instant', '2021-01-01 20:00:00')).toBe('2021-01-01 20:00:00');
  });

  it("reads every month's name, and only a whole CloudTrail date", () => {
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    expect(months.map((m) => n('instant', `${m} 1, 2021 8:00:00 AM`))).toEqual(
      months.map((_, i) => `2021-${String(i + 1).padStart(2, '0')}-01T08:00:00.000Z`),
    );
    expect(n('instant', 'xJan 1, 2021 8:00:00 AM')).toBe('xJan 1, 2021 8:00:00 AM');
    expect(n('instant', 'Jan 1, 2021 8:00:00 AMx')).toBe('Jan 1, 2021 8:00:00 AMx');
  });

  it('reads RFC 3339 times without seconds, with fractions and with offsets without a colon', () => {
    expect(n('instant', '2021-01-01T20:00Z')).toBe('2021-01-01T20:00:00.000Z');
    expect(n('instant', '2021-01-01T20:00:00.12Z')).toBe('2021-01-01T20:00:00.120Z');
    expect(n('instant', '2021-01-01T21:00:00+0100')).toBe('2021-01-01T20:00:00.000Z');
    expect(n('instant', '2021-01-01T20:00:00.Z')).toBe('2021-01-01T20:00:00.Z');
  });
});
