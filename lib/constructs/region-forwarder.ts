// Other regions (and us-east-1, where IAM, Route 53, CloudFront and Organizations calls arrive) and
// member accounts only forward the matching CloudTrail events — and the state buckets' Object Created
// events — to the central region's default bus; detection is central.
//
// The stack needs no CDK bootstrap (BootstraplessSynthesizer, no assets), so it deploys into a member
// account or region as is, by `cdk deploy` or as a StackSet template. All rules share one role and one
// dead-letter queue statement (rule-name prefix), so the stack stays small whatever the rule count.

import { BootstraplessSynthesizer, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventBus, type IRule, Rule } from 'aws-cdk-lib/aws-events';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { EventPattern } from '../../lambdas/core/event-pattern.js';
import {
  acknowledgeDeadLetterQueue,
  allowRuleDeadLetters,
  PreGrantedTarget,
  ruleArnPattern,
  toCdkPattern,
} from './event-ingest.js';

export interface RegionForwarderStackProps extends StackProps {
  /** Region of the central stack, whose default bus receives the events. */
  readonly centralRegion: string;
  /** Account of the central stack. @default this stack's account */
  readonly centralAccount?: string;
  /** CloudTrail patterns to forward (the central rules' patterns, forwarderPatterns()). */
  readonly patterns: readonly EventPattern[];
  /** Further patterns to forward (state buckets' Object Created events). @default none */
  readonly extraPatterns?: readonly EventPattern[];
  /** Operators mailed when forwarded events are refused by the central bus. @default none */
  readonly alarmEmails?: readonly string[];
}

export class RegionForwarderStack extends Stack {
  /** The forwarding rules, named `<stack name>-<n>`. */
  readonly rules: IRule[] = [];
  /** The role EventBridge assumes to put events on the central bus. */
  readonly role: IRole;
  /** Events the central bus refused, kept 14 days. */
  readonly undelivered: IQueue;
  /** Where the undelivered-events alarm goes. */
  readonly alarmTopic: ITopic;

  constructor(scope: Construct, id: string, props: RegionForwarderStackProps) {
    super(scope, id, { synthesizer: new BootstraplessSynthesizer(), ...props });
    const centralBus = EventBus.fromEventBusArn(
      this,
      'CentralBus',
      this.formatArn({
        service: 'events',
        region: props.centralRegion,
        account: props.centralAccount ?? this.account,
        resource: 'event-bus',
        resourceName: 'default',
      }),
    );
    const namePrefix = `${this.stackName}-`;
    // One role for every rule (EventBridge assumes it to put events on the central bus).
    const role = new Role(this, 'ForwardRole', {
      assumedBy: new ServicePrincipal('events.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'tfdrift: forwards CloudTrail writes to the central bus',
    });
    this.role = role;
    centralBus.grantPutEventsTo(role);
    // Events the central bus refused (e.g. its policy changed) are kept here for 14 days.
    this.undelivered = new Queue(this, 'Undelivered', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeDeadLetterQueue(this.undelivered);
    allowRuleDeadLetters(this.undelivered, ruleArnPattern(this, namePrefix));
    const target = new PreGrantedTarget({
      arn: centralBus.eventBusArn,
      role: this.role,
      deadLetterConfig: { arn: this.undelivered.queueArn },
    });
    [...props.patterns, ...(props.extraPatterns ?? [])].forEach((pattern, index) => {
      const rule = new Rule(this, `Forward${index}`, {
        ruleName: `${namePrefix}${index}`,
        description: 'tfdrift: forward to the central region',
        eventPattern: toCdkPattern(pattern),
        targets: [target],
      });
      this.rules.push(rule);
    });

    // Alarm notifications carry no data; the topic is TLS-only. A customer managed key in every
    // forwarded region would cost more than what it protects.
    this.alarmTopic = new Topic(this, 'Alarms', {
      displayName: 'tfdrift forwarder alarms',
      enforceSSL: true,
    });
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'Carries only CloudWatch alarm state changes (no event data); TLS is enforced by the topic policy.',
    });
    for (const address of props.alarmEmails ?? [])
      this.alarmTopic.addSubscription(new EmailSubscription(address));
    new Alarm(this, 'UndeliveredAlarm', {
      alarmDescription: `tfdrift: events forwarded from ${this.region} were refused by the central bus and wait in ${this.undelivered.node.path}`,
      metric: this.undelivered.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new SnsAction(this.alarmTopic));
  }
}
