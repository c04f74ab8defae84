// The AWS rule checks catch what they exist for: each is shown a minimal template that breaks its
// rule (it must report it) and the same template just within it (it must stay silent).

import { describe, expect, it } from 'vitest';
import type { CfnResource } from './assembly.js';
import * as L from './aws-limits.js';

const ACCOUNT = '111111111111';

function stack(
  resources: Record<string, CfnResource>,
  extra: Record<string, unknown> = {},
  templateBytes = 1000,
) {
  return {
    stackName: (extra.stackName as string) ?? 'Tfdrift',
    account: ACCOUNT,
    region: 'eu-west-1',
    template: { Resources: resources, ...(extra.template as object) },
    templateBytes,
  } satisfies L.StackUnderCheck;
}
const many = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
const byId = (n: number, make: (i: number) => CfnResource, prefix = 'R') =>
  Object.fromEntries(many(n, (i) => [`${prefix}${i}`, make(i)]));
const queue: CfnResource = { Type: 'AWS::SQS::Queue', Properties: {} };
const rule = (pattern: unknown, targets = 1): CfnResource => ({
  Type: 'AWS::Events::Rule',
  Properties: {
    EventPattern: pattern,
    Targets: many(targets, (i) => ({ Id: `T${i}`, Arn: 'arn:aws:sqs:x' })),
  },
});

describe('CloudFormation limits', () => {
  it('template size: 1 MB from S3', () => {
    expect(L.templateSize(stack({}, {}, 1_048_577))).toHaveLength(1);
    expect(L.templateSize(stack({}, {}, 1_048_576))).toEqual([]);
  });
  it('resources: 500; outputs and parameters: 200', () => {
    expect(L.resourceCount(stack(byId(501, () => queue)))).toHaveLength(1);
    expect(L.resourceCount(stack(byId(500, () => queue)))).toEqual([]);
    const outputs = (n: number) => ({
      template: { Outputs: Object.fromEntries(many(n, (i) => [`O${i}`, { Value: 'x' }])) },
    });
    expect(L.outputCount(stack({}, outputs(201)))).toHaveLength(1);
    expect(L.outputCount(stack({}, outputs(200)))).toEqual([]);
    const params = (n: number) => ({
      template: { Parameters: Object.fromEntries(many(n, (i) => [`P${i}`, { Type: 'String' }])) },
    });
    expect(L.parameterCount(stack({}, params(201)))).toHaveLength(1);
    expect(L.parameterCount(stack({}, params(200)))).toEqual([]);
  });
});

describe('SQS queue policies', () => {
  const policy = (statements: number, id = 'Q', sidLength = 10): CfnResource => ({
    Type: 'AWS::SQS::QueuePolicy',
    Properties: {
      Queues: [{ Ref: id }],
      PolicyDocument: {
        Statement: many(statements, (i) => ({
          Sid: `${i}`.padEnd(sidLength, 'x'),
          Effect: 'Allow',
          Action: 'sqs:SendMessage',
        })),
      },
    },
  });
  it('20 statements, 8,192 bytes, one policy per queue', () => {
    expect(L.sqsQueuePolicies(stack({ Q: queue, P: policy(21) }))).toHaveLength(1);
    expect(L.sqsQueuePolicies(stack({ Q: queue, P: policy(20) }))).toEqual([]);
    expect(L.sqsQueuePolicies(stack({ Q: queue, P: policy(2, 'Q', 5000) })).join()).toMatch(/bytes/);
    expect(L.sqsQueuePolicies(stack({ Q: queue, P: policy(1), P2: policy(1) })).join()).toMatch(/overwrite/);
  });
});

describe('Lambda resource-based policy', () => {
  const fn: CfnResource = { Type: 'AWS::Lambda::Function', Properties: {} };
  const permission = (i: number): CfnResource => ({
    Type: 'AWS::Lambda::Permission',
    Properties: {
      FunctionName: { 'Fn::GetAtt': ['Fn', 'Arn'] },
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [`Rule${i}`, 'Arn'] },
    },
  });
  const rules = (n: number) => byId(n, () => rule({ source: ['aws.ec2'] }), 'Rule');
  it('about 20 KB: 62 per-rule permissions are over, a few are not', () => {
    expect(L.lambdaPolicySize(stack({ Fn: fn, ...rules(62), ...byId(62, permission, 'P') }))).toHaveLength(1);
    expect(L.lambdaPolicySize(stack({ Fn: fn, ...rules(17), ...byId(17, permission, 'P') }))).toEqual([]);
  });
});

describe('IAM policy sizes', () => {
  const role: CfnResource = { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } };
  const inline = (n: number): CfnResource => ({
    Type: 'AWS::IAM::Policy',
    Properties: {
      Roles: [{ Ref: 'Role' }],
      PolicyDocument: {
        Statement: many(n, (i) => ({ Effect: 'Allow', Action: `s3:GetObject${i}`, Resource: '*' })),
      },
    },
  });
  it("a role's inline policies together: 10,240 characters", () => {
    expect(L.iamPolicySizes(stack({ Role: role, P: inline(200) }))).toHaveLength(1);
    expect(L.iamPolicySizes(stack({ Role: role, P: inline(20) }))).toEqual([]);
  });
});

