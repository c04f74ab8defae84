// Region and account scoping (DESIGN.md §5 "Scope"): a call changes a resource only in the call's
// account (recipientAccountId) and region (awsRegion). A resource's own account and region come from
// its ARN, the provider v6 `region` attribute, or what its state file's resources under the same
// provider agree on. Global services scope by account only.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseRecord } from '../../lambdas/core/cloudtrail.js';
import { DEFAULT_CONFIG } from '../../lambdas/core/config.js';
import { detectEvent } from '../../lambdas/core/detect.js';
import { buildStateIndex } from '../../lambdas/core/state.js';
import type { Finding, ProcessedEvent } from '../../lambdas/core/types.js';
import { fixtureRecord, repoRules, type StateResourceInput, stateOf } from './rules/harness.js';
import { docRecords } from './rules/rule-records.js';

const PROD = '111122223333';
const STAGING = '444455556666';

// AWS DynamoDB guide: UpdateTable of Music to 25/25 in us-west-2, account 111122223333.
const updateTable = JSON.parse(
  readFileSync(join(import.meta.dirname, '../fixtures/scope/awsdocs-dynamodb-update-table.json'), 'utf8'),
) as Record<string, unknown>;
// IAM API reference shape: UpdateRole of app-role (account 111122223333, logged in us-east-1).
const updateRole = docRecords('iam', 'iam.amazonaws.com').UpdateRole;
// netebakari/cloudtrail-lambda: console PutRolePolicy NEW-ROLE-NAME/IAM in 111122223333.
const putRolePolicy = fixtureRecord('iam/corpus/cloudtrail-lambda__putRolePolicy_success.json');

const inAccount = (record: Record<string, unknown>, account: string, region?: string) => ({
  ...record,
  recipientAccountId: account,
  ...(region ? { awsRegion: region } : {}),
});

const table = (region: string, account: string, extra: Record<string, unknown> = {}): StateResourceInput => ({
  type: 'aws_dynamodb_table',
  name: 'music',
  attributes: {
    id: 'Music',
    name: 'Music',
    arn: `arn:aws:dynamodb:${region}:${account}:table/Music`,
    billing_mode: 'PROVISIONED',
    read_capacity: 10,
    write_capacity: 10,
    ...extra,
  },
});
const role = (account: string, extra: Record<string, unknown> = {}): StateResourceInput => ({
  type: 'aws_iam_role',
  name: 'app',
  attributes: {
    id: 'app-role',
    name: 'app-role',
    arn: `arn:aws:iam::${account}:role/app-role`,
    description: 'Runs the app',
    max_session_duration: 3600,
    ...extra,
  },
});

/** One state file per entry, detected together as one index. */
function detect(
  record: Record<string, unknown>,
  files: Record<string, StateResourceInput[]>,
): ProcessedEvent {
  const state = buildStateIndex(
    Object.entries(files).map(([file, resources]) => ({ file, text: stateOf(...resources) })),
  );
  return detectEvent(normaliseRecord(record), { rules: repoRules(), state, config: DEFAULT_CONFIG });
}

function findingsOf(result: ProcessedEvent): readonly Finding[] {
  return result.outcome.result === 'drift' ? result.outcome.findings : [];
}

describe('account scope', () => {
  it('reports a role changed in staging against staging, never against prod of the same name', () => {
    const files = { 'prod.tfstate': [role(PROD)], 'staging.tfstate': [role(STAGING)] };
    const staging = findingsOf(detect(inAccount(updateRole, STAGING), files));
    expect(staging.map((f) => [f.resource.stateFile, f.resource.arn])).toEqual([
      ['staging.tfstate', `arn:aws:iam::${STAGING}:role/app-role`],
    ]);
    expect(staging[0].changes).toContainEqual({
      attribute: 'description',
      expected: 'Runs the app',
      actual: 'Runs the payments app',
    });
    const prod = findingsOf(detect(inAccount(updateRole, PROD), files));
    expect(prod.map((f) => f.resource.stateFile)).toEqual(['prod.tfstate']);
  });

  it('ignores a staging call when only prod is loaded', () => {
    const result = detect(inAccount(updateRole, STAGING), { 'prod.tfstate': [role(PROD)] });
    expect(result.outcome).toEqual({ result: 'ignored', reason: 'not-managed' });
  });

  it('takes the account of a resource without ARN from its state file (an inline role policy)', () => {
    const inline: StateResourceInput = {
      type: 'aws_iam_role_policy',
      name: 'iam',
      attributes: { id: 'NEW-ROLE-NAME:IAM', name: 'IAM', role: 'NEW-ROLE-NAME', policy: '{}' },
    };
    const prodState = {
      'prod.tfstate': [
        inline,
        {
          ...role(PROD),
          attributes: { ...role(PROD).attributes, id: 'NEW-ROLE-NAME', name: 'NEW-ROLE-NAME' },
        },
      ],
    };
    const here = findingsOf(detect(putRolePolicy, prodState));
    expect(here.map((f) => [f.kind, f.resource.type])).toEqual([['modified', 'aws_iam_role_policy']]);
    const elsewhere = detect(inAccount(putRolePolicy, STAGING), prodState);
    // PutRolePolicy creates: in another account it is a policy no loaded state manages.
    expect(findingsOf(elsewhere).map((f) => [f.kind, f.resource.address])).toEqual([['unmanaged', null]]);
  });

  it('lets a call that names the resource ARN act on it, whatever region it is logged in', () => {
    const ddbTag = docRecords('dynamodb', 'dynamodb.amazonaws.com').TagResource;
    const named = (ddbTag.requestParameters as { resourceArn: string }).resourceArn;
    const [, , , region, account] = named.split(':');
    const state = {
      'main.tfstate': [
        {
          type: 'aws_dynamodb_table',
          name: 'orders',
          attributes: { id: 'x', name: 'x', arn: named, tags: {} },
        },
      ],
    };
    const result = detect(
      { ...ddbTag, awsRegion: region === 'eu-west-1' ? 'us-east-1' : 'eu-west-1' },
      state,
    );
    expect(findingsOf(result).map((f) => f.resource.arn)).toEqual([named]);
    expect(account).toMatch(/^\d{12}$/);
  });
});

