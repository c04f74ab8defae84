// Deployment settings: defaults, the config-file route, and clear errors for bad values.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMemberDeployment, resolveRegion } from '../../lib/app.js';
import {
  DEFAULT_SETTINGS,
  forwarderRegions,
  listPrefix,
  memberForwarderRegions,
  objectPattern,
  parseSettings,
  SettingsError,
  settingsFromContext,
} from '../../lib/settings.js';

const dir = mkdtempSync(join(tmpdir(), 'tfdrift-settings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseSettings', () => {
  it('fills defaults and normalises the short forms', () => {
    // Act
    const settings = parseSettings({ stateBuckets: ['acme-state'], alertEmails: ['ops@example.com'] });
    // Assess
    expect(settings.stateBuckets).toEqual([{ bucket: 'acme-state', prefixes: [''], kmsKeyArn: undefined }]);
    expect(settings.alertEmails).toEqual([{ address: 'ops@example.com', minSeverity: 'high' }]);
    expect(settings.retentionDays).toBe(DEFAULT_SETTINGS.retentionDays);
    expect(settings.createTrail).toBe(false);
  });

  it('lists every problem with the field that is wrong', () => {
    // Act
    const attempt = () =>
      parseSettings({
        stateBuckets: [{ bucket: 'Not_A_Bucket' }],
        regions: ['mars-1'],
        alertEmails: [{ address: 'ops@example.com', minSeverity: 'urgent' }],
        retentionDays: 0,
        organisationId: 'o-123',
      });
    // Assess
    expect(attempt).toThrow(SettingsError);
    const message = (() => {
      try {
        attempt();
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toContain('stateBuckets.0.bucket: "Not_A_Bucket" is not a valid value');
    expect(message).toContain('regions.0: "mars-1" is not a valid value');
    expect(message).toContain('alertEmails.0.minSeverity: must be one of low, medium, high, critical');
    expect(message).toContain('retentionDays: must be >= 1');
    expect(message).toContain('unknown setting "organisationId"');
  });

  it('refuses contradictions', () => {
    expect(() => parseSettings({ createTrail: true, trailBucket: 'org-trail' })).toThrow(
      /cannot be combined/,
    );
    expect(() => parseSettings({ domainName: 'drift.example.com' })).toThrow(
      /domainName and certificateArn go together/,
    );
    expect(() => parseSettings({ stateBuckets: ['a-state', 'a-state'] })).toThrow(/a-state is listed twice/);
    expect(() => parseSettings(['not', 'a', 'mapping'])).toThrow(/must be a mapping/);
    expect(() => parseSettings({ trailKmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k' })).toThrow(
      /set trailBucket too/,
    );
    expect(
      parseSettings({ trailBucket: 'org-trail', trailKmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/k' })
        .trailKmsKeyArn,
    ).toBe('arn:aws:kms:eu-west-1:111111111111:key/k');
  });
});

describe('backfillMembers', () => {
  it('takes the listed accounts, or sourceAccounts, with the default role name', () => {
    // Act
    const listed = parseSettings({
      sourceAccounts: ['210987654321'],
      backfillMembers: {
        accounts: ['345678901234', '345678901234'],
        roleName: 'audit-reader',
        externalId: 'x-1',
      },
    });
    const fromSources = parseSettings({ sourceAccounts: ['210987654321'], backfillMembers: {} });
    // Assess
    expect(listed.backfillMembers).toEqual({
      accounts: ['345678901234'],
      roleName: 'audit-reader',
      externalId: 'x-1',
    });
    expect(fromSources.backfillMembers).toEqual({
      accounts: ['210987654321'],
      roleName: 'tfdrift-backfill-reader',
    });
    expect(parseSettings({}).backfillMembers).toBeUndefined();
  });

  it('refuses a setting with no account to read and names each bad value', () => {
    expect(() => parseSettings({ backfillMembers: {} })).toThrow(
      'backfillMembers: no member accounts: list them in backfillMembers.accounts (or sourceAccounts)',
    );
    const bad = () =>
      parseSettings({
        backfillMembers: { accounts: ['12345'], roleName: 'role/with/path', externalId: 'x', extra: true },
      });
    expect(bad).toThrow('backfillMembers.accounts.0: "12345" is not a valid value');
    expect(bad).toThrow('backfillMembers.roleName: "role/with/path" is not a valid value');
    expect(bad).toThrow('backfillMembers.externalId: "x" is not a valid value');
    expect(bad).toThrow('backfillMembers: unknown setting "extra"');
  });
});

describe('settingsFromContext', () => {
  it('reads a YAML file named by tfdrift:config', () => {
    // Prepare
    const file = join(dir, 'tfdrift.yaml');
    writeFileSync(file, 'stateBuckets:\n  - bucket: acme-state\n    prefixes: [prod/]\nretentionDays: 30\n');
    // Act
    const settings = settingsFromContext({ configPath: file });
    // Assess
    expect(settings.stateBuckets[0].prefixes).toEqual(['prod/']);
    expect(settings.retentionDays).toBe(30);
  });

  it('takes JSON from -c tfdrift=... and names a missing file', () => {
    expect(settingsFromContext({ tfdrift: '{"regions":["eu-west-1"]}' }).regions).toEqual(['eu-west-1']);
    expect(() => settingsFromContext({ configPath: join(dir, 'missing.yaml') })).toThrow(
      /cannot read settings file \(ENOENT\)/,
    );
  });
});

describe('helpers', () => {
  it('turns prefixes and globs into list prefixes and object patterns', () => {
    expect(listPrefix('teams/*/prod.tfstate')).toBe('teams/');
    expect(objectPattern('prod/')).toBe('prod/*');
    expect(objectPattern('teams/*.tfstate')).toBe('teams/*.tfstate');
  });

  it('forwards from every other watched region and always from us-east-1', () => {
    const settings = parseSettings({ regions: ['eu-west-1', 'eu-central-1'] });
    expect(forwarderRegions(settings, 'eu-west-1')).toEqual(['eu-central-1', 'us-east-1']);
    expect(forwarderRegions(parseSettings({}), 'us-east-1')).toEqual([]);
  });
});

describe('member accounts', () => {
  it('forwards from every watched region, the deploy region and us-east-1', () => {
    const settings = parseSettings({ regions: ['eu-central-1'], centralAccount: '111111111111' });
    expect(memberForwarderRegions(settings, 'eu-west-1')).toEqual(['eu-central-1', 'eu-west-1', 'us-east-1']);
    expect(memberForwarderRegions(parseSettings({}), 'us-east-1')).toEqual(['us-east-1']);
  });

  it('is a member deployment only when centralAccount names another account', () => {
    const settings = parseSettings({ centralAccount: '111111111111' });
    expect(isMemberDeployment(settings, '222222222222')).toBe(true);
    expect(isMemberDeployment(settings, '111111111111')).toBe(false);
    expect(isMemberDeployment(parseSettings({}), '222222222222')).toBe(false);
  });
});

describe('resolveRegion', () => {
  it('takes -c tfdrift:region, then AWS_REGION / AWS_DEFAULT_REGION, then a non-default CDK_DEFAULT_REGION', () => {
    const env = { AWS_REGION: 'eu-central-1', CDK_DEFAULT_REGION: 'eu-west-2' };
    expect(resolveRegion({ context: 'ap-south-1', env })).toBe('ap-south-1');
    expect(resolveRegion({ env })).toBe('eu-central-1');
    expect(resolveRegion({ env: { AWS_DEFAULT_REGION: 'us-west-2' } })).toBe('us-west-2');
    expect(resolveRegion({ env: { CDK_DEFAULT_REGION: 'eu-west-2' } })).toBe('eu-west-2');
    expect(resolveRegion({ context: 'us-east-1', env: { CDK_DEFAULT_REGION: 'us-east-1' } })).toBe(
      'us-east-1',
    );
  });

  it("refuses the CDK CLI's silent us-east-1 fallback and a value that is no region", () => {
    expect(() => resolveRegion({ env: { CDK_DEFAULT_REGION: 'us-east-1' } })).toThrow(
      /no region configured .*silently use us-east-1/,
    );
    expect(() => resolveRegion({ env: {} })).toThrow(SettingsError);
    expect(() => resolveRegion({ context: 'Europe', env: {} })).toThrow(/"Europe" is not an AWS region/);
  });
});

describe('notifications settings', () => {
  const secret = (name: string) => `arn:aws:secretsmanager:eu-west-1:111111111111:secret:${name}-AbCdEf`;
  const messageOf = (input: unknown): string => {
    try {
      parseSettings(input);
    } catch (error) {
      return (error as Error).message;
    }
    return 'accepted';
  };

  it('is all optional: the default bus gets drift events, no channel is set', () => {
    // Act
    const settings = parseSettings({});
    // Assess
    expect(settings.notifications).toEqual({
      eventBus: 'default',
      slack: [],
      teams: [],
      webhooks: [],
      securityHub: false,
    });
  });

  it('fills each channel\u2019s minimum severity and keeps the given ones', () => {
    // Act
    const { notifications } = parseSettings({
      notifications: {
        eventBus: false,
        slack: [{ workspaceId: 'T0123ABCDE', channelId: 'C0123ABCDE' }],
        teams: [
          {
            tenantId: '11111111-2222-3333-4444-555555555555',
            teamId: '66666666-7777-8888-9999-000000000000',
            channelId: '19:abcDEF123@thread.tacv2',
            minSeverity: 'medium',
          },
        ],
        pagerduty: { routingKeySecretArn: secret('pd') },
        webhooks: [
          { url: 'https://hooks.example.com/tfdrift', secretArn: secret('hook'), minSeverity: 'low' },
        ],
        securityHub: true,
      },
    });
    // Assess
    expect(notifications.eventBus).toBe(false);
    expect(notifications.slack[0].minSeverity).toBe('high');
    expect(notifications.teams[0].minSeverity).toBe('medium');
    expect(notifications.pagerduty).toEqual({ routingKeySecretArn: secret('pd'), minSeverity: 'critical' });
    expect(notifications.webhooks[0].minSeverity).toBe('low');
    expect(notifications.securityHub).toBe(true);
    expect(
      parseSettings({
        notifications: { webhooks: [{ url: 'https://h.example.com', secretArn: secret('h') }] },
      }).notifications.webhooks[0].minSeverity,
    ).toBe('medium');
  });

  it('names each bad value with its field', () => {
    // Act
    const message = messageOf({
      notifications: {
        eventBus: true,
        slack: [{ workspaceId: 'T0123ABCDE' }],
        teams: [{ tenantId: 'acme', teamId: 'x', channelId: 'general' }],
        pagerduty: { routingKeySecretArn: 'my-pagerduty-key' },
        webhooks: [{ url: 'http://hooks.example.com', secretArn: secret('h'), minSeverity: 'urgent' }],
        email: true,
      },
    });
    // Assess
    expect(message).toContain('notifications.eventBus: must be false, "default", a bus name or a bus ARN');
    expect(message).not.toContain('eventBus: must be string');
    expect(message).toContain('notifications.slack.0: missing "channelId"');
    expect(message).toContain('notifications.teams.0.tenantId: "acme" is not a valid value');
    expect(message).toContain(
      'notifications.pagerduty.routingKeySecretArn: "my-pagerduty-key" is not a valid value (an ARN)',
    );
    expect(message).toContain(
      'notifications.webhooks.0.url: "http://hooks.example.com" is not a valid value (an https:// URL)',
    );
    expect(message).toContain(
      'notifications.webhooks.0.minSeverity: must be one of low, medium, high, critical',
    );
    expect(message).toContain('unknown setting "email"');
    expect(messageOf({ notifications: { eventBus: 'tfdrift-events' } })).toBe('accepted');
    expect(
      messageOf({ notifications: { eventBus: 'arn:aws:events:eu-west-1:111111111111:event-bus/ops' } }),
    ).toBe('accepted');
    expect(messageOf({ notifications: { eventBus: 'two words' } })).toContain(
      '"two words" is not a valid value',
    );
  });
});
