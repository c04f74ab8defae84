// Alerts in AWS: one SNS message per new drift. The `severity` message attribute lets email
// subscriptions filter (e.g. only high and critical).

import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { alertText } from '../../core/alert-text.js';
import { driftLink } from '../../core/drift-events.js';
import type { Drift } from '../../core/types.js';
import type { Notifier } from '../../ports.js';

export interface SnsNotifierOptions {
  readonly topicArn: string;
  /** Dashboard URL (CloudFront); the alert links to /#drift=ID. */
  readonly dashboardUrl?: string;
}

export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly options: SnsNotifierOptions,
  ) {}

  async notify(drift: Drift): Promise<void> {
    const base = this.options.dashboardUrl;
    const { subject, body } = alertText(drift, base ? driftLink(base, drift.id) : undefined);
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.options.topicArn,
        Subject: subject,
        Message: body,
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: drift.severity },
          kind: { DataType: 'String', StringValue: drift.kind },
        },
      }),
    );
  }
}
