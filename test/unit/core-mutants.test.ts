// Behaviours a mutation run found untested: each test below fails on the bug named in its title
// (the mutant that survived before), and checks the correct value on both sides.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRulesFromDir } from '../../lambdas/adapters/local/rule-files.js';
import { isReadOnlyName, normaliseRecord } from '../../lambdas/core/cloudtrail.js';
import { parseConfig } from '../../lambdas/core/config.js';
import { type DetectContext, detectEvent } from '../../lambdas/core/detect.js';
import { matchesPattern } from '../../lambdas/core/event-pattern.js';
import { buildStateIndex } from '../../lambdas/core/state.js';
import type { ProcessedEvent } from '../../lambdas/core/types.js';

const corpus = (path: string) =>
  JSON.parse(
    readFileSync(join(import.meta.dirname, '../fixtures/corpus/cloudtrail', path), 'utf8'),
  ) as Record<string, unknown>;
const rules = loadRulesFromDir(join(import.meta.dirname, '../fixtures/engine-rules'));

describe('EventBridge patterns', () => {
  const prefixed = { detail: { eventName: [{ prefix: 'Put' }] } };

  it('matches prefix only at the start of the value, not in the middle (bug: includes)', () => {
    expect(matchesPattern(prefixed, { detail: { eventName: 'PutBucketPolicy' } })).toBe(true);
    expect(matchesPattern(prefixed, { detail: { eventName: 'Put' } })).toBe(true);
    expect(matchesPattern(prefixed, { detail: { eventName: 'BatchPutItem' } })).toBe(false);
    expect(matchesPattern(prefixed, { detail: { eventName: 'OutputPut' } })).toBe(false);
  });

  it('matches an ignore-case prefix only at the start too', () => {
    const pattern = { detail: { eventName: [{ prefix: { 'equals-ignore-case': 'put' } }] } };
    expect(matchesPattern(pattern, { detail: { eventName: 'PUTObject' } })).toBe(true);
    expect(matchesPattern(pattern, { detail: { eventName: 'BatchPutItem' } })).toBe(false);
  });

  it('matches suffix only at the end', () => {
    const pattern = { detail: { eventName: [{ suffix: 'Policy' }] } };
    expect(matchesPattern(pattern, { detail: { eventName: 'PutBucketPolicy' } })).toBe(true);
    expect(matchesPattern(pattern, { detail: { eventName: 'PolicyAttach' } })).toBe(false);
  });

  it('treats an object value as no leaf: exists false holds and exists true does not (exists works on leaves)', () => {
    const absent = { detail: { requestParameters: [{ exists: false }] } };
    const present = { detail: { requestParameters: [{ exists: true }] } };
    const withObject = { detail: { requestParameters: { bucketName: 'b' } } };
    const withString = { detail: { requestParameters: 'b' } };
    const without = { detail: {} };
    expect(matchesPattern(absent, withObject)).toBe(true);
    expect(matchesPattern(present, withObject)).toBe(false);
    expect(matchesPattern(absent, withString)).toBe(false);
    expect(matchesPattern(present, withString)).toBe(true);
    expect(matchesPattern(absent, without)).toBe(true);
    expect(matchesPattern(present, without)).toBe(false);
  });
});

describe('read-only calls', () => {
  const getObject = { ...corpus('cloudtrail-watcher/test/services/samples/ec2_RunInstances_single.json') };

  it('reads a readOnly field given as a string "false" or "TRUE" (bug: any non-empty string is true)', () => {
    expect(normaliseRecord({ ...getObject, eventName: 'GetObject', readOnly: 'false' }).readOnly).toBe(false);
    expect(normaliseRecord({ ...getObject, eventName: 'GetObject', readOnly: 'False' }).readOnly).toBe(false);
    expect(normaliseRecord({ ...getObject, eventName: 'RunInstances', readOnly: 'TRUE' }).readOnly).toBe(
      true,
    );
    expect(normaliseRecord({ ...getObject, eventName: 'RunInstances', readOnly: false }).readOnly).toBe(
      false,
    );
    expect(normaliseRecord({ ...getObject, eventName: 'RunInstances', readOnly: true }).readOnly).toBe(true);
  });

  it('falls back to the event name when readOnly is missing or not a boolean word', () => {
    const { readOnly: _drop, ...bare } = getObject;
    expect(normaliseRecord({ ...bare, eventName: 'DescribeInstances' }).readOnly).toBe(true);
    expect(normaliseRecord({ ...bare, eventName: 'RunInstances' }).readOnly).toBe(false);
    expect(normaliseRecord({ ...bare, eventName: 'DescribeInstances', readOnly: 'maybe' }).readOnly).toBe(
      true,
    );
    expect(normaliseRecord({ ...bare, eventName: 'RunInstances', readOnly: 'maybe' }).readOnly).toBe(false);
  });

  it('counts a read verb only as a whole word (bug: the word boundary dropped)', () => {
    for (const name of ['Get', 'GetObject', 'Get2Things', 'ListBuckets', 'DescribeInstances', 'Sign']) {
      expect(isReadOnlyName(name), name).toBe(true);
    }
    for (const name of ['Getaway', 'Listen', 'Described', 'Testament', 'Signal', 'PutObject', 'getObject']) {
      expect(isReadOnlyName(name), name).toBe(false);
    }
  });
});

