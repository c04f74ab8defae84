// The detect function's alert and drift-event outputs, whose SDK clients are created on the first
// drift (lambdas/handlers/runtime/detector.ts): they must send exactly what the eager ones sent, and a
// failed load or send must fail that alert (so Lambda redelivers) without breaking the next one.

import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { driftDetectedEvent } from '../../lambdas/core/drift-events.js';
import { lazyBusDriftEvents, lazySnsNotifier, once } from '../../lambdas/handlers/runtime/detector.js';
import { sampleDrift } from '../support/drift-samples.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:tfdrift-Alerts';
const sns = mockClient(SNSClient);
const bus = mockClient(EventBridgeClient);

beforeEach(() => {
  sns.reset();
  bus.reset();
});
afterAll(() => {
  sns.restore();
  bus.restore();
});

describe('once', () => {
  it('loads once for every caller, before and after the load ends', async () => {
    // Prepare
    let loads = 0;
    const load = once(async () => {
      loads += 1;
      return { n: loads };
    });
    // Act
    const [first, second] = await Promise.all([load(), load()]);
    const third = await load();
    // Assess
    expect(loads).toBe(1);
    expect(first).toEqual({ n: 1 });
    expect(second).toBe(first);
    expect(third).toBe(first);
  });

  it('loads again after a load that failed, and keeps the one that worked', async () => {
    // Prepare
    let loads = 0;
    const load = once(async () => {
      loads += 1;
      if (loads === 1) throw new Error('chunk not readable');
      return loads;
    });
    // Act
    const failed = await load().catch((error: Error) => error.message);
    const loaded = await load();
    const kept = await load();
    // Assess
    expect(failed).toBe('chunk not readable');
    expect(loaded).toBe(2);
    expect(kept).toBe(2);
    expect(loads).toBe(2);
  });
});

describe('lazySnsNotifier', () => {
  it('sends nothing until an alert, then publishes it to the topic with its link and severity', async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const notifier = lazySnsNotifier(TOPIC, 'https://d111111abcdef8.cloudfront.net');
    const drift = sampleDrift(1, { severity: 'high' });
    const before = sns.calls().length;
    // Act
    await notifier.notify(drift);
    // Assess
    expect(before).toBe(0);
    const sent = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      TopicArn: TOPIC,
      MessageStructure: 'json',
      MessageAttributes: { severity: { DataType: 'String', StringValue: 'high' } },
    });
    expect(JSON.parse(sent[0].Message ?? '{}').default).toContain(
      `https://d111111abcdef8.cloudfront.net/#drift=${drift.id}`,
    );
  });

  it('fails the alert SNS refuses, and sends the next one', async () => {
    // Prepare
    sns.on(PublishCommand).rejectsOnce(new Error('Throttling')).resolves({ MessageId: 'm-2' });
    const notifier = lazySnsNotifier(TOPIC, undefined);
    // Act
    const refused = await notifier.notify(sampleDrift(1)).catch((error: Error) => error.message);
    await notifier.notify(sampleDrift(2));
    // Assess
    expect(refused).toBe('Throttling');
    const topics = sns.commandCalls(PublishCommand).map((c) => c.args[0].input.TopicArn);
    expect(topics).toEqual([TOPIC, TOPIC]);
  });
});

describe('lazyBusDriftEvents', () => {
  it('puts each drift event onto the named bus when it is published', async () => {
    // Prepare
    bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const events = lazyBusDriftEvents('tfdrift-drifts');
    const event = driftDetectedEvent(sampleDrift(3));
    const before = bus.calls().length;
    // Act
    await events.publish(event);
    // Assess
    expect(before).toBe(0);
    const entries = bus.commandCalls(PutEventsCommand).flatMap((c) => c.args[0].input.Entries ?? []);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ EventBusName: 'tfdrift-drifts', DetailType: event['detail-type'] });
    expect(JSON.parse(entries[0].Detail ?? '{}')).toEqual(event.detail);
  });
});
