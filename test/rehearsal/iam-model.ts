// The IAM side of a synthesized profile, as concrete requests for an IAM policy simulator
// (@cloud-copilot/iam-simulate): each function's role and every call its code can send (iam-calls.ts)
// plus what the Lambda runtime does with the role (logs, X-Ray, stream reads, destinations); the
// resource policies of the template (key, topic, queue, bucket, event bus policies, Lambda
// permissions); and the calls AWS services make on the stack's behalf (EventBridge, CloudWatch, SNS,
// CloudTrail, API Gateway). Each request says whether it must be allowed or denied, and why.

import { runSimulation } from '@cloud-copilot/iam-simulate';
import { MEMBER_ACCOUNT_PLACEHOLDER } from '../../lambdas/handlers/runtime/function-env.js';
import { listPrefix } from '../../lib/settings.js';
import type { SynthesizedProfile, SynthesizedStack } from './assembly.js';
import { backfillReader } from './backfill-reader.js';
import { CfnResolver } from './cfn-resolve.js';
import {
  actionOf,
  handlerOfBundle,
  type RecordedRequest,
  sdkCommands,
  stateRequests,
  targetOf,
  trailRequests,
} from './iam-calls.js';

type Policy = { Version?: string; Statement: Statement[] | Statement };
type Statement = Record<string, unknown>;
type Context = Record<string, string | string[]>;

/** What a check is about; each group is one test of iam.test.ts. */
export type CheckGroup =
  | 'function-allow'
  | 'function-deny'
  | 'function-least-privilege'
  | 'eventbridge'
  | 'apigateway'
  | 'cloudwatch'
  | 'sns'
  | 'cloudtrail'
  | 'service-source-account'
  | 'forwarder'
  | 'drift-bus';

/** One request to simulate, and the decision it must get. */
export interface IamCheck {
  readonly group: CheckGroup;
  /** What the check is about, e.g. "detect", "EventBridge → detect", "CloudWatch alarms". */
  readonly subject: string;
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Context;
  /** The resource's account when its ARN has none (S3). @default the ARN's account */
  readonly resourceAccount?: string;
  readonly identityPolicies: readonly { name: string; policy: Policy }[];
  readonly resourcePolicy?: Policy;
  readonly expect: 'allow' | 'deny';
  /** Why the request is made (or why it must be refused). */
  readonly why: string;
  /** The issue #11 defect a failure of this check shows, when known. */
  readonly defect?: string;
}

export interface CheckResult {
  readonly check: IamCheck;
  readonly decision: string;
  readonly passed: boolean;
}