describe('KMS key policies', () => {
  const key = (statements: unknown[]): CfnResource => ({
    Type: 'AWS::KMS::Key',
    Properties: { KeyPolicy: { Statement: statements } },
  });
  const trail: CfnResource = {
    Type: 'AWS::CloudTrail::Trail',
    Properties: { KMSKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } },
  };
  const cloudTrailStatements = [
    {
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/t' } },
    },
  ];
  it('lets every service that uses the key use it, each with a source condition', () => {
    expect(L.kmsKeyPolicies(stack({ Key: key([]), Trail: trail })).join()).toMatch(
      /cloudtrail.amazonaws.com uses/,
    );
    expect(L.kmsKeyPolicies(stack({ Key: key(cloudTrailStatements), Trail: trail }))).toEqual([]);
    const unconditioned = [{ ...cloudTrailStatements[0], Condition: undefined }];
    expect(L.kmsKeyPolicies(stack({ Key: key(unconditioned), Trail: trail })).join()).toMatch(
      /without an aws:SourceAccount/,
    );
  });
});

describe('SNS topic policies and alarm delivery', () => {
  const topic: CfnResource = { Type: 'AWS::SNS::Topic', Properties: {} };
  const alarm: CfnResource = {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: { AlarmActions: [{ Ref: 'Topic' }] },
  };
  const policy = (statements: unknown[]): CfnResource => ({
    Type: 'AWS::SNS::TopicPolicy',
    Properties: { Topics: [{ Ref: 'Topic' }], PolicyDocument: { Statement: statements } },
  });
  const deny = {
    Effect: 'Deny',
    Principal: '*',
    Action: 'sns:Publish',
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
  const cloudWatch = {
    Effect: 'Allow',
    Principal: { Service: 'cloudwatch.amazonaws.com' },
    Action: 'sns:Publish',
  };
  it('is not Deny-only and lets CloudWatch publish when alarms notify the topic', () => {
    const findings = L.snsTopicPolicies(stack({ Topic: topic, Alarm: alarm, Policy: policy([deny]) }));
    expect(findings.join()).toMatch(/only Deny/);
    expect(findings.join()).toMatch(/cloudwatch.amazonaws.com publishes/);
    expect(
      L.snsTopicPolicies(stack({ Topic: topic, Alarm: alarm, Policy: policy([deny, cloudWatch]) })),
    ).toEqual([]);
  });
  it('alarms reach a subscription without a filter policy', () => {
    const sub = (filter?: unknown): CfnResource => ({
      Type: 'AWS::SNS::Subscription',
      Properties: { TopicArn: { Ref: 'Topic' }, Protocol: 'email', FilterPolicy: filter },
    });
    expect(
      L.alarmsReachOperator(stack({ Topic: topic, Alarm: alarm, S: sub({ severity: ['high'] }) })),
    ).toHaveLength(1);
    expect(L.alarmsReachOperator(stack({ Topic: topic, Alarm: alarm, S: sub() }))).toEqual([]);
    expect(
      L.alarmsReachOperator(stack({ Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: {} } })),
    ).toHaveLength(1);
  });
});

describe('EventBridge', () => {
  const sized = (chars: number) => {
    const base = JSON.stringify({ detail: { eventName: [''] } }).length;
    return { detail: { eventName: ['x'.repeat(chars - base)] } };
  };
  it('patterns within the 1,900-character budget', () => {
    expect(JSON.stringify(sized(1901)).length).toBe(1901);
    expect(L.eventPatternSizes(stack({ R: rule(sized(1901)) }))).toHaveLength(1);
    expect(L.eventPatternSizes(stack({ R: rule(sized(1900)) }))).toEqual([]);
  });
  it('rules per bus within the budget, targets per rule within 5', () => {
    expect(L.rulesPerBus(stack(byId(51, () => rule({}))))).toHaveLength(1);
    expect(L.rulesPerBus(stack(byId(50, () => rule({}))))).toEqual([]);
    expect(L.targetsPerRule(stack({ R: rule({}, 6) }))).toHaveLength(1);
    expect(L.targetsPerRule(stack({ R: rule({}, 5) }))).toEqual([]);
  });
  it('bus policy within 10,240 characters', () => {
    const busPolicy = (accounts: number): CfnResource => ({
      Type: 'AWS::Events::EventBusPolicy',
      Properties: {
        Statement: {
          Effect: 'Allow',
          Principal: { AWS: many(accounts, (i) => `arn:aws:iam::${300000000000 + i}:root`) },
        },
      },
    });
    expect(L.eventBusPolicySize(stack({ P: busPolicy(400) }))).toHaveLength(1);
    expect(L.eventBusPolicySize(stack({ P: busPolicy(40) }))).toEqual([]);
  });
  it('CloudTrail and S3 event rules pin source to aws.*', () => {
    const cloudTrail = { 'detail-type': ['AWS API Call via CloudTrail'] };
    expect(L.awsSourcePinned(stack({ R: rule(cloudTrail) }))).toHaveLength(1);
    expect(
      L.awsSourcePinned(stack({ R: rule({ ...cloudTrail, source: ['aws.ec2', 'acme.forged'] }) })),
    ).toHaveLength(1);
    expect(L.awsSourcePinned(stack({ R: rule({ ...cloudTrail, source: ['aws.ec2'] }) }))).toEqual([]);
    expect(L.awsSourcePinned(stack({ R: rule({ ...cloudTrail, source: [{ prefix: 'aws.' }] }) }))).toEqual(
      [],
    );
    expect(L.awsSourcePinned(stack({ R: rule({ 'detail-type': ['Object Created'] }) }))).toHaveLength(1);
  });
});

