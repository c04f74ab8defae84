// CloudTrail API calls → detect Lambda. One EventBridge rule per generated pattern (lib/rule-patterns.ts
// packs them under the size limit); every target retries, ages out, and dead-letters to SQS.
//
// Quotas (EventBridge user guide, "Amazon EventBridge quotas"): an event pattern may be 2048
// characters, a bus holds 300 rules (100 in af-south-1 and eu-south-1), a rule has at most 5
// targets. The rules are named with one prefix so that ONE Lambda permission and ONE queue-policy
// statement (ArnLike on `rule/<prefix>*`) serve them all: one per rule would exceed the 20 KB
// Lambda policy and SQS's 20-statement queue policy (Lambda and SQS quotas pages).

import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  type EventPattern as CdkEventPattern,
  type IRule,
  type IRuleTarget,
  Rule,
  type RuleTargetConfig,
} from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnPermission, type IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EventPattern } from '../../lambdas/core/event-pattern.js';
import { MAX_PATTERN_CHARS } from '../../lambdas/core/rules.js';

/** Rules per bus: 100 in some regions (300 elsewhere); leave most of them to the account's own rules. */
export const MAX_RULES = 50;

/** A rule target whose permissions are granted once for all rules (see the header comment). */
export class PreGrantedTarget implements IRuleTarget {
  constructor(private readonly config: RuleTargetConfig) {}
  bind(): RuleTargetConfig {
    return this.config;
  }
}

/**
 * ARN pattern of the rules named `<prefix><n>` on the default bus of this stack's account and region.
 * The rules' own ARNs cannot be listed in the policies they depend on, so the prefix is the reference.
 */
export function ruleArnPattern(scope: Construct, namePrefix: string): string {
  return Stack.of(scope).formatArn({ service: 'events', resource: 'rule', resourceName: `${namePrefix}*` });
}

/** One queue-policy statement letting EventBridge dead-letter events of every `<prefix>*` rule. */
export function allowRuleDeadLetters(queue: IQueue, rulesArnPattern: string): void {
  const stack = Stack.of(queue);
  queue.addToResourcePolicy(
    new PolicyStatement({
      sid: 'EventBridgeDeadLetters',
      principals: [new ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: {
        ArnLike: { 'aws:SourceArn': rulesArnPattern },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    }),
  );
}

/** The core's pattern (EventBridge JSON field names) as the CDK's camelCase EventPattern. */
export function toCdkPattern(pattern: EventPattern): CdkEventPattern {
  const {
    'detail-type': detailType,
    source,
    detail,
    account,
    region,
    resources,
    ...rest
  } = pattern as Record<string, unknown>;
  if (Object.keys(rest).length > 0)
    throw new Error(`unsupported event pattern field(s): ${Object.keys(rest).join(', ')}`);
  return { detailType, source, detail, account, region, resources } as CdkEventPattern;
}

/** A dead-letter queue is the end of the line: it has no DLQ or redrive policy of its own. */
export function acknowledgeDeadLetterQueue(queue: Construct): void {
  const reason =
    'This queue is itself a dead-letter queue (of an EventBridge target, a Lambda destination or SNS).';
  Validations.of(queue).acknowledge(
    { id: 'AwsSolutions-SQS3', reason },
    { id: 'Serverless-SQSRedrivePolicy', reason },
  );
}

export interface DeadLetterProps {
  /** Topic the "messages are waiting" alarm notifies. */
  readonly alarmTopic: ITopic;
  /** What the queue holds, for the alarm description. */
  readonly what: string;
}

/** An encrypted SQS dead-letter queue with an alarm as soon as one message lands in it. */
export class DeadLetter extends Construct {
  /** The queue (14 days' retention, SQS-managed encryption, TLS only). */
  readonly queue: IQueue;
  constructor(scope: Construct, id: string, props: DeadLetterProps) {
    super(scope, id);
    const queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = queue;
    acknowledgeDeadLetterQueue(queue);
    const alarm = new Alarm(this, 'Alarm', {
      alarmDescription: `tfdrift: ${props.what} could not be processed and wait in ${this.node.path}`,
      metric: this.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(props.alarmTopic));
  }
}

export interface EventIngestProps {
  /** Name prefix of the rules (unique in the account and region). @default `<stack name>-ingest-` */
  readonly ruleNamePrefix?: string;
  /** Patterns generated from the rule set (`eventPatterns(ruleSet)`). */
  readonly patterns: readonly EventPattern[];
  /** Extra patterns delivered to the same target (e.g. state-bucket Object Created events). @default none */
  readonly extraPatterns?: readonly EventPattern[];
  /** The function every rule delivers to (the detect function). */
  readonly target: IFunction;
  /** Where events go that the target could not take after the rules' retries. */
  readonly deadLetter: DeadLetter;
}

export class EventIngest extends Construct {
  /** One rule per pattern, named `<ruleNamePrefix><n>`. */
  readonly rules: IRule[] = [];
  readonly ruleNamePrefix: string;

  constructor(scope: Construct, id: string, props: EventIngestProps) {
    super(scope, id);
    const all = [...props.patterns, ...(props.extraPatterns ?? [])];
    if (all.length > MAX_RULES) {
      throw new Error(
        `EventIngest: ${all.length} event patterns exceed the budget of ${MAX_RULES} rules per bus`,
      );
    }
    this.ruleNamePrefix = props.ruleNamePrefix ?? `${Stack.of(this).stackName}-ingest-`;
    const rulesArn = ruleArnPattern(this, this.ruleNamePrefix);
    const permission = new CfnPermission(this, 'InvokeFromRules', {
      action: 'lambda:InvokeFunction',
      functionName: props.target.functionArn,
      principal: 'events.amazonaws.com',
      sourceArn: rulesArn,
      sourceAccount: Stack.of(this).account,
    });
    allowRuleDeadLetters(props.deadLetter.queue, rulesArn);
    const target = new PreGrantedTarget({
      arn: props.target.functionArn,
      retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: Duration.hours(2).toSeconds() },
      deadLetterConfig: { arn: props.deadLetter.queue.queueArn },
    });
    all.forEach((pattern, index) => {
      const size = JSON.stringify(pattern).length;
      if (size > MAX_PATTERN_CHARS) {
        throw new Error(
          `EventIngest: pattern ${index} is ${size} characters (EventBridge allows ${MAX_PATTERN_CHARS})`,
        );
      }
      const rule = new Rule(this, `Rule${index}`, {
        ruleName: `${this.ruleNamePrefix}${index}`,
        description: `tfdrift: ${describePattern(pattern)}`.slice(0, 512),
        eventPattern: toCdkPattern(pattern),
        targets: [target],
      });
      rule.node.addDependency(permission);
      this.rules.push(rule);
    });
  }
}

function describePattern(pattern: EventPattern): string {
  const detail = (pattern as { detail?: { eventSource?: unknown; bucket?: unknown } }).detail;
  if (detail?.eventSource) return `CloudTrail writes of ${(detail.eventSource as string[]).join(', ')}`;
  return `events ${JSON.stringify((pattern as { source?: unknown }).source ?? [])}`;
}