/** IAM's resource wildcards (* and ?) as a regular expression, compiled once per pattern. */
const patterns = new Map<string, RegExp>();
function wildcard(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`);
    patterns.set(pattern, re);
  }
  return re;
}

/** Every condition value of the policies, per condition key (lower case). */
function conditionValues(policies: readonly Policy[]): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const policy of policies) {
    for (const st of statements(policy)) {
      for (const operands of Object.values((st.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
        for (const [key, value] of Object.entries(operands)) {
          const k = key.toLowerCase();
          values.set(k, [...(values.get(k) ?? []), ...asArray(value as string | string[]).map(String)]);
        }
      }
    }
  }
  return values;
}

/** How a value compares with each pattern: equal, equal ignoring case, like, like ignoring case. */
function comparisons(value: string, patterns: readonly string[]): string {
  return patterns
    .map((p) =>
      [
        value === p,
        value.toLowerCase() === p.toLowerCase(),
        wildcard(p).test(value),
        wildcard(p.toLowerCase()).test(value.toLowerCase()),
      ]
        .map((b) => (b ? '1' : '0'))
        .join(''),
    )
    .join('');
}

/**
 * Two requests of one principal and action get the same decision when every Resource and NotResource
 * pattern of every policy in play matches both or neither, and every context value the policies'
 * conditions test compares alike with every value they test it against (only string and ARN
 * conditions are used here). The simulator then runs once per class: the backstop of a large
 * organisation lists and reads thousands of keys that no policy tells apart.
 */
function decisionKey(check: IamCheck): string {
  const policies = [...check.identityPolicies.map((p) => p.policy), check.resourcePolicy].filter(
    (p): p is Policy => p !== undefined,
  );
  const resources = policies
    .flatMap((policy) =>
      statements(policy).map((st) =>
        [...asArray(st.Resource as string | string[]), ...asArray(st.NotResource as string | string[])]
          .map((r) => (wildcard(String(r)).test(check.resource) ? '1' : '0'))
          .join(''),
      ),
    )
    .join('|');
  const tested = conditionValues(policies);
  const context = Object.entries(check.context)
    .filter(([key]) => tested.has(key.toLowerCase()))
    .map(
      ([key, value]) =>
        `${key}=${asArray(value).map((v) => comparisons(v, tested.get(key.toLowerCase()) ?? []))}`,
    );
  return JSON.stringify([check.principal, check.action, check.resourceAccount, resources, context]);
}

const decisions = new WeakMap<object, Map<string, string>>();

export async function simulate(check: IamCheck): Promise<CheckResult> {
  // Decisions are cached per identity (every check of one function shares its policies array).
  const cache = decisions.get(check.identityPolicies) ?? new Map<string, string>();
  decisions.set(check.identityPolicies, cache);
  const key = `${JSON.stringify(check.resourcePolicy ?? null)}:${decisionKey(check)}`;
  let decision = cache.get(key);
  if (decision === undefined) {
    decision = await simulateOnce(check);
    cache.set(key, decision);
  }
  const passed = check.expect === 'allow' ? decision === 'Allowed' : /Denied$/.test(decision);
  return { check, decision, passed };
}

/**
 * iam-simulate 0.1.173 drops request context keys of the form kms:EncryptionContext:<key> (it only
 * matches variable keys written with a slash, like aws:RequestTag/<key>), so a key policy condition
 * on CloudTrail's encryption context would never match. The same key is renamed, in the request and
 * in every policy alike, to a slash-variable key the simulator keeps: same operators, same values.
 */
function withEncryptionContextAsTags<T>(value: T): T {
  if (value === undefined) return value;
  const text = JSON.stringify(value).replace(/"kms:EncryptionContext:([^"]+)"/gi, (_, key: string) =>
    JSON.stringify(`aws:RequestTag/kms-encryption-context/${key}`),
  );
  return JSON.parse(text) as T;
}

/** How many requests actually went to the simulator (the rest were decided by an identical one). */
export const simulatorRuns = { count: 0 };

async function simulateOnce(check: IamCheck): Promise<string> {
  simulatorRuns.count += 1;
  const account =
    check.resourceAccount ??
    /^arn:aws:[^:]+:[^:]*:(\d{12}):/.exec(check.resource)?.[1] ??
    // Actions on "*" (X-Ray, ListStreams) are in the caller's own account.
    (check.resource === '*' ? /^arn:aws:sts::(\d{12}):/.exec(check.principal)?.[1] : undefined);
  if (!account) throw new Error(`no account for ${check.resource}`);
  const response = await runSimulation(
    {
      request: {
        principal: check.principal,
        action: check.action,
        resource: { resource: check.resource, accountId: account },
        contextVariables: withEncryptionContextAsTags(check.context),
      },
      identityPolicies: check.identityPolicies.map((p) => ({
        name: p.name,
        policy: withEncryptionContextAsTags(p.policy),
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: withEncryptionContextAsTags(check.resourcePolicy),
    },
    {},
  );
  return response.resultType === 'error'
    ? `error: ${JSON.stringify(response.errors)}`
    : response.overallResult;
}

const statements = (policy: Policy): Statement[] =>
  Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The resolved template of one stack, with the lookups the checks need. */
export class StackPolicies {
  readonly cfn: CfnResolver;
  constructor(readonly stack: SynthesizedStack) {
    this.cfn = new CfnResolver(stack.template, stack);
  }

  /** The identity policies of a role: inline policies and the AWS::IAM::Policy resources naming it. */
  identityPolicies(roleId: string): { name: string; policy: Policy }[] {
    const role = this.cfn.properties(roleId);
    if (asArray(role.ManagedPolicyArns).length > 0) {
      throw new Error(`${roleId} has managed policies the rehearsal cannot read: ${role.ManagedPolicyArns}`);
    }
    const roleName = this.cfn.ref(roleId);
    const inline = asArray(role.Policies as { PolicyName: string; PolicyDocument: Policy }[]).map((p) => ({
      name: p.PolicyName,
      policy: p.PolicyDocument,
    }));
    // CDK splits a role's large policy into AWS::IAM::ManagedPolicy resources naming the role.
    const attached = [...this.cfn.ofType('AWS::IAM::Policy'), ...this.cfn.ofType('AWS::IAM::ManagedPolicy')]
      .map((id) => ({ id, props: this.cfn.properties(id) }))
      .filter(({ props }) => asArray(props.Roles as string[]).includes(roleName))
      .map(({ id, props }) => ({ name: id, policy: props.PolicyDocument as Policy }));
    return [...inline, ...attached];
  }

  roleIdOfArn(arn: string): string {
    const id = this.cfn.ofType('AWS::IAM::Role').find((r) => this.cfn.getAtt(r, 'Arn') === arn);
    if (!id) throw new Error(`${this.stack.stackName}: no role ${arn}`);
    return id;
  }

  /** The session a Lambda function's code runs as. */
  sessionOf(roleId: string, session: string): string {
    return `arn:aws:sts::${this.cfn.account}:assumed-role/${this.cfn.ref(roleId)}/${session}`;
  }

  keyPolicy(keyArn: string): Policy | undefined {
    const id = this.cfn.ofType('AWS::KMS::Key').find((k) => this.cfn.getAtt(k, 'Arn') === keyArn);
    return id ? (this.cfn.properties(id).KeyPolicy as Policy) : undefined;
  }

  /** A topic's policy; a topic without an AWS::SNS::TopicPolicy keeps SNS's default policy. */
  topicPolicy(topicArn: string): Policy | undefined {
    const id = this.cfn
      .ofType('AWS::SNS::TopicPolicy')
      .find((p) => asArray(this.cfn.properties(p).Topics as string[]).includes(topicArn));
    if (id) return this.cfn.properties(id).PolicyDocument as Policy;
    if (!this.cfn.ofType('AWS::SNS::Topic').some((t) => this.cfn.ref(t) === topicArn)) return undefined;
    // SNS developer guide, "Example cases for Amazon SNS access control": the default topic policy.
    return {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: '__default_statement_ID',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['SNS:Publish', 'SNS:Subscribe', 'SNS:GetTopicAttributes', 'SNS:Receive'],
          Resource: topicArn,
          Condition: { StringEquals: { 'AWS:SourceOwner': this.cfn.account } },
        },
      ],
    };
  }

  queuePolicy(queueArn: string): Policy | undefined {
    const queueId = this.cfn.ofType('AWS::SQS::Queue').find((q) => this.cfn.getAtt(q, 'Arn') === queueArn);
    if (!queueId) return undefined;
    const url = this.cfn.ref(queueId);
    const id = this.cfn
      .ofType('AWS::SQS::QueuePolicy')
      .find((p) => asArray(this.cfn.properties(p).Queues as string[]).includes(url));
    return id ? (this.cfn.properties(id).PolicyDocument as Policy) : undefined;
  }

  bucketPolicy(bucketName: string): Policy | undefined {
    const id = this.cfn
      .ofType('AWS::S3::BucketPolicy')
      .find((p) => this.cfn.properties(p).Bucket === bucketName);
    return id ? (this.cfn.properties(id).PolicyDocument as Policy) : undefined;
  }

  ownsBucket(bucketName: string): boolean {
    return this.cfn.ofType('AWS::S3::Bucket').some((b) => this.cfn.ref(b) === bucketName);
  }

  /** The Lambda function's resource-based policy, as Lambda builds it from AWS::Lambda::Permission. */
  functionPolicy(functionArn: string): Policy {
    const statement = this.cfn
      .ofType('AWS::Lambda::Permission')
      .map((id) => ({ id, p: this.cfn.properties(id) }))
      .filter(
        ({ p }) => p.FunctionName === functionArn || `${p.FunctionName}` === functionArn.split(':').pop(),
      )
      .map(({ id, p }) => {
        const principal = String(p.Principal);
        const condition: Record<string, Record<string, string>> = {};
        if (p.SourceArn) condition.ArnLike = { 'AWS:SourceArn': String(p.SourceArn) };
        if (p.SourceAccount) condition.StringEquals = { 'AWS:SourceAccount': String(p.SourceAccount) };
        if (p.PrincipalOrgID) {
          condition.StringEquals = {
            ...condition.StringEquals,
            'aws:PrincipalOrgID': String(p.PrincipalOrgID),
          };
        }
        return {
          Sid: id,
          Effect: 'Allow',
          Principal: principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: principal },
          Action: String(p.Action),
          Resource: functionArn,
          ...(Object.keys(condition).length ? { Condition: condition } : {}),
        };
      });
    return { Version: '2012-10-17', Statement: statement };
  }

  /** Statements of the AWS::Events::EventBusPolicy resources on a bus, as one policy. */
  busPolicy(busArn: string): Policy | undefined {
    const [, , , region, account, resource] = busArn.split(':');
    if (region !== this.cfn.region || account !== this.cfn.account) return undefined;
    const busName = resource.replace(/^event-bus\//, '');
    const found = this.cfn
      .ofType('AWS::Events::EventBusPolicy')
      .map((id) => this.cfn.properties(id))
      .filter((p) => (p.EventBusName ?? 'default') === busName)
      .flatMap((p) => asArray<Statement>(p.Statement as Statement | undefined));
    return found.length ? { Version: '2012-10-17', Statement: found } : undefined;
  }

  tableArnByName(name: string): { id: string; arn: string } {
    const id = this.cfn.ofType('AWS::DynamoDB::Table').find((t) => this.cfn.ref(t) === name);
    if (!id) throw new Error(`${this.stack.stackName}: no table named ${name}`);
    return { id, arn: this.cfn.getAtt(id, 'Arn') };
  }

  indexArns(tableId: string): string[] {
    const table = this.cfn.properties(tableId);
    const arn = this.cfn.getAtt(tableId, 'Arn');
    return asArray(table.GlobalSecondaryIndexes as { IndexName: string }[]).map(
      (i) => `${arn}/index/${i.IndexName}`,
    );
  }

  /** The customer managed key of a queue of the template (SSE-KMS), if any. */
  queueKey(queueArn: string): string | undefined {
    const id = this.cfn.ofType('AWS::SQS::Queue').find((q) => this.cfn.getAtt(q, 'Arn') === queueArn);
    const key = id ? this.cfn.properties(id).KmsMasterKeyId : undefined;
    return typeof key === 'string' && key.startsWith('arn:') ? key : undefined;
  }

  topicKey(topicArn: string): string | undefined {
    const id = this.cfn.ofType('AWS::SNS::Topic').find((t) => this.cfn.ref(t) === topicArn);
    const key = id ? this.cfn.properties(id).KmsMasterKeyId : undefined;
    return typeof key === 'string' ? key : undefined;
  }
}

type RequestFn = (
  action: string,
  resource: string,
  why: string,
  expect?: 'allow' | 'deny',
  extra?: { context?: Context; resourcePolicy?: Policy; resourceAccount?: string },
) => void;

/**
 * The backfill's AssumeRole into each member account, decided with the trust policy the shipped
 * member template (lib/templates/backfill-reader-role.yaml) deploys there for this central stack:
 * allowed with the external id, refused without it, refused on another role of that account; and
 * the assumed reader may read event history there.
 */
function memberRoleChecks(
  cfn: CfnResolver,
  env: Record<string, string>,
  accounts: string,
  why: string,
  request: RequestFn,
  subject: string,
): IamCheck[] {
  const template = env.BACKFILL_MEMBER_ROLE_ARN ?? fail('BACKFILL_MEMBER_ROLE_ARN is not set');
  const externalId = env.BACKFILL_EXTERNAL_ID;
  const readerChecks: IamCheck[] = [];
  for (const account of accounts.split(',')) {
    const roleArn = template.split(MEMBER_ACCOUNT_PLACEHOLDER).join(account);
    const reader = backfillReader(account, cfn.region, {
      CentralAccountId: cfn.account,
      CentralRegion: cfn.region,
      RoleName: roleArn.split('/').pop(),
      ExternalId: externalId,
    });
    if (reader.roleArn !== roleArn)
      throw new Error(`the member template builds ${reader.roleArn}, not ${roleArn}`);
    const extra = { resourcePolicy: reader.trustPolicy, resourceAccount: account };
    const withId: Context = externalId ? { 'sts:ExternalId': externalId } : {};
    request('sts:AssumeRole', roleArn, `${why} (member account ${account})`, 'allow', {
      ...extra,
      context: withId,
    });
    if (externalId) {
      request('sts:AssumeRole', roleArn, 'without the external id the member role asks for', 'deny', extra);
      request('sts:AssumeRole', roleArn, 'with another external id', 'deny', {
        ...extra,
        context: { 'sts:ExternalId': `${externalId}-not` },
      });
    }
    request(
      'sts:AssumeRole',
      `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
      'another role of the member account',
      'deny',
      {
        resourcePolicy: { Statement: [{ ...reader.trustPolicy.Statement[0], Condition: undefined }] },
        resourceAccount: account,
      },
    );
    const session = `arn:aws:sts::${account}:assumed-role/${roleArn.split('/').pop()}/tfdrift-backfill`;
    readerChecks.push({
      group: 'function-allow',
      subject,
      principal: session,
      action: 'cloudtrail:LookupEvents',
      resource: '*',
      context: { ...TLS, 'aws:PrincipalAccount': account, 'aws:PrincipalArn': roleArn },
      identityPolicies: reader.identityPolicies,
      expect: 'allow',
      why: `the assumed reader reads event history in member account ${account}`,
    });
  }
  return readerChecks;
}

