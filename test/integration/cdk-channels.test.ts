// The alert channels as synthesised (lib/constructs/drift-channels.ts): which rule of the private
// drift bus takes which drift event (the core's EventBridge matcher over the rules' patterns), what
// the PagerDuty input transformers make of a hostile drift event (held to the Events API v2 format
// and to the core's mapping, lambdas/core/pagerduty.ts), that no secret is in the template, and how
// the chat channels are configured.

import { Ajv2020 } from 'ajv/dist/2020.js';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type DriftEvent,
  driftDetectedEvent,
  driftStatusChangedEvent,
} from '../../lambdas/core/drift-events.js';
import { type EventPattern, matchesPattern } from '../../lambdas/core/event-pattern.js';
import { pagerDutyEvent } from '../../lambdas/core/pagerduty.js';
import type { Drift, Severity } from '../../lambdas/core/types.js';
import { Alerts } from '../../lib/constructs/alerts.js';
import { DriftChannels, PAGERDUTY_EVENTS_URL } from '../../lib/constructs/drift-channels.js';
import { parseSettings } from '../../lib/settings.js';
import { sampleDrift } from '../support/drift-samples.js';

process.env.AWS_REGION ??= 'eu-west-1';
const ACCOUNT = '123456789012';
const PD_SECRET = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:tfdrift/pagerduty-AbCdEf`;
const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';

type Resource = { Type: string; Properties: Record<string, unknown> };
interface RuleTarget {
  Arn: unknown;
  InputTransformer?: { InputPathsMap: Record<string, string>; InputTemplate: string };
}

function channels(notifications: unknown): Template {
  const app = new App();
  const stack = new Stack(app, 'Channels', { env: { account: ACCOUNT, region: 'eu-west-1' } });
  const alerts = new Alerts(stack, 'Alerts', { emails: [] });
  new DriftChannels(stack, 'Channels', {
    notifications: parseSettings({ notifications }).notifications,
    alarmTopic: alerts.alarmTopic,
    topicKey: alerts.key,
    logRetention: RetentionDays.ONE_MONTH,
  });
  return Template.fromStack(stack);
}

/** The event as a target of a rule on the bus receives it. */
const delivered = (doc: DriftEvent) => ({
  version: '0',
  id: 'eb-1',
  account: ACCOUNT,
  region: 'eu-west-1',
  ...JSON.parse(JSON.stringify(doc)),
});

/**
 * EventBridge's input transformer as documented (eb-transform-target-input): each variable is the
 * value at its path; a variable placed unquoted in a JSON template is written as that JSON value.
 */
function transform(t: NonNullable<RuleTarget['InputTransformer']>, event: unknown): unknown {
  const at = (path: string) =>
    path === '$'
      ? event
      : path
          .slice(2)
          .split('.')
          .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], event);
  const text = t.InputTemplate.replace(/<([\w.-]+)>/g, (_, name: string) =>
    JSON.stringify(at(t.InputPathsMap[name])),
  );
  return JSON.parse(text);
}

/** https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ (and resolve/acknowledge). */
const pagerDutySchema = new Ajv2020({ allErrors: true, strict: false }).compile({
  type: 'object',
  required: ['routing_key', 'event_action', 'dedup_key'],
  properties: {
    routing_key: { type: 'string', minLength: 32, maxLength: 32 },
    event_action: { enum: ['trigger', 'acknowledge', 'resolve'] },
    dedup_key: { type: 'string', minLength: 1, maxLength: 255 },
    payload: {
      type: 'object',
      required: ['summary', 'source', 'severity'],
      properties: {
        summary: { type: 'string', minLength: 1, maxLength: 1024 },
        source: { type: 'string', minLength: 1 },
        severity: { enum: ['critical', 'error', 'warning', 'info'] },
        timestamp: { type: 'string' },
        custom_details: { type: 'object' },
      },
    },
  },
  anyOf: [{ properties: { event_action: { enum: ['acknowledge', 'resolve'] } } }, { required: ['payload'] }],
});

const hostile = (severity: Severity): Drift => ({
  ...sampleDrift(11, { severity, address: 'aws_s3_bucket.x"},"event_action":"resolve' }),
  summary: 'bucket "shop" policy changed by "mallory"}\n<!channel>',
});

describe('PagerDuty through an API destination', () => {
  let template: Template;
  let rules: [string, Resource][];
  beforeAll(() => {
    template = channels({
      eventBus: false,
      pagerduty: { routingKeySecretArn: PD_SECRET, minSeverity: 'high' },
    });
    rules = Object.entries(template.findResources('AWS::Events::Rule')) as [string, Resource][];
  });

  /** The request body PagerDuty gets for a drift event: each matching rule's transformed input plus
   *  the connection's body parameter. */
  const bodies = (event: ReturnType<typeof delivered>) =>
    rules
      .filter(([, r]) => matchesPattern(r.Properties.EventPattern as EventPattern, event))
      .flatMap(([, r]) => r.Properties.Targets as RuleTarget[])
      .map((t) => ({
        routing_key: ROUTING_KEY,
        ...(transform(t.InputTransformer as never, event) as object),
      }));

  it('keeps the routing key out of the template: a dynamic reference the connection resolves', () => {
    const [connection] = Object.values(template.findResources('AWS::Events::Connection')) as Resource[];
    const text = JSON.stringify(connection.Properties);
    expect(text).toContain(`{{resolve:secretsmanager:${PD_SECRET}:SecretString:::}}`);
    expect(
      (connection.Properties.AuthParameters as Record<string, unknown>).InvocationHttpParameters,
    ).toEqual({
      BodyParameters: [
        {
          Key: 'routing_key',
          Value: `{{resolve:secretsmanager:${PD_SECRET}:SecretString:::}}`,
          IsValueSecret: true,
        },
      ],
    });
    template.hasResourceProperties('AWS::Events::ApiDestination', {
      InvocationEndpoint: PAGERDUTY_EVENTS_URL,
      HttpMethod: 'POST',
    });
  });

  it('triggers once per new drift at or above the minimum severity, as the core maps it, whatever the strings hold', () => {
    for (const severity of ['high', 'critical'] as const) {
      const event = delivered(
        driftDetectedEvent(hostile(severity), { dashboardUrl: 'https://d1.example.net' }),
      );
      const sent = bodies(event);
      expect(sent).toHaveLength(1);
      const [body] = sent as unknown as {
        event_action: string;
        dedup_key: string;
        client_url: string;
        payload: Record<string, string> & { custom_details: { resource: { address: string } } };
      }[];
      expect(pagerDutySchema(body) ? '' : JSON.stringify(pagerDutySchema.errors)).toBe('');
      const core = pagerDutyEvent(event, ROUTING_KEY);
      expect(body.event_action).toBe('trigger');
      expect(body.dedup_key).toBe(core?.dedup_key);
      expect(body.payload.severity).toBe(core?.payload?.severity);
      expect(body.payload.timestamp).toBe(core?.payload?.timestamp);
      expect(body.payload.class).toBe(core?.payload?.class);
      expect(body.payload.summary).toBe(hostile(severity).summary);
      expect(body.payload.custom_details.resource.address).toBe('aws_s3_bucket.x"},"event_action":"resolve');
      expect(body.client_url).toBe('https://d1.example.net/#drift=drift-0011');
    }
    expect(bodies(delivered(driftDetectedEvent(hostile('medium'))))).toEqual([]);
    // A drift found in last week's history pages nobody (its backfill run mails one summary).
    expect(bodies(delivered(driftDetectedEvent({ ...hostile('critical'), backfilled: true })))).toEqual([]);
  });

  it('acknowledges and resolves the same incident (dedup key = drift id), and sends nothing on a reopening', () => {
    const change = (status: 'acknowledged' | 'resolved' | 'open', previous: 'open' | 'acknowledged') =>
      delivered(
        driftStatusChangedEvent(
          { ...hostile('critical'), status },
          { previous, status, by: 'alice', at: '2026-01-02T00:00:00.000Z' },
        ),
      );
    expect(bodies(change('acknowledged', 'open'))).toEqual([
      { routing_key: ROUTING_KEY, event_action: 'acknowledge', dedup_key: 'drift-0011' },
    ]);
    expect(bodies(change('resolved', 'acknowledged'))).toEqual([
      { routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: 'drift-0011' },
    ]);
    expect(bodies(change('open', 'acknowledged'))).toEqual([]);
    for (const body of bodies(change('resolved', 'open'))) {
      expect(pagerDutySchema(body) ? '' : JSON.stringify(pagerDutySchema.errors)).toBe('');
    }
  });

  it('takes only events from tfdrift, on its own bus', () => {
    const forged = { ...delivered(driftDetectedEvent(hostile('critical'))), source: 'acme.tools' };
    expect(bodies(forged)).toEqual([]);
    for (const [, r] of rules)
      expect(r.Properties.EventBusName).toEqual({ Ref: expect.stringMatching(/^ChannelsBus/) });
    // No copy to the default bus when eventBus is false.
    expect(JSON.stringify(template.toJSON())).not.toContain('event-bus/default');
  });
});

describe('chat channels, webhooks, Security Hub and the copy for your own rules', () => {
  let template: Template;
  beforeAll(() => {
    template = channels({
      slack: [
        { workspaceId: 'T0123ABCDE', channelId: 'C0123ABCDE', minSeverity: 'high' },
        { workspaceId: 'T0123ABCDE', channelId: 'C0999ZZZZZ', minSeverity: 'high' },
      ],
      teams: [
        {
          tenantId: '11111111-2222-4333-8444-555555555555',
          teamId: '66666666-7777-4888-9999-000000000000',
          channelId: '19:0a1b2c3d4e5f@thread.tacv2',
          minSeverity: 'low',
        },
      ],
      webhooks: [
        {
          url: 'https://hooks.example.com/x',
          secretArn: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:hook`,
        },
      ],
      securityHub: true,
    });
  }, 120_000);

  it('subscribes each channel to the topic of its minimum severity, with a role that may do nothing', () => {
    const topics = template.findResources('AWS::SNS::Topic');
    const chatTopics = Object.keys(topics).filter((id) => id.startsWith('ChannelsChat'));
    expect(chatTopics.map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'ChannelsChatHigh',
      'ChannelsChatLow',
    ]);
    const slack = Object.values(
      template.findResources('AWS::Chatbot::SlackChannelConfiguration'),
    ) as Resource[];
    expect(slack.map((s) => s.Properties.SnsTopicArns)).toEqual([
      [{ Ref: chatTopics.find((id) => id.startsWith('ChannelsChatHigh')) }],
      [{ Ref: chatTopics.find((id) => id.startsWith('ChannelsChatHigh')) }],
    ]);
    template.hasResourceProperties('AWS::Chatbot::MicrosoftTeamsChannelConfiguration', {
      TeamsChannelId: '19%3A0a1b2c3d4e5f%40thread.tacv2',
      SnsTopicArns: [{ Ref: chatTopics.find((id) => id.startsWith('ChannelsChatLow')) }],
      GuardrailPolicies: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AWSDenyAll']] },
      ],
    });
    const chatbotRole = Object.values(template.findResources('AWS::IAM::Role')).find((r) =>
      JSON.stringify(r).includes('chatbot.amazonaws.com'),
    ) as Resource;
    expect(chatbotRole.Properties.ManagedPolicyArns).toBeUndefined();
    expect(chatbotRole.Properties.Policies).toBeUndefined();
  });

  it('routes new drifts at the lowest chat severity to the chat function, and every event to webhooks by severity', () => {
    const rules = Object.entries(template.findResources('AWS::Events::Rule')) as [string, Resource][];
    const matching = (doc: DriftEvent) =>
      rules
        .filter(([, r]) => matchesPattern(r.Properties.EventPattern as EventPattern, delivered(doc)))
        .map(([id]) => id.replace(/[0-9A-F]{8}$/, ''))
        .sort();
    expect(matching(driftDetectedEvent(sampleDrift(1, { severity: 'low' })))).toEqual([
      'ChannelsChatRule',
      'ChannelsCopyRule',
      'ChannelsSecurityHubRule',
    ]);
    expect(matching(driftDetectedEvent(sampleDrift(1, { severity: 'medium' })))).toEqual([
      'ChannelsChatRule',
      'ChannelsCopyRule',
      'ChannelsSecurityHubRule',
      'ChannelsWebhook1',
    ]);
    const resolved = driftStatusChangedEvent(
      { ...sampleDrift(1, { severity: 'high' }), status: 'resolved' },
      { previous: 'open', status: 'resolved', by: 'bob', at: '2026-01-02T00:00:00.000Z' },
    );
    expect(matching(resolved)).toEqual(['ChannelsCopyRule', 'ChannelsSecurityHubRule', 'ChannelsWebhook1']);
    expect(
      matching(driftDetectedEvent({ ...sampleDrift(2, { severity: 'high' }), backfilled: true })),
    ).toEqual(['ChannelsCopyRule', 'ChannelsSecurityHubRule', 'ChannelsWebhook1']);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'ReadWebhookSecrets',
            Effect: 'Allow',
            Action: 'secretsmanager:GetSecretValue',
            Resource: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:hook-??????`,
          },
        ]),
      },
    });
  });
});
