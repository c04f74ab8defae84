// Who made the call: one real record per identity type (test/fixtures/cloudtrail, sources in
// test/fixtures/SOURCES.md) and the channel (console / CLI / SDK / Terraform / service) they show.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractRecords, isTerraformUserAgent, normaliseRecord } from '../../lambdas/core/cloudtrail.js';

function fixture(name: string): unknown {
  const doc = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/cloudtrail', name), 'utf8'));
  const [record] = extractRecords(doc);
  return record;
}
const actorOf = (name: string) => normaliseRecord(fixture(name)).actor;

describe('actor by userIdentity.type', () => {
  it('IAMUser: the user name, from the console', () => {
    const actor = actorOf('iamuser-console-modify-instance-attribute.json');
    expect(actor).toMatchObject({
      type: 'IAMUser',
      name: 'first.last',
      arn: 'arn:aws:iam::012345678901:user/first.last',
      accountId: '012345678901',
      sourceIp: '123.123.123.123',
      userAgent: 'signin.amazonaws.com',
      invokedBy: 'signin.amazonaws.com',
      channel: 'console',
      sso: false,
    });
  });

  it('AssumedRole: session name as name, role ARN from sessionIssuer (Lambda via the Node SDK)', () => {
    const actor = actorOf('assumedrole-sdk-attach-user-policy.json');
    expect(actor).toMatchObject({
      type: 'AssumedRole',
      name: 'LAMBDA-POLICY-NAME',
      arn: 'arn:aws:sts::111122223333:assumed-role/LAMBDA-ROLE-NAME/LAMBDA-POLICY-NAME',
      roleArn: 'arn:aws:iam::111122223333:role/service-role/LAMBDA-ROLE-NAME',
      sso: false,
      channel: 'sdk',
    });
  });

  it('AssumedRole from the console (signin.amazonaws.com), inside an EventBridge envelope', () => {
    const actor = actorOf('assumedrole-console-run-instances.json');
    expect(actor.type).toBe('AssumedRole');
    expect(actor.name).toBe('Radiant');
    expect(actor.roleArn).toMatch(/:role\/GR_Dev_Developer$/);
    expect(actor.channel).toBe('console');
  });

  it('SSO: an AWSReservedSSO_ permission-set role; the person is the session name', () => {
    const actor = actorOf('sso-cli-update-function-code.json');
    expect(actor).toMatchObject({
      type: 'AssumedRole',
      sso: true,
      name: 'bob.ross',
      roleArn: 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_DevAdmin_abc123',
      channel: 'cli',
      onBehalfOf: null,
    });
  });

  it('Root: named "root"; a console sign-in is the console channel', () => {
    const event = normaliseRecord(fixture('root-console-login.json'));
    expect(event.name).toBe('ConsoleLogin');
    expect(event.readOnly).toBe(false);
    expect(event.actor).toMatchObject({
      type: 'Root',
      name: 'root',
      accountId: '111122223333',
      channel: 'console',
    });
  });

  it('FederatedUser: the federated user name from the ARN (Go SDK v2)', () => {
    const actor = actorOf('federateduser-sdk-get-caller-identity.json');
    expect(actor).toMatchObject({
      type: 'FederatedUser',
      name: 'stratus_red_team',
      arn: 'arn:aws:sts::742491224508:federated-user/stratus_red_team',
      channel: 'sdk',
    });
  });

  it('AWSService: named after invokedBy, service channel', () => {
    const actor = actorOf('awsservice-assume-role.json');
    expect(actor).toMatchObject({
      type: 'AWSService',
      name: 'config.amazonaws.com',
      invokedBy: 'config.amazonaws.com',
      arn: null,
      channel: 'service',
    });
  });

  it('AWSAccount: named after the calling account (CLI)', () => {
    const actor = actorOf('awsaccount-cli-assume-role.json');
    expect(actor).toMatchObject({
      type: 'AWSAccount',
      name: '777788889999',
      accountId: '777788889999',
      channel: 'cli',
    });
  });

  it('Terraform: the provider user agent is the terraform channel whoever the principal is', () => {
    const actor = actorOf('iamuser-terraform-authorize-sg-egress.json');
    expect(actor).toMatchObject({ type: 'IAMUser', name: 'test_user', channel: 'terraform' });
    expect(isTerraformUserAgent(actor.userAgent)).toBe(true);
  });

  it('IdentityCenterUser and onBehalfOf (DERIVED: the SSO fixture with its userIdentity rewritten to the documented Identity Center shape; the corpus has none)', () => {
    const sso = fixture('sso-cli-update-function-code.json') as Record<string, unknown>;
    const derived = {
      ...sso,
      userIdentity: {
        type: 'IdentityCenterUser',
        accountId: '123456789012',
        onBehalfOf: {
          userId: '544894e8-80c1-707f-60e3-3ba6510dfac1',
          identityStoreArn: 'arn:aws:identitystore::123456789012:identitystore/d-9067642ac7',
        },
        credentialId: 'EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE',
      },
    };
    expect(normaliseRecord(derived).actor).toMatchObject({
      type: 'IdentityCenterUser',
      name: '544894e8-80c1-707f-60e3-3ba6510dfac1',
      onBehalfOf: '544894e8-80c1-707f-60e3-3ba6510dfac1',
    });
  });

  it('missing or malformed userIdentity gives an Unknown actor, not an error', () => {
    const sso = fixture('sso-cli-update-function-code.json') as Record<string, unknown>;
    expect(normaliseRecord({ ...sso, userIdentity: undefined }).actor).toMatchObject({
      type: 'Unknown',
      name: null,
    });
    expect(normaliseRecord({ ...sso, userIdentity: 'root' }).actor.type).toBe('Unknown');
    expect(normaliseRecord({ ...sso, userIdentity: { type: 42 } }).actor.type).toBe('Unknown');
  });
});

describe('isTerraformUserAgent', () => {
  it.each([
    'APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io) terraform-provider-aws/5.31.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.24.0 os/linux lang/go#1.20.12 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.141.0',
    'aws-sdk-go/1.29.7 (go1.13.7; darwin; amd64) APN/1.0 HashiCorp/1.0 Terraform/0.12.24 (+https://www.terraform.io)',
    'OpenTofu/1.6.0 (+https://opentofu.org) terraform-provider-aws/5.31.0 aws-sdk-go-v2/1.24.0',
    'terraform-provider-aws/dev (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go/1.44.0',
    'APN/1.0 HashiCorp/1.0 Terraform/1.6.0 terraform-provider-awscc/0.65.0',
    'apn/1.0 hashicorp/1.0 terraform/1.5.7',
    '[APN/1.0 HashiCorp/1.0 Terraform/1.1.2 (+https://www.terraform.io) terraform-provider-aws/3.76.1]',
  ])('recognises %s', (ua) => {
    expect(isTerraformUserAgent(ua)).toBe(true);
  });

  it.each([
    'aws-cli/2.13.5 Python/3.11.4 Linux/6.1 exe/x86_64.ubuntu.22 prompt/off command/ec2.modify-instance-attribute terraform-wrapper-script',
    'aws-cli/2.15.0 Python/3.11.6 md/command#terraform.apply',
    'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux my-terraform/1.0',
    'console.amazonaws.com',
    'terraform',
    'HashiCorp/1.0',
    '',
  ])('rejects %s', (ua) => {
    expect(isTerraformUserAgent(ua)).toBe(false);
  });

  it('rejects null', () => {
    expect(isTerraformUserAgent(null)).toBe(false);
  });
});
