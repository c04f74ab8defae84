// rules/cognito-idp.yaml: the corpus has no user-pool management records, so every record here is
// doc-shaped (test/fixtures/rules/cognito-idp/events.doc-shaped.json).

import { describe } from 'vitest';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('cognito-idp', 'cognito-idp.amazonaws.com');

const POOL = 'us-east-1_EXAMPLE1';
const pool = (extra: Record<string, unknown> = {}) => ({
  type: 'aws_cognito_user_pool',
  attributes: {
    id: POOL,
    arn: `arn:aws:cognito-idp:us-east-1:111122223333:userpool/${POOL}`,
    name: 'customers',
    mfa_configuration: 'ON',
    deletion_protection: 'ACTIVE',
    auto_verified_attributes: ['email'],
    password_policy: [
      {
        minimum_length: 12,
        require_symbols: true,
        require_numbers: true,
        require_uppercase: true,
        require_lowercase: true,
      },
    ],
    tags: {},
    ...extra,
  },
});
const client = (extra: Record<string, unknown> = {}) => ({
  type: 'aws_cognito_user_pool_client',
  attributes: {
    id: '1example23456789',
    user_pool_id: POOL,
    callback_urls: ['https://app.example.com/callback'],
    allowed_oauth_flows: ['code'],
    allowed_oauth_scopes: ['email', 'openid'],
    allowed_oauth_flows_user_pool_client: true,
    supported_identity_providers: ['COGNITO'],
    explicit_auth_flows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH'],
    refresh_token_validity: 30,
    ...extra,
  },
});
const child = (type: string, id: string, extra: Record<string, unknown> = {}) => ({
  type,
  attributes: { id, user_pool_id: POOL, ...extra },
});

