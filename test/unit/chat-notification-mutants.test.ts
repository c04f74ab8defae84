// Chat alerts (lambdas/core/chat-notification.ts): the description's lines for each kind of drift,
// code spans and the envelopes, as a mutation run found untested
// (npx stryker run --mutate lambdas/core/chat-notification.ts).

import { describe, expect, it } from 'vitest';
import { chatbotNotification, chatContent, slackMessage } from '../../lambdas/core/chat-notification.js';
import type { Drift } from '../../lambdas/core/types.js';

function drift(extra: Partial<Drift> = {}, resource: Partial<Drift['resource']> = {}): Drift {
  return {
    id: 'd-1',
    kind: 'modified',
    severity: 'high',
    status: 'open',
    ruleId: 'rule-1',
    resource: {
      type: 'aws_widget',
      address: 'aws_widget.w',
      id: 'w-1',
      arn: null,
      stateFile: 'main.tfstate',
      ...resource,
    },
    changes: [{ attribute: 'size', expected: 'a`b', actual: undefined as unknown as null }],
    actor: {
      type: 'IAMUser',
      arn: 'arn:aws:iam::1:user/alice',
      name: 'alice',
      accountId: '1',
      sourceIp: '203.0.113.9',
      userAgent: 'aws-cli/2',
    },
    event: {
      id: 'e-1',
      name: 'SetSize',
      source: 'widgets.amazonaws.com',
      time: 't',
      region: 'eu-west-1',
      account: '1',
    },
    summary: 'alice changed size',
    detectedAt: 't',
    ...extra,
  };
}

describe('chatContent', () => {
  it('writes a modified drift’s lines, values in code spans without backticks, missing values as null', () => {
    const content = chatContent(drift(), 'https://x/d-1');
    expect(content.title).toBe('HIGH drift: modified aws_widget.w by alice');
    expect(content.description).toBe(
      [
        'alice changed size',
        "• `size`: `a'b` → `null`",
        '*Who:* `alice` (IAMUser `arn:aws:iam::1:user/alice`)',
        '*From:* `203.0.113.9` via `aws-cli/2`',
        '*Call:* `SetSize` in eu-west-1, account 1, at t',
        '*State:* `main.tfstate`',
      ].join('\n'),
    );
    expect(content.nextSteps[0]).toBe('Open the drift in tfdrift: https://x/d-1');
    expect(content.nextSteps).toHaveLength(3);
    expect(chatContent(drift()).nextSteps).toHaveLength(2);
  });

  it('says what was created or deleted, and who when nothing names them', () => {
    const created = chatContent(
      drift(
        {
          kind: 'unmanaged',
          changes: [],
          actor: { ...drift().actor, name: null, arn: null, sourceIp: null, userAgent: null },
        },
        { address: null, id: null, stateFile: null },
      ),
    );
    expect(created.title).toBe('HIGH drift: unmanaged aws_widget (unknown id) by unknown principal');
    expect(created.description).toBe(
      [
        'alice changed size',
        '`aws_widget` created outside Terraform',
        '*Who:* `unknown principal` (IAMUser)',
        '*Call:* `SetSize` in eu-west-1, account 1, at t',
      ].join('\n'),
    );
    const deleted = chatContent(drift({ kind: 'deleted', changes: [] }));
    expect(deleted.description.split('\n')[1]).toBe('`aws_widget.w` deleted outside Terraform');
    const onlyAgent = chatContent(drift({ actor: { ...drift().actor, sourceIp: null } }));
    expect(onlyAgent.description).toContain('\n*From:* via `aws-cli/2`\n');
    const byArn = chatContent(drift({}, { address: null, id: null, arn: 'arn:w' }));
    expect(byArn.title).toBe('HIGH drift: modified aws_widget arn:w by alice');
  });

  it('lists ten changes and counts the rest; an empty value still makes a code span', () => {
    const changes = Array.from({ length: 12 }, (_, i) => ({ attribute: `a${i}`, expected: '', actual: i }));
    const lines = chatContent(drift({ changes })).description.split('\n');
    expect(lines.filter((l) => l.startsWith('• '))).toHaveLength(10);
    expect(lines).toContain('… and 2 more');
    expect(lines[1]).toBe('• `a0`: ` ` → `0`');
    const ten = chatContent(drift({ changes: changes.slice(0, 10) })).description;
    expect(ten).not.toContain('more');
  });
});

describe('envelopes', () => {
  it('the chat notification carries the content, keywords and the ARN when there is one', () => {
    const n = chatbotNotification(drift({}, { arn: 'arn:w' }), 'https://x');
    expect(n).toMatchObject({
      version: '1.0',
      source: 'custom',
      id: 'd-1',
      content: {
        textType: 'client-markdown',
        title: 'HIGH drift: modified aws_widget.w by alice',
        keywords: ['high', 'modified', 'aws_widget'],
      },
      metadata: {
        threadId: 'd-1',
        summary: 'HIGH drift: modified aws_widget.w by alice',
        eventType: 'Drift Detected',
        relatedResources: ['arn:w'],
        additionalContext: { driftId: 'd-1', severity: 'high', kind: 'modified' },
      },
    });
    expect(chatbotNotification(drift()).metadata.relatedResources).toEqual([]);
  });

  it('the Slack message puts title, description and bulleted next steps in one text', () => {
    const message = slackMessage(drift({ changes: [] }));
    expect(message.unfurl_links).toBe(false);
    expect(
      message.text.startsWith('*HIGH drift: modified aws_widget.w by alice*\nalice changed size\n'),
    ).toBe(true);
    expect(message.text).toContain('\n*Next steps*\n• Undo the change with `terraform apply`');
    expect(message.text.endsWith('\n• Then acknowledge or resolve the drift in the dashboard')).toBe(true);
  });
});
