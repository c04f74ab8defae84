// The settings profiles the deploy rehearsal synthesises: what real users deploy, from the defaults
// to a large organisation. Each profile names the account and region it deploys to.

import type { TfdriftSettings } from '../../lib/settings.js';
import { parseSettings } from '../../lib/settings.js';

export interface RehearsalProfile {
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly settings: TfdriftSettings;
}

export const CENTRAL_ACCOUNT = '111111111111';
export const MEMBER_ACCOUNT = '222222222222';

/** Commercial regions with EventBridge and CloudTrail (a large organisation watches all of them). */
export const COMMERCIAL_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
];

export const PROFILES: readonly RehearsalProfile[] = [
  { name: 'defaults', account: CENTRAL_ACCOUNT, region: 'eu-west-1', settings: parseSettings({}) },
  {
    name: 'realistic',
    account: CENTRAL_ACCOUNT,
    region: 'eu-west-1',
    settings: parseSettings({
      stateBuckets: [
        { bucket: 'acme-tfstate', prefixes: ['prod/', 'staging/', 'teams/*.tfstate'] },
        {
          bucket: 'acme-platform-state',
          prefixes: ['network/terraform.tfstate', 'shared/*/terraform.tfstate'],
          kmsKeyArn: `arn:aws:kms:eu-west-1:${CENTRAL_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        },
      ],
      regions: ['eu-central-1', 'us-west-2'],
      alertEmails: [
        { address: 'platform@example.com', minSeverity: 'medium' },
        { address: 'security@example.com', minSeverity: 'critical' },
        'oncall@example.com',
      ],
      ignorePrincipals: [`arn:aws:sts::${CENTRAL_ACCOUNT}:assumed-role/break-glass/*`],
      terraformRoleArns: [`arn:aws:iam::${CENTRAL_ACCOUNT}:role/terraform-ci`],
      trailBucket: 'acme-org-cloudtrail',
      trailPrefix: 'org-trail',
      trailKmsKeyArn: `arn:aws:kms:eu-west-1:${CENTRAL_ACCOUNT}:key/0f6d1234-12ab-34cd-56ef-1234567890ab`,
      organizationId: 'o-abc1234567',
      // The backfill reads the member account's history too, through its reader role.
      backfillMembers: { accounts: [MEMBER_ACCOUNT], externalId: 'acme-tfdrift-7f3a' },
      dashboardUsers: ['alice@example.com', 'bob@example.com'],
      // Every alert channel (docs/deploy.md, "Alert channels").
      notifications: {
        eventBus: 'default',
        slack: [
          { workspaceId: 'T0123ABCDE', channelId: 'C0123ABCDE', minSeverity: 'high' },
          { workspaceId: 'T0123ABCDE', channelId: 'C0456FGHIJ', minSeverity: 'critical' },
        ],
        teams: [
          {
            tenantId: '11111111-2222-4333-8444-555555555555',
            teamId: '66666666-7777-4888-9999-000000000000',
            channelId: '19:0a1b2c3d4e5f@thread.tacv2',
            minSeverity: 'medium',
          },
        ],
        pagerduty: {
          routingKeySecretArn: `arn:aws:secretsmanager:eu-west-1:${CENTRAL_ACCOUNT}:secret:tfdrift/pagerduty-AbCdEf`,
          minSeverity: 'high',
        },
        webhooks: [
          {
            url: 'https://hooks.example.com/tfdrift',
            secretArn: `arn:aws:secretsmanager:eu-west-1:${CENTRAL_ACCOUNT}:secret:tfdrift/webhook-GhIjKl`,
            minSeverity: 'medium',
          },
          {
            url: 'https://soc.example.net/ingest/tfdrift',
            secretArn: `arn:aws:secretsmanager:eu-west-1:${CENTRAL_ACCOUNT}:secret:soc/tfdrift-signing`,
            minSeverity: 'low',
          },
        ],
        securityHub: true,
      },
    }),
  },
  {
    name: 'create-trail',
    account: CENTRAL_ACCOUNT,
    region: 'eu-west-1',
    settings: parseSettings({
      stateBuckets: ['acme-tfstate'],
      alertEmails: ['ops@example.com'],
      createTrail: true,
    }),
  },
  {
    name: 'member-account',
    account: MEMBER_ACCOUNT,
    region: 'eu-west-1',
    settings: parseSettings({
      regions: ['eu-central-1'],
      centralAccount: CENTRAL_ACCOUNT,
      organizationId: 'o-abc1234567',
    }),
  },
  {
    name: 'large-organisation',
    account: CENTRAL_ACCOUNT,
    region: 'us-east-1',
    settings: parseSettings({
      stateBuckets: Array.from({ length: 12 }, (_, i) => ({
        bucket: `acme-team${i}-tfstate`,
        prefixes: ['prod/', 'staging/', 'dev/', `team${i}/*.tfstate`, 'env:/*/app.tfstate'],
      })),
      regions: COMMERCIAL_REGIONS,
      alertEmails: Array.from({ length: 10 }, (_, i) => ({
        address: `team${i}@example.com`,
        minSeverity: (['low', 'medium', 'high', 'critical'] as const)[i % 4],
      })),
      trailBucket: 'acme-org-cloudtrail',
      organizationId: 'o-abc1234567',
      sourceAccounts: Array.from({ length: 40 }, (_, i) => String(300000000000 + i)),
      // Every source account's history too (the accounts default to sourceAccounts).
      backfillMembers: {},
      dashboardUsers: Array.from({ length: 25 }, (_, i) => `user${i}@example.com`),
      terraformRoleArns: ['arn:aws:iam::*:role/terraform-ci'],
    }),
  },
];

export function profile(name: string): RehearsalProfile {
  const found = PROFILES.find((p) => p.name === name);
  if (!found) throw new Error(`no rehearsal profile ${name}`);
  return found;
}
