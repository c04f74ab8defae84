// rules/iam.yaml: corpus records where the corpus has the call, doc-shaped records otherwise
// (test/fixtures/rules/iam/events.doc-shaped.json). Ids as provider v5 stores them.

import { describe } from 'vitest';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('iam', 'iam.amazonaws.com');
const corpusRecord = corpusCopy('iam');
const panther = (name: string) => corpusRecord(`panther-analysis/rules/aws_cloudtrail_rules/${name}.json`);
const stratus = (name: string) => corpusRecord(`stratus-red-team/docs/detonation-logs/${name}.json`);
const watcher = (name: string) => corpusRecord(`cloudtrail-watcher/test/services/samples/${name}.json`);
const lambdaFixture = (name: string) => corpusRecord(`cloudtrail-lambda/test/fixtures/iam/${name}.json`);

const ACCOUNT = 'arn:aws:iam::111122223333:';
const trust = (principal: unknown) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
  });
const named = (type: string, name: string, extra: Record<string, unknown> = {}) => ({
  type,
  attributes: { id: name, name, tags: {}, ...extra },
});
const role = (name: string, extra: Record<string, unknown> = {}) =>
  named('aws_iam_role', name, {
    arn: `${ACCOUNT}role/${name}`,
    assume_role_policy: trust({ Service: 'ec2.amazonaws.com' }),
    ...extra,
  });
const user = (name: string, extra: Record<string, unknown> = {}) =>
  named('aws_iam_user', name, { arn: `${ACCOUNT}user/${name}`, path: '/', ...extra });
const group = (name: string, extra: Record<string, unknown> = {}) =>
  named('aws_iam_group', name, { path: '/', ...extra });
const byArn = (type: string, arn: string, extra: Record<string, unknown> = {}) => ({
  type,
  attributes: { id: arn, arn, tags: {}, ...extra },
});
const policyDoc = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }],
});
const oidcArn = `${ACCOUNT}oidc-provider/token.actions.githubusercontent.com`;
const samlArn = `${ACCOUNT}saml-provider/Okta`;
const passwordPolicy = {
  type: 'aws_iam_account_password_policy',
  attributes: {
    id: 'iam-account-password-policy',
    minimum_password_length: 14,
    require_symbols: true,
    require_numbers: true,
    require_uppercase_characters: true,
    require_lowercase_characters: true,
    allow_users_to_change_password: true,
    password_reuse_prevention: 24,
    max_password_age: 0,
    hard_expiry: false,
  },
};

