// AWS's rules for a synthesized template: the documented hard limits and policy requirements that
// `cdk synth` does not check but a deploy (or the first alarm, the first `cdk destroy`) would hit.
// Each check is a pure function of one stack's template and returns its findings as sentences; a
// check that throws is itself a finding (cdk-nag style), so a template shape no check foresaw is
// reported, never skipped. Sizes are estimated with real-length names and ARNs: every Ref and
// Fn::GetAtt is replaced by a value as long as CloudFormation's generated one (stack name +
// logical id + 13 random characters), because the limits count the policy AWS stores, not the
// template's tokens.

import { stringify as toYaml } from 'yaml';
import type { CfnResource, CfnTemplate } from './assembly.js';

export interface StackUnderCheck {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  readonly template: CfnTemplate;
  /** The template file's size in bytes as CloudFormation receives it. */
  readonly templateBytes: number;
}

export interface Finding {
  readonly check: string;
  readonly stack: string;
  readonly message: string;
}

export type Check = (stack: StackUnderCheck) => string[];

// --- Resolving intrinsics to realistic values -----------------------------------------------------

type Json = unknown;

/** CloudFormation's generated physical name: `<stack>-<logicalId, trimmed>-<13 random>`. */
export function physicalName(stack: StackUnderCheck, logicalId: string, max = 64): string {
  const suffix = '-ABCDEFGHIJKLM';
  return `${stack.stackName}-${logicalId}`.slice(0, max - suffix.length) + suffix;
}

const ARN_SHAPES: Record<string, (s: StackUnderCheck, name: string) => string> = {
  'AWS::Lambda::Function': (s, n) => `arn:aws:lambda:${s.region}:${s.account}:function:${n}`,
  'AWS::SQS::Queue': (s, n) => `arn:aws:sqs:${s.region}:${s.account}:${n}`,
  'AWS::SNS::Topic': (s, n) => `arn:aws:sns:${s.region}:${s.account}:${n}`,
  'AWS::Events::Rule': (s, n) => `arn:aws:events:${s.region}:${s.account}:rule/${n}`,
  'AWS::IAM::Role': (s, n) => `arn:aws:iam::${s.account}:role/${n}`,
  'AWS::KMS::Key': (s) => `arn:aws:kms:${s.region}:${s.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
  'AWS::S3::Bucket': (_s, n) => `arn:aws:s3:::${n.toLowerCase()}`,
  'AWS::DynamoDB::Table': (s, n) => `arn:aws:dynamodb:${s.region}:${s.account}:table/${n}`,
  'AWS::Logs::LogGroup': (s, n) => `arn:aws:logs:${s.region}:${s.account}:log-group:${n}:*`,
  'AWS::CloudTrail::Trail': (s, n) => `arn:aws:cloudtrail:${s.region}:${s.account}:trail/${n}`,
  'AWS::CloudWatch::Alarm': (s, n) => `arn:aws:cloudwatch:${s.region}:${s.account}:alarm:${n}`,
  'AWS::Cognito::UserPool': (s) =>
    `arn:aws:cognito-idp:${s.region}:${s.account}:userpool/${s.region}_AbCdEfGhI`,
};

function nameOf(stack: StackUnderCheck, logicalId: string): string {
  const resource = stack.template.Resources[logicalId];
  const props = resource?.Properties ?? {};
  for (const key of [
    'FunctionName',
    'QueueName',
    'TopicName',
    'Name',
    'RoleName',
    'TableName',
    'TrailName',
  ]) {
    if (typeof props[key] === 'string') return props[key] as string;
  }
  return physicalName(stack, logicalId);
}

function refValue(stack: StackUnderCheck, target: string): string {
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': stack.region,
    'AWS::AccountId': stack.account,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': stack.stackName,
    'AWS::StackId': `arn:aws:cloudformation:${stack.region}:${stack.account}:stack/${stack.stackName}/12345678-1234-1234-1234-123456789012`,
    'AWS::NoValue': '',
  };
  if (target in pseudo) return pseudo[target] as string;
  const resource = stack.template.Resources[target];
  if (!resource) return String(stack.template.Parameters?.[target] ? `param-${target}` : target);
  // Ref of a queue or topic is its URL / ARN; of a key its id; of everything else its name.
  if (resource.Type === 'AWS::SNS::Topic') return arnOf(stack, target);
  if (resource.Type === 'AWS::SQS::Queue')
    return `https://sqs.${stack.region}.amazonaws.com/${stack.account}/${nameOf(stack, target)}`;
  if (resource.Type === 'AWS::KMS::Key') return '1234abcd-12ab-34cd-56ef-1234567890ab';
  return nameOf(stack, target);
}

