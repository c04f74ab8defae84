// Drift alerts and operational alarms, on two topics sharing one KMS key (TLS only):
// - `topic`: drift alerts the detector publishes. Each email address subscribes with a filter policy
//   on the `severity` message attribute the notifier sets, so it only gets what it asked for.
// - `alarmTopic`: CloudWatch alarms (dead letters, function errors). Alarm notifications carry no
//   message attributes, so its subscriptions have no filter: every alert address is an operator.
// A topic policy replaces SNS's default one, so each says who may publish: the account's own
// principals (through their IAM policies) and, on the alarm topic, CloudWatch for this account.

import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  AccountRootPrincipal,
  type Grant,
  type IGrantable,
  PolicyStatement,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type ITopic, SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SEVERITIES, type Severity } from '../../lambdas/core/types.js';
import type { AlertEmailSettings } from '../settings.js';
import { acknowledgeDeadLetterQueue } from './event-ingest.js';

/** Severities at or above `min`, e.g. high → [high, critical]. */
export function severitiesFrom(min: Severity): Severity[] {
  return SEVERITIES.slice(SEVERITIES.indexOf(min));
}

export interface AlertsProps {
  /** Addresses subscribed to drift alerts (filtered on severity) and to the alarms. @default none */
  readonly emails?: readonly AlertEmailSettings[];
}

export class Alerts extends Construct {
  /** Drift alerts (severity-filtered subscriptions). */
  readonly topic: ITopic;
  /** Operational alarms (unfiltered subscriptions). */
  readonly alarmTopic: ITopic;
  /** The key both topics are encrypted with. */
  readonly key: IKey;
  /** Mail SNS could not deliver, kept 14 days. */
  readonly undelivered: IQueue;

  constructor(scope: Construct, id: string, props: AlertsProps = {}) {
    super(scope, id);
    const account = Stack.of(this).account;
    const thisAccount = { StringEquals: { 'aws:SourceAccount': account } };
    // A customer managed key (not alias/aws/sns) so CloudWatch alarms can publish to the alarm topic.
    const key = new Key(this, 'Key', { enableKeyRotation: true, description: 'tfdrift alert topics' });
    this.key = key;
    key.grant(
      new ServicePrincipal('cloudwatch.amazonaws.com').withConditions(thisAccount),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    // SNS itself uses the key for the topics' messages (AWS docs "Encryption at rest": key management).
    key.grant(
      new ServicePrincipal('sns.amazonaws.com').withConditions(thisAccount),
      'kms:Decrypt',
      'kms:GenerateDataKey*',
    );
    this.topic = new Topic(this, 'Topic', {
      displayName: 'tfdrift alerts',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'tfdrift operational alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const topic of [this.topic, this.alarmTopic]) {
      topic.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AccountPublishers',
          principals: [new AccountRootPrincipal()],
          actions: ['sns:Publish'],
          resources: [topic.topicArn],
        }),
      );
    }
    this.alarmTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarms',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.alarmTopic.topicArn],
        conditions: thisAccount,
      }),
    );

    const undelivered = new Queue(this, 'Undelivered', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.undelivered = undelivered;
    acknowledgeDeadLetterQueue(undelivered);
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(
        new EmailSubscription(email.address, {
          deadLetterQueue: undelivered,
          filterPolicy: {
            severity: SubscriptionFilter.stringFilter({ allowlist: severitiesFrom(email.minSeverity) }),
          },
        }),
      );
      this.alarmTopic.addSubscription(new EmailSubscription(email.address, { deadLetterQueue: undelivered }));
    }
    this.alarmOnQueue('UndeliveredAlarm', this.undelivered, 'alert mails SNS could not deliver');
  }

  /**
   * Lets the grantee publish drift alerts: sns:Publish on the topic and, because the topic is
   * encrypted, GenerateDataKey* and Decrypt on its key (CDK's grantPublish).
   */
  grantPublish(grantee: IGrantable): Grant {
    const grant = this.topic.grantPublish(grantee);
    const owner = grantee.grantPrincipal;
    if (Construct.isConstruct(owner)) {
      Validations.of(owner).acknowledge({
        id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        reason:
          'Publishing to the KMS-encrypted alerts topic needs GenerateDataKey* on that one key (CDK grantPublish).',
      });
    }
    return grant;
  }

  /** Alarm (to the alarm topic) as soon as one message waits in the queue. */
  alarmOnQueue(id: string, queue: IQueue, what: string): Alarm {
    return this.alarm(id, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }), {
      description: `tfdrift: ${what} wait in ${queue.node.path}`,
    });
  }

  /** Alarm (to the alarm topic) when the function reports an error (an invocation that threw). */
  alarmOnErrors(id: string, fn: IFunction, what: string): Alarm {
    return this.alarm(id, fn.metricErrors({ period: Duration.minutes(5) }), {
      description: `tfdrift: the ${what} function failed (${fn.node.path})`,
    });
  }

  private alarm(id: string, metric: IMetric, options: { description: string }): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: options.description,
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.alarmTopic));
    return alarm;
  }
}
