// Deploy rehearsal, IAM: for every settings profile, every AWS call each deployed function's code can
// send (derived from its bundle, test/rehearsal/iam-calls.ts) and every call AWS services make for
// the stack is simulated with @cloud-copilot/iam-simulate against the synthesized template's identity
// and resource policies (test/rehearsal/iam-model.ts), and must be allowed; calls the functions must
// never be able to make (writing state, other buckets, tables, topics, keys, APIs, actions their code
// never sends) must be denied. A test named "[defect N]" fails while issue #11's defect N is open.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { needsDriftBus } from '../../lib/constructs/drift-channels.js';
import { DEFAULT_NOTIFICATIONS } from '../../lib/settings.js';
import { backfillRoleName } from '../../lib/tfdrift-stack.js';
import { type SynthesizedProfile, synthesizeProfile } from './assembly.js';
import { type BackfillReader, backfillReader } from './backfill-reader.js';
import { CfnResolver } from './cfn-resolve.js';
import { actionOf, DISCOVERED_MEMBER, sdkCommands, targetOf, withoutComments } from './iam-calls.js';
import {
  type CheckGroup,
  type CheckResult,
  describeCheck,
  type IamCheck,
  profileChecks,
  simulate,
} from './iam-model.js';
import { CENTRAL_ACCOUNT, MEMBER_ACCOUNT, PROFILES } from './profiles.js';

process.env.AWS_REGION ??= 'eu-west-1';
process.env.CDK_DEFAULT_REGION ??= 'eu-west-1';

interface ProfileIam {
  readonly results: readonly CheckResult[];
  readonly handlers: readonly { stack: string; fnId: string; handler: string }[];
  readonly notOurs: readonly { stack: string; fnId: string; runtime: string }[];
  readonly forwarderRules: number;
  readonly trails: number;
  /** Subscriptions with a dead-letter queue. */
  readonly snsDeadLetters: number;
  /** Node.js functions, alarms notifying a topic, and KMS keys of the profile's templates. */
  readonly nodeFunctions: number;
  readonly topicAlarms: number;
  readonly keys: number;
}

const iam = new Map<string, ProfileIam>();
/** What the simulation says about a realistic template whose policies were broken on purpose. */
let sabotaged: string[] = [];

/**
 * The realistic profile's central template with three mistakes a policy change could make: no
 * function may publish alerts any more, the detect function may write state, and CloudWatch lost
 * its grant on the alerts topic.
 */
async function sabotage(synths: readonly SynthesizedProfile[]): Promise<string[]> {
  const realistic = synths.find((s) => s.profile.name === 'realistic');
  const central = realistic?.stacks.find((s) => s.stackName === 'Tfdrift');
  if (!realistic || !central) throw new Error('no realistic central stack');
  const template = structuredClone(central.template);
  for (const resource of Object.values(template.Resources)) {
    const doc = (resource.Properties?.PolicyDocument ?? undefined) as { Statement: unknown[] } | undefined;
    if (resource.Type === 'AWS::IAM::Policy' && doc) {
      doc.Statement = doc.Statement.filter((st) => (st as { Action?: unknown }).Action !== 'sns:Publish');
      if (String(resource.Properties?.PolicyName).startsWith('DetectRole')) {
        doc.Statement.push({
          Effect: 'Allow',
          Action: 's3:PutObject',
          Resource: 'arn:aws:s3:::acme-tfstate/*',
        });
      }
    }
    if (resource.Type === 'AWS::SNS::TopicPolicy' && doc) {
      doc.Statement = doc.Statement.filter((st) => !JSON.stringify(st).includes('cloudwatch.amazonaws.com'));
    }
  }
  const broken = { ...realistic, stacks: [{ ...central, template }] };
  const { checks } = await profileChecks(broken, synths);
  const results = await Promise.all(checks.map((check) => simulate(check)));
  return results.filter((r) => !r.passed).map(describeCheck);
}

const asArray = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

