// Rule compilation as a rule author meets it: each mistake in a rule file is refused with the file,
// the rule and the field named, and a good rule compiles (both sides of every check). Written from the
// mutation run of lambdas/core/rules.ts.

import { describe, expect, it } from 'vitest';
import { RuleError } from '../../lambdas/core/errors.js';
import type { AttributeSpec, IdentitySpec, RuleFile, RuleSpec } from '../../lambdas/core/rule-types.js';
import { compileRuleSet, summariseRule } from '../../lambdas/core/rules.js';

const identity: IdentitySpec = { path: 'requestParameters.bucketName', by: 'bucket' };

function ruleWith(over: {
  identity?: Partial<IdentitySpec>;
  attribute?: Partial<AttributeSpec> & Record<string, unknown>;
  rule?: Partial<RuleSpec>;
}): RuleSpec {
  return {
    id: 's3-versioning',
    eventNames: ['PutBucketVersioning'],
    change: 'modify',
    severity: 'medium',
    targets: [
      {
        types: ['aws_s3_bucket_versioning'],
        identity: [{ ...identity, ...over.identity } as IdentitySpec],
        attributes: [
          {
            attribute: 'versioning_configuration[0].status',
            path: 'requestParameters.VersioningConfiguration.Status',
            ...over.attribute,
          } as AttributeSpec,
        ],
      },
    ],
    ...over.rule,
  };
}

const fileOf = (...rules: RuleSpec[]): { file: string; content: RuleFile } => ({
  file: 'rules/s3.yaml',
  content: { service: 's3', eventSource: 's3.amazonaws.com', rules },
});

/** The RuleError compiling the rule gives (or '' when it compiles). */
function refusal(rule: RuleSpec): string {
  try {
    compileRuleSet([fileOf(rule)]);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(RuleError);
    return (error as Error).message;
  }
}

const where = 'rules/s3.yaml rules[0]: rule "s3-versioning"';

