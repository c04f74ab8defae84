// Changes AWS services make through service-linked roles (DESIGN.md §5): Application Auto Scaling
// raising a DynamoDB table's capacity is not someone's hand change. No drift when Terraform manages
// the scaling configuration; otherwise low and labelled service-driven; `serviceChanges` configures it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseRecord } from '../../lambdas/core/cloudtrail.js';
import { DEFAULT_CONFIG, type DetectConfig, parseConfig } from '../../lambdas/core/config.js';
import { type AttributeEffect, detectEvent } from '../../lambdas/core/detect.js';
import { foldNetDrift } from '../../lambdas/core/net.js';
import { buildStateIndex } from '../../lambdas/core/state.js';
import type { ProcessedEvent } from '../../lambdas/core/types.js';
import { repoRules, type StateResourceInput, stateOf } from './rules/harness.js';

// AWS DynamoDB guide: UpdateTable of Music to 25/25 (us-west-2, 111122223333), made by bob.
const byPerson = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/scope/awsdocs-dynamodb-update-table.json'), 'utf8'),
) as Record<string, unknown>;
// The same call as Application Auto Scaling makes it: its service-linked role, the service as caller
// (the identity shape of the Application Auto Scaling user guide's CloudTrail page).
const ROLE = 'AWSServiceRoleForApplicationAutoScaling_DynamoDBTable';
const SERVICE = 'dynamodb.application-autoscaling.amazonaws.com';
const byService = {
  ...byPerson,
  eventID: 'eb834e01-f168-435f-92c0-c36278378b6f',
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLE:AutoScaling-UpdateTable',
    arn: `arn:aws:sts::111122223333:assumed-role/${ROLE}/AutoScaling-UpdateTable`,
    accountId: '111122223333',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLE',
        arn: `arn:aws:iam::111122223333:role/aws-service-role/${SERVICE}/${ROLE}`,
        accountId: '111122223333',
        userName: ROLE,
      },
    },
    invokedBy: SERVICE,
  },
  sourceIPAddress: SERVICE,
  userAgent: SERVICE,
};

const table: StateResourceInput = {
  type: 'aws_dynamodb_table',
  name: 'music',
  attributes: {
    id: 'Music',
    name: 'Music',
    arn: 'arn:aws:dynamodb:us-west-2:111122223333:table/Music',
    billing_mode: 'PROVISIONED',
    read_capacity: 10,
    write_capacity: 10,
  },
};
const scaling: StateResourceInput = {
  type: 'aws_appautoscaling_target',
  name: 'music_read',
  attributes: {
    id: 'table/Music',
    resource_id: 'table/Music',
    scalable_dimension: 'dynamodb:table:ReadCapacityUnits',
    service_namespace: 'dynamodb',
    min_capacity: 10,
    max_capacity: 100,
  },
};

function detect(
  record: Record<string, unknown>,
  resources: StateResourceInput[],
  config: DetectConfig = DEFAULT_CONFIG,
) {
  const state = buildStateIndex([{ file: 'main.tfstate', text: stateOf(...resources) }]);
  const event = normaliseRecord(record);
  const effects: AttributeEffect[] = [];
  const processed: ProcessedEvent = detectEvent(event, { rules: repoRules(), state, config }, effects);
  const findings = processed.outcome.result === 'drift' ? processed.outcome.findings : [];
  return { processed, findings, net: foldNetDrift([{ event, findings, effects }], state) };
}

describe('service-driven changes', () => {
  it('are not drift when Terraform manages the scaling configuration', () => {
    const { processed, net } = detect(byService, [table, scaling]);
    expect(processed.outcome).toEqual({ result: 'ignored', reason: 'service-driven', detail: SERVICE });
    expect(net).toEqual([]);
  });

  it('are low and labelled service-driven when it does not', () => {
    const { findings, net } = detect(byService, [table]);
    expect(findings.map((f) => [f.severity, f.serviceDriven, f.changes.length])).toEqual([['low', true, 2]]);
    expect(findings[0].summary).toContain(`[service-driven: ${SERVICE}]`);
    expect(net.map((f) => [f.changes[0].attribute, f.severity, f.serviceDriven])).toEqual([
      ['read_capacity', 'low', true],
      ['write_capacity', 'low', true],
    ]);
  });

  it('leave a person making the same call a hand change, scaling configuration or not', () => {
    const { findings } = detect(byPerson, [table, scaling]);
    expect(findings.map((f) => [f.severity, f.serviceDriven])).toEqual([['medium', undefined]]);
  });

  it('follow serviceChanges: report treats them as a hand change, ignore drops them', () => {
    const report = detect(byService, [table, scaling], parseConfig({ serviceChanges: 'report' }));
    expect(report.findings.map((f) => [f.severity, f.serviceDriven])).toEqual([['medium', undefined]]);
    const ignore = detect(byService, [table], parseConfig({ serviceChanges: 'ignore' }));
    expect(ignore.processed.outcome).toEqual({
      result: 'ignored',
      reason: 'service-driven',
      detail: SERVICE,
    });
    expect(() => parseConfig({ serviceChanges: 'sometimes' })).toThrow(/serviceChanges/);
  });
});
