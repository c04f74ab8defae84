// The detection engine on its own rules (test/fixtures/engine-rules): every judgement of
// DESIGN.md §5 — failed, read-only, Terraform's own, ignored, modified, deleted, unmanaged,
// no-op, set semantics, severity escalation, redaction, and a rule that throws.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRulesFromDir } from '../../lambdas/adapters/local/rule-files.js';
import { normaliseRecord } from '../../lambdas/core/cloudtrail.js';
import { DEFAULT_CONFIG, type DetectConfig, parseConfig } from '../../lambdas/core/config.js';
import {
  type DetectContext,
  detectEvent,
  detectEvents,
  findingId,
  quickVerdict,
} from '../../lambdas/core/detect.js';
import type { CompiledRule, RuleSet } from '../../lambdas/core/rules.js';
import { buildStateIndex } from '../../lambdas/core/state.js';
import type { Finding, ProcessedEvent } from '../../lambdas/core/types.js';
import { asFailed, asTerraform, stateOf } from './rules/harness.js';

const rules = loadRulesFromDir(join(import.meta.dirname, '../fixtures/engine-rules'));
const corpus = (path: string) =>
  JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/corpus/cloudtrail', path), 'utf8'));

// Real records (test/fixtures/corpus, see test/fixtures/SOURCES.md for their licences).
const modifyType = corpus('cloudtrail-console-actions/examples/ModifyInstanceAttribute__1.json'); // i-09c0962723ab84080 → t2.xlarge
const terminate = corpus('awsdocs-amazon-ec2-user-guide/doc_source/monitor-with-cloudtrail__1.json'); // i-1a2b3c4d
const runInstances = corpus('cloudtrail-watcher/test/services/samples/ec2_RunInstances_single.json');
const authorize = corpus('cloudtrail-lambda/test/fixtures/securityGroup/authorize1_success.json');

const instance = (
  attributes: Record<string, unknown>,
  extra: Partial<Parameters<typeof stateOf>[0]> = {},
) => ({
  type: 'aws_instance',
  name: 'web',
  module: 'module.app',
  attributes: { id: 'i-09c0962723ab84080', instance_type: 't2.micro', tags: { Name: 'web' }, ...attributes },
  ...extra,
});

function run(
  record: unknown,
  state: string,
  config: DetectConfig = DEFAULT_CONFIG,
  ruleSet: RuleSet = rules,
): ProcessedEvent {
  const ctx: DetectContext = {
    rules: ruleSet,
    state: buildStateIndex([{ file: 'main.tfstate', text: state }]),
    config,
  };
  return detectEvent(normaliseRecord(record), ctx);
}

function findingsOf(result: ProcessedEvent): readonly Finding[] {
  expect(result.outcome.result, JSON.stringify(result.outcome)).toBe('drift');
  return result.outcome.result === 'drift' ? result.outcome.findings : [];
}

function reasonOf(result: ProcessedEvent): string {
  return result.outcome.result === 'ignored' ? result.outcome.reason : result.outcome.result;
}