describe('IAM rehearsal of the synthesized profiles', () => {
  beforeAll(async () => {
    // All profiles at once: a member account's forwarders are checked against the bus policy of the
    // central account of its organisation, which another profile deploys.
    const synths: SynthesizedProfile[] = [];
    try {
      for (const profile of PROFILES) synths.push(synthesizeProfile(profile));
      for (const synth of synths) {
        const { checks, handlers, notOurs } = await profileChecks(synth, synths);
        const results: CheckResult[] = [];
        for (const check of checks) results.push(await simulate(check));
        const count = (type: string) =>
          synth.stacks.flatMap((s) => Object.values(s.template.Resources)).filter((r) => r.Type === type);
        iam.set(synth.profile.name, {
          results,
          handlers,
          notOurs,
          forwarderRules: count('AWS::Events::Rule').filter((r) =>
            JSON.stringify(r.Properties?.Targets ?? []).includes(':event-bus/'),
          ).length,
          trails: count('AWS::CloudTrail::Trail').length,
          snsDeadLetters: count('AWS::SNS::Subscription').filter((r) => r.Properties?.RedrivePolicy).length,
          nodeFunctions: count('AWS::Lambda::Function').filter((r) =>
            String(r.Properties?.Runtime).startsWith('nodejs'),
          ).length,
          topicAlarms: count('AWS::CloudWatch::Alarm').filter(
            (r) => asArray(r.Properties?.AlarmActions).length > 0,
          ).length,
          keys: count('AWS::KMS::Key').length,
        });
        const allow = results.filter((r) => r.check.expect === 'allow').length;
        const failed = results.filter((r) => !r.passed).length;
        console.log(
          `IAM rehearsal ${synth.profile.name}: ${results.length} calls simulated (${allow} must be allowed, ${results.length - allow} must be denied), ${failed} wrong`,
        );
      }
      sabotaged = await sabotage(synths);
    } finally {
      for (const synth of synths) synth.cleanup();
    }
  }, 600_000);

  afterAll(() => iam.clear());

  function profileIam(name: string): ProfileIam {
    const found = iam.get(name);
    if (!found) throw new Error(`profile ${name} was not simulated`);
    return found;
  }

  /** The checks of some groups (there must be some) and the ones the simulator decided wrongly. */
  function group(name: string, groups: CheckGroup[], filter: (c: IamCheck) => boolean = () => true) {
    const results = profileIam(name).results.filter((r) => groups.includes(r.check.group) && filter(r.check));
    return { results, wrong: results.filter((r) => !r.passed).map(describeCheck) };
  }

  describe.each(PROFILES.map((p) => p.name))('IAM rehearsal: %s', (name) => {
    it('knows the code of every Node.js function the template deploys', () => {
      const { handlers, notOurs, nodeFunctions } = profileIam(name);
      // CDK's own functions (BucketDeployment, the bucket emptier) are not tfdrift's handlers.
      expect(notOurs.map((f) => f.fnId).filter((id) => !id.startsWith('Custom'))).toEqual([]);
      expect(handlers.length + notOurs.filter((f) => f.runtime.startsWith('nodejs')).length).toBe(
        nodeFunctions,
      );
    });

    it('allows every call the functions\u2019 code sends and the Lambda runtime makes for them', () => {
      const { results, wrong } = group(name, ['function-allow']);
      // A member account deploys forwarders only, no functions.
      expect(results.length > 0).toBe(profileIam(name).handlers.length > 0);
      expect(wrong).toEqual([]);
    });

    it('denies writing state, and other buckets, tables, topics, keys and APIs', () => {
      const { results, wrong } = group(name, ['function-deny']);
      // A member account deploys forwarders only, no functions.
      expect(results.length > 0).toBe(profileIam(name).handlers.length > 0);
      expect(wrong).toEqual([]);
    });

    it('[defect 12] denies each function the actions its code never sends on the resources of the stack', () => {
      const { results, wrong } = group(name, ['function-least-privilege']);
      // A member account deploys forwarders only, no functions.
      expect(results.length > 0).toBe(profileIam(name).handlers.length > 0);
      expect(wrong).toEqual([]);
    });

    it('lets EventBridge invoke and dead-letter for the stack\u2019s rules only, and API Gateway invoke for its routes only', () => {
      const { results, wrong } = group(name, ['eventbridge', 'apigateway']);
      expect(results.filter((r) => r.check.expect === 'allow').length).toBeGreaterThan(0);
      expect(results.some((r) => r.check.expect === 'deny')).toBe(profileIam(name).handlers.length > 0);
      expect(wrong).toEqual([]);
    });

    it('[defect 5] lets CloudWatch alarms notify their topic through its key', () => {
      const { results, wrong } = group(name, ['cloudwatch']);
      expect(results.some((r) => r.check.action === 'sns:Publish')).toBe(profileIam(name).topicAlarms > 0);
      expect(wrong).toEqual([]);
    });

    it('lets SNS dead-letter undeliverable notifications', () => {
      const { snsDeadLetters } = profileIam(name);
      const { results, wrong } = group(name, ['sns']);
      expect(results.filter((r) => r.check.action === 'sqs:SendMessage').length).toBe(snsDeadLetters);
      expect(wrong).toEqual([]);
    });

    it('[defect 12] keeps service grants on keys to this account (aws:SourceAccount)', () => {
      const { results, wrong } = group(name, ['service-source-account']);
      expect(results.length > 0).toBe(profileIam(name).keys > 0);
      expect(wrong).toEqual([]);
    });

    it('[defect 3] lets CloudTrail deliver to the trail bucket with the trail key, and no other trail', () => {
      const { trails } = profileIam(name);
      const { results, wrong } = group(name, ['cloudtrail']);
      // Only a profile that creates its trail has CloudTrail writing into the stack's resources.
      expect(trails > 0).toBe(PROFILES.find((p) => p.name === name)?.settings.createTrail === true);
      expect(results.length > 0).toBe(trails > 0);
      expect(wrong).toEqual([]);
    });

    it('lets only tfdrift\u2019s own functions put events on its drift bus, not even an account administrator', () => {
      const { results, wrong } = group(name, ['drift-bus']);
      const settings = PROFILES.find((p) => p.name === name)?.settings;
      const hasBus =
        profileIam(name).handlers.length > 0 &&
        needsDriftBus(settings?.notifications ?? DEFAULT_NOTIFICATIONS);
      expect(results.length > 0).toBe(hasBus);
      expect(wrong).toEqual([]);
    });

    it('lets every forwarder rule put events on the central bus (another account\u2019s through its bus policy)', () => {
      const { forwarderRules } = profileIam(name);
      const { results, wrong } = group(name, ['forwarder']);
      expect(results.length).toBe(forwarderRules);
      expect(wrong).toEqual([]);
    });
  });

  it('catches policies broken on purpose: a lost grant, a write to state, a lost service grant', () => {
    // The same template unbroken decides all three right (the profile tests above).
    expect(sabotaged.some((line) => /^detect: sns:Publish .* must be allowed/.test(line))).toBe(true);
    expect(sabotaged.some((line) => /^query-api: sns:Publish .* must be allowed/.test(line))).toBe(true);
    expect(
      sabotaged.some((line) =>
        /^detect: s3:PutObject on arn:aws:s3:::acme-tfstate\/.* must be denied/.test(line),
      ),
    ).toBe(true);
    expect(sabotaged.some((line) => /CloudWatch alarms: sns:Publish .* must be allowed/.test(line))).toBe(
      true,
    );
    expect(sabotaged.some((line) => /^ws-connect:/.test(line))).toBe(false);
  });

  describe('IAM rehearsal: calls derived from the code', () => {
    const actions = (profile: string, handler: string, expectTo: 'allow' | 'deny') =>
      new Set(
        profileIam(profile)
          .results.filter((r) => r.check.subject === handler && r.check.expect === expectTo)
          .map((r) => r.check.action),
      );

    it('finds what the detect function sends, and only that', () => {
      const sent = actions('realistic', 'detect', 'allow');
      for (const action of [
        'dynamodb:PutItem',
        'dynamodb:GetItem',
        'dynamodb:UpdateItem',
        'dynamodb:Query',
        'dynamodb:BatchWriteItem',
        'sns:Publish',
        'kms:GenerateDataKey',
        's3:GetObject',
        's3:ListBucket',
        'logs:PutLogEvents',
      ]) {
        expect(sent).toContain(action);
      }
      for (const action of [
        'dynamodb:Scan',
        'dynamodb:DeleteItem',
        's3:PutObject',
        'execute-api:ManageConnections',
      ]) {
        expect(sent).not.toContain(action);
      }
    });

    it('finds the drift-event calls: PutEvents on the drift bus, chat topics, webhook secrets, Security Hub', () => {
      const detect = actions('realistic', 'detect', 'allow');
      expect(detect).toContain('events:PutEvents');
      expect(actions('realistic', 'query-api', 'allow')).toContain('events:PutEvents');
      expect(actions('realistic', 'chat-delivery', 'allow')).toContain('sns:Publish');
      expect(actions('realistic', 'chat-delivery', 'allow')).not.toContain('events:PutEvents');
      const webhookReads = profileIam('realistic').results.filter(
        (r) => r.check.subject === 'webhook-delivery' && r.check.action === 'secretsmanager:GetSecretValue',
      );
      expect(
        webhookReads
          .filter((r) => r.check.expect === 'allow')
          .map((r) => r.check.resource)
          .sort(),
      ).toEqual([
        `arn:aws:secretsmanager:eu-west-1:111111111111:secret:soc/tfdrift-signing-Zz9Yx8`,
        `arn:aws:secretsmanager:eu-west-1:111111111111:secret:tfdrift/webhook-GhIjKl`,
      ]);
      expect(
        [...actions('realistic', 'security-hub', 'allow')].filter((a) => a.startsWith('securityhub:')).sort(),
      ).toEqual(['securityhub:BatchImportFindings', 'securityhub:BatchUpdateFindings']);
      // A function that never publishes may not put drift events.
      expect(actions('realistic', 'ws-connect', 'deny')).toContain('events:PutEvents');
      expect(actions('realistic', 'security-hub', 'deny')).toContain('events:PutEvents');
    });

    it('finds that the WebSocket authorizer calls no AWS API, and the backstop reads the trail', () => {
      const authorizer = [...actions('realistic', 'ws-authorizer', 'allow')].sort();
      expect(authorizer).toEqual([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
      const backstopReads = profileIam('realistic').results.filter(
        (r) =>
          r.check.subject === 'backstop' &&
          r.check.expect === 'allow' &&
          r.check.resource.includes('acme-org-cloudtrail'),
      );
      expect(backstopReads.map((r) => r.check.action)).toContain('s3:GetObject');
      // Organisation trail: the member account found under AWSLogs/<org>/ is read too.
      expect(
        backstopReads.some((r) => r.check.resource.includes(`/AWSLogs/o-abc1234567/${DISCOVERED_MEMBER}/`)),
      ).toBe(true);
    });

    it('lets the backfill assume exactly the member readers, with their external id, and read history there', () => {
      const assumes = (profile: string, subject: string, expectTo: 'allow' | 'deny') =>
        profileIam(profile)
          .results.filter(
            (r) =>
              r.check.subject === subject &&
              r.check.action === 'sts:AssumeRole' &&
              r.check.expect === expectTo,
          )
          .map((r) => `${r.check.resource} ${JSON.stringify(r.check.context['sts:ExternalId'] ?? null)}`);
      // The shipped member template's trust policy, deployed for this central stack, decides each.
      expect(assumes('realistic', 'backfill', 'allow')).toEqual([
        `arn:aws:iam::${MEMBER_ACCOUNT}:role/tfdrift-backfill-reader "acme-tfdrift-7f3a"`,
      ]);
      expect(assumes('realistic', 'backfill', 'deny').sort()).toEqual(
        [
          `arn:aws:iam::${MEMBER_ACCOUNT}:role/OrganizationAccountAccessRole null`,
          `arn:aws:iam::${MEMBER_ACCOUNT}:role/tfdrift-backfill-reader "acme-tfdrift-7f3a-not"`,
          `arn:aws:iam::${MEMBER_ACCOUNT}:role/tfdrift-backfill-reader null`,
          'arn:aws:iam::999999999999:role/OrganizationAccountAccessRole null',
        ].sort(),
      );
      const reads = profileIam('realistic').results.filter(
        (r) =>
          r.check.subject === 'backfill' && r.check.principal.startsWith(`arn:aws:sts::${MEMBER_ACCOUNT}:`),
      );
      expect(reads.map((r) => [r.check.action, r.decision])).toEqual([
        ['cloudtrail:LookupEvents', 'Allowed'],
      ]);
      // The accounts default to sourceAccounts: all 40 of the large organisation, no external id.
      const large = assumes('large-organisation', 'backfill', 'allow');
      expect(large).toHaveLength(40);
      expect(large[0]).toBe('arn:aws:iam::300000000000:role/tfdrift-backfill-reader null');
      // No member account configured, or another function: nothing to assume.
      expect(assumes('defaults', 'backfill', 'allow')).toEqual([]);
      expect(assumes('realistic', 'detect', 'allow')).toEqual([]);
      expect(assumes('realistic', 'detect', 'deny')).toContain(
        'arn:aws:iam::999999999999:role/OrganizationAccountAccessRole null',
      );
    });

    it('prefers the state bucket key over guessing: SSE-KMS state is decrypted through S3 only', () => {
      const decrypts = profileIam('realistic').results.filter(
        (r) => r.check.subject === 'detect' && r.check.action === 'kms:Decrypt' && r.check.expect === 'allow',
      );
      expect(decrypts.map((r) => r.check.context['kms:ViaService'])).toContain('s3.eu-west-1.amazonaws.com');
      expect(
        decrypts.some((r) => r.check.resource.endsWith('key/1234abcd-12ab-34cd-56ef-1234567890ab')),
      ).toBe(true);
    });
  });
});

describe('IAM rehearsal: the member accounts\u2019 backfill reader (lib/templates/backfill-reader-role.yaml)', () => {
  const OTHER = '999999999999';
  /** AssumeRole of the reader by a role that may assume anything: only the trust policy decides. */
  async function assume(reader: BackfillReader, account: string, roleName: string, externalId?: string) {
    const result = await simulate({
      group: 'function-allow',
      subject: 'member reader trust',
      principal: `arn:aws:sts::${account}:assumed-role/${roleName}/tfdrift-backfill`,
      action: 'sts:AssumeRole',
      resource: reader.roleArn,
      context: {
        'aws:SecureTransport': 'true',
        'aws:PrincipalAccount': account,
        'aws:PrincipalArn': `arn:aws:iam::${account}:role/${roleName}`,
        ...(externalId ? { 'sts:ExternalId': externalId } : {}),
      },
      identityPolicies: [
        {
          name: 'AssumeAnything',
          policy: { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] },
        },
      ],
      resourcePolicy: reader.trustPolicy,
      expect: 'allow',
      why: 'the trust policy decides',
    });
    return result.decision;
  }
  const central = backfillRoleName('eu-west-1');

  it('trusts only the central backfill role of its region, and asks for the external id when one is set', async () => {
    // Prepare
    const reader = backfillReader(MEMBER_ACCOUNT, 'eu-west-1', {
      CentralAccountId: CENTRAL_ACCOUNT,
      CentralRegion: 'eu-west-1',
      ExternalId: 'acme-tfdrift-7f3a',
    });
    // Act and assess
    expect(reader.roleArn).toBe(`arn:aws:iam::${MEMBER_ACCOUNT}:role/tfdrift-backfill-reader`);
    expect(await assume(reader, CENTRAL_ACCOUNT, central, 'acme-tfdrift-7f3a')).toBe('Allowed');
    expect(await assume(reader, CENTRAL_ACCOUNT, central)).toMatch(/Denied$/);
    expect(await assume(reader, CENTRAL_ACCOUNT, central, 'guessed')).toMatch(/Denied$/);
    // Another role of the central account, a backfill of another region, the same name elsewhere.
    expect(
      await assume(reader, CENTRAL_ACCOUNT, 'Tfdrift-DetectRole1A2B3C4D-0F1E2D3C4B5A', 'acme-tfdrift-7f3a'),
    ).toMatch(/Denied$/);
    expect(
      await assume(reader, CENTRAL_ACCOUNT, backfillRoleName('eu-central-1'), 'acme-tfdrift-7f3a'),
    ).toMatch(/Denied$/);
    expect(await assume(reader, OTHER, central, 'acme-tfdrift-7f3a')).toMatch(/Denied$/);
  });

  it('needs no external id when none is set, and takes the role name given', async () => {
    const reader = backfillReader(MEMBER_ACCOUNT, 'eu-west-1', {
      CentralAccountId: CENTRAL_ACCOUNT,
      CentralRegion: 'eu-west-1',
      RoleName: 'audit-tfdrift',
    });
    expect(reader.roleArn).toBe(`arn:aws:iam::${MEMBER_ACCOUNT}:role/audit-tfdrift`);
    expect(JSON.stringify(reader.trustPolicy)).not.toContain('sts:ExternalId');
    expect(await assume(reader, CENTRAL_ACCOUNT, central)).toBe('Allowed');
    expect(await assume(reader, OTHER, central)).toMatch(/Denied$/);
  });
});

describe('IAM rehearsal: reading SDK commands from code', () => {
  const connections = 'lambdas/adapters/aws/dynamo-connections.ts';

  it('keeps only the commands of methods the bundle calls', () => {
    // Act: the connect function's bundle holds the whole DynamoConnections class.
    const connect = sdkCommands(connections, [connections, 'lambdas/handlers/ws-connect.ts']);
    const broadcast = sdkCommands(connections, [
      connections,
      'lambdas/handlers/broadcast.ts',
      'lambdas/services/broadcast-service.ts',
    ]);
    // Assess
    expect(connect.map((c) => c.command)).toEqual(['PutCommand']);
    expect(broadcast.map((c) => `${c.command}${c.usesIndex ? ' on an index' : ''}`).sort()).toEqual([
      'DeleteCommand',
      'QueryCommand on an index',
    ]);
    expect(broadcast.every((c) => c.pkg === '@aws-sdk/lib-dynamodb')).toBe(true);
  });

  it('does not take a method named in a comment for a call', () => {
    // Prepare: drift-table-design.ts names DynamoDriftStore.recount() in a comment; recount reads indexes.
    const store = 'lambdas/adapters/aws/dynamo-drift-store.ts';
    const bundle = [
      store,
      'lambdas/adapters/aws/drift-table-design.ts',
      'lambdas/services/resume-service.ts',
    ];
    // Act
    const calls = sdkCommands(store, bundle);
    // Assess: the resume's own reads (changesSince, headSeq) and no index query for a recount.
    expect(calls.some((c) => c.command === 'QueryCommand')).toBe(true);
    expect(
      calls.filter((c) => c.usesIndex && c.index !== undefined && /by(Time|Status|Severity)/.test(c.index)),
    ).toEqual([]);
    // Block and whole-line comments are blanked (offsets kept); code is not.
    expect(withoutComments('a();\n  // b.recount()\n/* c.read() */ d();')).toBe(
      `a();\n${' '.repeat(16)}\n${' '.repeat(14)} d();`,
    );
  });

  it('refuses a command or a module it has no mapping for, naming it', () => {
    expect(
      actionOf({ module: 'm.ts', pkg: '@aws-sdk/lib-dynamodb', command: 'PutCommand', usesIndex: false }),
    ).toBe('dynamodb:PutItem');
    expect(() =>
      actionOf({
        module: 'm.ts',
        pkg: '@aws-sdk/client-s3',
        command: 'DeleteObjectCommand',
        usesIndex: false,
      }),
    ).toThrow('m.ts sends DeleteObjectCommand (@aws-sdk/client-s3): add its IAM action to COMMAND_ACTIONS');
    expect(() => targetOf('lambdas/adapters/aws/new-thing.ts', 'detect', [])).toThrow('MODULE_TARGETS');
    expect(() => targetOf(connections, 'ws-authorizer', ['lambdas/handlers/ws-authorizer.ts'])).toThrow(
      "the ws-authorizer function's code never reads CONNECTIONS_TABLE",
    );
    expect(targetOf(connections, 'ws-connect', ['lambdas/handlers/ws-connect.ts'])).toEqual({
      kind: 'table',
      env: 'CONNECTIONS_TABLE',
    });
  });
});

describe('CfnResolver', () => {
  const template = {
    Resources: {
      Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
      Mystery: { Type: 'AWS::Foo::Bar', Properties: {} },
    },
  };
  const cfn = new CfnResolver(template, { stackName: 'S', account: '111111111111', region: 'eu-west-1' });

  it('resolves references, joins, substitutions and splits to concrete, stable names', () => {
    const arn = cfn.resolve({ 'Fn::GetAtt': ['Table', 'Arn'] });
    expect(arn).toMatch(/^arn:aws:dynamodb:eu-west-1:111111111111:table\/S-Table-[0-9A-F]{12}$/);
    expect(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
      cfn.resolve({ 'Fn::Sub': 'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${Table}' }),
    ).toBe(`arn:aws:x:eu-west-1:111111111111:${cfn.ref('Table')}`);
    expect(cfn.resolve({ 'Fn::Join': ['/', ['a', { Ref: 'AWS::URLSuffix' }]] })).toBe('a/amazonaws.com');
    expect(
      cfn.resolve({ 'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Queue', 'Arn'] }] }] }),
    ).toBe('aws');
    expect(
      new CfnResolver(template, { stackName: 'S', account: '111111111111', region: 'eu-west-1' }).ref(
        'Table',
      ),
    ).toBe(cfn.ref('Table'));
  });

  it('takes parameter values or their defaults, evaluates conditions, and drops AWS::NoValue', () => {
    const withParameters = {
      Parameters: { Id: { Type: 'String', Default: '' }, Name: { Type: 'String', Default: 'reader' } },
      Conditions: { HasId: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Id' }, ''] }] } },
      Resources: {},
    };
    const value = {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation's Fn::Sub syntax
      name: { 'Fn::Sub': 'role/${Name}' },
      id: { 'Fn::If': ['HasId', { Ref: 'Id' }, { Ref: 'AWS::NoValue' }] },
      list: ['a', { 'Fn::If': ['HasId', 'b', { Ref: 'AWS::NoValue' }] }],
    };
    const target = { stackName: 'P', account: '222222222222', region: 'eu-west-1' };
    expect(new CfnResolver(withParameters, target).resolve(value)).toEqual({
      name: 'role/reader',
      list: ['a'],
    });
    expect(
      new CfnResolver(withParameters, { ...target, parameters: { Id: 'x1', Name: 'other' } }).resolve(value),
    ).toEqual({ name: 'role/other', id: 'x1', list: ['a', 'b'] });
    expect(() =>
      new CfnResolver({ Parameters: { Need: { Type: 'String' } }, Resources: {} }, target).resolve({
        Ref: 'Need',
      }),
    ).toThrow('parameter Need has no value');
  });

  it('refuses what it cannot resolve, naming it', () => {
    expect(() => cfn.resolve({ 'Fn::GetAtt': ['Mystery', 'Arn'] })).toThrow('Mystery.Arn (AWS::Foo::Bar)');
    expect(() => cfn.resolve({ 'Fn::ImportValue': 'x' })).toThrow('intrinsic Fn::ImportValue');
    expect(() => cfn.resolve({ Ref: 'Nowhere' })).toThrow('no resource Nowhere');
  });
});