function arnOf(stack: StackUnderCheck, logicalId: string): string {
  const resource = stack.template.Resources[logicalId] as CfnResource;
  const shape = ARN_SHAPES[resource.Type];
  const name = nameOf(stack, logicalId);
  return shape
    ? shape(stack, name)
    : `arn:aws:${resource.Type.split('::')[1]?.toLowerCase()}:${stack.region}:${stack.account}:${name}`;
}

function getAtt(stack: StackUnderCheck, logicalId: string, attribute: string): string {
  const resource = stack.template.Resources[logicalId];
  if (!resource) return `${logicalId}.${attribute}`;
  if (attribute === 'Arn' || attribute.endsWith('Arn')) return arnOf(stack, logicalId);
  if (attribute === 'DomainName') return 'd1234567890abc.cloudfront.net';
  if (attribute === 'ApiEndpoint') return `https://abcdef1234.execute-api.${stack.region}.amazonaws.com`;
  return `${nameOf(stack, logicalId)}-${attribute}`;
}

/** The value CloudFormation would produce, with realistic names for resources it creates. */
export function resolve(stack: StackUnderCheck, value: Json): Json {
  if (Array.isArray(value)) return value.map((v) => resolve(stack, v));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, Json>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const [key] = keys as [string];
    const arg = obj[key];
    if (key === 'Ref') return refValue(stack, arg as string);
    if (key === 'Fn::GetAtt') {
      const [id, attr] = Array.isArray(arg) ? (arg as string[]) : String(arg).split('.');
      return getAtt(stack, id as string, attr as string);
    }
    if (key === 'Fn::Join') {
      const [sep, parts] = arg as [string, Json[]];
      return (resolve(stack, parts) as Json[]).map(String).join(sep);
    }
    if (key === 'Fn::Sub') {
      const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, Json>]) : [arg as string, {}];
      return text.replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
        if (vars[name] !== undefined) return String(resolve(stack, vars[name]));
        const [id, attr] = name.split('.');
        return attr ? getAtt(stack, id as string, attr) : refValue(stack, id as string);
      });
    }
    if (key === 'Fn::Select') {
      const [index, list] = arg as [number, Json];
      return (resolve(stack, list) as Json[])[Number(index)];
    }
    if (key === 'Fn::Split') {
      const [sep, text] = arg as [string, Json];
      return String(resolve(stack, text)).split(sep);
    }
    if (key === 'Fn::If') {
      // The longer branch: limits must hold whichever way the condition goes.
      const [, a, b] = arg as [string, Json, Json];
      const ra = resolve(stack, a);
      const rb = resolve(stack, b);
      return JSON.stringify(ra).length >= JSON.stringify(rb).length ? ra : rb;
    }
    if (key === 'Fn::ImportValue') return `imported-${JSON.stringify(arg).length}-chars-value-placeholder`;
  }
  return Object.fromEntries(keys.map((k) => [k, resolve(stack, obj[k])]));
}

// --- Helpers ----------------------------------------------------------------------------------------

type Statement = {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
};

function resourcesOf(stack: StackUnderCheck, type: string): [string, CfnResource][] {
  return Object.entries(stack.template.Resources).filter(([, r]) => r.Type === type);
}

function statementsOf(document: unknown): Statement[] {
  const statements = (document as { Statement?: Statement | Statement[] } | undefined)?.Statement;
  if (!statements) return [];
  return Array.isArray(statements) ? statements : [statements];
}

const asList = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : value === undefined ? [] : [value];

/** Logical ids a value references (Ref or Fn::GetAtt, anywhere inside it). */
export function referencedIds(value: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v === null || typeof v !== 'object') return;
    const obj = v as Record<string, unknown>;
    if (typeof obj.Ref === 'string') found.push(obj.Ref);
    const att = obj['Fn::GetAtt'];
    if (att) found.push(Array.isArray(att) ? String(att[0]) : (String(att).split('.')[0] as string));
    if (typeof obj['Fn::Sub'] === 'string') {
      for (const m of (obj['Fn::Sub'] as string).matchAll(/\$\{([^}.]+)/g)) found.push(m[1] as string);
    }
    Object.values(obj).forEach(walk);
  };
  walk(value);
  return found;
}

