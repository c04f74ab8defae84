// Other regions (and us-east-1, where IAM, Route 53, CloudFront and Organizations calls arrive) only
// forward the matching CloudTrail events to the central region's default bus; detection is central.

import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { EventPattern } from '../../lambdas/core/event-pattern.js';
import { acknowledgeDeadLetterQueue, toCdkPattern } from './event-ingest.js';

export interface RegionForwarderStackProps extends StackProps {
  readonly centralRegion: string;
  /** Account of the central stack. @default this stack's account */
  readonly centralAccount?: string;
  readonly patterns: readonly EventPattern[];
}

export class RegionForwarderStack extends Stack {
  readonly rules: Rule[] = [];
  constructor(scope: Construct, id: string, props: RegionForwarderStackProps) {
    super(scope, id, props);
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
    // Events the central bus refused (e.g. its policy changed) are kept here for 14 days.
    const undelivered = new Queue(this, 'Undelivered', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeDeadLetterQueue(undelivered);
    props.patterns.forEach((pattern, index) => {
      const rule = new Rule(this, `Forward${index}`, {
        description: 'tfdrift: forward CloudTrail writes to the central region',
        eventPattern: toCdkPattern(pattern),
      });
      rule.addTarget(new EventBusTarget(centralBus, { deadLetterQueue: undelivered }));
      this.rules.push(rule);
    });
  }
}
