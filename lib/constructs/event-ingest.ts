// CloudTrail API calls → detect Lambda. One EventBridge rule per generated pattern (the core splits
// patterns to fit EventBridge's size limit); every target retries, ages out, and dead-letters to SQS.
//
// Quotas (EventBridge user guide, "Amazon EventBridge quotas"): an event pattern may be 2048
// characters by default (adjustable to 4096), a bus holds 300 rules by default (adjustable), and
// a rule has at most 5 targets. We stay under the default of both so no quota request is needed.

import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type EventPattern as CdkEventPattern, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EventPattern } from '../../lambdas/core/event-pattern.js';

export const MAX_PATTERN_CHARS = 2048;
/** Default rules-per-bus quota is 300; leave room for the user's own rules. */
export const MAX_RULES = 200;

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
  readonly queue: Queue;
  constructor(scope: Construct, id: string, props: DeadLetterProps) {
    super(scope, id);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeDeadLetterQueue(this.queue);
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
  /** Patterns generated from the rule set (`eventPatterns(ruleSet)`). */
  readonly patterns: readonly EventPattern[];
  /** Extra patterns delivered to the same target (e.g. state-bucket Object Created events). */
  readonly extraPatterns?: readonly EventPattern[];
  readonly target: IFunction;
  readonly deadLetter: DeadLetter;
}

export class EventIngest extends Construct {
  readonly rules: Rule[] = [];

  constructor(scope: Construct, id: string, props: EventIngestProps) {
    super(scope, id);
    const all = [...props.patterns, ...(props.extraPatterns ?? [])];
    if (all.length > MAX_RULES) {
      throw new Error(
        `EventIngest: ${all.length} event patterns exceed the budget of ${MAX_RULES} rules per bus`,
      );
    }
    all.forEach((pattern, index) => {
      const size = JSON.stringify(pattern).length;
      if (size > MAX_PATTERN_CHARS) {
        throw new Error(
          `EventIngest: pattern ${index} is ${size} characters (EventBridge allows ${MAX_PATTERN_CHARS})`,
        );
      }
      const rule = new Rule(this, `Rule${index}`, {
        description: `tfdrift: ${describePattern(pattern)}`.slice(0, 512),
        eventPattern: toCdkPattern(pattern),
      });
      rule.addTarget(
        new LambdaFunction(props.target, {
          retryAttempts: 8,
          maxEventAge: Duration.hours(2),
          deadLetterQueue: props.deadLetter.queue,
        }),
      );
      this.rules.push(rule);
    });
  }
}

function describePattern(pattern: EventPattern): string {
  const detail = (pattern as { detail?: { eventSource?: unknown; bucket?: unknown } }).detail;
  if (detail?.eventSource) return `CloudTrail writes of ${JSON.stringify(detail.eventSource)}`;
  return `events ${JSON.stringify((pattern as { source?: unknown }).source ?? [])}`;
}
