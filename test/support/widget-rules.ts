// A made-up service ("widgets") for tests of the detection engine: records, rules written inline
// and compiled by the product's own compiler, and state resources, so each test shows the one rule
// feature it exercises. Shared by test/unit/detect-mutants.test.ts and detect-edges.test.ts.

import { expect } from 'vitest';
import type { RuleSpec } from '../../lambdas/core/rule-types.js';
import { compileRuleSet } from '../../lambdas/core/rules.js';
import type { Finding, ProcessedEvent } from '../../lambdas/core/types.js';
import type { StateResourceInput } from '../unit/rules/harness.js';

export const SOURCE = 'widgets.amazonaws.com';
export const ACCOUNT = '111122223333';

/** A plain console call by alice in us-east-1 (what a record needs, plus the request given). */
export function record(name: string, requestParameters: unknown, extra: Record<string, unknown> = {}) {
  return {
    eventVersion: '1.08',
    eventID: `evt-${name}`,
    eventTime: '2026-01-02T03:04:05Z',
    eventSource: SOURCE,
    eventName: name,
    awsRegion: 'us-east-1',
    recipientAccountId: ACCOUNT,
    userIdentity: {
      type: 'IAMUser',
      arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      accountId: ACCOUNT,
      userName: 'alice',
    },
    requestParameters,
    ...extra,
  };
}

export function rulesOf(...rules: RuleSpec[]) {
  return compileRuleSet([
    { file: 'widgets.yaml', content: { service: 'widgets', eventSource: SOURCE, rules } },
  ]);
}

/** The findings of a drift outcome; fails the test (showing the outcome) when it is not a drift. */
export function findingsOf(result: ProcessedEvent): readonly Finding[] {
  expect(result.outcome.result, JSON.stringify(result.outcome)).toBe('drift');
  return result.outcome.result === 'drift' ? result.outcome.findings : [];
}

/** Why an event was ignored, or its outcome when it was not. */
export function reasonOf(result: ProcessedEvent): string {
  return result.outcome.result === 'ignored' ? result.outcome.reason : result.outcome.result;
}

/** An aws_widget in the state, size 1 unless given. */
export const widget = (
  id: string,
  attributes: Record<string, unknown> = {},
  name = id,
): StateResourceInput => ({
  type: 'aws_widget',
  name,
  attributes: { id, size: 1, ...attributes },
});

/** What a call made by EC2 Auto Scaling's service-linked role adds to a record (record's `extra`). */
export const autoScalingCaller = {
  userIdentity: {
    type: 'AssumedRole',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling`,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
        userName: 'AWSServiceRoleForAutoScaling',
      },
    },
  },
};