describe('rule checks', () => {
  it('compiles a rule with every field right', () => {
    expect(refusal(ruleWith({}))).toBe('');
    expect(
      refusal(
        ruleWith({
          identity: { path: undefined, template: '{requestParameters.bucketName}', transform: 'lower' },
          attribute: { state: ['a', 'b[0].c'], normalise: 'string', attribute: 'tags.x' },
        }),
      ),
    ).toBe('');
  });

  it('refuses an unknown severity, naming the known ones', () => {
    expect(refusal(ruleWith({ rule: { severity: 'urgent' as never } }))).toBe(
      `${where} severity: must be one of low, medium, high, critical`,
    );
  });

  it('refuses an identity without a path or a template, unless it identifies by type', () => {
    expect(refusal(ruleWith({ identity: { path: undefined } }))).toBe(
      `${where} targets[0].identity[0]: needs a path or a template`,
    );
    expect(refusal(ruleWith({ identity: { path: undefined, by: 'type' } }))).toBe('');
  });

  it('refuses a path that does not parse, in each place a path goes', () => {
    const bad = 'requestParameters.[bad';
    const invalid = (field: string) => `${where} ${field}: invalid path "${bad}" at "[bad"`;
    expect(refusal(ruleWith({ identity: { path: bad } }))).toBe(invalid('targets[0].identity[0].path'));
    expect(refusal(ruleWith({ identity: { path: undefined, template: `x-{${bad}}` } }))).toBe(
      invalid('targets[0].identity[0].template'),
    );
    expect(refusal(ruleWith({ identity: { where: { policy_arn: bad } } }))).toBe(
      invalid('targets[0].identity[0].where'),
    );
    expect(refusal(ruleWith({ attribute: { path: bad } }))).toBe(invalid('targets[0].attributes[0].path'));
    expect(refusal(ruleWith({ attribute: { configuration: bad } }))).toBe(
      invalid('targets[0].attributes[0].configuration'),
    );
    expect(refusal(ruleWith({ attribute: { attribute: bad } }))).toBe(
      invalid('targets[0].attributes[0].attribute'),
    );
    expect(refusal(ruleWith({ attribute: { state: bad } }))).toBe(invalid('targets[0].attributes[0].state'));
    expect(refusal(ruleWith({ attribute: { state: ['ok', bad] } }))).toBe(
      invalid('targets[0].attributes[0].state'),
    );
    expect(
      refusal(
        ruleWith({ attribute: { splitInto: { types: ['aws_x'], identity: [{ path: bad, by: 'id' }] } } }),
      ),
    ).toBe(invalid('targets[0].attributes[0].splitInto.identity[0].path'));
  });

  it('refuses an unknown normaliser in each place one goes, listing the known ones', () => {
    const unknown = (field: string) =>
      expect.stringMatching(
        new RegExp(
          `^${regexEscape(`${where} ${field}: unknown normaliser "nope" (known: string, number, bool,`)}`,
        ),
      );
    expect(refusal(ruleWith({ identity: { transform: 'nope' } }))).toEqual(
      unknown('targets[0].identity[0].transform'),
    );
    expect(refusal(ruleWith({ identity: { whereTransform: 'nope' } }))).toEqual(
      unknown('targets[0].identity[0].whereTransform'),
    );
    expect(refusal(ruleWith({ attribute: { normalise: 'nope' } }))).toEqual(
      unknown('targets[0].attributes[0].normalise'),
    );
    expect(
      refusal(
        ruleWith({
          attribute: {
            splitInto: { types: ['aws_x'], identity: [{ path: 'a.b', by: 'id', transform: 'nope' }] },
          },
        }),
      ),
    ).toEqual(unknown('targets[0].attributes[0].splitInto.identity[0].transform'));
  });

  it('refuses an attribute with neither a path nor a value; a value alone will do', () => {
    expect(refusal(ruleWith({ attribute: { path: undefined } }))).toBe(
      `${where} targets[0].attributes[0]: needs a path or a value`,
    );
    expect(refusal(ruleWith({ attribute: { path: undefined, value: false } }))).toBe('');
  });

  it('refuses a configuration without a path inside it', () => {
    expect(refusal(ruleWith({ attribute: { path: undefined, value: 1, configuration: 'a.b' } }))).toBe(
      `${where} targets[0].attributes[0]: a configuration needs a path inside it`,
    );
    expect(
      refusal(ruleWith({ attribute: { configuration: 'requestParameters.VersioningConfiguration' } })),
    ).toBe('');
  });

  it('refuses a rule id used twice, naming both places, across files too', () => {
    const first = ruleWith({});
    expect(() => compileRuleSet([fileOf(first, { ...first, eventNames: ['X'] })])).toThrowError(
      'rules/s3.yaml rules[1]: rule id "s3-versioning" is also used in rules/s3.yaml rules[0]',
    );
    expect(() =>
      compileRuleSet([fileOf(first), { ...fileOf(first), file: 'rules/other.yaml' }]),
    ).toThrowError(
      'rules/other.yaml rules[0]: rule id "s3-versioning" is also used in rules/s3.yaml rules[0]',
    );
    expect(compileRuleSet([fileOf(first, { ...first, id: 'other' })]).rules).toHaveLength(2);
  });
});

describe('the compiled rule set', () => {
  it("gives each event its rules in file order, under the rule's own eventSource or the file's", () => {
    const a = ruleWith({ rule: { id: 'a', eventNames: ['PutBucketVersioning', 'PutBucketTagging'] } });
    const b = ruleWith({ rule: { id: 'b', eventNames: ['PutBucketVersioning'] } });
    const c = ruleWith({
      rule: { id: 'c', eventNames: ['PutBucketVersioning'], eventSource: 'x.amazonaws.com' },
    });
    const set = compileRuleSet([fileOf(a, b, c)]);
    const ids = (source: string, name: string) => set.forEvent(source, name).map((r) => r.id);
    expect(ids('s3.amazonaws.com', 'PutBucketVersioning')).toEqual(['a', 'b']);
    expect(ids('s3.amazonaws.com', 'PutBucketTagging')).toEqual(['a']);
    expect(ids('x.amazonaws.com', 'PutBucketVersioning')).toEqual(['c']);
    expect(ids('s3.amazonaws.com', 'DeleteBucket')).toEqual([]);
    expect(set.rules.map((r) => [r.id, r.eventSource, r.service, r.file])).toEqual([
      ['a', 's3.amazonaws.com', 's3', 'rules/s3.yaml'],
      ['b', 's3.amazonaws.com', 's3', 'rules/s3.yaml'],
      ['c', 'x.amazonaws.com', 's3', 'rules/s3.yaml'],
    ]);
  });

  it('summarises a rule with each resource type and attribute once', () => {
    const spec: RuleSpec = {
      ...ruleWith({}),
      targets: [
        {
          types: ['aws_s3_bucket_versioning', 'aws_s3_bucket'],
          identity: [identity],
          attributes: [
            { attribute: 'versioning', path: 'a' },
            { attribute: 'mfa_delete', path: 'b' },
          ],
        },
        {
          types: ['aws_s3_bucket'],
          identity: [identity],
          attributes: [{ attribute: 'versioning', path: 'c' }],
        },
        { types: ['aws_s3_bucket_policy'], identity: [identity] },
      ],
    };
    const [compiled] = compileRuleSet([fileOf(spec)]).rules;
    expect(summariseRule(compiled)).toEqual({
      id: 's3-versioning',
      service: 's3',
      eventSource: 's3.amazonaws.com',
      eventNames: ['PutBucketVersioning'],
      change: 'modify',
      severity: 'medium',
      resourceTypes: ['aws_s3_bucket_versioning', 'aws_s3_bucket', 'aws_s3_bucket_policy'],
      attributes: ['versioning', 'mfa_delete'],
    });
  });
});

function regexEscape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
