// rules/cognito-identity.yaml: doc-shaped records (test/fixtures/rules/cognito-identity/events.doc-shaped.json);
// the corpus has no identity-pool management records.

import { describe } from 'vitest';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('cognito-identity', 'cognito-identity.amazonaws.com');

const POOL = 'us-east-1:1a234b56-ebe1-4b27-8bfa-f1f7example';
const pool = (extra: Record<string, unknown> = {}) => ({
  type: 'aws_cognito_identity_pool',
  attributes: {
    id: POOL,
    arn: `arn:aws:cognito-identity:us-east-1:111122223333:identitypool/${POOL}`,
    identity_pool_name: 'mobile',
    allow_unauthenticated_identities: false,
    allow_classic_flow: false,
    tags: {},
    ...extra,
  },
});
const roles = (authenticated: string) => ({
  type: 'aws_cognito_identity_pool_roles_attachment',
  attributes: {
    id: POOL,
    identity_pool_id: POOL,
    roles: { authenticated, unauthenticated: 'arn:aws:iam::111122223333:role/guest' },
  },
});

const cases: RuleCase[] = [
  {
    rule: 'cognito-identity.pool.create',
    record: doc.CreateIdentityPool,
    state: [],
    kind: 'unmanaged',
    type: 'aws_cognito_identity_pool',
    severity: 'high',
  },
  {
    rule: 'cognito-identity.pool.update',
    record: doc.UpdateIdentityPool,
    state: [pool()],
    kind: 'modified',
    severity: 'high',
    changes: { allow_unauthenticated_identities: true },
    unchanged: [pool({ allow_unauthenticated_identities: true })],
  },
  {
    rule: 'cognito-identity.pool.delete',
    label: 'pool and its roles attachment',
    record: doc.DeleteIdentityPool,
    state: [pool(), roles('arn:aws:iam::111122223333:role/app')],
    kind: 'deleted',
    severity: 'high',
    count: 2,
    types: ['aws_cognito_identity_pool', 'aws_cognito_identity_pool_roles_attachment'],
  },
  {
    rule: 'cognito-identity.pool.roles',
    record: doc.SetIdentityPoolRoles,
    state: [roles('arn:aws:iam::111122223333:role/app')],
    kind: 'modified',
    severity: 'high',
    changes: {
      roles: {
        authenticated: 'arn:aws:iam::111122223333:role/AdminRole',
        unauthenticated: 'arn:aws:iam::111122223333:role/guest',
      },
    },
    unchanged: [roles('arn:aws:iam::111122223333:role/AdminRole')],
  },
  {
    rule: 'cognito-identity.pool.tag',
    record: doc.TagResource,
    state: [pool()],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': 'mobile' },
  },
  {
    rule: 'cognito-identity.pool.untag',
    record: doc.UntagResource,
    state: [pool({ tags: { owner: 'mobile' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': null },
  },
];

describe('rules/cognito-identity.yaml', () => ruleCases('rules/cognito-identity.yaml', cases));