describe('state index', () => {
  it('indexes the current instance of a resource, never its deposed one', () => {
    const index = buildStateIndex([
      {
        file: 'main.tfstate',
        text: JSON.stringify({
          version: 4,
          terraform_version: '1.9.0',
          serial: 1,
          lineage: 'deposed',
          resources: [
            {
              mode: 'managed',
              type: 'aws_instance',
              name: 'web',
              provider: 'provider["registry.terraform.io/hashicorp/aws"]',
              instances: [
                {
                  deposed: '00000001',
                  schema_version: 1,
                  attributes: { id: 'i-old', instance_type: 't2.micro' },
                },
                { schema_version: 1, attributes: { id: 'i-new', instance_type: 't3.large' } },
              ],
            },
          ],
        }),
      },
    ]);
    expect(index.resources.map((r) => [r.address, r.id])).toEqual([['aws_instance.web', 'i-new']]);
    expect(index.byId('i-old')).toEqual([]);
    expect(index.byId('i-new').map((r) => r.attributes.instance_type)).toEqual(['t3.large']);
    expect(index.byAddress('aws_instance.web')?.id).toBe('i-new');
  });
});

describe('ignore rules', () => {
  // A real console ModifyInstanceAttribute (instance type t2.xlarge), made by an assumed role below.
  const modify = corpus('cloudtrail-console-actions/examples/ModifyInstanceAttribute__1.json');
  const roleArn = 'arn:aws:iam::123456789012:role/ops-breakglass';
  const assumed = {
    ...modify,
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLE:alice',
      arn: 'arn:aws:sts::123456789012:assumed-role/ops-breakglass/alice',
      accountId: '123456789012',
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLE', arn: roleArn, accountId: '123456789012' },
      },
    },
  };
  const state = JSON.stringify({
    version: 4,
    terraform_version: '1.9.0',
    serial: 1,
    lineage: 'ignore',
    resources: [
      {
        module: 'module.app',
        mode: 'managed',
        type: 'aws_instance',
        name: 'web',
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [
          { schema_version: 1, attributes: { id: 'i-09c0962723ab84080', instance_type: 't2.micro' } },
        ],
      },
    ],
  });
  const run = (record: Record<string, unknown>, config: Record<string, unknown>): ProcessedEvent => {
    const ctx: DetectContext = {
      rules,
      state: buildStateIndex([{ file: 'main.tfstate', text: state }]),
      config: parseConfig(config, 'tfdrift.yaml'),
    };
    return detectEvent(normaliseRecord(record), ctx);
  };
  const verdict = (result: ProcessedEvent) =>
    result.outcome.result === 'ignored' ? result.outcome.reason : result.outcome.result;

  it('ignores an assumed-role session by its role ARN (bug: only the session ARN compared)', () => {
    expect(verdict(run(assumed, { ignore: { principals: [roleArn] } }))).toBe('ignored-principal');
    expect(verdict(run(assumed, { ignore: { principals: ['arn:aws:iam::*:role/ops-*'] } }))).toBe(
      'ignored-principal',
    );
    expect(verdict(run(assumed, { ignore: { principals: ['arn:aws:iam::*:role/other'] } }))).toBe('drift');
  });

  it('treats Terraform principals given as a role ARN the same way', () => {
    expect(verdict(run(assumed, { terraformPrincipals: [roleArn] }))).toBe('terraform');
    expect(verdict(run(assumed, { terraformPrincipals: ['arn:aws:iam::*:role/terraform'] }))).toBe('drift');
  });

  it('ignores an attribute named by resource address (module.app.aws_instance.web.instance_type) as by type', () => {
    const byAddress = run(assumed, { ignore: { attributes: ['module.app.aws_instance.web.instance_type'] } });
    const byType = run(assumed, { ignore: { attributes: ['aws_instance.instance_type'] } });
    const otherAddress = run(assumed, {
      ignore: { attributes: ['module.db.aws_instance.web.instance_type'] },
    });
    expect([verdict(byAddress), verdict(byType), verdict(otherAddress)]).toEqual([
      'ignored-attribute',
      'ignored-attribute',
      'drift',
    ]);
  });
});