/** Data actions of DynamoDB items that a function must not hold unless its code sends them. */
export const TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

const SERVICE_GROUPS: Record<string, CheckGroup> = {
  'events.amazonaws.com': 'eventbridge',
  'apigateway.amazonaws.com': 'apigateway',
  'cloudwatch.amazonaws.com': 'cloudwatch',
  'sns.amazonaws.com': 'sns',
  'cloudtrail.amazonaws.com': 'cloudtrail',
};

const fail = (message: string): never => {
  throw new Error(message);
};

const TLS: Context = { 'aws:SecureTransport': 'true' };
const OTHER_ACCOUNT = '999999999999';

/** Everything a deploy of this profile asks of IAM, as checks. */
export async function profileChecks(synth: SynthesizedProfile, all: readonly SynthesizedProfile[]) {
  const checks: IamCheck[] = [];
  const handlers: { stack: string; fnId: string; handler: string }[] = [];
  const notOurs: { stack: string; fnId: string; runtime: string }[] = [];
  for (const stack of synth.stacks) {
    const policies = new StackPolicies(stack);
    for (const [fnId, folder] of stack.functionAssets) {
      const build = await handlerOfBundle(folder);
      if (!build) {
        const runtime = String(stack.template.Resources[fnId].Properties?.Runtime);
        notOurs.push({ stack: stack.stackName, fnId, runtime });
        continue;
      }
      handlers.push({ stack: stack.stackName, fnId, handler: build.handler });
      checks.push(...(await functionChecks(synth, policies, fnId, build.handler, build.modules)));
    }
    checks.push(...serviceChecks(synth, policies, all));
  }
  return { checks, handlers, notOurs };
}