const cases: RuleCase[] = [
  // Roles
  {
    rule: 'iam.role.create',
    record: corpusRecord('awsdocs-aws-cloudtrail-user-guide/doc_source/cloudtrail-log-file-examples__6.json'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_role',
    severity: 'medium',
  },
  {
    rule: 'iam.role.delete',
    record: doc.DeleteRole,
    state: [role('app-role')],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'iam.role.trust-policy',
    record: stratus('aws.persistence.iam-backdoor-role__1'),
    state: [role('stratus-red-team-backdoor-r-role')],
    kind: 'modified',
    severity: 'high',
    changes: {
      assume_role_policy: {
        Statement: [
          {
            Action: ['sts:AssumeRole'],
            Effect: 'Allow',
            Principal: { AWS: ['arn:aws:iam::193672423079:root'] },
          },
          { Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com'] } },
        ],
        Version: '2012-10-17',
      },
    },
    unchanged: [
      role('stratus-red-team-backdoor-r-role', {
        // The same document, written the way Terraform stores it (other key order, single values).
        assume_role_policy: JSON.stringify({
          Statement: [
            {
              Principal: { AWS: 'arn:aws:iam::193672423079:root' },
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
            },
            { Principal: { Service: 'ec2.amazonaws.com' }, Effect: 'Allow', Action: 'sts:AssumeRole' },
          ],
          Version: '2012-10-17',
        }),
      }),
    ],
  },
  {
    rule: 'iam.role.trust-policy',
    label: 'trusts everyone',
    record: {
      ...panther('aws_iam_backdoor_role__1'),
      requestParameters: {
        ...(panther('aws_iam_backdoor_role__1').requestParameters as object),
        roleName: 'app-role',
      },
    },
    state: [role('app-role')],
    kind: 'modified',
    severity: 'critical',
  },
  {
    rule: 'iam.role.update',
    record: doc.UpdateRole,
    state: [role('app-role', { description: 'Runs the payments app', max_session_duration: 3600 })],
    kind: 'modified',
    severity: 'low',
    changes: { max_session_duration: 43200 },
    unchanged: [role('app-role', { description: 'Runs the payments app', max_session_duration: 43200 })],
  },
  {
    rule: 'iam.role.update',
    label: 'UpdateRoleDescription',
    record: doc.UpdateRoleDescription,
    state: [role('app-role', { description: 'Runs the payments app' })],
    kind: 'modified',
    severity: 'low',
    changes: { description: 'changed by hand' },
  },
  {
    rule: 'iam.role.permissions-boundary.put',
    record: doc.PutRolePermissionsBoundary,
    state: [role('app-role', { permissions_boundary: `${ACCOUNT}policy/boundary` })],
    kind: 'modified',
    severity: 'high',
    changes: { permissions_boundary: 'arn:aws:iam::aws:policy/PowerUserAccess' },
  },
  {
    rule: 'iam.role.permissions-boundary.delete',
    record: doc.DeleteRolePermissionsBoundary,
    state: [role('app-role', { permissions_boundary: `${ACCOUNT}policy/boundary` })],
    kind: 'modified',
    severity: 'high',
    changes: { permissions_boundary: null },
    unchanged: [role('app-role', { permissions_boundary: null })],
  },
  {
    rule: 'iam.role.tag',
    record: doc.TagRole,
    state: [role('app-role', { tags: { owner: 'platform' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': 'mallory' },
    unchanged: [role('app-role', { tags: { owner: 'mallory' } })],
  },
  {
    rule: 'iam.role.untag',
    record: doc.UntagRole,
    state: [role('app-role', { tags: { 'cost-center': '42' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.cost-center': null },
  },
  {
    rule: 'iam.role.attach-policy',
    label: 'AdministratorAccess onto a role with a v5 attachment list',
    record: panther('aws_iam_attach_admin_role_policy__1'),
    state: [role('new-role', { managed_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'] })],
    kind: 'modified',
    severity: 'critical',
    changes: {
      managed_policy_arns: [
        'arn:aws:iam::aws:policy/AdministratorAccess',
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
      ],
    },
  },
  {
    rule: 'iam.role.attach-policy',
    label: 'attachment already managed',
    record: panther('aws_iam_attach_admin_role_policy__2'),
    state: [
      {
        type: 'aws_iam_role_policy_attachment',
        attributes: {
          id: 'new-role-20240101000000000000000001',
          role: 'new-role',
          policy_arn: 'arn:aws:iam::aws:policy/PowerUserAccess',
        },
      },
      role('new-role', { managed_policy_arns: ['arn:aws:iam::aws:policy/PowerUserAccess'] }),
    ],
    kind: 'modified',
    severity: 'medium',
    type: 'aws_iam_role',
    changes: {
      managed_policy_arns: [
        'arn:aws:iam::aws:policy/PowerUserAccess',
        'arn:aws:iam::aws:policy/ReadOnlyAccess',
      ],
    },
    unchanged: [
      {
        type: 'aws_iam_role_policy_attachment',
        attributes: {
          id: 'new-role-20240101000000000000000002',
          role: 'new-role',
          policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        },
      },
    ],
  },
  {
    rule: 'iam.role.detach-policy',
    record: doc.DetachRolePolicy,
    state: [
      {
        type: 'aws_iam_role_policy_attachment',
        attributes: {
          id: 'app-role-20240101000000000000000001',
          role: 'app-role',
          policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        },
      },
      {
        type: 'aws_iam_role_policy_attachment',
        attributes: {
          id: 'app-role-20240101000000000000000002',
          role: 'app-role',
          policy_arn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess',
        },
      },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'iam.role.detach-policy',
    label: 'exclusive aws_iam_policy_attachment',
    record: doc.DetachRolePolicy,
    state: [
      {
        type: 'aws_iam_policy_attachment',
        attributes: {
          id: 'read-only',
          name: 'read-only',
          policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
          roles: ['app-role', 'ops'],
          users: [],
          groups: [],
        },
      },
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { roles: ['ops'] },
  },
  {
    rule: 'iam.role-policy.put',
    record: lambdaFixture('putRolePolicy_success'),
    state: [
      {
        type: 'aws_iam_role_policy',
        attributes: { id: 'NEW-ROLE-NAME:IAM', role: 'NEW-ROLE-NAME', name: 'IAM', policy: policyDoc },
      },
    ],
    kind: 'modified',
    severity: 'high',
  },
  {
    rule: 'iam.role-policy.put',
    label: 'unmanaged inline policy',
    record: lambdaFixture('putRolePolicy_success'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_role_policy',
    severity: 'high',
  },
  {
    rule: 'iam.role-policy.delete',
    record: doc.DeleteRolePolicy,
    state: [
      {
        type: 'aws_iam_role_policy',
        attributes: { id: 'app-role:s3-read', role: 'app-role', name: 's3-read', policy: policyDoc },
      },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'iam.service-linked-role.create',
    record: doc.CreateServiceLinkedRole,
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_service_linked_role',
    severity: 'low',
  },
  {
    rule: 'iam.service-linked-role.delete',
    record: doc.DeleteServiceLinkedRole,
    state: [
      {
        type: 'aws_iam_service_linked_role',
        attributes: {
          id: `${ACCOUNT}role/aws-service-role/elasticbeanstalk.amazonaws.com/AWSServiceRoleForElasticBeanstalk`,
          name: 'AWSServiceRoleForElasticBeanstalk',
          aws_service_name: 'elasticbeanstalk.amazonaws.com',
        },
      },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  // Users
  {
    rule: 'iam.user.create',
    record: stratus('aws.persistence.iam-create-admin-user__3'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_user',
    severity: 'medium',
  },
  {
    rule: 'iam.user.delete',
    record: doc.DeleteUser,
    state: [user('ci-bot')],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'iam.user.update',
    record: doc.UpdateUser,
    state: [user('ci-bot')],
    kind: 'modified',
    severity: 'medium',
    changes: { path: '/automation/' },
  },
  {
    rule: 'iam.user.permissions-boundary.put',
    record: doc.PutUserPermissionsBoundary,
    state: [user('ci-bot', { permissions_boundary: null })],
    kind: 'modified',
    severity: 'high',
    changes: { permissions_boundary: `${ACCOUNT}policy/boundary` },
  },
  {
    rule: 'iam.user.permissions-boundary.delete',
    record: doc.DeleteUserPermissionsBoundary,
    state: [user('ci-bot', { permissions_boundary: `${ACCOUNT}policy/boundary` })],
    kind: 'modified',
    severity: 'high',
    changes: { permissions_boundary: null },
  },
  {
    rule: 'iam.user.tag',
    record: doc.TagUser,
    state: [user('ci-bot')],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.team': 'platform' },
  },
  {
    rule: 'iam.user.untag',
    record: doc.UntagUser,
    state: [user('ci-bot', { tags: { team: 'platform' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.team': null },
    unchanged: [user('ci-bot', { tags: {} })],
  },
  {
    rule: 'iam.user.attach-policy',
    label: 'AdministratorAccess (stratus detonation)',
    record: stratus('aws.persistence.iam-create-admin-user__1'),
    state: [user('malicious-iam-user')],
    kind: 'modified',
    severity: 'critical',
    changes: [],
  },
  {
    rule: 'iam.user.attach-policy',
    label: 'split attachment already managed',
    record: lambdaFixture('attachUserPolicy1_success'),
    state: [
      {
        type: 'aws_iam_policy_attachment',
        attributes: {
          id: 'new-policy',
          name: 'new-policy',
          policy_arn: 'arn:aws:iam::111122223333:policy/NEW-POLICY-NAME',
          users: ['someone'],
          roles: [],
          groups: [],
        },
      },
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { users: ['someone', 'username'] },
    unchanged: [
      {
        type: 'aws_iam_user_policy_attachment',
        attributes: {
          id: 'username-20240101000000000000000001',
          user: 'username',
          policy_arn: 'arn:aws:iam::111122223333:policy/NEW-POLICY-NAME',
        },
      },
    ],
  },
  {
    rule: 'iam.user.detach-policy',
    record: doc.DetachUserPolicy,
    state: [
      {
        type: 'aws_iam_user_policy_attachment',
        attributes: {
          id: 'ci-bot-20240101000000000000000001',
          user: 'ci-bot',
          policy_arn: `${ACCOUNT}policy/deploy`,
        },
      },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'iam.user-policy.put',
    record: panther('aws_iam_compromised_key_quarantine__2'),
    state: [
      {
        type: 'aws_iam_user_policy',
        attributes: {
          id: 'test-user:TestUserDenyAll',
          user: 'test-user',
          name: 'TestUserDenyAll',
          policy: policyDoc,
        },
      },
    ],
    kind: 'modified',
    severity: 'high',
    changes: {
      policy: {
        Statement: [{ Action: ['*'], Effect: 'Deny', Resource: ['*'], Sid: 'TestUserDenyAll' }],
        Version: '2012-10-17',
      },
    },
  },
  {
    rule: 'iam.user-policy.delete',
    record: doc.DeleteUserPolicy,
    state: [
      {
        type: 'aws_iam_user_policy',
        attributes: { id: 'ci-bot:inline-deploy', user: 'ci-bot', name: 'inline-deploy', policy: policyDoc },
      },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'iam.login-profile.create',
    record: stratus('aws.persistence.iam-create-user-login-profile__3'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_user_login_profile',
    severity: 'high',
  },
  {
    rule: 'iam.login-profile.update',
    record: panther('aws_cloudtrail_loginprofilecreatedormodified__1'),
    state: [
      {
        type: 'aws_iam_user_login_profile',
        attributes: { id: 'alice', user: 'alice', password_reset_required: false },
      },
    ],
    kind: 'modified',
    severity: 'medium',
    changes: [],
  },
  {
    rule: 'iam.login-profile.delete',
    record: doc.DeleteLoginProfile,
    state: [{ type: 'aws_iam_user_login_profile', attributes: { id: 'ci-bot', user: 'ci-bot' } }],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'iam.access-key.create',
    record: stratus('aws.persistence.iam-backdoor-user__1'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_access_key',
    severity: 'high',
  },
  {
    rule: 'iam.access-key.update',
    record: doc.UpdateAccessKey,
    state: [
      {
        type: 'aws_iam_access_key',
        attributes: {
          id: 'AKIAIOSFODNN7EXAMPLE',
          user: 'ci-bot',
          status: 'Active',
          secret: 'wJalrXUtnFEMI/K7MDENG',
        },
        sensitive: ['secret'],
      },
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { status: 'Inactive' },
    unchanged: [
      {
        type: 'aws_iam_access_key',
        attributes: { id: 'AKIAIOSFODNN7EXAMPLE', user: 'ci-bot', status: 'Inactive' },
      },
    ],
  },
  {
    rule: 'iam.access-key.delete',
    record: doc.DeleteAccessKey,
    state: [
      {
        type: 'aws_iam_access_key',
        attributes: { id: 'AKIAIOSFODNN7EXAMPLE', user: 'ci-bot', status: 'Active' },
      },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'iam.ssh-key.upload',
    record: doc.UploadSSHPublicKey,
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_user_ssh_key',
    severity: 'medium',
  },
  {
    rule: 'iam.ssh-key.update',
    record: doc.UpdateSSHPublicKey,
    state: [
      {
        type: 'aws_iam_user_ssh_key',
        attributes: {
          id: 'APKAEIBAERJR2EXAMPLE',
          ssh_public_key_id: 'APKAEIBAERJR2EXAMPLE',
          username: 'ci-bot',
          status: 'Active',
        },
      },
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { status: 'Inactive' },
  },
  {
    rule: 'iam.ssh-key.delete',
    record: doc.DeleteSSHPublicKey,
    state: [
      {
        type: 'aws_iam_user_ssh_key',
        attributes: {
          id: 'APKAEIBAERJR2EXAMPLE',
          ssh_public_key_id: 'APKAEIBAERJR2EXAMPLE',
          username: 'ci-bot',
        },
      },
    ],
    kind: 'deleted',
    severity: 'low',
  },
  // Groups
  {
    rule: 'iam.group.create',
    record: watcher('iam_CreateGroup'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_group',
    severity: 'low',
  },
  {
    rule: 'iam.group.delete',
    record: doc.DeleteGroup,
    state: [group('developers')],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'iam.group.update',
    record: doc.UpdateGroup,
    state: [group('developers')],
    kind: 'modified',
    severity: 'medium',
    changes: { name: 'engineers' },
  },
  {
    rule: 'iam.group.add-user',
    record: corpusRecord('awsdocs-aws-cloudtrail-user-guide/doc_source/cloudtrail-log-file-examples__5.json'),
    state: [
      {
        type: 'aws_iam_group_membership',
        attributes: { id: 'admins', name: 'admins', group: 'admin', users: ['alice'] },
      },
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { users: ['alice', 'Bob'] },
    unchanged: [
      {
        type: 'aws_iam_group_membership',
        attributes: { id: 'admins', name: 'admins', group: 'admin', users: ['alice', 'Bob'] },
      },
    ],
  },
  {
    rule: 'iam.group.add-user',
    label: 'aws_iam_user_group_membership',
    record: corpusRecord('awsdocs-aws-cloudtrail-user-guide/doc_source/cloudtrail-log-file-examples__5.json'),
    state: [
      {
        type: 'aws_iam_user_group_membership',
        attributes: { id: 'terraform-2024', user: 'Bob', groups: ['readers'] },
      },
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { groups: ['admin', 'readers'] },
  },
  {
    rule: 'iam.group.remove-user',
    record: doc.RemoveUserFromGroup,
    state: [
      {
        type: 'aws_iam_group_membership',
        attributes: { id: 'admins', name: 'admins', group: 'admins', users: ['alice', 'bob'] },
      },
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { users: ['alice'] },
  },
  {
    rule: 'iam.group.attach-policy',
    record: doc.AttachGroupPolicy,
    state: [group('developers')],
    kind: 'modified',
    severity: 'critical',
    changes: [],
  },
  {
    rule: 'iam.group.detach-policy',
    record: doc.DetachGroupPolicy,
    state: [
      {
        type: 'aws_iam_group_policy_attachment',
        attributes: {
          id: 'developers-2024',
          group: 'developers',
          policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
        },
      },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'iam.group-policy.put',
    record: doc.PutGroupPolicy,
    state: [
      {
        type: 'aws_iam_group_policy',
        attributes: { id: 'developers:s3-read', group: 'developers', name: 's3-read', policy: policyDoc },
      },
    ],
    kind: 'modified',
    severity: 'high',
  },
  {
    rule: 'iam.group-policy.delete',
    record: panther('aws_iam_policy_modified__1'),
    state: [
      {
        type: 'aws_iam_group_policy',
        attributes: { id: 'group:policy', group: 'group', name: 'policy', policy: policyDoc },
      },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  // Managed policies
  {
    rule: 'iam.policy.create',
    record: lambdaFixture('createPolicy_success'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_policy',
    severity: 'medium',
  },
  {
    rule: 'iam.policy.delete',
    record: doc.DeletePolicy,
    state: [byArn('aws_iam_policy', `${ACCOUNT}policy/deploy`, { policy: policyDoc })],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'iam.policy.new-default-version',
    record: watcher('iam_CreatePolicyVersion'),
    state: [byArn('aws_iam_policy', 'arn:aws:iam::000000000000:policy/test-policy', { policy: policyDoc })],
    kind: 'modified',
    severity: 'high',
    changes: { policy: {} },
    unchanged: [byArn('aws_iam_policy', 'arn:aws:iam::000000000000:policy/test-policy', { policy: '{}' })],
  },
  {
    rule: 'iam.policy.set-default-version',
    record: doc.SetDefaultPolicyVersion,
    state: [byArn('aws_iam_policy', `${ACCOUNT}policy/deploy`, { policy: policyDoc })],
    kind: 'modified',
    severity: 'high',
    changes: [],
  },
  {
    rule: 'iam.policy.tag',
    record: doc.TagPolicy,
    state: [byArn('aws_iam_policy', `${ACCOUNT}policy/deploy`)],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': 'platform' },
  },
  {
    rule: 'iam.policy.untag',
    record: doc.UntagPolicy,
    state: [byArn('aws_iam_policy', `${ACCOUNT}policy/deploy`, { tags: { owner: 'platform' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': null },
  },
  // Instance profiles
  {
    rule: 'iam.instance-profile.create',
    record: watcher('iam_CreateInstanceProfile'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_instance_profile',
    severity: 'low',
  },
  {
    rule: 'iam.instance-profile.delete',
    record: doc.DeleteInstanceProfile,
    state: [named('aws_iam_instance_profile', 'web', { role: 'web-role' })],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'iam.instance-profile.add-role',
    record: doc.AddRoleToInstanceProfile,
    state: [named('aws_iam_instance_profile', 'web', { role: 'web-role' })],
    kind: 'modified',
    severity: 'medium',
    changes: { role: 'admin-role' },
  },
  {
    rule: 'iam.instance-profile.remove-role',
    record: doc.RemoveRoleFromInstanceProfile,
    state: [named('aws_iam_instance_profile', 'web', { role: 'web-role' })],
    kind: 'modified',
    severity: 'medium',
    changes: { role: [] },
  },
  {
    rule: 'iam.instance-profile.tag',
    record: doc.TagInstanceProfile,
    state: [named('aws_iam_instance_profile', 'web')],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.env': 'prod' },
  },
  {
    rule: 'iam.instance-profile.untag',
    record: doc.UntagInstanceProfile,
    state: [named('aws_iam_instance_profile', 'web', { tags: { env: 'dev' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.env': null },
  },
  // Identity providers
  {
    rule: 'iam.oidc-provider.create',
    record: doc.CreateOpenIDConnectProvider,
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_openid_connect_provider',
    severity: 'high',
  },
  {
    rule: 'iam.oidc-provider.delete',
    record: doc.DeleteOpenIDConnectProvider,
    state: [byArn('aws_iam_openid_connect_provider', oidcArn)],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'iam.oidc-provider.thumbprints',
    record: doc.UpdateOpenIDConnectProviderThumbprint,
    state: [
      byArn('aws_iam_openid_connect_provider', oidcArn, {
        thumbprint_list: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: { thumbprint_list: ['0000000000000000000000000000000000000000'] },
  },
  {
    rule: 'iam.oidc-provider.add-client',
    record: doc.AddClientIDToOpenIDConnectProvider,
    state: [byArn('aws_iam_openid_connect_provider', oidcArn, { client_id_list: ['sts.amazonaws.com'] })],
    kind: 'modified',
    severity: 'high',
    changes: { client_id_list: ['attacker-app', 'sts.amazonaws.com'] },
  },
  {
    rule: 'iam.oidc-provider.remove-client',
    record: doc.RemoveClientIDFromOpenIDConnectProvider,
    state: [byArn('aws_iam_openid_connect_provider', oidcArn, { client_id_list: ['sts.amazonaws.com'] })],
    kind: 'modified',
    severity: 'medium',
    changes: { client_id_list: [] },
  },
  {
    rule: 'iam.oidc-provider.tag',
    record: doc.TagOpenIDConnectProvider,
    state: [byArn('aws_iam_openid_connect_provider', oidcArn)],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': 'ci' },
  },
  {
    rule: 'iam.oidc-provider.untag',
    record: doc.UntagOpenIDConnectProvider,
    state: [byArn('aws_iam_openid_connect_provider', oidcArn, { tags: { owner: 'ci' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': null },
  },
  {
    rule: 'iam.saml-provider.create',
    // IAM Identity Center's service-linked role made it: service-driven, so low (service-driven.test.ts).
    label: 'by the AWSServiceRoleForSSO service-linked role',
    record: panther('aws_saml_activity__5'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_saml_provider',
    severity: 'low',
  },
  {
    rule: 'iam.saml-provider.update',
    record: doc.UpdateSAMLProvider,
    state: [
      byArn('aws_iam_saml_provider', samlArn, {
        saml_metadata_document: '<EntityDescriptor entityID="http://www.okta.com/exk1"/>',
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: { saml_metadata_document: '<EntityDescriptor entityID="http://www.okta.com/evil"/>' },
  },
  {
    rule: 'iam.saml-provider.delete',
    record: doc.DeleteSAMLProvider,
    state: [byArn('aws_iam_saml_provider', samlArn)],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'iam.saml-provider.tag',
    record: doc.TagSAMLProvider,
    state: [byArn('aws_iam_saml_provider', samlArn)],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': 'it' },
  },
  {
    rule: 'iam.saml-provider.untag',
    record: doc.UntagSAMLProvider,
    state: [byArn('aws_iam_saml_provider', samlArn, { tags: { owner: 'it' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': null },
  },
  // MFA, certificates, account settings
  {
    rule: 'iam.virtual-mfa-device.create',
    record: corpusRecord(
      'streamalert/rules/community/cloudwatch_events/cloudtrail_mfa_policy_abuse_attempt__4.json',
    ),
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_virtual_mfa_device',
    severity: 'low',
  },
  {
    rule: 'iam.virtual-mfa-device.delete',
    record: doc.DeleteVirtualMFADevice,
    state: [byArn('aws_iam_virtual_mfa_device', `${ACCOUNT}mfa/alice`)],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'iam.server-certificate.upload',
    record: doc.UploadServerCertificate,
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_server_certificate',
    severity: 'low',
  },
  {
    rule: 'iam.server-certificate.delete',
    record: doc.DeleteServerCertificate,
    state: [
      { type: 'aws_iam_server_certificate', attributes: { id: 'ASCACKCEVSQ6C2EXAMPLE', name: 'legacy-elb' } },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'iam.account-password-policy.update',
    record: doc.UpdateAccountPasswordPolicy,
    state: [passwordPolicy],
    kind: 'modified',
    severity: 'high',
    // A password policy's settings are shown: only secrets are redacted.
    changes: { minimum_password_length: 8, require_symbols: false },
  },
  {
    rule: 'iam.account-password-policy.delete',
    record: doc.DeleteAccountPasswordPolicy,
    state: [passwordPolicy],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'iam.account-alias.create',
    record: doc.CreateAccountAlias,
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_account_alias',
    severity: 'low',
  },
  {
    rule: 'iam.account-alias.delete',
    record: doc.DeleteAccountAlias,
    state: [{ type: 'aws_iam_account_alias', attributes: { id: 'acme-prod', account_alias: 'acme-prod' } }],
    kind: 'deleted',
    severity: 'low',
  },
  {
    rule: 'iam.virtual-mfa-device.tag',
    record: doc.TagMFADevice,
    state: [byArn('aws_iam_virtual_mfa_device', `${ACCOUNT}mfa/alice`)],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': 'alice' },
  },
  {
    rule: 'iam.virtual-mfa-device.untag',
    record: doc.UntagMFADevice,
    state: [byArn('aws_iam_virtual_mfa_device', `${ACCOUNT}mfa/alice`, { tags: { owner: 'alice' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': null },
  },
  {
    rule: 'iam.server-certificate.tag',
    record: doc.TagServerCertificate,
    state: [
      {
        type: 'aws_iam_server_certificate',
        attributes: { id: 'ASCACKCEVSQ6C2EXAMPLE', name: 'legacy-elb', tags: {} },
      },
    ],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.env': 'prod' },
  },
  {
    rule: 'iam.server-certificate.untag',
    record: doc.UntagServerCertificate,
    state: [
      {
        type: 'aws_iam_server_certificate',
        attributes: { id: 'ASCACKCEVSQ6C2EXAMPLE', name: 'legacy-elb', tags: { env: 'prod' } },
      },
    ],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.env': null },
  },
  {
    rule: 'iam.signing-certificate.upload',
    record: doc.UploadSigningCertificate,
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_signing_certificate',
    severity: 'medium',
  },
  {
    rule: 'iam.signing-certificate.update',
    record: doc.UpdateSigningCertificate,
    state: [
      {
        type: 'aws_iam_signing_certificate',
        attributes: {
          id: 'TA7SMP42TDN5Z26OBPJE7EXAMPLE:ci-bot',
          certificate_id: 'TA7SMP42TDN5Z26OBPJE7EXAMPLE',
          user_name: 'ci-bot',
          status: 'Active',
        },
      },
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { status: 'Inactive' },
  },
  {
    rule: 'iam.signing-certificate.delete',
    record: doc.DeleteSigningCertificate,
    state: [
      {
        type: 'aws_iam_signing_certificate',
        attributes: {
          id: 'TA7SMP42TDN5Z26OBPJE7EXAMPLE:ci-bot',
          certificate_id: 'TA7SMP42TDN5Z26OBPJE7EXAMPLE',
        },
      },
    ],
    kind: 'deleted',
    severity: 'low',
  },
  {
    rule: 'iam.service-specific-credential.create',
    record: doc.CreateServiceSpecificCredential,
    state: [],
    kind: 'unmanaged',
    type: 'aws_iam_service_specific_credential',
    severity: 'high',
  },
  {
    rule: 'iam.service-specific-credential.update',
    record: doc.UpdateServiceSpecificCredential,
    state: [
      {
        type: 'aws_iam_service_specific_credential',
        attributes: {
          id: 'codecommit.amazonaws.com:ci-bot:ACCA12345ABCDEXAMPLE',
          service_specific_credential_id: 'ACCA12345ABCDEXAMPLE',
          status: 'Active',
        },
      },
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { status: 'Inactive' },
  },
  {
    rule: 'iam.service-specific-credential.delete',
    record: doc.DeleteServiceSpecificCredential,
    state: [
      {
        type: 'aws_iam_service_specific_credential',
        attributes: {
          id: 'codecommit.amazonaws.com:ci-bot:ACCA12345ABCDEXAMPLE',
          service_specific_credential_id: 'ACCA12345ABCDEXAMPLE',
        },
      },
    ],
    kind: 'deleted',
    severity: 'low',
  },
  {
    rule: 'iam.sts-preferences.update',
    record: doc.SetSecurityTokenServicePreferences,
    state: [
      {
        type: 'aws_iam_security_token_service_preferences',
        attributes: { id: '111122223333', global_endpoint_token_version: 'v1Token' },
      },
    ],
    kind: 'modified',
    severity: 'low',
    changes: { global_endpoint_token_version: 'v2Token' },
  },
];

describe('rules/iam.yaml', () => ruleCases('rules/iam.yaml', cases));
