// The deploy rehearsal's static part: every stack of every settings profile, as synthesised by the
// same app composition `cdk deploy` runs, against AWS's documented limits and policy requirements
// (test/rehearsal/aws-limits.ts), and the deployment shape each profile must have. Each profile is
// synthesised once per file (memoised) and removed at the end.

import { statSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTfdriftStacks, STACKSET_FORWARDER } from '../../lib/app.js';
import { parseSettings } from '../../lib/settings.js';
import { ADMIN_GROUP } from '../../lib/tfdrift-stack.js';
import type { CfnResource, SynthesizedProfile, SynthesizedStack } from './assembly.js';
import { synthesizeProfile } from './assembly.js';
import { CHECKS, type Finding, runChecks, type StackUnderCheck } from './aws-limits.js';
import { CENTRAL_ACCOUNT, PROFILES, profile } from './profiles.js';

const SYNTH_TIMEOUT = 120_000;
const synthesized = new Map<string, SynthesizedProfile>();

function synth(name: string): SynthesizedProfile {
  let found = synthesized.get(name);
  if (!found) {
    found = synthesizeProfile(profile(name));
    synthesized.set(name, found);
  }
  return found;
}
afterAll(() => {
  for (const s of synthesized.values()) s.cleanup();
});

function underCheck(s: SynthesizedStack): StackUnderCheck {
  return { ...s, templateBytes: statSync(s.templateFile).size };
}

const props = (r: CfnResource | undefined): Record<string, unknown> => r?.Properties ?? {};

const ofType = (s: SynthesizedStack, type: string): [string, CfnResource][] =>
  Object.entries(s.template.Resources).filter(([, r]) => r.Type === type);

describe.each(PROFILES)('profile $name: AWS rules', (p) => {
  let findings: Finding[];
  beforeAll(() => {
    findings = synth(p.name).stacks.flatMap((stack) => runChecks(underCheck(stack)));
  }, SYNTH_TIMEOUT);

  it.each(Object.keys(CHECKS))('every stack passes %s', (check) => {
    expect(findings.filter((f) => f.check === check)).toEqual([]);
  });
});

