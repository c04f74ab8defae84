// The synthesised stack, checked resource by resource: ingest patterns from the rule set (proved
// against real CloudTrail records with the core's matcher), delivery guarantees, runtimes, least
// privilege, tables, alerts, authorizers and the dashboard's CDN.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONNECTIONS_TABLE,
  DRIFT_INDEXES,
  DRIFTS_TABLE,
} from '../../lambdas/adapters/aws/drift-table-design.js';
import { matchesPattern } from '../../lambdas/core/event-pattern.js';
import { HANDLERS } from '../../lib/bundling.js';
import { buildTestApp, type SynthesisedApp } from './cdk-fixture.js';

const CORPUS = join(import.meta.dirname, '../fixtures/corpus/cloudtrail');
const CLOUDTRAIL = 'AWS API Call via CloudTrail';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
};

let synth: SynthesisedApp;
let template: Template;
let forwarder: Template;

beforeAll(() => {
  synth = buildTestApp();
  template = Template.fromStack(synth.stack);
  forwarder = Template.fromStack(synth.forwarder);
}, 240_000);
afterAll(() => synth?.cleanup());

function resources(type: string): [string, Resource][] {
  return Object.entries(template.findResources(type)) as [string, Resource][];
}

/** Logical id of the detect function. */
function detectFunctionId(): string {
  const [id] = resources('AWS::Lambda::Function').find(([, r]) =>
    String(r.Properties.Description).startsWith('tfdrift: CloudTrail'),
  )!;
  return id;
}

/** Statements of the policies attached to the role of the function whose description starts so. */
function statementsOf(description: string): Statement[] {
  const [, fn] = resources('AWS::Lambda::Function').find(([, r]) =>
    String(r.Properties.Description).startsWith(description),
  )!;
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
  return resources('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

const actions = (s: Statement) => [s.Action].flat();

describe('event ingest', () => {
  it('creates one rule per generated pattern, each delivering to the detect function with retries and a DLQ', () => {
    // Prepare
    const { patterns } = synth;
    // Assess
    expect(patterns.length).toBeGreaterThan(0);
    const rules = resources('AWS::Events::Rule').filter(([, r]) =>
      JSON.stringify(r.Properties.EventPattern ?? {}).includes(CLOUDTRAIL),
    );
    expect(rules).toHaveLength(patterns.length);
    for (const pattern of patterns) {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: pattern,
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [detectFunctionId(), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 7200 },
            DeadLetterConfig: {
              Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('IngestDeadLetterQueue'), 'Arn'] },
            },
          }),
        ],
      });
      expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(2048);
    }
  });

  it('delivers Terraform state writes (S3 Object Created of *.tfstate) to the detect function', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: {
          bucket: { name: ['acme-tfstate', 'acme-legacy-state'] },
          object: { key: [{ suffix: '.tfstate' }] },
        },
      },
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [detectFunctionId(), 'Arn'] } })],
    });
  });

  it('alarms as soon as a message waits in the dead-letter queue', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlertsAlarmTopic') }],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('IngestDeadLetter'), 'Arn'] } },
      },
    });
  });

  it("matches the corpus's successful write events of the rules' services, and no read-only event", () => {
    // Prepare: every corpus record of a service the rules watch, in the envelope EventBridge delivers.
    const { ruleSet } = synth;
    const patterns = resources('AWS::Events::Rule')
      .map(([, r]) => r.Properties.EventPattern)
      .filter((p) => JSON.stringify(p ?? {}).includes(CLOUDTRAIL)) as Parameters<typeof matchesPattern>[0][];
    const sources = new Set(ruleSet.rules.map((r) => r.eventSource));
    const rows = readFileSync(join(CORPUS, 'INDEX.tsv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
    let writes = 0;
    let reads = 0;
    for (const [path, eventSource, eventName] of rows) {
      if (!sources.has(eventSource)) continue;
      const record = JSON.parse(readFileSync(join(CORPUS, path), 'utf8')) as Record<string, unknown>;
      const envelope = {
        source: `aws.${eventSource.replace(/\.amazonaws\.com$/, '')}`,
        'detail-type': CLOUDTRAIL,
        detail: record,
      };
      // Act
      const matched = patterns.some((p) => matchesPattern(p, envelope));
      // Assess
      const handled = ruleSet.forEvent(eventSource, eventName).length > 0;
      const readOnly = record.readOnly === true || /^(Describe|Get|List|Head)/.test(eventName);
      if (readOnly && !handled) {
        reads += 1;
        expect(matched, `${path} is read-only`).toBe(false);
      } else if (handled && !('errorCode' in record)) {
        writes += 1;
        expect(matched, `${path} (${eventName}) is a write the rules handle`).toBe(true);
      } else if ('errorCode' in record) {
        // A failed call (some fixtures carry an empty errorCode; EventBridge's exists:false skips those too).
        expect(matched, `${path} failed (${String(record.errorCode)})`).toBe(false);
      }
    }
    expect(writes).toBeGreaterThan(100);
    expect(reads).toBeGreaterThan(100);
  });

  it('lets the organisation and listed accounts put events on the central bus', () => {
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: 'default',
      Statement: Match.objectLike({
        Action: 'events:PutEvents',
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc1234567' } },
      }),
    });
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({
        Principal: {
          AWS: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::210987654321:root']] }],
        },
      }),
    });
  });

  it('forwards the same patterns from us-east-1 to the central default bus', () => {
    const rules = Object.values(forwarder.findResources('AWS::Events::Rule')) as Resource[];
    expect(rules).toHaveLength(synth.patterns.length);
    forwarder.hasResourceProperties('AWS::Events::Rule', {
      Targets: [
        Match.objectLike({
          Arn: Match.objectLike({
            'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':events:eu-west-1:')])],
          }),
          RoleArn: Match.anyValue(),
          DeadLetterConfig: Match.anyValue(),
        }),
      ],
    });
  });
});