const servicePrincipals = (statement: Statement): string[] => {
  const principal = statement.Principal as { Service?: unknown } | string | undefined;
  if (!principal || typeof principal === 'string') return [];
  return asList(principal.Service).map(String);
};

const actionsOf = (statement: Statement): string[] => asList(statement.Action).map(String);

/** True when `granted` (may hold `*`) covers the action. */
function actionAllowed(granted: string[], action: string): boolean {
  return granted.some((g) => {
    const re = new RegExp(`^${g.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i');
    return re.test(action);
  });
}

function allowsService(statements: Statement[], service: string, actions: string[]): boolean {
  return actions.every((action) =>
    statements.some(
      (s) =>
        s.Effect === 'Allow' && servicePrincipals(s).includes(service) && actionAllowed(actionsOf(s), action),
    ),
  );
}

/** Characters without white space, as IAM counts a policy's size. */
const iamChars = (document: unknown) => JSON.stringify(document).replace(/\s/g, '').length;
const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

// --- CloudFormation ------------------------------------------------------------------------------
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html
// Template body size in an S3 object: 1 MB; resources per template: 500; outputs: 200;
// parameters: 200. A template over 51,200 bytes cannot be passed in the request (TemplateBody):
// the CDK CLI uploads it to the bootstrap bucket, which is why a bootstrap-free stack must stay under.

export const CFN_TEMPLATE_S3_BYTES = 1_048_576;
export const CFN_TEMPLATE_BODY_BYTES = 51_200;
export const CFN_MAX_RESOURCES = 500;
export const CFN_MAX_OUTPUTS = 200;
export const CFN_MAX_PARAMETERS = 200;

export const templateSize: Check = (s) =>
  s.templateBytes > CFN_TEMPLATE_S3_BYTES
    ? [`template is ${s.templateBytes} bytes; CloudFormation accepts ${CFN_TEMPLATE_S3_BYTES} (from S3)`]
    : [];

export const resourceCount: Check = (s) => {
  const n = Object.keys(s.template.Resources).length;
  return n > CFN_MAX_RESOURCES ? [`${n} resources; CloudFormation allows ${CFN_MAX_RESOURCES}`] : [];
};

export const outputCount: Check = (s) => {
  const n = Object.keys(s.template.Outputs ?? {}).length;
  return n > CFN_MAX_OUTPUTS ? [`${n} outputs; CloudFormation allows ${CFN_MAX_OUTPUTS}`] : [];
};

export const parameterCount: Check = (s) => {
  const n = Object.keys(s.template.Parameters ?? {}).length;
  return n > CFN_MAX_PARAMETERS ? [`${n} parameters; CloudFormation allows ${CFN_MAX_PARAMETERS}`] : [];
};

// --- SQS ------------------------------------------------------------------------------------------
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-policies.html
// A queue policy: at most 8,192 bytes, 20 statements, 7 actions per statement, 10 conditions.
// One AWS::SQS::QueuePolicy replaces the queue's whole policy, so two on one queue overwrite each other.

export const SQS_POLICY_BYTES = 8_192;
export const SQS_POLICY_STATEMENTS = 20;

export const sqsQueuePolicies: Check = (s) => {
  const findings: string[] = [];
  const policiesPerQueue = new Map<string, string[]>();
  for (const [id, resource] of resourcesOf(s, 'AWS::SQS::QueuePolicy')) {
    const document = resolve(s, resource.Properties?.PolicyDocument);
    const statements = statementsOf(document);
    if (statements.length > SQS_POLICY_STATEMENTS)
      findings.push(`${id}: ${statements.length} statements; SQS allows ${SQS_POLICY_STATEMENTS}`);
    const size = bytes(document);
    if (size > SQS_POLICY_BYTES) findings.push(`${id}: ${size} bytes; SQS allows ${SQS_POLICY_BYTES}`);
    for (const statement of statements) {
      if (actionsOf(statement).length > 7) findings.push(`${id}: a statement has more than 7 actions`);
    }
    for (const queue of referencedIds(resource.Properties?.Queues)) {
      policiesPerQueue.set(queue, [...(policiesPerQueue.get(queue) ?? []), id]);
    }
  }
  for (const [queue, ids] of policiesPerQueue) {
    if (ids.length > 1)
      findings.push(`${queue}: ${ids.length} queue policies overwrite each other (${ids.join(', ')})`);
  }
  return findings;
};

// --- Lambda ---------------------------------------------------------------------------------------
// https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
// "Function resource-based policy: 20 KB" (hard). Each AWS::Lambda::Permission adds one statement.

export const LAMBDA_POLICY_BYTES = 20_480;

export const lambdaPolicySize: Check = (s) => {
  const perFunction = new Map<string, Statement[]>();
  for (const [id, resource] of resourcesOf(s, 'AWS::Lambda::Permission')) {
    const p = resource.Properties ?? {};
    const fn = referencedIds(p.FunctionName)[0] ?? String(p.FunctionName);
    const statement: Statement = {
      Sid: physicalName(s, id, 100),
      Effect: 'Allow',
      Principal: { Service: resolve(s, p.Principal) },
      Action: resolve(s, p.Action) as string,
      Resource: s.template.Resources[fn] ? arnOf(s, fn) : String(resolve(s, p.FunctionName)),
      Condition: {
        ...(p.SourceArn ? { ArnLike: { 'AWS:SourceArn': resolve(s, p.SourceArn) } } : {}),
        ...(p.SourceAccount ? { StringEquals: { 'AWS:SourceAccount': resolve(s, p.SourceAccount) } } : {}),
      },
    };
    perFunction.set(fn, [...(perFunction.get(fn) ?? []), statement]);
  }
  const findings: string[] = [];
  for (const [fn, statements] of perFunction) {
    const size = bytes({ Version: '2012-10-17', Id: 'default', Statement: statements });
    if (size > LAMBDA_POLICY_BYTES)
      findings.push(
        `${fn}: resource-based policy of ${statements.length} statements is about ${size} bytes; Lambda allows ${LAMBDA_POLICY_BYTES}`,
      );
  }
  return findings;
};

// --- IAM ------------------------------------------------------------------------------------------
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
// Role policy size (all inline policies of a role together): 10,240 characters; managed policy:
// 6,144 characters; role trust policy: 2,048 by default. White space is not counted.

export const IAM_ROLE_INLINE_CHARS = 10_240;
export const IAM_MANAGED_POLICY_CHARS = 6_144;
export const IAM_TRUST_POLICY_CHARS = 2_048;

export const iamPolicySizes: Check = (s) => {
  const findings: string[] = [];
  const inlinePerRole = new Map<string, number>();
  for (const [id, role] of resourcesOf(s, 'AWS::IAM::Role')) {
    const trust = iamChars(resolve(s, role.Properties?.AssumeRolePolicyDocument));
    if (trust > IAM_TRUST_POLICY_CHARS) findings.push(`${id}: trust policy of ${trust} characters`);
    const inline = asList(role.Properties?.Policies).reduce<number>(
      (sum, p) => sum + iamChars(resolve(s, (p as { PolicyDocument?: unknown }).PolicyDocument)),
      0,
    );
    inlinePerRole.set(id, inline);
  }
  for (const [, policy] of resourcesOf(s, 'AWS::IAM::Policy')) {
    const size = iamChars(resolve(s, policy.Properties?.PolicyDocument));
    for (const role of referencedIds(policy.Properties?.Roles)) {
      inlinePerRole.set(role, (inlinePerRole.get(role) ?? 0) + size);
    }
  }
  for (const [role, size] of inlinePerRole) {
    if (size > IAM_ROLE_INLINE_CHARS)
      findings.push(`${role}: inline policies total ${size} characters; IAM allows ${IAM_ROLE_INLINE_CHARS}`);
  }
  for (const [id, policy] of resourcesOf(s, 'AWS::IAM::ManagedPolicy')) {
    const size = iamChars(resolve(s, policy.Properties?.PolicyDocument));
    if (size > IAM_MANAGED_POLICY_CHARS)
      findings.push(`${id}: managed policy of ${size} characters; IAM allows ${IAM_MANAGED_POLICY_CHARS}`);
  }
  return findings;
};

// --- KMS ------------------------------------------------------------------------------------------
// https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html — key policy document
// size: 32 KB (not adjustable).
// Services that use a key must be allowed in its policy:
// - CloudTrail: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
//   (kms:GenerateDataKey* for cloudtrail.amazonaws.com, scoped with aws:SourceArn and
//   kms:EncryptionContext:aws:cloudtrail:arn; kms:DescribeKey).
// - CloudWatch alarms publishing to an encrypted topic:
//   https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
//   (kms:Decrypt and kms:GenerateDataKey* for cloudwatch.amazonaws.com).
// - EventBridge delivering to an encrypted topic: the same page, events.amazonaws.com.
// A grant to a service principal carries aws:SourceAccount or aws:SourceArn (confused deputy:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html).

export const KMS_KEY_POLICY_BYTES = 32_768;

/** Service principals that use each key, from the resources that name it. */
function keyUsers(s: StackUnderCheck): Map<string, Map<string, string[]>> {
  const users = new Map<string, Map<string, string[]>>();
  const need = (key: string, service: string, actions: string[]) => {
    const perKey = users.get(key) ?? new Map<string, string[]>();
    perKey.set(service, [...new Set([...(perKey.get(service) ?? []), ...actions])]);
    users.set(key, perKey);
  };
  for (const [, trail] of resourcesOf(s, 'AWS::CloudTrail::Trail')) {
    for (const key of referencedIds(trail.Properties?.KMSKeyId))
      need(key, 'cloudtrail.amazonaws.com', ['kms:GenerateDataKey', 'kms:DescribeKey']);
  }
  for (const [topicId, topic] of resourcesOf(s, 'AWS::SNS::Topic')) {
    const keys = referencedIds(topic.Properties?.KmsMasterKeyId);
    if (keys.length === 0) continue;
    for (const publisher of topicPublishers(s, topicId)) {
      for (const key of keys) need(key, publisher, ['kms:GenerateDataKey', 'kms:Decrypt']);
    }
  }
  return users;
}

export const kmsKeyPolicies: Check = (s) => {
  const findings: string[] = [];
  const users = keyUsers(s);
  for (const [id, key] of resourcesOf(s, 'AWS::KMS::Key')) {
    const document = resolve(s, key.Properties?.KeyPolicy);
    const size = bytes(document);
    if (size > KMS_KEY_POLICY_BYTES)
      findings.push(`${id}: key policy of ${size} bytes; KMS allows ${KMS_KEY_POLICY_BYTES}`);
    const statements = statementsOf(key.Properties?.KeyPolicy);
    for (const [service, actions] of users.get(id) ?? []) {
      if (!allowsService(statements, service, actions))
        findings.push(`${id}: ${service} uses the key but its policy does not allow ${actions.join(', ')}`);
    }
    for (const statement of statements) {
      if (statement.Effect !== 'Allow') continue;
      for (const service of servicePrincipals(statement)) {
        const conditionKeys = Object.values(statement.Condition ?? {}).flatMap((c) => Object.keys(c));
        if (!conditionKeys.some((k) => /^aws:Source(Account|Arn)$/i.test(k)))
          findings.push(`${id}: grants ${service} without an aws:SourceAccount / aws:SourceArn condition`);
      }
    }
  }
  return findings;
};

// --- SNS ------------------------------------------------------------------------------------------
// A topic policy replaces the default one (which lets the owner account's services publish):
// https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html
// CloudWatch alarm actions publish as cloudwatch.amazonaws.com
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-actions.html), and
// EventBridge targets as events.amazonaws.com
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions).

/** Service principals that publish to the topic: alarms that notify it and rules that target it. */
function topicPublishers(s: StackUnderCheck, topicId: string): string[] {
  const publishers = new Set<string>();
  for (const [, alarm] of resourcesOf(s, 'AWS::CloudWatch::Alarm')) {
    const actions = [
      alarm.Properties?.AlarmActions,
      alarm.Properties?.OKActions,
      alarm.Properties?.InsufficientDataActions,
    ];
    if (referencedIds(actions).includes(topicId)) publishers.add('cloudwatch.amazonaws.com');
  }
  for (const [, rule] of resourcesOf(s, 'AWS::Events::Rule')) {
    const arns = asList(rule.Properties?.Targets).map((t) => (t as { Arn?: unknown }).Arn);
    if (referencedIds(arns).includes(topicId)) publishers.add('events.amazonaws.com');
  }
  return [...publishers];
}

export const snsTopicPolicies: Check = (s) => {
  const findings: string[] = [];
  for (const [policyId, policy] of resourcesOf(s, 'AWS::SNS::TopicPolicy')) {
    const statements = statementsOf(policy.Properties?.PolicyDocument);
    if (statements.length > 0 && statements.every((st) => st.Effect === 'Deny'))
      findings.push(
        `${policyId}: only Deny statements: it replaces the default policy, so no service may publish`,
      );
    for (const topicId of referencedIds(policy.Properties?.Topics)) {
      for (const publisher of topicPublishers(s, topicId)) {
        if (!allowsService(statements, publisher, ['sns:Publish']))
          findings.push(
            `${topicId}: ${publisher} publishes to it but its topic policy does not allow sns:Publish`,
          );
      }
    }
  }
  return findings;
};

/** Every alarm notifies a topic with at least one unfiltered subscription (alarms carry no attributes). */
export const alarmsReachOperator: Check = (s) => {
  const findings: string[] = [];
  const subscriptions = resourcesOf(s, 'AWS::SNS::Subscription');
  const unfilteredTopics = new Set(
    subscriptions
      .filter(([, sub]) => sub.Properties?.FilterPolicy === undefined)
      .flatMap(([, sub]) => referencedIds(sub.Properties?.TopicArn)),
  );
  // A topic nobody subscribed to (no alert emails configured) is the operator's choice, not a defect.
  const subscribedTopics = new Set(
    subscriptions.flatMap(([, sub]) => referencedIds(sub.Properties?.TopicArn)),
  );
  for (const [id, alarm] of resourcesOf(s, 'AWS::CloudWatch::Alarm')) {
    const topics = referencedIds(alarm.Properties?.AlarmActions).filter(
      (t) => s.template.Resources[t]?.Type === 'AWS::SNS::Topic',
    );
    if (topics.length === 0) findings.push(`${id}: notifies no topic of this stack`);
    else if (topics.some((t) => subscribedTopics.has(t)) && !topics.some((t) => unfilteredTopics.has(t)))
      findings.push(
        `${id}: every subscription of its topic filters on message attributes alarm notifications do not carry`,
      );
  }
  return findings;
};

// --- EventBridge ----------------------------------------------------------------------------------
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
// Event pattern size: 2,048 characters (we keep 1,900 as headroom); rules per event bus: 300, and
// 100 in af-south-1 and eu-south-1 (the budget below fits every region with room for others' rules);
// targets per rule: 5; event bus policy size: 10,240 characters.

export const EVENT_PATTERN_HARD_LIMIT = 2_048;
export const EVENT_PATTERN_BUDGET = 1_900;
export const RULES_PER_BUS_BUDGET = 50;
export const TARGETS_PER_RULE = 5;
export const EVENT_BUS_POLICY_CHARS = 10_240;

export const eventPatternSizes: Check = (s) =>
  resourcesOf(s, 'AWS::Events::Rule').flatMap(([id, rule]) => {
    const pattern = rule.Properties?.EventPattern;
    if (pattern === undefined) return [];
    const size = JSON.stringify(pattern).length;
    return size > EVENT_PATTERN_BUDGET
      ? [
          `${id}: pattern of ${size} characters (limit ${EVENT_PATTERN_HARD_LIMIT}, budget ${EVENT_PATTERN_BUDGET})`,
        ]
      : [];
  });

export const rulesPerBus: Check = (s) => {
  const perBus = new Map<string, number>();
  for (const [, rule] of resourcesOf(s, 'AWS::Events::Rule')) {
    const bus = JSON.stringify(rule.Properties?.EventBusName ?? 'default');
    perBus.set(bus, (perBus.get(bus) ?? 0) + 1);
  }
  return [...perBus]
    .filter(([, n]) => n > RULES_PER_BUS_BUDGET)
    .map(
      ([bus, n]) =>
        `${n} rules on bus ${bus}; budget ${RULES_PER_BUS_BUDGET} (some regions allow 100 in all)`,
    );
};

export const targetsPerRule: Check = (s) =>
  resourcesOf(s, 'AWS::Events::Rule').flatMap(([id, rule]) => {
    const n = asList(rule.Properties?.Targets).length;
    return n > TARGETS_PER_RULE ? [`${id}: ${n} targets; EventBridge allows ${TARGETS_PER_RULE}`] : [];
  });

export const eventBusPolicySize: Check = (s) => {
  const perBus = new Map<string, Statement[]>();
  for (const [, policy] of resourcesOf(s, 'AWS::Events::EventBusPolicy')) {
    const bus = JSON.stringify(policy.Properties?.EventBusName ?? 'default');
    const statement = resolve(s, policy.Properties?.Statement) as Statement;
    perBus.set(bus, [...(perBus.get(bus) ?? []), statement]);
  }
  return [...perBus].flatMap(([bus, statements]) => {
    const size = iamChars({ Version: '2012-10-17', Statement: statements });
    return size > EVENT_BUS_POLICY_CHARS
      ? [`bus ${bus}: policy of ${size} characters; EventBridge allows ${EVENT_BUS_POLICY_CHARS}`]
      : [];
  });
};

/**
 * Rules for AWS service events pin `source` to `aws.` values: PutEvents refuses sources starting
 * with "aws." (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsRequestEntry.html),
 * so a rule that pins it cannot be fed forged events by accounts allowed on the bus.
 */
export const awsSourcePinned: Check = (s) =>
  resourcesOf(s, 'AWS::Events::Rule').flatMap(([id, rule]) => {
    const pattern = rule.Properties?.EventPattern as Record<string, unknown> | undefined;
    if (!pattern) return [];
    const detailTypes = asList(pattern['detail-type']).map(String);
    const awsEvent =
      detailTypes.includes('AWS API Call via CloudTrail') || detailTypes.includes('Object Created');
    if (!awsEvent) return [];
    const sources = asList(pattern.source);
    const pinned =
      sources.length > 0 &&
      sources.every(
        (v) =>
          (typeof v === 'string' && v.startsWith('aws.')) ||
          (typeof v === 'object' && v !== null && (v as { prefix?: unknown }).prefix === 'aws.'),
      );
    return pinned ? [] : [`${id}: matches AWS service events but does not pin source to aws.*`];
  });

// --- Cognito --------------------------------------------------------------------------------------
// The dashboard signs in with the authorization code grant and PKCE (a public client, no secret):
// https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html and
// https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html

export const cognitoClientFlows: Check = (s) =>
  resourcesOf(s, 'AWS::Cognito::UserPoolClient').flatMap(([id, client]) => {
    const p = client.Properties ?? {};
    const flows = asList(p.AllowedOAuthFlows).map(String);
    const findings: string[] = [];
    if (!flows.includes('code'))
      findings.push(`${id}: the web app uses the code flow, the client allows ${JSON.stringify(flows)}`);
    if (p.AllowedOAuthFlowsUserPoolClient !== true) findings.push(`${id}: OAuth flows are not enabled`);
    if (p.GenerateSecret === true) findings.push(`${id}: a browser app cannot keep a client secret`);
    if (asList(p.CallbackURLs).length === 0) findings.push(`${id}: no callback URL`);
    return findings;
  });

// --- S3 -------------------------------------------------------------------------------------------
// CloudFormation cannot delete a bucket that holds objects (or object versions):
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-s3-bucket.html
// ("You can only delete empty buckets. Deletion fails for buckets that have contents.")
// A bucket deleted with the stack is therefore emptied first (CDK's autoDeleteObjects) or retained.

export const bucketsEmptiedOrRetained: Check = (s) => {
  const autoDeleted = new Set(
    resourcesOf(s, 'Custom::S3AutoDeleteObjects').flatMap(([, r]) => referencedIds(r.Properties?.BucketName)),
  );
  return resourcesOf(s, 'AWS::S3::Bucket')
    .filter(([, b]) => (b.DeletionPolicy ?? 'Delete') === 'Delete')
    .filter(([id]) => !autoDeleted.has(id))
    .map(([id]) => `${id}: deleted with the stack but nothing empties it (cdk destroy fails)`);
};

// --- Outputs --------------------------------------------------------------------------------------
// What an operator needs after `cdk deploy`: the dashboard, HTTP API and WebSocket URLs and the user
// pool (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/outputs-section-structure.html).

export const centralOutputs: Check = (s) => {
  const resources = s.template.Resources;
  if (!Object.values(resources).some((r) => r.Type === 'AWS::CloudFront::Distribution')) return [];
  const outputs = Object.values(s.template.Outputs ?? {}).map((o) => (o as { Value?: unknown }).Value);
  const referenced = new Set(referencedIds(outputs));
  const wanted: [string, (r: CfnResource) => boolean][] = [
    ['dashboard URL (CloudFront distribution)', (r) => r.Type === 'AWS::CloudFront::Distribution'],
    ['HTTP API URL', (r) => r.Type === 'AWS::ApiGatewayV2::Api' && r.Properties?.ProtocolType === 'HTTP'],
    [
      'WebSocket URL',
      (r) => r.Type === 'AWS::ApiGatewayV2::Api' && r.Properties?.ProtocolType === 'WEBSOCKET',
    ],
    ['user pool id', (r) => r.Type === 'AWS::Cognito::UserPool'],
  ];
  return wanted
    .filter(([, is]) => ![...referenced].some((id) => resources[id] && is(resources[id] as CfnResource)))
    .map(([what]) => `no stack output gives the ${what}`);
};

// --- Operations -----------------------------------------------------------------------------------
// A queue that fills or a function that fails says so: every SQS queue (all are dead-letter or
// undelivered queues here) and every tfdrift function has an alarm
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html).

const isTfdriftFunction = (r: CfnResource) =>
  r.Type === 'AWS::Lambda::Function' && String(r.Properties?.Description ?? '').startsWith('tfdrift');

export const everythingAlarmed: Check = (s) => {
  const alarmed = new Set(
    resourcesOf(s, 'AWS::CloudWatch::Alarm').flatMap(([, a]) => referencedIds(a.Properties?.Dimensions)),
  );
  const findings: string[] = [];
  for (const [id] of resourcesOf(s, 'AWS::SQS::Queue'))
    if (!alarmed.has(id)) findings.push(`${id}: no alarm tells anyone that messages wait in this queue`);
  for (const [id, fn] of Object.entries(s.template.Resources))
    if (isTfdriftFunction(fn) && !alarmed.has(id)) findings.push(`${id}: no alarm on the function's errors`);
  return findings;
};

// --- Bootstrap-free forwarders ----------------------------------------------------------------------
// A forwarder stack is deployed into member accounts (often by StackSets) that are not CDK
// bootstrapped: no assets, no bootstrap-version parameter or rule, and a body that can be sent
// inline (51,200 bytes, cloudformation-limits.html above; StackSets take the same TemplateBody).

export const forwarderBootstrapFree: Check = (s) => {
  if (!s.stackName.startsWith('TfdriftForwarder')) return [];
  const findings: string[] = [];
  // The CDK CLI sends the template as YAML (toolkit-lib makeBodyParameter); a StackSet gets the JSON.
  const sent = Math.max(s.templateBytes, Buffer.byteLength(toYaml(s.template), 'utf8'));
  if (sent > CFN_TEMPLATE_BODY_BYTES)
    findings.push(`template is ${sent} bytes; over ${CFN_TEMPLATE_BODY_BYTES} it needs the bootstrap bucket`);
  if (s.template.Parameters?.BootstrapVersion)
    findings.push('has the BootstrapVersion parameter (needs cdk bootstrap)');
  if (Object.values(s.template.Resources).some((r) => r.Type === 'AWS::Lambda::Function'))
    findings.push('has a Lambda function (an asset in the bootstrap bucket)');
  return findings;
};

// --- Running them ---------------------------------------------------------------------------------

export const CHECKS: Readonly<Record<string, Check>> = {
  templateSize,
  resourceCount,
  outputCount,
  parameterCount,
  sqsQueuePolicies,
  lambdaPolicySize,
  iamPolicySizes,
  kmsKeyPolicies,
  snsTopicPolicies,
  alarmsReachOperator,
  eventPatternSizes,
  rulesPerBus,
  targetsPerRule,
  eventBusPolicySize,
  awsSourcePinned,
  cognitoClientFlows,
  bucketsEmptiedOrRetained,
  centralOutputs,
  everythingAlarmed,
  forwarderBootstrapFree,
};

/** Runs every check on the stack; a check that throws becomes a finding of that check. */
export function runChecks(
  stack: StackUnderCheck,
  checks: Readonly<Record<string, Check>> = CHECKS,
): Finding[] {
  return Object.entries(checks).flatMap(([check, fn]) => {
    let messages: string[];
    try {
      messages = fn(stack);
    } catch (error) {
      messages = [`check failed to run: ${(error as Error).message}`];
    }
    return messages.map((message) => ({ check, stack: stack.stackName, message }));
  });
}
