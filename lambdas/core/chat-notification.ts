// The words of a chat alert (Slack, Microsoft Teams): one content — title, what changed (expected →
// actual), who, next steps with the dashboard link — in two envelopes: Amazon Q Developer in chat
// applications' custom notification (what the SNS topic carries for a chat channel) and a Slack
// incoming-webhook message (`tfdrift serve --slack-webhook`). Both render chat markdown, and every
// CloudTrail string is attacker-controlled: & < > are escaped (Slack's control characters: links,
// mentions like <!channel>), control characters replaced, and values set in code spans without
// backticks, so a hostile name can neither link, mention, nor format.

import { oneLine } from './alert-text.js';
import type { Drift } from './types.js';

export interface ChatContent {
  readonly title: string;
  readonly description: string;
  readonly nextSteps: readonly string[];
}

/** Amazon Q Developer in chat applications (AWS Chatbot) custom notification, schema version 1.0. */
export interface ChatbotCustomNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    readonly relatedResources: readonly string[];
    readonly additionalContext: Record<string, string>;
  };
}

const MAX_VALUE = 200;
const MAX_CHANGES = 10;

/** Slack mrkdwn escaping (https://api.slack.com/reference/surfaces/formatting#escaping), on one line. */
export function escapeMrkdwn(value: unknown, max = 300): string {
  return oneLine(value, max).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A value in a code span: backticks (which would close it) become apostrophes. */
function code(value: unknown, max = MAX_VALUE): string {
  const text = typeof value === 'string' ? value : value === undefined ? 'null' : JSON.stringify(value);
  return `\`${escapeMrkdwn((text ?? 'null').replace(/`/g, "'"), max) || ' '}\``;
}

function what(drift: Drift): string {
  const r = drift.resource;
  return r.address ?? `${r.type} ${r.id ?? r.arn ?? '(unknown id)'}`;
}

function who(drift: Drift): string {
  return drift.actor.name ?? drift.actor.arn ?? 'unknown principal';
}

/** Title, description and next steps, in chat markdown with every foreign string escaped. */
export function chatContent(drift: Drift, link?: string): ChatContent {
  const title = `${drift.severity.toUpperCase()} drift: ${drift.kind} ${escapeMrkdwn(what(drift), 150)} by ${escapeMrkdwn(who(drift), 100)}`;
  const lines: string[] = [escapeMrkdwn(drift.summary, 500)];
  if (drift.kind === 'unmanaged') lines.push(`${code(drift.resource.type)} created outside Terraform`);
  if (drift.kind === 'deleted') lines.push(`${code(what(drift))} deleted outside Terraform`);
  for (const change of drift.changes.slice(0, MAX_CHANGES)) {
    lines.push(`• ${code(change.attribute)}: ${code(change.expected)} → ${code(change.actual)}`);
  }
  if (drift.changes.length > MAX_CHANGES) lines.push(`… and ${drift.changes.length - MAX_CHANGES} more`);
  const a = drift.actor;
  lines.push(`*Who:* ${code(who(drift))} (${escapeMrkdwn(a.type, 40)}${a.arn ? ` ${code(a.arn)}` : ''})`);
  if (a.sourceIp || a.userAgent) {
    lines.push(
      `*From:* ${[a.sourceIp && code(a.sourceIp, 60), a.userAgent && `via ${code(a.userAgent, 120)}`].filter(Boolean).join(' ')}`,
    );
  }
  const e = drift.event;
  lines.push(
    `*Call:* ${code(e.name, 80)} in ${escapeMrkdwn(e.region, 40)}, account ${escapeMrkdwn(e.account, 20)}, at ${escapeMrkdwn(e.time, 40)}`,
  );
  if (drift.resource.stateFile) lines.push(`*State:* ${code(drift.resource.stateFile)}`);
  const nextSteps = [
    ...(link ? [`Open the drift in tfdrift: ${escapeMrkdwn(link, 1000)}`] : []),
    'Undo the change with `terraform apply`, or keep it: update the code and run `terraform apply -refresh-only`',
    'Then acknowledge or resolve the drift in the dashboard',
  ];
  return { title, description: lines.join('\n'), nextSteps };
}

/** The custom notification an SNS topic carries to a chat channel configuration. */
export function chatbotNotification(drift: Drift, link?: string): ChatbotCustomNotification {
  const content = chatContent(drift, link);
  return {
    version: '1.0',
    source: 'custom',
    id: drift.id,
    content: {
      textType: 'client-markdown',
      title: content.title,
      description: content.description,
      nextSteps: content.nextSteps,
      keywords: [drift.severity, drift.kind, escapeMrkdwn(drift.resource.type, 60)],
    },
    metadata: {
      threadId: drift.id,
      summary: content.title,
      eventType: 'Drift Detected',
      relatedResources: drift.resource.arn ? [escapeMrkdwn(drift.resource.arn, 1000)] : [],
      additionalContext: { driftId: drift.id, severity: drift.severity, kind: drift.kind },
    },
  };
}

/** A Slack incoming-webhook message (mrkdwn `text`): the same content as the chat notification. */
export function slackMessage(drift: Drift, link?: string): { text: string; unfurl_links: false } {
  const content = chatContent(drift, link);
  const steps = content.nextSteps.map((s) => `• ${s}`).join('\n');
  return { text: `*${content.title}*\n${content.description}\n*Next steps*\n${steps}`, unfurl_links: false };
}
