// Drift alerts: one SNS topic (KMS-encrypted, TLS only). Each email address subscribes with a filter
// policy on the `severity` message attribute the notifier sets, so it only gets what it asked for.

import { Duration } from 'aws-cdk-lib';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SEVERITIES, type Severity } from '../../lambdas/core/types.js';
import type { AlertEmailSettings } from '../settings.js';
import { acknowledgeDeadLetterQueue } from './event-ingest.js';

/** Severities at or above `min`, e.g. high → [high, critical]. */
export function severitiesFrom(min: Severity): Severity[] {
  return SEVERITIES.slice(SEVERITIES.indexOf(min));
}

export interface AlertsProps {
  readonly emails: readonly AlertEmailSettings[];
}

export class Alerts extends Construct {
  readonly topic: Topic;
  readonly key: Key;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    // A customer managed key (not alias/aws/sns) so CloudWatch alarms can publish to the topic too.
    this.key = new Key(this, 'Key', { enableKeyRotation: true, description: 'tfdrift alert topic' });
    this.key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', {
      displayName: 'tfdrift alerts',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.key.grant(new ServicePrincipal('sns.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');

    // Mail that SNS could not deliver is kept for 14 days instead of being lost.
    const undelivered = new Queue(this, 'Undelivered', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeDeadLetterQueue(undelivered);
    for (const email of props.emails) {
      this.topic.addSubscription(
        new EmailSubscription(email.address, {
          deadLetterQueue: undelivered,
          filterPolicy: {
            severity: SubscriptionFilter.stringFilter({ allowlist: severitiesFrom(email.minSeverity) }),
          },
        }),
      );
    }
  }
}