describe('region scope', () => {
  const files = {
    'us-east-1.tfstate': [table('us-east-1', PROD)],
    'us-west-2.tfstate': [table('us-west-2', PROD)],
  };

  it('reports a table changed in us-west-2 against the us-west-2 table only', () => {
    const found = findingsOf(detect(updateTable, files));
    expect(found.map((f) => [f.resource.stateFile, f.changes])).toEqual([
      [
        'us-west-2.tfstate',
        [
          { attribute: 'read_capacity', expected: 10, actual: 25 },
          { attribute: 'write_capacity', expected: 10, actual: 25 },
        ],
      ],
    ]);
  });

  it('keeps a no-op in one region from becoming a change in another', () => {
    const noOp = {
      'us-east-1.tfstate': [table('us-east-1', PROD)],
      'us-west-2.tfstate': [table('us-west-2', PROD, { read_capacity: 25, write_capacity: 25 })],
    };
    expect(detect(updateTable, noOp).outcome).toEqual({ result: 'ignored', reason: 'no-change' });
    // Without scoping the us-east-1 table (10/10) would have been reported changed to 25/25.
    expect(
      findingsOf(detect({ ...updateTable, awsRegion: 'us-east-1' }, noOp)).map((f) => f.resource.stateFile),
    ).toEqual(['us-east-1.tfstate']);
  });

  it('reads the region of the provider v6 `region` attribute and of sibling ARNs', () => {
    const v6 = table('us-west-2', PROD);
    const state = buildStateIndex([
      {
        file: 'v6.tfstate',
        text: stateOf(
          { ...v6, attributes: { ...v6.attributes, arn: undefined, region: 'eu-central-1' } },
          {
            type: 'aws_sqs_queue',
            name: 'q',
            attributes: { id: 'q', arn: `arn:aws:sqs:eu-west-1:${PROD}:q` },
          },
          { type: 'aws_sqs_queue_policy', name: 'p', attributes: { id: 'https://example/q', policy: '{}' } },
        ),
      },
    ]);
    const [tableV6, queue, policy] = state.resources;
    expect(state.scopeOf(tableV6)).toEqual({ account: PROD, region: 'eu-central-1', global: false });
    expect(state.scopeOf(queue)).toEqual({ account: PROD, region: 'eu-west-1', global: false });
    // Siblings disagree on the region (eu-central-1, eu-west-1): nothing is assumed.
    expect(state.scopeOf(policy)).toEqual({ account: PROD, region: null, global: false });
  });

  it('scopes global resources and services by account only', () => {
    const iamIn = (region: string) => ({ ...updateRole, awsRegion: region });
    const files = {
      'prod.tfstate': [
        role(PROD),
        { type: 'aws_sqs_queue', name: 'q', attributes: { id: 'q', arn: `arn:aws:sqs:eu-west-1:${PROD}:q` } },
      ],
    };
    const state = buildStateIndex([{ file: 'prod.tfstate', text: stateOf(...files['prod.tfstate']) }]);
    expect(state.scopeOf(state.resources[0])).toEqual({ account: PROD, region: null, global: true });
    for (const region of ['us-east-1', 'eu-west-1', 'ap-south-1'])
      expect(findingsOf(detect(iamIn(region), files)).map((f) => f.resource.type)).toEqual(['aws_iam_role']);
  });
});
