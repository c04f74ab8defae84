// Chat alerts (Slack incoming webhooks and Amazon Q Developer in chat applications' custom
// notifications): the content says what, who, expected → actual and links the drift; every
// CloudTrail string is escaped for chat markdown, so it can neither link, mention nor break out.

import { describe, expect, it } from 'vitest';
import {
  chatbotNotification,
  chatContent,
  escapeMrkdwn,
  slackMessage,
} from '../../lambdas/core/chat-notification.js';
import type { Drift } from '../../lambdas/core/types.js';
import { sampleDrift } from '../support/drift-samples.js';

const LINK = 'https://d111.cloudfront.net/#drift=drift-0003';

const hostile: Drift = {
  ...sampleDrift(7, { severity: 'critical' }),
  actor: {
    type: 'IAMUser',
    arn: 'arn:aws:iam::123456789012:user/mallory',
    name: 'mallory <!channel> <https://evil.example|click> & `code`\nline2',
    accountId: '123456789012',
    sourceIp: '203.0.113.9',
    userAgent: 'curl/8.0 <@U012AB3CD>',
  },
  changes: [
    { attribute: 'tags.Owner', expected: 'team-a', actual: '<https://evil.example|x> `y`' },
    { attribute: 'password', expected: '(sensitive)', actual: '(sensitive)' },
  ],
  summary: 'mallory <!here> changed tags',
};

describe('chat content', () => {
  it('says what, expected → actual, who, where and links the drift', () => {
    const content = chatContent(sampleDrift(3, { severity: 'high' }), LINK);
    expect(content.title).toBe('HIGH drift: modified module.app.aws_instance.web[0] by alice@example.com');
    expect(content.description.split('\n')).toEqual([
      'instance_type of module.app.aws_instance.web[0] changed from t3.micro to t3.large',
      '• `instance_type`: `t3.micro` → `t3.large`',
      '*Who:* `alice@example.com` (AssumedRole `arn:aws:sts::123456789012:assumed-role/Admin/alice@example.com`)',
      '*From:* `203.0.113.7` via `aws-cli/2.15.0`',
      '*Call:* `ModifyInstanceAttribute` in eu-west-1, account 123456789012, at 2026-01-01T10:00:03Z',
      '*State:* `examples/demo/app.tfstate`',
    ]);
    expect(content.nextSteps[0]).toBe(`Open the drift in tfdrift: ${LINK}`);
    expect(chatContent(sampleDrift(3)).nextSteps.some((s) => s.includes('http'))).toBe(false);
  });

  it('escapes & < > and keeps hostile strings inside their code spans, on one line', () => {
    const { title, description } = chatContent(hostile, LINK);
    const all = `${title}\n${description}`;
    expect(all).not.toMatch(/<[!@h]/); // no mention, no link
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&lt;@U012AB3CD&gt;');
    expect(all).toContain('&amp;');
    expect(description).toContain("`&lt;https://evil.example|x&gt; 'y'`");
    expect(description).toContain('`password`: `(sensitive)` → `(sensitive)`');
    expect(description.split('\n')).toHaveLength(7); // the name's line break did not add a line
    expect(escapeMrkdwn('a&b<c>d')).toBe('a&amp;b&lt;c&gt;d');
  });

  it('is a Slack incoming-webhook message with the same content', () => {
    const message = slackMessage(hostile, LINK);
    const content = chatContent(hostile, LINK);
    expect(message.text.startsWith(`*${content.title}*\n${content.description}\n*Next steps*\n`)).toBe(true);
    expect(message.text).toContain(`• Open the drift in tfdrift: ${LINK}`);
    expect(message.unfurl_links).toBe(false);
  });

  it('is an Amazon Q Developer custom notification (version 1.0, source custom)', () => {
    const drift: Drift = {
      ...hostile,
      resource: { ...hostile.resource, arn: 'arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc1' },
    };
    const notification = chatbotNotification(drift, LINK);
    const content = chatContent(drift, LINK);
    expect(notification).toEqual({
      version: '1.0',
      source: 'custom',
      id: 'drift-0007',
      content: {
        textType: 'client-markdown',
        title: content.title,
        description: content.description,
        nextSteps: content.nextSteps,
        keywords: ['critical', 'modified', 'aws_instance'],
      },
      metadata: {
        threadId: 'drift-0007',
        summary: content.title,
        eventType: 'Drift Detected',
        relatedResources: ['arn:aws:ec2:eu-west-1:123456789012:instance/i-0abc1'],
        additionalContext: { driftId: 'drift-0007', severity: 'critical', kind: 'modified' },
      },
    });
  });
});
