// One synthesised tfdrift app for the CDK tests: the central stack and a us-east-1 forwarder, with
// settings that exercise every option. Synthesis bundles seven functions, so each test file builds
// it once (beforeAll) and removes the output folder afterwards.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { EventPattern } from '../../lambdas/core/event-pattern.js';
import type { RuleSet } from '../../lambdas/core/rules.js';
import { RegionForwarderStack } from '../../lib/constructs/region-forwarder.js';
import { cloudTrailPatterns, deployedRuleSet } from '../../lib/rule-patterns.js';
import { parseSettings } from '../../lib/settings.js';
import { TfdriftStack } from '../../lib/tfdrift-stack.js';
import { placeholderWebDist } from '../../lib/web-dist.js';

export const ACCOUNT = '123456789012';
export const REGION = 'eu-west-1';

export const TEST_SETTINGS = parseSettings({
  stateBuckets: [{ bucket: 'acme-tfstate', prefixes: ['prod/', 'teams/*.tfstate'] }, 'acme-legacy-state'],
  regions: ['eu-west-1', 'eu-central-1'],
  alertEmails: ['ops@example.com', { address: 'security@example.com', minSeverity: 'critical' }],
  ignorePrincipals: ['arn:aws:iam::123456789012:role/BreakGlass'],
  terraformRoleArns: ['arn:aws:iam::123456789012:role/terraform-ci'],
  retentionDays: 90,
  createTrail: true,
  dashboardUsers: ['alice@example.com'],
  organizationId: 'o-abc1234567',
  sourceAccounts: ['210987654321'],
  // The central account itself is listed by mistake: it is read with the function's own credentials.
  backfillMembers: {
    accounts: ['210987654321', '123456789012', '345678901234'],
    externalId: 'acme-tfdrift-7f3a',
  },
  notifications: {
    slack: [{ workspaceId: 'T0123ABCDE', channelId: 'C0123ABCDE' }],
    teams: [
      {
        tenantId: '11111111-2222-4333-8444-555555555555',
        teamId: '66666666-7777-4888-9999-000000000000',
        channelId: '19:0a1b2c3d4e5f@thread.tacv2',
        minSeverity: 'critical',
      },
    ],
    pagerduty: {
      routingKeySecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tfdrift/pagerduty-AbCdEf',
    },
    webhooks: [
      {
        url: 'https://hooks.example.com/tfdrift',
        secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tfdrift/webhook',
      },
    ],
    securityHub: true,
  },
});

export interface SynthesisedApp {
  readonly app: App;
  readonly stack: TfdriftStack;
  readonly forwarder: RegionForwarderStack;
  readonly dir: string;
  /** The rule set the stack was built from (rule files are read once: they may change meanwhile). */
  readonly ruleSet: RuleSet;
  readonly patterns: EventPattern[];
  cleanup(): void;
}

export function buildTestApp(): SynthesisedApp {
  const dir = mkdtempSync(join(tmpdir(), 'tfdrift-cdk-'));
  const app = new App({ outdir: join(dir, 'cdk.out') });
  const ruleSet = deployedRuleSet();
  const patterns = cloudTrailPatterns(ruleSet);
  const stack = new TfdriftStack(app, 'Tfdrift', {
    patterns,
    env: { account: ACCOUNT, region: REGION },
    settings: TEST_SETTINGS,
    webDist: placeholderWebDist(join(dir, 'web')),
  });
  const forwarder = new RegionForwarderStack(app, 'TfdriftForwarder-us-east-1', {
    env: { account: ACCOUNT, region: 'us-east-1' },
    centralRegion: REGION,
    patterns: stack.patterns,
  });
  return {
    app,
    stack,
    forwarder,
    dir,
    ruleSet,
    patterns,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
