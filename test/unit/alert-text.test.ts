import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { SnsNotifier } from '../../lambdas/adapters/aws/sns-notifier.js';
import { ConsoleNotifier } from '../../lambdas/adapters/local/console-notifier.js';
import { alertText, oneLine } from '../../lambdas/core/alert-text.js';
import { chatbotNotification } from '../../lambdas/core/chat-notification.js';
import type { Drift } from '../../lambdas/core/types.js';
import { sampleDrift } from '../support/drift-samples.js';

const hostile: Drift = {
  ...sampleDrift(1, { severity: 'critical' }),
  actor: {
    type: 'IAMUser',
    arn: 'arn:aws:iam::123456789012:user/mallory',
    name: 'mallory\r\nSubject: fake\u202e<script>alert(1)</script>',
    accountId: '123456789012',
    sourceIp: '203.0.113.9',
    userAgent: 'curl/8.0\u001b[31m red',
  },
  changes: [
    { attribute: 'instance_type', expected: 't3.micro', actual: 't3.large' },
    { attribute: 'password', expected: '(sensitive)', actual: '(sensitive)' },
  ],
};

describe('alert text', () => {
  it('says what, who, when, expected vs actual, with a link', () => {
    const { subject, body } = alertText(
      sampleDrift(3, { severity: 'high' }),
      'http://127.0.0.1:8080/#drift=drift-0003',
    );
    expect(subject).toBe('[HIGH] tfdrift: modified module.app.aws_instance.web[0] by alice@example.com');
    expect(body).toContain('Resource:  module.app.aws_instance.web[0] (aws_instance, i-0abc0)');
    expect(body).toContain('  instance_type: expected "t3.micro", actual "t3.large"');
    expect(body).toContain(
      'Who:       alice@example.com (AssumedRole arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com)',
    );
    expect(body).toContain('           from 203.0.113.7 via aws-cli/2.15.0');
    expect(body).toContain('When:      2026-01-01T10:00:03Z');
    expect(body).toContain('Open:      http://127.0.0.1:8080/#drift=drift-0003');
  });

  it('keeps attacker-controlled strings on one plain line and the subject short ASCII', () => {
    const { subject, body } = alertText(hostile);
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
    expect(body).toContain('mallory??Subject: fake?<script>alert(1)</script>');
    expect(body).toContain('via curl/8.0?[31m red');
    expect(body.split('\n').filter((l) => l.startsWith('Subject:'))).toEqual([]);
    expect(body).toContain('password: expected "(sensitive)", actual "(sensitive)"');
    expect(oneLine('x'.repeat(400), 20)).toBe(`${'x'.repeat(17)}...`);
  });
});

describe('notifiers', () => {
  it('publishes to SNS once, with a severity attribute, the text for email and the chat notification for https', async () => {
    const sns = mockClient(SNSClient);
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    await new SnsNotifier(new SNSClient({ region: 'eu-west-1' }), {
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:tfdrift-alerts',
      dashboardUrl: 'https://d111.cloudfront.net/',
    }).notify(hostile);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    const input = sns.commandCalls(PublishCommand)[0].args[0].input;
    expect(input.TopicArn).toBe('arn:aws:sns:eu-west-1:123456789012:tfdrift-alerts');
    expect(input.MessageAttributes?.severity).toEqual({ DataType: 'String', StringValue: 'critical' });
    expect(input.Subject?.length).toBeLessThan(100);
    expect(input.MessageStructure).toBe('json');
    const link = 'https://d111.cloudfront.net/#drift=drift-0001';
    const messages = JSON.parse(input.Message ?? '') as Record<string, string>;
    expect(Object.keys(messages).sort()).toEqual(['default', 'email', 'https']);
    expect(messages.default).toBe(alertText(hostile, link).body);
    expect(messages.email).toBe(messages.default);
    expect(JSON.parse(messages.https)).toEqual(chatbotNotification(hostile, link));
    expect(JSON.parse(messages.https)).toMatchObject({ version: '1.0', source: 'custom' });
    expect(messages.https).not.toContain('<script>');
    sns.restore();
  });

  it('prints to the console with the dashboard link', async () => {
    let text = '';
    const out = {
      write: (chunk: string) => {
        text += chunk;
        return true;
      },
    } as unknown as NodeJS.WritableStream;
    await new ConsoleNotifier({ out, baseUrl: () => 'http://127.0.0.1:9000' }).notify(sampleDrift(2));
    expect(text.split('\n')[0]).toBe(
      '[MEDIUM] tfdrift: modified module.app.aws_instance.web[2] by alice@example.com',
    );
    expect(text).toContain('Open:      http://127.0.0.1:9000/#drift=drift-0002');
  });
});