describe('deployment shape', () => {
  beforeAll(() => {
    for (const p of PROFILES) synth(p.name);
  }, SYNTH_TIMEOUT * 2);

  it('a member account gets forwarders only: every watched region, its own and us-east-1', () => {
    const member = synth('member-account');
    expect(member.stacks.map((s) => s.stackName).sort()).toEqual([
      'TfdriftForwarder-eu-central-1',
      'TfdriftForwarder-eu-west-1',
      'TfdriftForwarder-us-east-1',
    ]);
    for (const s of member.stacks) {
      const targets = ofType(s, 'AWS::Events::Rule').flatMap(
        ([, r]) => r.Properties?.Targets as { Arn: unknown }[],
      );
      expect(JSON.stringify(targets)).toContain(`:events:eu-west-1:${CENTRAL_ACCOUNT}:event-bus/default`);
    }
  });

  it('the central account gets the central stack and no forwarder in its own region', () => {
    const names = synth('realistic').stacks.map((s) => s.stackName);
    expect(names).toContain('Tfdrift');
    expect(names).not.toContain('TfdriftForwarder-eu-west-1');
    expect(names).toEqual(
      expect.arrayContaining(['TfdriftForwarder-eu-central-1', 'TfdriftForwarder-us-east-1']),
    );
  });

  it('one role, one queue statement and a few rules per forwarder, whatever the rule set', () => {
    for (const p of PROFILES) {
      for (const s of synth(p.name).stacks.filter((x) => x.stackName.startsWith('TfdriftForwarder'))) {
        const [[roleId]] = ofType(s, 'AWS::IAM::Role') as [[string, CfnResource]];
        expect(ofType(s, 'AWS::IAM::Role')).toHaveLength(1);
        const rules = ofType(s, 'AWS::Events::Rule');
        expect(rules.length).toBeGreaterThan(0);
        expect(rules.length).toBeLessThanOrEqual(5);
        for (const [, r] of rules) {
          expect(r.Properties?.Targets).toEqual([
            expect.objectContaining({ RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } }),
          ]);
        }
        const [[, queuePolicy]] = ofType(s, 'AWS::SQS::QueuePolicy') as [[string, CfnResource]];
        const statements = (props(queuePolicy).PolicyDocument as { Statement: unknown[] }).Statement;
        expect(statements.length).toBeLessThanOrEqual(2);
      }
    }
  });

  it('forwards the state buckets’ Object Created events from other regions', () => {
    const forwarder = synth('realistic').stacks.find(
      (x) => x.stackName === 'TfdriftForwarder-us-east-1',
    ) as SynthesizedStack;
    const patterns = ofType(forwarder, 'AWS::Events::Rule').map(([, r]) => r.Properties?.EventPattern);
    expect(patterns).toContainEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: ['acme-tfstate', 'acme-platform-state'] },
        object: { key: [{ suffix: '.tfstate' }] },
      },
    });
    const defaults = synth('defaults').stacks.find(
      (x) => x.stackName === 'TfdriftForwarder-us-east-1',
    ) as SynthesizedStack;
    expect(JSON.stringify(ofType(defaults, 'AWS::Events::Rule'))).not.toContain('Object Created');
  });

  it('invokes the detect function through one permission scoped to the ingest rules’ name prefix', () => {
    const central = synth('large-organisation').stacks.find(
      (x) => x.stackName === 'Tfdrift',
    ) as SynthesizedStack;
    const permissions = ofType(central, 'AWS::Lambda::Permission').filter(
      ([, p]) => p.Properties?.Principal === 'events.amazonaws.com',
    );
    const detect = permissions.filter(([, p]) =>
      JSON.stringify(p.Properties?.FunctionName).includes('Detect'),
    );
    expect(detect).toHaveLength(1);
    expect(JSON.stringify(detect[0]?.[1].Properties?.SourceArn)).toContain(':rule/Tfdrift-ingest-*');
    const ingestRules = ofType(central, 'AWS::Events::Rule').filter(([, r]) =>
      String(r.Properties?.Name ?? '').startsWith('Tfdrift-ingest-'),
    );
    expect(ingestRules.length).toBeGreaterThan(10);
    expect(ingestRules.length).toBeLessThanOrEqual(30);
  });

  it('createTrail: CloudTrail may encrypt with the key and write the bucket, for this trail only', () => {
    const central = synth('create-trail').stacks.find((x) => x.stackName === 'Tfdrift') as SynthesizedStack;
    const [[, trail]] = ofType(central, 'AWS::CloudTrail::Trail') as [[string, CfnResource]];
    expect(trail.Properties?.TrailName).toBe('Tfdrift-trail');
    const keyId = (props(trail).KMSKeyId as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const statements = (
      props(central.template.Resources[keyId]).KeyPolicy as { Statement: Record<string, unknown>[] }
    ).Statement;
    const encrypt = statements.find((st) => st.Sid === 'CloudTrailEncryptLogs');
    expect(encrypt).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
    });
    expect(JSON.stringify(encrypt?.Condition)).toMatch(
      /"aws:SourceArn":\{"Fn::Join".*:trail\/Tfdrift-trail"/,
    );
    expect(JSON.stringify(encrypt?.Condition)).toContain('kms:EncryptionContext:aws:cloudtrail:arn');
    const bucketStatements = ofType(central, 'AWS::S3::BucketPolicy').flatMap(
      ([, p]) => (props(p).PolicyDocument as { Statement: Record<string, unknown>[] }).Statement,
    );
    const write = bucketStatements.find((st) => st.Sid === 'CloudTrailWrite');
    expect(write).toMatchObject({ Effect: 'Allow', Action: 's3:PutObject' });
    expect(JSON.stringify(write?.Condition)).toMatch(/"aws:SourceArn":\{"Fn::Join".*:trail\/Tfdrift-trail"/);
  });

  it('limits event replay to the tfdrift-admins group the stack creates', () => {
    const central = synth('defaults').stacks.find((x) => x.stackName === 'Tfdrift') as SynthesizedStack;
    const [[, group]] = ofType(central, 'AWS::Cognito::UserPoolGroup') as [[string, CfnResource]];
    expect(group.Properties?.GroupName).toBe(ADMIN_GROUP);
    const query = ofType(central, 'AWS::Lambda::Function').find(([, f]) =>
      String(f.Properties?.Description).includes('HTTP API'),
    );
    const env = (props(query?.[1]).Environment as { Variables: Record<string, string> }).Variables;
    expect(env.ADMIN_GROUP).toBe(ADMIN_GROUP);
  });

  it('decrypts an SSE-KMS trail bucket with the configured key, in the backstop only', () => {
    const central = synth('realistic').stacks.find((x) => x.stackName === 'Tfdrift') as SynthesizedStack;
    const key = 'arn:aws:kms:eu-west-1:111111111111:key/0f6d1234-12ab-34cd-56ef-1234567890ab';
    const policies = ofType(central, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p).includes(key));
    expect(policies.map(([id]) => id)).toEqual([expect.stringMatching(/^Backstop/)]);
  });
});

describe('StackSet forwarder template', () => {
  it('is one account- and region-agnostic stack that needs no bootstrap and forwards to the central bus', () => {
    // Prepare / Act: what `cdk synth -c tfdrift:stackset=true` builds from a member's settings.
    const app = new App();
    const stacks = addTfdriftStacks(app, {
      settings: parseSettings({ centralAccount: CENTRAL_ACCOUNT, centralRegion: 'eu-west-1' }),
      region: 'eu-west-1',
      webDist: 'unused',
      stackSetForwarder: true,
    });
    const artifact = app.synth().getStackByName(STACKSET_FORWARDER);
    // Assess
    expect(stacks.central).toBeUndefined();
    expect(stacks.forwarders.map((f) => f.stackName)).toEqual([STACKSET_FORWARDER]);
    expect(artifact.environment.account).toBe('unknown-account');
    expect(artifact.environment.region).toBe('unknown-region');
    const template = artifact.template as SynthesizedStack['template'];
    const stack: StackUnderCheck = {
      stackName: STACKSET_FORWARDER,
      account: '222222222222',
      region: 'ap-south-1',
      template,
      templateBytes: Buffer.byteLength(JSON.stringify(template, undefined, 1)),
    };
    expect(runChecks(stack)).toEqual([]);
    expect(JSON.stringify(template)).toContain(`:events:eu-west-1:${CENTRAL_ACCOUNT}:event-bus/default`);
    expect(JSON.stringify(template)).toContain('"Ref":"AWS::AccountId"');
  });
});