const cases: RuleCase[] = [
  {
    rule: 'cognito-idp.user-pool.create',
    record: doc.CreateUserPool,
    state: [],
    kind: 'unmanaged',
    type: 'aws_cognito_user_pool',
    severity: 'medium',
  },
  {
    rule: 'cognito-idp.user-pool.delete',
    record: doc.DeleteUserPool,
    state: [pool()],
    kind: 'deleted',
    severity: 'critical',
  },
  {
    rule: 'cognito-idp.user-pool.update',
    record: doc.UpdateUserPool,
    state: [pool()],
    kind: 'modified',
    severity: 'high',
    changes: {
      mfa_configuration: 'OFF',
      deletion_protection: 'INACTIVE',
      'password_policy[0].minimum_length': 6,
      'password_policy[0].require_symbols': false,
    },
  },
  {
    rule: 'cognito-idp.user-pool.mfa',
    record: doc.SetUserPoolMfaConfig,
    state: [pool()],
    kind: 'modified',
    severity: 'high',
    changes: { mfa_configuration: 'OFF' },
    unchanged: [pool({ mfa_configuration: 'OFF' })],
  },
  {
    rule: 'cognito-idp.user-pool.add-attributes',
    record: doc.AddCustomAttributes,
    state: [pool()],
    kind: 'modified',
    severity: 'low',
    changes: [],
  },
  {
    rule: 'cognito-idp.user-pool.tag',
    record: doc.TagResource,
    state: [pool()],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': 'identity-team' },
  },
  {
    rule: 'cognito-idp.user-pool.untag',
    record: doc.UntagResource,
    state: [pool({ tags: { owner: 'identity-team' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': null },
  },
  {
    rule: 'cognito-idp.client.create',
    record: doc.CreateUserPoolClient,
    state: [],
    kind: 'unmanaged',
    type: 'aws_cognito_user_pool_client',
    severity: 'medium',
  },
  {
    rule: 'cognito-idp.client.update',
    record: doc.UpdateUserPoolClient,
    state: [client()],
    kind: 'modified',
    severity: 'high',
    changes: {
      callback_urls: ['https://app.example.com/callback', 'https://evil.example.net/cb'],
      allowed_oauth_flows: ['code', 'implicit'],
    },
    unchanged: [
      client({
        callback_urls: ['https://evil.example.net/cb', 'https://app.example.com/callback'],
        allowed_oauth_flows: ['implicit', 'code'],
      }),
    ],
  },
  {
    rule: 'cognito-idp.client.delete',
    record: doc.DeleteUserPoolClient,
    state: [client()],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'cognito-idp.domain.create',
    record: doc.CreateUserPoolDomain,
    state: [],
    kind: 'unmanaged',
    type: 'aws_cognito_user_pool_domain',
    severity: 'low',
  },
  {
    rule: 'cognito-idp.domain.update',
    record: doc.UpdateUserPoolDomain,
    state: [
      child('aws_cognito_user_pool_domain', 'auth.example.com', {
        domain: 'auth.example.com',
        certificate_arn: 'arn:aws:acm:us-east-1:111122223333:certificate/old-cert',
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { certificate_arn: 'arn:aws:acm:us-east-1:111122223333:certificate/new-cert' },
  },
  {
    rule: 'cognito-idp.domain.delete',
    record: doc.DeleteUserPoolDomain,
    state: [child('aws_cognito_user_pool_domain', 'customers-login', { domain: 'customers-login' })],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'cognito-idp.identity-provider.create',
    record: doc.CreateIdentityProvider,
    state: [],
    kind: 'unmanaged',
    type: 'aws_cognito_identity_provider',
    severity: 'high',
  },
  {
    rule: 'cognito-idp.identity-provider.update',
    record: doc.UpdateIdentityProvider,
    state: [child('aws_cognito_identity_provider', `${POOL}:Okta`, { provider_name: 'Okta' })],
    kind: 'modified',
    severity: 'high',
    changes: [],
  },
  {
    rule: 'cognito-idp.identity-provider.delete',
    record: doc.DeleteIdentityProvider,
    state: [child('aws_cognito_identity_provider', `${POOL}:Okta`)],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'cognito-idp.resource-server.create',
    record: doc.CreateResourceServer,
    state: [],
    kind: 'unmanaged',
    type: 'aws_cognito_resource_server',
    severity: 'low',
  },
  {
    rule: 'cognito-idp.resource-server.update',
    record: doc.UpdateResourceServer,
    state: [child('aws_cognito_resource_server', `${POOL}|https://api.example.com`, { name: 'api' })],
    kind: 'modified',
    severity: 'medium',
    changes: [],
  },
  {
    rule: 'cognito-idp.resource-server.delete',
    record: doc.DeleteResourceServer,
    state: [child('aws_cognito_resource_server', `${POOL}|https://api.example.com`)],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'cognito-idp.group.create',
    record: doc.CreateGroup,
    state: [],
    kind: 'unmanaged',
    type: 'aws_cognito_user_group',
    severity: 'low',
  },
  {
    rule: 'cognito-idp.group.update',
    record: doc.UpdateGroup,
    state: [
      child('aws_cognito_user_group', `${POOL}/admins`, {
        name: 'admins',
        role_arn: 'arn:aws:iam::111122223333:role/cognito-admins',
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { role_arn: 'arn:aws:iam::111122223333:role/AdminAccessRole' },
  },
  {
    rule: 'cognito-idp.group.delete',
    record: doc.DeleteGroup,
    state: [child('aws_cognito_user_group', `${POOL}/admins`, { name: 'admins' })],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'cognito-idp.user.delete',
    record: doc.AdminDeleteUser,
    state: [child('aws_cognito_user', `${POOL}/service-user`, { username: 'service-user', enabled: true })],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'cognito-idp.user.disable',
    record: doc.AdminDisableUser,
    state: [child('aws_cognito_user', `${POOL}/service-user`, { username: 'service-user', enabled: true })],
    kind: 'modified',
    severity: 'low',
    changes: { enabled: false },
  },
  {
    rule: 'cognito-idp.user.enable',
    record: doc.AdminEnableUser,
    state: [child('aws_cognito_user', `${POOL}/service-user`, { username: 'service-user', enabled: false })],
    kind: 'modified',
    severity: 'low',
    changes: { enabled: true },
    unchanged: [
      child('aws_cognito_user', `${POOL}/service-user`, { username: 'service-user', enabled: true }),
    ],
  },
];

describe('rules/cognito-idp.yaml', () => ruleCases('rules/cognito-idp.yaml', cases));