describe('functions', () => {
  it('runs every tfdrift function on nodejs22.x, arm64, with its own log group', () => {
    const ours = resources('AWS::Lambda::Function').filter(([, r]) =>
      String(r.Properties.Description).startsWith('tfdrift:'),
    );
    // Every handler, the three alert-channel functions included (the fixture sets every channel).
    expect(ours).toHaveLength(HANDLERS.length);
    for (const [, fn] of ours) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Handler).toBe('index.handler');
      expect(fn.Properties.LoggingConfig).toMatchObject({ LogGroup: { Ref: expect.stringMatching(/Logs/) } });
    }
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });

  it('ships the compiled rule set beside the handlers that detect, and only those', () => {
    const [, detect] = resources('AWS::Lambda::Function').find(([id]) => id === detectFunctionId())!;
    // The function's code object is the staged asset folder asset.<hash> zipped as <hash>.zip.
    const key = String((detect.Properties.Code as { S3Key: string }).S3Key);
    const dir = join(synth.dir, 'cdk.out', `asset.${key.replace(/\.zip$/, '')}`);
    expect(existsSync(join(dir, 'index.mjs'))).toBe(true);
    // A copy of rules/rules.json (which may be rebuilt meanwhile, so its shape is compared).
    const copied = JSON.parse(readFileSync(join(dir, 'rules.json'), 'utf8')) as unknown;
    expect(Array.isArray(copied)).toBe(true);
    const [, connect] = resources('AWS::Lambda::Function').find(([, r]) =>
      String(r.Properties.Description).startsWith('tfdrift: registers'),
    )!;
    const connectKey = String((connect.Properties.Code as { S3Key: string }).S3Key).replace(/\.zip$/, '');
    expect(existsSync(join(synth.dir, 'cdk.out', `asset.${connectKey}`, 'index.mjs'))).toBe(true);
    expect(existsSync(join(synth.dir, 'cdk.out', `asset.${connectKey}`, 'rules.json'))).toBe(false);
  });

  it('reads state only from the configured buckets and prefixes', () => {
    const statements = statementsOf('tfdrift: CloudTrail');
    const get = statements.find((s) => s.Sid === 'ReadState0')!;
    expect(actions(get)).toEqual(['s3:GetObject']);
    const objects = JSON.stringify(get.Resource);
    expect(objects).toContain(':s3:::acme-tfstate/prod/*');
    expect(objects).toContain(':s3:::acme-tfstate/teams/*.tfstate');
    expect(objects).toContain(':s3:::acme-tfstate/env:/*/prod/*');
    expect(objects).not.toMatch(/acme-tfstate\/\*"/);
    const list = statements.find((s) => s.Sid === 'ListState0')!;
    expect(actions(list)).toEqual(['s3:ListBucket']);
    expect(list.Condition).toEqual({ StringLike: { 's3:prefix': ['prod/*', 'teams/*', 'env:/*'] } });
    // The second bucket is configured whole.
    expect(JSON.stringify(statements.find((s) => s.Sid === 'ReadState1')!.Resource)).toContain(
      ':s3:::acme-legacy-state/*',
    );
    // Nothing may write to state.
    expect(statements.flatMap(actions).filter((a) => /^s3:(Put|Delete)/.test(a))).toEqual([]);
  });

  // Actions without resource-level permissions (Service Authorization Reference).
  const WILDCARD_ONLY = [
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    'dynamodb:ListStreams',
    'cloudtrail:LookupEvents',
  ];

  it('grants no wildcard resource except for actions AWS only allows on *', () => {
    const ours = resources('AWS::Lambda::Function').filter(([, r]) =>
      String(r.Properties.Description).startsWith('tfdrift:'),
    );
    for (const [, fn] of ours) {
      const statements = statementsOf(String(fn.Properties.Description));
      const wildcard = statements.filter((st) => st.Resource === '*').flatMap(actions);
      expect(
        wildcard.filter((a) => !WILDCARD_ONLY.includes(a)),
        String(fn.Properties.Description),
      ).toEqual([]);
    }
  });

  it('lets the backfill assume exactly the member accounts\u2019 reader roles, under the name their trust policy names', () => {
    // Assess: one statement, the exact role ARN of each member account (not the central one, no wildcard).
    const assume = statementsOf('tfdrift: drift from before the install').filter((st) =>
      actions(st).includes('sts:AssumeRole'),
    );
    const partitionArn = (account: string) => ({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:role/tfdrift-backfill-reader`]],
    });
    expect(assume).toEqual([
      {
        Sid: 'AssumeMemberReaders',
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: [partitionArn('210987654321'), partitionArn('345678901234')],
      },
    ]);
    // No other function may assume any role.
    const others = resources('AWS::IAM::Policy').filter(
      ([, p]) =>
        JSON.stringify(p.Properties.PolicyDocument).includes('sts:AssumeRole') &&
        !(p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref.startsWith('BackfillRole')),
    );
    expect(others.map(([id]) => id)).toEqual([]);
    // The role has the fixed name the member template trusts; the function is told the accounts.
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'tfdrift-backfill-eu-west-1' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^tfdrift: drift from before the install'),
      Environment: {
        Variables: Match.objectLike({
          BACKFILL_MEMBER_ACCOUNTS: '210987654321,345678901234',
          BACKFILL_MEMBER_ROLE_ARN: partitionArn('{account}'),
          BACKFILL_EXTERNAL_ID: 'acme-tfdrift-7f3a',
        }),
      },
    });
  });

  it('gives the detector functions exactly the DynamoDB calls their adapters make: no Scan, delete or batch on drifts', () => {
    for (const description of ['tfdrift: CloudTrail', 'tfdrift: dashboard HTTP API', 'tfdrift: re-reads']) {
      const dynamo = statementsOf(description).filter((st) =>
        actions(st).some((a) => a.startsWith('dynamodb:')),
      );
      const onTable = (name: string) =>
        dynamo
          .filter((st) => JSON.stringify(st.Resource).includes(name))
          .flatMap(actions)
          .sort();
      expect(onTable('StoreDrifts'), description).toEqual([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ]);
      expect(onTable('StoreEvents'), description).toEqual(['dynamodb:BatchWriteItem', 'dynamodb:Query']);
    }
  });

  // What the event source mapping needs of the stream (granted by CDK with the mapping).
  const STREAM_READ = [
    'dynamodb:DescribeStream',
    'dynamodb:GetRecords',
    'dynamodb:GetShardIterator',
    'dynamodb:ListStreams',
  ];
  it('gives the live-feed functions only the table calls they make and the management API', () => {
    const dynamo = (description: string) =>
      statementsOf(description)
        .flatMap(actions)
        .filter((a) => a.startsWith('dynamodb:') && !STREAM_READ.includes(a))
        .sort();
    const broadcast = statementsOf('tfdrift: sends drift changes');
    expect(broadcast.flatMap(actions)).toContain('execute-api:ManageConnections');
    expect(broadcast.flatMap(actions).some((a) => a.startsWith('sns:'))).toBe(false);
    expect(dynamo('tfdrift: sends drift changes')).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    // The drifts table's UpdateItem (the counts lose the drifts TTL removes) is for the counts item only.
    const uncount = broadcast.find((s) => actions(s).includes('dynamodb:UpdateItem'))!;
    expect(JSON.stringify(uncount.Resource)).toMatch(/StoreDrifts/);
    expect(uncount.Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['#drift-counts'] },
    });
    const connect = statementsOf('tfdrift: registers');
    expect(connect.flatMap(actions).some((a) => a.startsWith('s3:') || a.startsWith('sns:'))).toBe(false);
    expect(dynamo('tfdrift: registers')).toEqual(['dynamodb:PutItem']);
    expect(dynamo('tfdrift: forgets')).toEqual(['dynamodb:DeleteItem']);
    const resume = statementsOf('tfdrift: greets');
    expect(resume.flatMap(actions)).toContain('execute-api:ManageConnections');
    expect(dynamo('tfdrift: greets')).toEqual(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    const activate = resume.find((s) => actions(s).includes('dynamodb:UpdateItem'))!;
    expect(JSON.stringify(activate.Resource)).toMatch(/StoreConnections/);
    const byChange = resume.find((s) => actions(s).includes('dynamodb:Query'))!;
    expect(JSON.stringify(byChange.Resource)).toContain('/index/byChange');
  });

  it('answers the resume message on its own route, through the resume function', () => {
    const [routeId] = resources('AWS::ApiGatewayV2::Route').find(
      ([, r]) => r.Properties.RouteKey === 'resume',
    )!;
    const route = resources('AWS::ApiGatewayV2::Route').find(([id]) => id === routeId)![1];
    const integrationId = JSON.stringify(route.Properties.Target).match(/"Ref":"([^"]+)"/)![1];
    const integration = resources('AWS::ApiGatewayV2::Integration').find(([id]) => id === integrationId)![1];
    const [resumeId] = resources('AWS::Lambda::Function').find(([, r]) =>
      String(r.Properties.Description).startsWith('tfdrift: greets'),
    )!;
    expect(JSON.stringify(integration.Properties.IntegrationUri)).toContain(resumeId);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: '$request.body.action',
    });
  });

  it('feeds the broadcast function from the drifts stream: bounded, bisecting, dead-lettered, drifts written or removed only', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('StoreDrifts'), 'StreamArn'] },
      ParallelizationFactor: 1,
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT', 'MODIFY'],
              dynamodb: { NewImage: { gAll: { S: ['drift'] } } },
            }),
          },
          {
            Pattern: JSON.stringify({
              eventName: ['REMOVE'],
              dynamodb: { OldImage: { gAll: { S: ['drift'] } } },
            }),
          },
        ],
      },
    });
  });
});

describe('store', () => {
  it('builds the drifts table from the adapter design: on-demand, PITR, TTL, stream, encrypted, every index', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: DRIFTS_TABLE.partitionKey, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: DRIFTS_TABLE.ttlAttribute, Enabled: true },
      StreamSpecification: { StreamViewType: DRIFTS_TABLE.streamView },
      SSESpecification: { SSEEnabled: true },
      GlobalSecondaryIndexes: Object.values(DRIFT_INDEXES).map((index) =>
        Match.objectLike({
          IndexName: index.indexName,
          KeySchema: [
            { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
            { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
          ],
        }),
      ),
    });
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: DRIFTS_TABLE.partitionKey, KeyType: 'HASH' }],
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('expires connections by TTL and lists them through the keys-only index', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: CONNECTIONS_TABLE.partitionKey.name, KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: CONNECTIONS_TABLE.ttlAttribute, Enabled: true },
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'byFeed', Projection: { ProjectionType: 'KEYS_ONLY' } }),
      ],
    });
  });
});

describe('alerts', () => {
  it('encrypts the topic with a rotating key and refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('AlertsKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      Description: 'tfdrift alert topics',
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('subscribes each address with a severity filter policy and a dead-letter queue', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      FilterPolicy: { severity: ['high', 'critical'] },
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'security@example.com',
      FilterPolicy: { severity: ['critical'] },
    });
  });
});

describe('APIs', () => {
  it('guards the WebSocket $connect with the JWT REQUEST authorizer reading ?token=', () => {
    const [authorizerId] = Object.keys(
      template.findResources('AWS::ApiGatewayV2::Authorizer', {
        Properties: { AuthorizerType: 'REQUEST', IdentitySource: ['route.request.querystring.token'] },
      }),
    );
    expect(authorizerId).toBeDefined();
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$connect',
      AuthorizationType: 'CUSTOM',
      AuthorizerId: { Ref: authorizerId },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$disconnect' });
  });

  it('puts a Cognito JWT authorizer on every HTTP route and limits CORS to the dashboard', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: {
        Audience: [{ Ref: Match.stringLikeRegexp('DashboardUsersSpa') }],
        Issuer: Match.anyValue(),
      },
    });
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')) as Resource[];
    const httpRoutes = routes.filter((r) => /^(GET|POST) \//.test(String(r.Properties.RouteKey)));
    expect(httpRoutes.map((r) => r.Properties.RouteKey).sort()).toEqual([
      'GET /api/v1/{proxy+}',
      'GET /health',
      'POST /api/v1/{proxy+}',
    ]);
    for (const route of httpRoutes) expect(route.Properties.AuthorizationType).toBe('JWT');
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({
        AllowOrigins: [
          {
            'Fn::Join': [
              '',
              ['https://', { 'Fn::GetAtt': [Match.stringLikeRegexp('DashboardCdn'), 'DomainName'] }],
            ],
          },
        ],
      }),
    });
  });
});

describe('dashboard', () => {
  it('serves the private bucket through CloudFront with origin access control and HTTPS only', () => {
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
      }),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Origins: [
          Match.objectLike({
            OriginAccessControlId: Match.anyValue(),
            S3OriginConfig: { OriginAccessIdentity: '' },
          }),
        ],
      }),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('sends CSP, HSTS, frame and content-type headers', () => {
    const [policy] = resources('AWS::CloudFront::ResponseHeadersPolicy');
    const security = (
      policy[1].Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, never> }
    ).SecurityHeadersConfig;
    const csp = JSON.stringify(security.ContentSecurityPolicy);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(security.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 63072000,
      IncludeSubdomains: true,
    });
    expect(security.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    expect(security.ContentTypeOptions).toMatchObject({ Override: true });
  });

  it('signs in admin-created users only, with optional MFA, and writes config.json at deploy', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'OPTIONAL',
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolUser', { Username: 'alice@example.com' });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'tfdrift-123456789012' });
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DestinationBucketName: { Ref: Match.stringLikeRegexp('DashboardAssets') },
    });
  });
});

describe('trail', () => {
  it('creates a multi-region, KMS-encrypted trail with log-file validation', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: Match.anyValue(),
      EventSelectors: [Match.objectLike({ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true })],
    });
  });

  it('runs the backstop on a schedule with read access to the log files only', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(30 minutes)' });
    const statements = statementsOf('tfdrift: re-reads');
    const reads = statements.filter((s) => actions(s).includes('s3:GetObject'));
    expect(JSON.stringify(reads.map((s) => s.Resource))).toContain('/AWSLogs/*');
    const lists = statements.filter((s) => (s as { Sid?: string }).Sid === 'ListTrailLogs');
    expect(lists.map((s) => s.Condition)).toEqual([{ StringLike: { 's3:prefix': ['AWSLogs/*'] } }]);
    // Exactly these two on the trail bucket: no GetObject*, GetBucket* or List* wildcards.
    expect(statements.flatMap(actions).filter((a) => /^s3:/.test(a) && a.includes('*'))).toEqual([]);
    expect(statements.flatMap(actions)).toContain('kms:Decrypt');
  });
});
