// Deployment settings: defaults, the config-file route, and clear errors for bad values.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  forwarderRegions,
  listPrefix,
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