async function functionChecks(
  synth: SynthesizedProfile,
  policies: StackPolicies,
  fnId: string,
  handler: string,
  modules: readonly string[],
): Promise<IamCheck[]> {
  const { cfn } = policies;
  const fn = cfn.properties(fnId);
  const env = ((fn.Environment as { Variables?: Record<string, string> })?.Variables ?? {}) as Record<
    string,
    string
  >;
  const roleId = policies.roleIdOfArn(String(fn.Role));
  const principal = policies.sessionOf(roleId, cfn.ref(fnId));
  const identityPolicies = policies.identityPolicies(roleId);
  const checks: IamCheck[] = [];
  const subject = handler;
  const request = (
    action: string,
    resource: string,
    why: string,
    expect: 'allow' | 'deny' = 'allow',
    extra: { context?: Context; resourcePolicy?: Policy; defect?: string; resourceAccount?: string } = {},
  ) =>
    checks.push({
      group:
        expect === 'allow'
          ? 'function-allow'
          : extra.defect === '12'
            ? 'function-least-privilege'
            : 'function-deny',
      subject,
      principal,
      action,
      resource,
      // What AWS sets for a role session: the account and the role's ARN (not the session's).
      context: {
        ...TLS,
        'aws:PrincipalAccount': cfn.account,
        'aws:PrincipalArn': `arn:aws:iam::${cfn.account}:role/${cfn.ref(roleId)}`,
        ...extra.context,
      },
      resourceAccount: extra.resourceAccount,
      identityPolicies,
      resourcePolicy: extra.resourcePolicy,
      expect,
      why,
      defect: extra.defect,
    });
  const s3Request = (
    action: string,
    bucket: string,
    key: string | undefined,
    why: string,
    expect: 'allow' | 'deny' = 'allow',
    context: Context = {},
    defect?: string,
  ) =>
    request(
      action,
      key === undefined ? `arn:aws:s3:::${bucket}` : `arn:aws:s3:::${bucket}/${key}`,
      why,
      expect,
      {
        context,
        // The buckets tfdrift reads belong to the account it is deployed in.
        resourceAccount: cfn.account,
        resourcePolicy: policies.bucketPolicy(bucket),
        defect,
      },
    );
  const kmsDecryptVia = (service: string, keyArn: string, why: string, action = 'kms:Decrypt') =>
    request(action, keyArn, why, 'allow', {
      context: {
        'kms:ViaService': `${service}.${cfn.region}.amazonaws.com`,
        'kms:CallerAccount': cfn.account,
      },
      resourcePolicy: policies.keyPolicy(keyArn) ?? defaultKeyPolicy(keyArn),
    });

  // What the code sends, per module of the bundle.
  const sent = new Map<string, Set<string>>(); // resource ARN → actions sent on it
  const touch = (arn: string, action: string) => sent.set(arn, new Set([...(sent.get(arn) ?? []), action]));
  /** A publish to a topic: its policy decides with the role's, and an encrypted topic needs its key. */
  const publishTo = (topicArn: string, action: string, why: string) => {
    request(action, topicArn, why, 'allow', { resourcePolicy: policies.topicPolicy(topicArn) });
    touch(topicArn, action);
    const key = policies.topicKey(topicArn);
    if (key) {
      // SNS developer guide, "Encryption at rest": publishers need GenerateDataKey* and Decrypt.
      kmsDecryptVia('sns', key, `${why} (encrypted topic)`, 'kms:GenerateDataKey');
      kmsDecryptVia('sns', key, `${why} (encrypted topic)`);
      touch(key, 'kms:GenerateDataKey');
    }
  };
  const commands = modules.flatMap((m) => sdkCommands(m, modules));
  const recorded = new Map<string, RecordedRequest[]>();
  for (const command of commands) {
    const action = actionOf(command);
    const target = targetOf(command.module, handler, modules);
    const value = target.env === undefined ? '' : env[target.env];
    // No drift bus deployed, no member account to read: nothing is sent.
    if (value === undefined && 'optional' in target) continue;
    if (value === undefined) {
      throw new Error(
        `${handler}: ${command.module} needs ${target.env}, which the function's environment lacks`,
      );
    }
    const why = `${command.module.replace(/^lambdas\//, '')} sends ${command.command}`;
    switch (target.kind) {
      case 'table': {
        const table = policies.tableArnByName(value);
        // A named index, or (an index chosen at run time) every index of the table.
        const indexes = policies.indexArns(table.id);
        const named = indexes.filter((arn) => arn.endsWith(`/index/${command.index}`));
        if (command.index && named.length === 0)
          throw new Error(`${why}: ${value} has no index ${command.index}`);
        const resources = command.usesIndex ? (command.index ? named : indexes) : [table.arn];
        if (resources.length === 0) throw new Error(`${why} on an index, but ${value} has none`);
        for (const arn of resources) {
          request(action, arn, `${why} on ${target.env}`);
          touch(table.arn, action);
        }
        break;
      }
      case 'topic':
        publishTo(value, action, `${why} to ${target.env}`);
        break;
      case 'state':
      case 'trail': {
        const key = `${target.kind}:${command.module}`;
        if (!recorded.has(key)) {
          recorded.set(
            key,
            target.kind === 'state' ? await stateRequests(JSON.parse(value)) : await trailRequests(env),
          );
        }
        const requests = (recorded.get(key) ?? []).filter((r) => r.command === command.command);
        const configured = target.kind === 'trail' || (JSON.parse(value) as unknown[]).length > 0;
        if (requests.length === 0 && configured) {
          throw new Error(`${handler}: ${why}, but running its code against a bucket never sent it`);
        }
        for (const { input } of dedupe(requests)) {
          const bucket = String(input.Bucket);
          if (command.command === 'ListObjectsV2Command') {
            const prefix = input.Prefix === undefined ? undefined : String(input.Prefix);
            s3Request(action, bucket, undefined, `${why} (prefix "${prefix ?? ''}")`, 'allow', {
              ...(prefix ? { 's3:prefix': prefix } : {}),
              ...(input.Delimiter ? { 's3:delimiter': String(input.Delimiter) } : {}),
            });
          } else {
            s3Request(action, bucket, String(input.Key), why);
            const kms = bucketKey(synth, policies, bucket, env);
            if (kms) kmsDecryptVia('s3', kms, `${why} from an SSE-KMS bucket`);
          }
          touch(`arn:aws:s3:::${bucket}`, action);
        }
        break;
      }
      case 'bus': {
        const arn = `arn:aws:events:${cfn.region}:${cfn.account}:event-bus/${value}`;
        request(action, arn, `${why} to ${target.env}`, 'allow', { resourcePolicy: policies.busPolicy(arn) });
        touch(arn, action);
        break;
      }
      case 'topics': {
        for (const { topicArn } of JSON.parse(value) as { topicArn: string }[]) {
          publishTo(topicArn, action, `${why} to a topic of ${target.env}`);
        }
        break;
      }
      case 'secrets': {
        for (const { secretArn } of JSON.parse(value) as { secretArn: string }[]) {
          // A secret named without its random suffix is asked for by its full ARN, as AWS sees it.
          const full = /-[A-Za-z0-9]{6}$/.test(secretArn) ? secretArn : `${secretArn}-Zz9Yx8`;
          request(action, full, `${why} (${target.env})`);
          touch(full, action);
        }
        break;
      }
      case 'security-hub': {
        const resource =
          command.command === 'BatchImportFindingsCommand'
            ? `arn:aws:securityhub:${cfn.region}:${cfn.account}:product/${cfn.account}/default`
            : `arn:aws:securityhub:${cfn.region}:${cfn.account}:hub/default`;
        request(action, resource, `${why} into this account's Security Hub`);
        touch(resource, action);
        break;
      }
      case 'function': {
        const arn = value.startsWith('arn:')
          ? value
          : `arn:aws:lambda:${cfn.region}:${cfn.account}:function:${value}`;
        request(action, arn, `${why} (${target.env})`, 'allow', {
          resourcePolicy: policies.functionPolicy(arn),
        });
        touch(arn, action);
        break;
      }
      case 'event-history': {
        request(action, '*', `${why} in ${value}`);
        touch('*', action);
        break;
      }
      case 'member-roles': {
        checks.push(...memberRoleChecks(cfn, env, value, why, request, subject));
        for (const account of value.split(',')) touch(`member:${account}`, action);
        break;
      }
      case 'connections': {
        const url = /^https:\/\/([^.]+)\.execute-api\.([^.]+)\.amazonaws\.com\/([^/]+)$/.exec(value);
        if (!url) throw new Error(`${handler}: ${target.env} "${value}" is not an execute-api URL`);
        const method = command.command === 'DeleteConnectionCommand' ? 'DELETE' : 'POST';
        const arn = `arn:aws:execute-api:${url[2]}:${cfn.account}:${url[1]}/${url[3]}/${method}/@connections/Aq3bLcXyIAMCJzg=`;
        request(action, arn, `${why} to ${target.env}`);
        touch(`execute-api:${url[1]}`, action);
        break;
      }
    }
  }

  // What the Lambda service does with the role (Lambda developer guide, "Lambda execution role").
  const logGroup =
    (fn.LoggingConfig as { LogGroup?: string } | undefined)?.LogGroup ?? `/aws/lambda/${cfn.ref(fnId)}`;
  const stream = `arn:aws:logs:${cfn.region}:${cfn.account}:log-group:${logGroup}:log-stream:2026/01/15/[$LATEST]0f1e2d3c`;
  request('logs:CreateLogStream', stream, 'the runtime writes the function log');
  request('logs:PutLogEvents', stream, 'the runtime writes the function log');
  if ((fn.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active') {
    request('xray:PutTraceSegments', '*', 'active tracing');
    request('xray:PutTelemetryRecords', '*', 'active tracing');
  }
  const fnArn = cfn.getAtt(fnId, 'Arn');
  const fnName = cfn.ref(fnId);
  const mine = (name: unknown) => name === fnName || name === fnArn;
  for (const id of cfn.ofType('AWS::Lambda::EventSourceMapping')) {
    const mapping = cfn.properties(id);
    if (!mine(mapping.FunctionName)) continue;
    const source = String(mapping.EventSourceArn);
    for (const action of ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator']) {
      request(action, source, 'the event source mapping reads the stream');
    }
    request('dynamodb:ListStreams', '*', 'the event source mapping reads the stream');
    const onFailure = (mapping.DestinationConfig as { OnFailure?: { Destination?: string } })?.OnFailure
      ?.Destination;
    if (onFailure) {
      request('sqs:SendMessage', onFailure, "the event source mapping's on-failure destination", 'allow', {
        resourcePolicy: policies.queuePolicy(onFailure),
      });
    }
  }
  for (const id of cfn.ofType('AWS::Lambda::EventInvokeConfig')) {
    const config = cfn.properties(id);
    if (!mine(config.FunctionName)) continue;
    const destinations = config.DestinationConfig as Record<string, { Destination?: string }> | undefined;
    for (const [when, { Destination }] of Object.entries(destinations ?? {})) {
      if (Destination?.startsWith('arn:aws:sqs:')) {
        request('sqs:SendMessage', Destination, `asynchronous invocation ${when} destination`, 'allow', {
          resourcePolicy: policies.queuePolicy(Destination),
        });
      }
    }
  }

  // What must be refused: least privilege on what it uses, and everything it does not use.
  const leastPrivilege = '12';
  for (const tableId of cfn.ofType('AWS::DynamoDB::Table')) {
    const arn = cfn.getAtt(tableId, 'Arn');
    const used = sent.get(arn);
    for (const action of TABLE_ACTIONS) {
      if (used?.has(action)) continue;
      const why = used
        ? `its code never sends ${action} to ${cfn.ref(tableId)}`
        : `its code never uses the table ${cfn.ref(tableId)}`;
      request(action, arn, why, 'deny', { defect: leastPrivilege });
    }
  }
  request(
    'dynamodb:GetItem',
    `arn:aws:dynamodb:${cfn.region}:${cfn.account}:table/payroll`,
    'another table of the account',
    'deny',
  );
  request(
    'dynamodb:PutItem',
    `arn:aws:dynamodb:${cfn.region}:${cfn.account}:table/payroll`,
    'another table',
    'deny',
  );
  request('sns:Publish', `arn:aws:sns:${cfn.region}:${cfn.account}:billing-alerts`, 'another topic', 'deny');
  for (const topicId of cfn.ofType('AWS::SNS::Topic')) {
    const arn = cfn.ref(topicId);
    if (!sent.has(arn)) {
      request('sns:Publish', arn, 'its code never publishes to this topic', 'deny', {
        defect: leastPrivilege,
      });
    }
  }
  for (const busId of cfn.ofType('AWS::Events::EventBus')) {
    const arn = cfn.getAtt(busId, 'Arn');
    if (!sent.has(arn)) {
      request('events:PutEvents', arn, 'its code never puts drift events', 'deny', {
        resourcePolicy: policies.busPolicy(arn),
        defect: leastPrivilege,
      });
    }
  }
  const defaultBus = `arn:aws:events:${cfn.region}:${cfn.account}:event-bus/default`;
  request('events:PutEvents', defaultBus, 'the default bus (where CloudTrail events arrive)', 'deny', {
    resourcePolicy: policies.busPolicy(defaultBus),
  });
  request(
    'secretsmanager:GetSecretValue',
    `arn:aws:secretsmanager:${cfn.region}:${cfn.account}:secret:prod/db-password-Qw3rTy`,
    'a secret it was never given',
    'deny',
  );
  // A role elsewhere that trusts this whole account: only the function's own policy can refuse it.
  const trustsAccount: Policy = {
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${cfn.account}:root` }, Action: 'sts:AssumeRole' },
    ],
  };
  request(
    'sts:AssumeRole',
    `arn:aws:iam::${OTHER_ACCOUNT}:role/OrganizationAccountAccessRole`,
    'a role of another account that trusts this one',
    'deny',
    { resourcePolicy: trustsAccount },
  );
  const otherKey = `arn:aws:kms:${cfn.region}:${cfn.account}:key/0f0e0d0c-0b0a-4909-8807-060504030201`;
  request('kms:Decrypt', otherKey, 'another key of the account', 'deny', {
    context: { 'kms:ViaService': `s3.${cfn.region}.amazonaws.com` },
    resourcePolicy: defaultKeyPolicy(otherKey),
  });
  for (const keyId of cfn.ofType('AWS::KMS::Key')) {
    const arn = cfn.getAtt(keyId, 'Arn');
    for (const action of ['kms:Encrypt', 'kms:ReEncryptFrom', 'kms:CreateGrant', 'kms:ScheduleKeyDeletion']) {
      request(action, arn, `its code never calls ${action}`, 'deny', {
        resourcePolicy: policies.keyPolicy(arn),
        defect: leastPrivilege,
      });
    }
  }
  s3Request(
    's3:GetObject',
    'acme-payroll-exports',
    'prod/terraform.tfstate',
    'a bucket it was never given',
    'deny',
  );
  s3Request('s3:ListBucket', 'acme-payroll-exports', undefined, 'a bucket it was never given', 'deny');
  for (const { bucket, prefixes } of synth.profile.settings.stateBuckets) {
    const key = `${listPrefix(prefixes[0]) || 'prod/'}terraform.tfstate`;
    for (const action of ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectAcl']) {
      s3Request(action, bucket, key, 'Terraform state is read-only to tfdrift', 'deny');
    }
    if (!prefixes.some((p) => listPrefix(p) === '')) {
      s3Request(
        's3:GetObject',
        bucket,
        'zz-unconfigured/terraform.tfstate',
        'state outside the configured prefixes',
        'deny',
      );
    }
  }
  const trailBucket =
    env.TRAIL_BUCKET ??
    synth.profile.settings.trailBucket ??
    cfn.ofType('AWS::CloudTrail::Trail').map((id) => String(cfn.properties(id).S3BucketName))[0];
  if (trailBucket) {
    const reads = sent.get(`arn:aws:s3:::${trailBucket}`);
    const logKey = `${trailRoot(env.TRAIL_PREFIX ?? synth.profile.settings.trailPrefix)}${cfn.account}/CloudTrail/${cfn.region}/2026/01/15/${cfn.account}_CloudTrail_${cfn.region}_20260115T1205Z_r3h.json.gz`;
    for (const action of ['s3:PutObject', 's3:DeleteObject']) {
      s3Request(action, trailBucket, logKey, 'the trail log is read-only to tfdrift', 'deny');
    }
    if (reads) {
      for (const action of ['s3:GetObjectAcl', 's3:GetObjectVersion', 's3:GetObjectTagging']) {
        s3Request(action, trailBucket, logKey, `its code never calls ${action}`, 'deny', {}, leastPrivilege);
      }
      for (const action of ['s3:GetBucketPolicy', 's3:GetBucketAcl', 's3:ListBucketVersions']) {
        s3Request(
          action,
          trailBucket,
          undefined,
          `its code never calls ${action}`,
          'deny',
          {},
          leastPrivilege,
        );
      }
      s3Request(
        's3:GetObject',
        trailBucket,
        'not-logs/export.csv',
        'objects outside the trail log prefix',
        'deny',
      );
    } else {
      s3Request(
        's3:GetObject',
        trailBucket,
        logKey,
        'its code never reads the trail log',
        'deny',
        {},
        leastPrivilege,
      );
    }
  }
  const apis = cfn.ofType('AWS::ApiGatewayV2::Api').map((id) => cfn.ref(id));
  for (const api of [...apis, 'zzotherapi']) {
    if (sent.has(`execute-api:${api}`)) continue;
    request(
      'execute-api:ManageConnections',
      `arn:aws:execute-api:${cfn.region}:${cfn.account}:${api}/live/POST/@connections/Aq3bLcXyIAMCJzg=`,
      api === 'zzotherapi' ? 'another API' : 'its code never posts to this API',
      'deny',
      api === 'zzotherapi' ? {} : { defect: leastPrivilege },
    );
  }
  // A command written several times in a module (GetCommand in four methods) is one question.
  const unique = new Map<string, IamCheck>();
  for (const check of checks) {
    unique.set(JSON.stringify([check.action, check.resource, check.context, check.expect]), check);
  }
  return [...unique.values()];
}

function dedupe(requests: RecordedRequest[]): RecordedRequest[] {
  const seen = new Map<string, RecordedRequest>();
  for (const r of requests) {
    const { Bucket, Key, Prefix, Delimiter } = r.input;
    seen.set(JSON.stringify([Bucket, Key, Prefix, Delimiter]), r);
  }
  return [...seen.values()];
}

function trailRoot(prefix: string | undefined): string {
  return `${prefix ? `${prefix.replace(/\/+$/, '')}/` : ''}AWSLogs/`;
}

/** The KMS key of a bucket the function reads: a state bucket's setting, or the trail's key. */
function bucketKey(
  synth: SynthesizedProfile,
  policies: StackPolicies,
  bucket: string,
  env: Record<string, string>,
): string | undefined {
  const { settings } = synth.profile;
  const state = settings.stateBuckets.find((b) => b.bucket === bucket);
  if (state) return state.kmsKeyArn;
  if (bucket !== env.TRAIL_BUCKET) return undefined;
  const { cfn } = policies;
  for (const id of cfn.ofType('AWS::CloudTrail::Trail')) {
    const trail = cfn.properties(id);
    if (trail.S3BucketName === bucket && typeof trail.KMSKeyId === 'string') return trail.KMSKeyId;
  }
  return settings.trailKmsKeyArn;
}

/** A key outside the template: its policy is KMS's default (the account's IAM policies decide). */
function defaultKeyPolicy(keyArn: string): Policy {
  const account = keyArn.split(':')[4];
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
    ],
  };
}

/** Calls AWS services make for the stack: invoking targets, dead-lettering, alarms, trail delivery. */
function serviceChecks(
  synth: SynthesizedProfile,
  policies: StackPolicies,
  all: readonly SynthesizedProfile[],
): IamCheck[] {
  const { cfn } = policies;
  const checks: IamCheck[] = [];
  const service = (
    subject: string,
    principal: string,
    action: string,
    resource: string,
    resourcePolicy: Policy | undefined,
    context: Context,
    why: string,
    expect: 'allow' | 'deny' = 'allow',
    defect?: string,
  ) =>
    checks.push({
      group:
        expect === 'deny' && defect === '12'
          ? 'service-source-account'
          : (SERVICE_GROUPS[principal] ?? fail(`no check group for ${principal}`)),
      subject,
      principal,
      action,
      resource,
      context: { ...TLS, ...context },
      resourceAccount: resource.startsWith('arn:aws:s3:::') ? cfn.account : undefined,
      identityPolicies: [],
      resourcePolicy,
      expect,
      why,
      defect,
    });
  const source = (arn: string, account = cfn.account) => ({
    'aws:SourceArn': arn,
    'aws:SourceAccount': account,
  });
  const functions = new Map(cfn.ofType('AWS::Lambda::Function').map((id) => [cfn.getAtt(id, 'Arn'), id]));
  const busPolicies = new Map<string, Policy | undefined>();

  // EventBridge rules: invoke their Lambda targets, dead-letter to their queues, put events on buses.
  for (const ruleId of cfn.ofType('AWS::Events::Rule')) {
    const rule = cfn.properties(ruleId);
    const ruleArn = cfn.getAtt(ruleId, 'Arn');
    for (const target of asArray(rule.Targets as Record<string, unknown>[])) {
      const arn = String(target.Arn);
      const fnId = functions.get(arn);
      if (fnId) {
        service(
          `EventBridge → ${fnId}`,
          'events.amazonaws.com',
          'lambda:InvokeFunction',
          arn,
          policies.functionPolicy(arn),
          source(ruleArn),
          `rule ${ruleId} targets it`,
        );
      }
      const dlq = (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
      if (dlq) {
        service(
          `EventBridge → ${ruleId} dead-letter queue`,
          'events.amazonaws.com',
          'sqs:SendMessage',
          dlq,
          policies.queuePolicy(dlq),
          source(ruleArn),
          'undeliverable events of the rule',
        );
      }
      if (target.RoleArn && arn.includes(':event-bus/')) {
        const roleId = policies.roleIdOfArn(String(target.RoleArn));
        if (!busPolicies.has(arn)) {
          // Another account's bus: the central stack of the same organisation, in another profile.
          busPolicies.set(
            arn,
            policies.busPolicy(arn) ??
              all
                .filter(
                  (other) => other.profile.settings.organizationId === synth.profile.settings.organizationId,
                )
                .flatMap((other) => other.stacks.filter((s) => s.account === arn.split(':')[4]))
                .map((s) => new StackPolicies(s).busPolicy(arn))
                .find((p) => p !== undefined),
          );
        }
        const busPolicy = busPolicies.get(arn);
        const crossAccount = arn.split(':')[4] !== cfn.account;
        checks.push({
          group: 'forwarder',
          subject: `forwarder ${cfn.stackName}`,
          principal: policies.sessionOf(roleId, 'events'),
          action: 'events:PutEvents',
          resource: arn,
          context: {
            ...TLS,
            'aws:PrincipalAccount': cfn.account,
            ...(synth.profile.settings.organizationId
              ? { 'aws:PrincipalOrgID': synth.profile.settings.organizationId }
              : {}),
          },
          identityPolicies: policies.identityPolicies(roleId),
          resourcePolicy: busPolicy,
          expect: 'allow',
          why: `rule ${ruleId} forwards to the central bus${crossAccount ? ' (another account: its bus policy must allow it)' : ''}`,
          defect: crossAccount && !busPolicy ? '7' : undefined,
        });
      }
    }
  }
  for (const fnArn of functions.keys()) {
    const policy = policies.functionPolicy(fnArn);
    if (statements(policy).length === 0) continue;
    const strangers = `arn:aws:events:${cfn.region}:${cfn.account}:rule/someone-elses-rule`;
    service(
      `EventBridge → ${functions.get(fnArn)}`,
      'events.amazonaws.com',
      'lambda:InvokeFunction',
      fnArn,
      policy,
      source(strangers),
      'another rule of the account',
      'deny',
    );
    const otherApi = `arn:aws:execute-api:${cfn.region}:${cfn.account}:zzotherapi/$default/GET/api/v1/drifts`;
    service(
      `API Gateway → ${functions.get(fnArn)}`,
      'apigateway.amazonaws.com',
      'lambda:InvokeFunction',
      fnArn,
      policy,
      source(otherApi),
      'another API of the account',
      'deny',
    );
  }

  // API Gateway: routes invoke their integrations' functions, authorizers their functions.
  const integrationFunction = (uri: string) =>
    /functions\/(arn:aws:lambda:[^/]+)\/invocations$/.exec(uri)?.[1] ??
    (uri.startsWith('arn:aws:lambda:') ? uri : undefined);
  for (const routeId of cfn.ofType('AWS::ApiGatewayV2::Route')) {
    const route = cfn.properties(routeId);
    const integrationId = /^integrations\/(.+)$/.exec(String(route.Target ?? ''))?.[1];
    const integration = cfn
      .ofType('AWS::ApiGatewayV2::Integration')
      .find((id) => cfn.ref(id) === integrationId);
    if (!integration) continue;
    const fnArn = integrationFunction(String(cfn.properties(integration).IntegrationUri));
    if (!fnArn || !functions.has(fnArn)) continue;
    const api = String(route.ApiId);
    const stage = cfn
      .ofType('AWS::ApiGatewayV2::Stage')
      .map((id) => cfn.properties(id))
      .find((s) => s.ApiId === api)?.StageName;
    const key = String(route.RouteKey);
    const path = key.startsWith('$') ? key : key.replace(' ', '');
    const sourceArn = `arn:aws:execute-api:${cfn.region}:${cfn.account}:${api}/${stage ?? '$default'}/${path}`;
    service(
      `API Gateway → ${functions.get(fnArn)}`,
      'apigateway.amazonaws.com',
      'lambda:InvokeFunction',
      fnArn,
      policies.functionPolicy(fnArn),
      source(sourceArn),
      `route "${key}"`,
    );
  }
  for (const authId of cfn.ofType('AWS::ApiGatewayV2::Authorizer')) {
    const auth = cfn.properties(authId);
    const fnArn = auth.AuthorizerUri ? integrationFunction(String(auth.AuthorizerUri)) : undefined;
    if (!fnArn || !functions.has(fnArn)) continue;
    const sourceArn = `arn:aws:execute-api:${cfn.region}:${cfn.account}:${auth.ApiId}/authorizers/${cfn.ref(authId)}`;
    service(
      `API Gateway → ${functions.get(fnArn)}`,
      'apigateway.amazonaws.com',
      'lambda:InvokeFunction',
      fnArn,
      policies.functionPolicy(fnArn),
      source(sourceArn),
      `authorizer ${authId}`,
    );
  }

  // CloudWatch alarms notify their SNS topics (and encrypt with the topic's key).
  for (const alarmId of cfn.ofType('AWS::CloudWatch::Alarm')) {
    const alarm = cfn.properties(alarmId);
    const alarmArn = cfn.getAtt(alarmId, 'Arn');
    for (const topic of asArray(alarm.AlarmActions as string[]).filter((a) => a.startsWith('arn:aws:sns:'))) {
      const why = `alarm ${alarmId} notifies the topic`;
      service(
        'CloudWatch alarms',
        'cloudwatch.amazonaws.com',
        'sns:Publish',
        topic,
        policies.topicPolicy(topic),
        source(alarmArn),
        why,
        'allow',
        '5',
      );
      const key = policies.topicKey(topic);
      if (key) {
        for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
          service(
            'CloudWatch alarms',
            'cloudwatch.amazonaws.com',
            action,
            key,
            policies.keyPolicy(key),
            source(alarmArn),
            `${why}, encrypted with its key`,
            'allow',
            '5',
          );
          service(
            'CloudWatch alarms',
            'cloudwatch.amazonaws.com',
            action,
            key,
            policies.keyPolicy(key),
            source(`arn:aws:cloudwatch:${cfn.region}:${OTHER_ACCOUNT}:alarm:theirs`, OTHER_ACCOUNT),
            "another account's alarm may not use the key (aws:SourceAccount)",
            'deny',
            '12',
          );
        }
      }
    }
  }

  // SNS dead-letters undeliverable notifications, through the queue's key when it has one (SNS
  // developer guide, "Configuring an Amazon SNS dead-letter queue for a subscription"). SNS itself
  // never needs the topic's key: publishers encrypt with their own permissions.
  for (const subId of cfn.ofType('AWS::SNS::Subscription')) {
    const sub = cfn.properties(subId);
    const dlq = (sub.RedrivePolicy as { deadLetterTargetArn?: string } | undefined)?.deadLetterTargetArn;
    if (!dlq) continue;
    const topicSource = source(String(sub.TopicArn));
    const why = `undeliverable notifications of ${subId}`;
    service('SNS', 'sns.amazonaws.com', 'sqs:SendMessage', dlq, policies.queuePolicy(dlq), topicSource, why);
    const queueKey = policies.queueKey(dlq);
    for (const action of queueKey ? ['kms:GenerateDataKey', 'kms:Decrypt'] : []) {
      service(
        'SNS',
        'sns.amazonaws.com',
        action,
        queueKey ?? '',
        policies.keyPolicy(queueKey ?? ''),
        topicSource,
        `${why}, into an encrypted queue`,
      );
    }
  }
  // No key of the stack serves SNS on behalf of another account's topic.
  for (const keyId of cfn.ofType('AWS::KMS::Key')) {
    const key = cfn.getAtt(keyId, 'Arn');
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      service(
        'SNS',
        'sns.amazonaws.com',
        action,
        key,
        policies.keyPolicy(key),
        source(`arn:aws:sns:${cfn.region}:${OTHER_ACCOUNT}:theirs`, OTHER_ACCOUNT),
        "another account's topic may not use the key (aws:SourceAccount)",
        'deny',
        '12',
      );
    }
  }

  // CloudTrail delivers log files to the trail bucket, encrypted with the trail's key.
  for (const trailId of cfn.ofType('AWS::CloudTrail::Trail')) {
    const trail = cfn.properties(trailId);
    const trailArn = cfn.getAtt(trailId, 'Arn');
    const bucket = String(trail.S3BucketName);
    const bucketPolicy = policies.bucketPolicy(bucket);
    const root = trailRoot(trail.S3KeyPrefix as string | undefined);
    const key = `${root}${cfn.account}/CloudTrail/${cfn.region}/2026/01/15/${cfn.account}_CloudTrail_${cfn.region}_20260115T1205Z_r3h.json.gz`;
    // CloudTrail user guide, "Amazon S3 bucket policy for CloudTrail".
    service(
      'CloudTrail',
      'cloudtrail.amazonaws.com',
      's3:GetBucketAcl',
      `arn:aws:s3:::${bucket}`,
      bucketPolicy,
      source(trailArn),
      'CloudTrail checks the bucket ACL',
      'allow',
      '3',
    );
    service(
      'CloudTrail',
      'cloudtrail.amazonaws.com',
      's3:PutObject',
      `arn:aws:s3:::${bucket}/${key}`,
      bucketPolicy,
      { ...source(trailArn), 's3:x-amz-acl': 'bucket-owner-full-control' },
      'CloudTrail delivers a log file',
      'allow',
      '3',
    );
    service(
      'CloudTrail',
      'cloudtrail.amazonaws.com',
      's3:PutObject',
      `arn:aws:s3:::${bucket}/${root}${OTHER_ACCOUNT}/CloudTrail/x.json.gz`,
      bucketPolicy,
      {
        ...source(`arn:aws:cloudtrail:${cfn.region}:${OTHER_ACCOUNT}:trail/theirs`, OTHER_ACCOUNT),
        's3:x-amz-acl': 'bucket-owner-full-control',
      },
      "another account's trail may not write the bucket (aws:SourceArn)",
      'deny',
      '3',
    );
    const keyArn = trail.KMSKeyId as string | undefined;
    if (keyArn) {
      // CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail".
      const encryption = { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn };
      service(
        'CloudTrail',
        'cloudtrail.amazonaws.com',
        'kms:GenerateDataKey',
        keyArn,
        policies.keyPolicy(keyArn),
        { ...source(trailArn), ...encryption },
        'CloudTrail encrypts a log file',
        'allow',
        '3',
      );
      service(
        'CloudTrail',
        'cloudtrail.amazonaws.com',
        'kms:DescribeKey',
        keyArn,
        policies.keyPolicy(keyArn),
        source(trailArn),
        'CloudTrail checks the key when the trail is created',
        'allow',
        '3',
      );
      service(
        'CloudTrail',
        'cloudtrail.amazonaws.com',
        'kms:GenerateDataKey',
        keyArn,
        policies.keyPolicy(keyArn),
        {
          ...source(`arn:aws:cloudtrail:${cfn.region}:${OTHER_ACCOUNT}:trail/theirs`, OTHER_ACCOUNT),
          'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:${cfn.region}:${OTHER_ACCOUNT}:trail/theirs`,
        },
        "another account's trail may not use the key",
        'deny',
        '3',
      );
    }
  }
  // The private drift bus (lib/constructs/drift-channels.ts): an administrator of the account whose
  // own policy allows PutEvents everywhere still cannot put a forged drift event on it; the roles
  // of the functions that publish can (checked with their calls above).
  for (const busId of cfn.ofType('AWS::Events::EventBus')) {
    const arn = cfn.getAtt(busId, 'Arn');
    const admin = `arn:aws:sts::${cfn.account}:assumed-role/ops-admin/mallory`;
    checks.push({
      group: 'drift-bus',
      subject: 'another principal of the account',
      principal: admin,
      action: 'events:PutEvents',
      resource: arn,
      context: {
        ...TLS,
        'aws:PrincipalAccount': cfn.account,
        'aws:PrincipalArn': `arn:aws:iam::${cfn.account}:role/ops-admin`,
      },
      identityPolicies: [
        {
          name: 'AdministratorAccess',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
        },
      ],
      resourcePolicy: policies.busPolicy(arn),
      expect: 'deny',
      why: 'only tfdrift\u2019s own functions may put drift events on its bus',
    });
  }
  return checks;
}

/** A short line naming a check, for failure messages. */
export function describeCheck({ check, decision }: CheckResult): string {
  const defect = check.defect ? `[defect ${check.defect}] ` : '';
  return `${defect}${check.subject}: ${check.action} on ${check.resource} must be ${check.expect === 'allow' ? 'allowed' : 'denied'} (${check.why}) — simulator: ${decision}`;
}