describe('detectEvent', () => {
  it('reports a modified attribute with expected from state and actual from the event', () => {
    const [finding] = findingsOf(run(modifyType, stateOf(instance({}))));
    expect(finding.kind).toBe('modified');
    expect(finding.resource).toEqual({
      type: 'aws_instance',
      address: 'module.app.aws_instance.web',
      id: 'i-09c0962723ab84080',
      arn: null,
      stateFile: 'main.tfstate',
    });
    expect(finding.changes).toEqual([
      { attribute: 'instance_type', expected: 't2.micro', actual: 't2.xlarge' },
    ]);
    expect(finding.actor.name).toBe('first.last');
    expect(finding.event).toMatchObject({ name: 'ModifyInstanceAttribute', time: '2019-10-02T22:08:46Z' });
    expect(finding.id).toBe(findingId(modifyType.eventID, finding, 'lineage:test'));
    expect(finding.summary).toContain('instance_type from t2.micro to t2.xlarge');
  });

  it('gives the same finding id for the same event and resource (idempotent writes)', () => {
    const a = findingsOf(run(modifyType, stateOf(instance({}))))[0];
    const b = findingsOf(run(structuredClone(modifyType), stateOf(instance({}))))[0];
    expect(a.id).toBe(b.id);
    const other = findingsOf(run({ ...modifyType, eventID: 'another' }, stateOf(instance({}))))[0];
    expect(other.id).not.toBe(a.id);
    // The same state read from another path (./a, /abs/a, s3://...) keeps its ids: they follow the lineage.
    const elsewhere = detectEvent(normaliseRecord(modifyType), {
      rules,
      state: buildStateIndex([{ file: 's3://bucket/app/terraform.tfstate', text: stateOf(instance({})) }]),
      config: DEFAULT_CONFIG,
    });
    expect(findingsOf(elsewhere)[0].id).toBe(a.id);
  });

  it('does not report a change to the value the state already holds', () => {
    expect(reasonOf(run(modifyType, stateOf(instance({ instance_type: 't2.xlarge' }))))).toBe('no-change');
  });

  it('never reports failed calls, read-only calls or Terraform’s own calls', () => {
    const state = stateOf(instance({}));
    expect(reasonOf(run(asFailed(modifyType), state))).toBe('failed-call');
    expect(reasonOf(run({ ...modifyType, eventName: 'DescribeInstances', readOnly: true }, state))).toBe(
      'read-only',
    );
    const terraform = run(asTerraform(modifyType), state);
    expect(reasonOf(terraform)).toBe('terraform');
    expect(terraform.stateWrite).toBe(true);
  });

  it('honours configured Terraform principals, ignored principals, events, resources and attributes', () => {
    const state = stateOf(instance({}));
    const arn = 'arn:aws:iam::012345678901:user/first.last';
    expect(reasonOf(run(modifyType, state, parseConfig({ terraformPrincipals: [arn] })))).toBe('terraform');
    expect(
      reasonOf(
        run(modifyType, state, parseConfig({ ignore: { principals: ['arn:aws:iam::*:user/first.*'] } })),
      ),
    ).toBe('ignored-principal');
    expect(reasonOf(run(modifyType, state, parseConfig({ ignore: { events: ['Modify*'] } })))).toBe(
      'ignored-event',
    );
    expect(reasonOf(run(modifyType, state, parseConfig({ ignore: { resources: ['module.app.*'] } })))).toBe(
      'ignored-resource',
    );
    expect(
      reasonOf(run(modifyType, state, parseConfig({ ignore: { resources: ['aws_instance:i-09c0*'] } }))),
    ).toBe('ignored-resource');
    const attrIgnored = run(
      modifyType,
      state,
      parseConfig({ ignore: { attributes: ['aws_instance.instance_type'] } }),
    );
    expect(reasonOf(attrIgnored)).toBe('ignored-attribute');
  });

  it('reports a managed resource deleted outside Terraform, one finding per instance', () => {
    const state = stateOf(
      { type: 'aws_instance', name: 'batch', attributes: { id: 'i-1a2b3c4d' } },
      { type: 'aws_instance', name: 'other', attributes: { id: 'i-99999999' } },
    );
    const findings = findingsOf(run(terminate, state));
    expect(findings.map((f) => [f.kind, f.resource.address, f.severity])).toEqual([
      ['deleted', 'aws_instance.batch', 'high'],
    ]);
    expect(findings[0].actor.type).toBe('Root');
  });

  it('reports a resource created outside Terraform as unmanaged, with null address and state file', () => {
    const findings = findingsOf(run(runInstances, stateOf(instance({}))));
    expect(findings).toHaveLength(1);
    expect(findings[0].kind).toBe('unmanaged');
    expect(findings[0].resource.address).toBeNull();
    expect(findings[0].resource.stateFile).toBeNull();
    expect(findings[0].resource.id).toMatch(/^i-/);
  });

  it('ignores a modify of a resource no state manages', () => {
    expect(reasonOf(run(modifyType, stateOf({ type: 'aws_instance', attributes: { id: 'i-other' } })))).toBe(
      'not-managed',
    );
  });

  it('compares tags key by key, and removal of keys', () => {
    const record = {
      ...modifyType,
      eventName: 'CreateTags',
      requestParameters: {
        resourcesSet: { items: [{ resourceId: 'i-09c0962723ab84080' }] },
        tagSet: {
          items: [
            { key: 'Name', value: 'web' },
            { key: 'Owner', value: 'mallory' },
          ],
        },
      },
    };
    const [finding] = findingsOf(run(record, stateOf(instance({}))));
    expect(finding.changes).toEqual([{ attribute: 'tags.Owner', expected: null, actual: 'mallory' }]);
    const untag = {
      ...record,
      eventName: 'DeleteTags',
      requestParameters: { ...record.requestParameters, tagSet: { items: [{ key: 'Name' }] } },
    };
    expect(findingsOf(run(untag, stateOf(instance({}))))[0].changes).toEqual([
      { attribute: 'tags.Name', expected: 'web', actual: null },
    ]);
  });

  it('treats security group rules as a set: a new rule is drift, an existing one is not, and 0.0.0.0/0 escalates', () => {
    const groupId = authorize.requestParameters.groupId;
    const sg = (ingress: unknown[]) =>
      stateOf({ type: 'aws_security_group', name: 'web', attributes: { id: groupId, ingress } });
    const result = run(authorize, sg([]));
    const [finding] = findingsOf(result);
    expect(finding.changes[0].attribute).toBe('ingress');
    expect(finding.changes[0].expected).toEqual([]);
    expect((finding.changes[0].actual as string[]).length).toBeGreaterThan(0);

    const open = {
      ...authorize,
      requestParameters: {
        groupId,
        ipPermissions: {
          items: [
            { ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } },
          ],
        },
      },
    };
    expect(findingsOf(run(open, sg([])))[0].severity).toBe('critical');
    const already = sg([
      {
        protocol: 'tcp',
        from_port: 22,
        to_port: 22,
        cidr_blocks: ['0.0.0.0/0'],
        ipv6_cidr_blocks: [],
        security_groups: [],
        prefix_list_ids: [],
        self: false,
      },
    ]);
    expect(reasonOf(run(open, already))).toBe('no-change');
    const revoke = { ...open, eventName: 'RevokeSecurityGroupIngress' };
    expect(findingsOf(run(revoke, already))[0].changes[0]).toMatchObject({
      expected: ['tcp|22|22|cidr:0.0.0.0/0'],
      actual: [],
    });
    expect(reasonOf(run(revoke, sg([])))).toBe('no-change');
  });

  it('escalates severity when the record matches an escalation pattern', () => {
    const record = {
      ...modifyType,
      requestParameters: { instanceId: 'i-09c0962723ab84080', disableApiTermination: { value: false } },
    };
    const [finding] = findingsOf(run(record, stateOf(instance({ disable_api_termination: true }))));
    expect(finding.severity).toBe('high');
    expect(finding.changes).toEqual([
      { attribute: 'disable_api_termination', expected: true, actual: false },
    ]);
  });

  it('redacts sensitive and secret-named attributes on both sides', () => {
    const record = {
      ...modifyType,
      requestParameters: { instanceId: 'i-09c0962723ab84080', userData: { value: 'CANARY-new' } },
    };
    const state = stateOf(instance({ user_data: 'CANARY-old' }, { sensitive: ['user_data'] }));
    const [finding] = findingsOf(run(record, state));
    expect(finding.changes).toEqual([
      { attribute: 'user_data', expected: '(sensitive)', actual: '(sensitive)' },
    ]);
    expect(JSON.stringify(finding)).not.toContain('CANARY');
  });

  it('turns a rule that throws into a counted error and keeps the other rules', () => {
    const broken = {
      ...rules.forEvent('ec2.amazonaws.com', 'ModifyInstanceAttribute')[0],
      id: 'broken',
      targets: [{ types: ['aws_instance'] }],
    } as unknown as CompiledRule;
    const good = rules.forEvent('ec2.amazonaws.com', 'ModifyInstanceAttribute')[0];
    const both: RuleSet = { rules: [broken, good], forEvent: () => [broken, good] };
    expect(findingsOf(run(modifyType, stateOf(instance({})), DEFAULT_CONFIG, both))).toHaveLength(1);
    const onlyBroken: RuleSet = { rules: [broken], forEvent: () => [broken] };
    const result = run(modifyType, stateOf(instance({})), DEFAULT_CONFIG, onlyBroken);
    expect(result.outcome.result).toBe('error');
    const batch = detectEvents([normaliseRecord(modifyType), normaliseRecord(terminate)], {
      rules: onlyBroken,
      state: buildStateIndex([{ file: 'main.tfstate', text: stateOf(instance({})) }]),
      config: DEFAULT_CONFIG,
    });
    expect(batch.errors).toHaveLength(2);
    expect(batch.processed).toHaveLength(2);
  });

  it('says no-rule for write calls no rule covers', () => {
    expect(reasonOf(run({ ...modifyType, eventName: 'CreateVpc' }, stateOf(instance({}))))).toBe('no-rule');
  });
});

describe('quickVerdict', () => {
  it('agrees with detectEvent on failed and read-only calls, and leaves the rest to it', () => {
    const state = stateOf(instance({}));
    for (const record of [
      asFailed(modifyType),
      { ...modifyType, readOnly: 'True' },
      { ...modifyType, readOnly: true },
    ]) {
      expect(quickVerdict(record)).toBe(reasonOf(run(record, state)));
    }
    expect(quickVerdict(modifyType)).toBeNull();
    expect(quickVerdict({ ...modifyType, readOnly: false, errorCode: '' })).toBeNull();
  });
});