describe('Cognito, S3, outputs, alarms, forwarders', () => {
  it('the app client allows the code flow for a public client', () => {
    const client = (p: Record<string, unknown>): CfnResource => ({
      Type: 'AWS::Cognito::UserPoolClient',
      Properties: p,
    });
    const good = {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: ['https://x/'],
    };
    expect(
      L.cognitoClientFlows(stack({ C: client({ ...good, AllowedOAuthFlows: ['implicit'] }) })),
    ).toHaveLength(1);
    expect(L.cognitoClientFlows(stack({ C: client({ ...good, GenerateSecret: true }) }))).toHaveLength(1);
    expect(L.cognitoClientFlows(stack({ C: client(good) }))).toEqual([]);
  });
  it('a bucket deleted with the stack is emptied first, or retained', () => {
    const bucket = (policy?: string): CfnResource => ({ Type: 'AWS::S3::Bucket', DeletionPolicy: policy });
    const autoDelete: CfnResource = {
      Type: 'Custom::S3AutoDeleteObjects',
      Properties: { BucketName: { Ref: 'B' } },
    };
    expect(L.bucketsEmptiedOrRetained(stack({ B: bucket('Delete') }))).toHaveLength(1);
    expect(L.bucketsEmptiedOrRetained(stack({ B: bucket() }))).toHaveLength(1);
    expect(L.bucketsEmptiedOrRetained(stack({ B: bucket('Retain') }))).toEqual([]);
    expect(L.bucketsEmptiedOrRetained(stack({ B: bucket('Delete'), A: autoDelete }))).toEqual([]);
  });
  it('the central stack outputs the dashboard, HTTP API and WebSocket URLs and the user pool', () => {
    const resources: Record<string, CfnResource> = {
      Cdn: { Type: 'AWS::CloudFront::Distribution' },
      Http: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } },
      Ws: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'WEBSOCKET' } },
      Pool: { Type: 'AWS::Cognito::UserPool' },
    };
    expect(L.centralOutputs(stack(resources))).toHaveLength(4);
    const Outputs = {
      D: { Value: { 'Fn::GetAtt': ['Cdn', 'DomainName'] } },
      H: { Value: { 'Fn::GetAtt': ['Http', 'ApiEndpoint'] } },
      W: { Value: { 'Fn::Join': ['', [{ Ref: 'Ws' }, '.execute-api']] } },
      P: { Value: { Ref: 'Pool' } },
    };
    expect(L.centralOutputs(stack(resources, { template: { Outputs } }))).toEqual([]);
  });
  it('every queue and tfdrift function has an alarm', () => {
    const fn: CfnResource = { Type: 'AWS::Lambda::Function', Properties: { Description: 'tfdrift: x' } };
    const alarmOn = (dimensions: unknown): CfnResource => ({
      Type: 'AWS::CloudWatch::Alarm',
      Properties: { Dimensions: dimensions },
    });
    expect(L.everythingAlarmed(stack({ Q: queue, F: fn }))).toHaveLength(2);
    const alarms = {
      A1: alarmOn([{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['Q', 'QueueName'] } }]),
      A2: alarmOn([{ Name: 'FunctionName', Value: { Ref: 'F' } }]),
    };
    expect(L.everythingAlarmed(stack({ Q: queue, F: fn, ...alarms }))).toEqual([]);
  });
  it('a forwarder needs no bootstrap: no bootstrap parameter, no function, an inline-sized body', () => {
    const forwarder = { stackName: 'TfdriftForwarder-us-east-1' };
    const bootstrapped = { ...forwarder, template: { Parameters: { BootstrapVersion: { Type: 'String' } } } };
    expect(L.forwarderBootstrapFree(stack({}, bootstrapped))).toHaveLength(1);
    expect(L.forwarderBootstrapFree(stack({ F: { Type: 'AWS::Lambda::Function' } }, forwarder))).toHaveLength(
      1,
    );
    expect(L.forwarderBootstrapFree(stack({}, forwarder, 51_201))).toHaveLength(1);
    expect(L.forwarderBootstrapFree(stack({}, forwarder, 51_200))).toEqual([]);
  });
  it('a check that throws is a finding, not a silent pass', () => {
    const findings = L.runChecks(stack({}), {
      broken: () => {
        throw new Error('unexpected shape');
      },
    });
    expect(findings).toEqual([
      { check: 'broken', stack: 'Tfdrift', message: 'check failed to run: unexpected shape' },
    ]);
  });
});
