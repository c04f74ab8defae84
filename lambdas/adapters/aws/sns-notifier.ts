// Alerts in AWS: one SNS publish per new drift, with a format per protocol (MessageStructure json):
// email (and every protocol without its own entry) gets the human text; `https` — the protocol of
// an Amazon Q Developer in chat applications (AWS Chatbot) subscription for Slack and Microsoft
// Teams — gets its custom-notification JSON. The `severity` message attribute lets subscriptions
// filter (e.g. only high and critical).

import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { alertText } from '../../core/alert-text.js';
import { chatbotNotification } from '../../core/chat-notification.js';
import { driftLink } from '../../core/drift-events.js';
import type { Drift } from '../../core/types.js';
import type { Notifier } from '../../ports.js';

export interface SnsNotifierOptions {
  readonly topicArn: string;
  /** Dashboard URL (CloudFront); the alert links to /#drift=ID. */
  readonly dashboardUrl?: string;
}

/** The per-protocol messages of one alert (SNS MessageStructure json). */
export function snsMessages(drift: Drift, link?: string): { subject: string; message: string } {
  const { subject, body } = alertText(drift, link);
  const chat = JSON.stringify(chatbotNotification(drift, link));
  return { subject, message: JSON.stringify({ default: body, email: body, https: chat }) };
}

export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: SNSClient,
    private readonly options: SnsNotifierOptions,
  ) {}

  async notify(drift: Drift): Promise<void> {
    const base = this.options.dashboardUrl;
    const { subject, message } = snsMessages(drift, base ? driftLink(base, drift.id) : undefined);
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.options.topicArn,
        Subject: subject,
        Message: message,
        MessageStructure: 'json',
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: drift.severity },
          kind: { DataType: 'String', StringValue: drift.kind },
        },
      }),
    );
  }
}
