// The AWS channels of drift events at the SDK boundary: EventBridge PutEvents (10 entries and 256 KB
// a call, failed entries retried), Security Hub (ASFF findings, 100 a call, workflow moved by
// BatchUpdateFindings) and the PagerDuty Events API v2 payloads, each held to the shape its service
// documents (the schemas below are written from those pages, cited per schema).

import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  batches,
  EventBridgeDriftEvents,
  entrySize,
  MAX_BYTES_PER_CALL,
} from '../../lambdas/adapters/aws/eventbridge-drift-events.js';
import { SecurityHubDriftEvents } from '../../lambdas/adapters/aws/security-hub-findings.js';
import { asffFinding } from '../../lambdas/core/asff.js';
import {
  type DriftEvent,
  driftDetectedEvent,
  driftStatusChangedEvent,
} from '../../lambdas/core/drift-events.js';
import { pagerDutyEvent } from '../../lambdas/core/pagerduty.js';
import type { Drift } from '../../lambdas/core/types.js';
import { sampleDrift } from '../support/drift-samples.js';

const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addFormat('date-time', (s: string) =>
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s),
);
ajv.addFormat('uri', (s: string) => URL.canParse(s));

/**
 * ASFF as BatchImportFindings takes it: required attributes, types and limits from
 * https://docs.aws.amazon.com/securityhub/latest/userguide/asff-required-attributes.html and
 * asff-top-level-attributes.html (Title 256, Description 1024 characters; Types namespace/category).
 */
const asffSchema = ajv.compile({
  type: 'object',
  required: [
    'AwsAccountId',
    'CreatedAt',
    'Description',
    'GeneratorId',
    'Id',
    'ProductArn',
    'Resources',
    'SchemaVersion',
    'Severity',
    'Title',
    'Types',
    'UpdatedAt',
  ],
  properties: {
    SchemaVersion: { const: '2018-10-08' },
    Id: { type: 'string', minLength: 1, maxLength: 512 },
    ProductArn: {
      type: 'string',
      pattern: '^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:\\d{12}:product/\\d{12}/default$',
    },
    GeneratorId: { type: 'string', minLength: 1, maxLength: 512 },
    AwsAccountId: { type: 'string', pattern: '^\\d{12}$' },
    Types: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'string',
        pattern:
          '^(Software and Configuration Checks|TTPs|Effects|Unusual Behaviors|Sensitive Data Identifications)(/[^/]+){1,2}$',
      },
    },
    CreatedAt: { type: 'string', format: 'date-time' },
    UpdatedAt: { type: 'string', format: 'date-time' },
    Severity: {
      type: 'object',
      required: ['Label'],
      properties: { Label: { enum: ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] } },
    },
    Title: { type: 'string', minLength: 1, maxLength: 256 },
    Description: { type: 'string', minLength: 1, maxLength: 1024 },
    SourceUrl: { type: 'string', format: 'uri' },
    Resources: {
      type: 'array',
      minItems: 1,
      maxItems: 32,
      items: {
        type: 'object',
        required: ['Type', 'Id'],
        properties: {
          Type: { type: 'string', minLength: 1 },
          Id: { type: 'string', minLength: 1 },
          Partition: { enum: ['aws', 'aws-cn', 'aws-us-gov', 'aws-us-iso', 'aws-us-iso-b'] },
          Details: {
            type: 'object',
            properties: {
              Other: { type: 'object', additionalProperties: { type: 'string', maxLength: 1024 } },
            },
          },
        },
      },
    },
    Workflow: {
      type: 'object',
      properties: { Status: { enum: ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'] } },
    },
    RecordState: { enum: ['ACTIVE', 'ARCHIVED'] },
  },
});

/** https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ (and resolve/acknowledge). */
const pagerDutySchema = ajv.compile({
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
        timestamp: { type: 'string', format: 'date-time' },
        custom_details: { type: 'object' },
      },
    },
    links: {
      type: 'array',
      items: { type: 'object', required: ['href'], properties: { href: { format: 'uri' } } },
    },
  },
  // A trigger needs its payload; acknowledge and resolve need only the key.
  anyOf: [{ properties: { event_action: { enum: ['acknowledge', 'resolve'] } } }, { required: ['payload'] }],
});

const problems = (check: ValidateFunction, value: unknown) =>
  check(JSON.parse(JSON.stringify(value))) ? '' : JSON.stringify(check.errors);

const ROUTING_KEY = 'R0123456789abcdef0123456789abcde';
const DASHBOARD = 'https://d111.cloudfront.net';
const S3: Drift = {
  ...sampleDrift(9, { severity: 'high', type: 'aws_s3_bucket' }),
  resource: {
    type: 'aws_s3_bucket',
    address: 'aws_s3_bucket.assets',
    id: 'shop-assets',
    arn: 'arn:aws:s3:::shop-assets',
    stateFile: 's3://tf-state/shop.tfstate',
  },
};
const detected = driftDetectedEvent(S3, { dashboardUrl: DASHBOARD });
const changedTo = (
  status: 'acknowledged' | 'resolved' | 'open',
  previous: 'open' | 'acknowledged' | 'resolved',
) =>
  driftStatusChangedEvent(
    { ...S3, status },
    { previous, status, by: 'bob', at: '2026-01-02T09:00:00.000Z' },
    { dashboardUrl: DASHBOARD },
  );

const mocks: { restore(): void }[] = [];
afterEach(() => {
  for (const m of mocks.splice(0)) m.restore();
});

describe('EventBridge drift events', () => {
  it('puts each event as source tfdrift with its detail-type, detail JSON and resource ARN', async () => {
    const bus = mockClient(EventBridgeClient);
    mocks.push(bus);
    bus.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    await new EventBridgeDriftEvents(new EventBridgeClient({ region: 'eu-west-1' }), {
      eventBusName: 'drift-bus',
    }).publish(detected);
    const [entry] = bus.commandCalls(PutEventsCommand)[0].args[0].input.Entries ?? [];
    expect(entry).toMatchObject({
      EventBusName: 'drift-bus',
      Source: 'tfdrift',
      DetailType: 'Drift Detected',
      Resources: ['arn:aws:s3:::shop-assets'],
    });
    expect(JSON.parse(entry.Detail ?? '')).toEqual(JSON.parse(JSON.stringify(detected.detail)));
    expect(entry.Time?.toISOString()).toBe(new Date(S3.detectedAt).toISOString());
  });

  it('batches at most 10 entries and 256 KB a call', () => {
    const small: PutEventsRequestEntry = { Source: 'tfdrift', DetailType: 'Drift Detected', Detail: '{}' };
    expect(batches(Array(23).fill(small)).map((b) => b.length)).toEqual([10, 10, 3]);
    const big: PutEventsRequestEntry = { ...small, Detail: JSON.stringify({ x: 'y'.repeat(100 * 1024) }) };
    const sized = batches([big, big, big, small]);
    expect(sized.map((b) => b.length)).toEqual([2, 2]);
    for (const b of sized)
      expect(b.reduce((n, e) => n + entrySize(e), 0)).toBeLessThanOrEqual(MAX_BYTES_PER_CALL);
    expect(entrySize({ ...small, Time: new Date(), Resources: ['é'] })).toBe(7 + 14 + 2 + 14 + 2);
  });

  it('sends failed entries again, and only those, then gives up naming the error code', async () => {
    const bus = mockClient(EventBridgeClient);
    mocks.push(bus);
    const events: DriftEvent[] = [1, 2, 3].map((n) => driftDetectedEvent(sampleDrift(n)));
    bus
      .on(PutEventsCommand)
      .resolvesOnce({
        FailedEntryCount: 1,
        Entries: [
          { EventId: 'a' },
          { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' },
          { EventId: 'c' },
        ],
      })
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }] });
    const slept: number[] = [];
    const publisher = new EventBridgeDriftEvents(new EventBridgeClient({ region: 'eu-west-1' }), {
      sleep: async (ms) => void slept.push(ms),
    });
    await publisher.publishAll(events);
    const calls = bus.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries ?? []);
    expect(calls.map((entries) => entries.length)).toEqual([3, 1]);
    expect(JSON.parse(calls[1][0].Detail ?? '').id).toBe('drift-0002');
    expect(slept).toEqual([100]);

    bus.reset();
    bus.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    await expect(publisher.publish(events[0])).rejects.toThrow(
      '1 drift event(s) not put on EventBridge: InternalFailure',
    );
    expect(bus.commandCalls(PutEventsCommand)).toHaveLength(4);
  });
});

describe('Security Hub findings (ASFF)', () => {
  const options = { accountId: '111111111111', region: 'eu-west-1' };

  it('maps a new drift to a NEW, ACTIVE finding of the documented shape', () => {
    const finding = asffFinding(detected, options);
    expect(problems(asffSchema, finding)).toBe('');
    expect(finding).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: 'drift-0009',
      ProductArn: 'arn:aws:securityhub:eu-west-1:111111111111:product/111111111111/default',
      GeneratorId: 'ec2-instance-attribute',
      AwsAccountId: '111111111111',
      Types: ['Software and Configuration Checks/AWS Config Analysis'],
      Severity: { Label: 'HIGH', Original: 'high' },
      CreatedAt: S3.detectedAt,
      UpdatedAt: S3.detectedAt,
      SourceUrl: `${DASHBOARD}/#drift=drift-0009`,
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
    });
    expect(finding.Resources).toEqual([
      {
        Type: 'AwsS3Bucket',
        Id: 'arn:aws:s3:::shop-assets',
        Partition: 'aws',
        Region: 'eu-west-1',
        Details: {
          Other: {
            terraformType: 'aws_s3_bucket',
            terraformAddress: 'aws_s3_bucket.assets',
            stateFile: 's3://tf-state/shop.tfstate',
            ruleId: 'ec2-instance-attribute',
            kind: 'modified',
            eventName: 'ModifyInstanceAttribute',
            eventId: 'evt-9',
          },
        },
      },
    ]);
    expect(finding.Title).toBe('Terraform drift (modified): aws_s3_bucket.assets by alice@example.com');
    expect(finding.Description).toContain('instance_type: expected t3.micro, actual t3.large');
  });

  it('maps resolved to RESOLVED and ARCHIVED, acknowledged to NOTIFIED, and cuts hostile lengths', () => {
    const resolved = asffFinding(changedTo('resolved', 'open'), options);
    expect([resolved.Workflow.Status, resolved.RecordState, resolved.UpdatedAt]).toEqual([
      'RESOLVED',
      'ARCHIVED',
      '2026-01-02T09:00:00.000Z',
    ]);
    expect(asffFinding(changedTo('acknowledged', 'open'), options).Workflow.Status).toBe('NOTIFIED');
    const hostile = driftDetectedEvent({
      ...S3,
      resource: { ...S3.resource, arn: null, type: 'aws_custom_thing' },
      actor: { ...S3.actor, name: `x\n${'y'.repeat(5000)}` },
      summary: 'z'.repeat(5000),
    });
    const finding = asffFinding(hostile, { ...options, partition: 'aws-cn' });
    expect(problems(asffSchema, finding)).toBe('');
    expect(finding.Title.length).toBe(256);
    expect(finding.Title).not.toContain('\n');
    expect(finding.Resources[0]).toMatchObject({ Type: 'Other', Id: 'shop-assets', Partition: 'aws-cn' });
  });

  it('imports 100 findings a call and moves the workflow of changed ones with BatchUpdateFindings', async () => {
    const hub = mockClient(SecurityHubClient);
    mocks.push(hub);
    hub.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
    hub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
    const adapter = new SecurityHubDriftEvents(new SecurityHubClient({ region: 'eu-west-1' }), options);
    const many = Array.from({ length: 205 }, (_, n) => driftDetectedEvent(sampleDrift(n)));
    await adapter.publishAll([...many, changedTo('resolved', 'open'), changedTo('acknowledged', 'open')]);
    const imports = hub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings ?? []);
    expect(imports.map((f) => f.length)).toEqual([100, 100, 7]);
    for (const f of imports.flat()) expect(problems(asffSchema, f)).toBe('');
    const updates = hub.commandCalls(BatchUpdateFindingsCommand).map((c) => c.args[0].input);
    expect(updates).toEqual([
      {
        FindingIdentifiers: [
          {
            Id: 'drift-0009',
            ProductArn: 'arn:aws:securityhub:eu-west-1:111111111111:product/111111111111/default',
          },
        ],
        Workflow: { Status: 'RESOLVED' },
      },
      {
        FindingIdentifiers: [
          {
            Id: 'drift-0009',
            ProductArn: 'arn:aws:securityhub:eu-west-1:111111111111:product/111111111111/default',
          },
        ],
        Workflow: { Status: 'NOTIFIED' },
      },
    ]);
  });

  it('reports the findings Security Hub refused', async () => {
    const hub = mockClient(SecurityHubClient);
    mocks.push(hub);
    hub.on(BatchImportFindingsCommand).resolves({
      FailedCount: 1,
      SuccessCount: 0,
      FailedFindings: [
        { Id: 'drift-0009', ErrorCode: 'InvalidAccess', ErrorMessage: 'Security Hub is not enabled' },
      ],
    });
    const adapter = new SecurityHubDriftEvents(new SecurityHubClient({ region: 'eu-west-1' }), options);
    await expect(adapter.publish(detected)).rejects.toThrow(
      'drift-0009: InvalidAccess Security Hub is not enabled',
    );
  });
});

describe('PagerDuty Events API v2', () => {
  it('triggers on a new drift with the drift id as dedup key, a summary and the dashboard link', () => {
    const event = pagerDutyEvent(detected, ROUTING_KEY);
    expect(problems(pagerDutySchema, event)).toBe('');
    expect(event).toMatchObject({
      routing_key: ROUTING_KEY,
      event_action: 'trigger',
      dedup_key: 'drift-0009',
      payload: {
        summary: '[HIGH] Terraform drift (modified): aws_s3_bucket.assets by alice@example.com',
        source: 'arn:aws:s3:::shop-assets',
        severity: 'error',
        timestamp: S3.event.time,
        class: 'modified',
      },
      client: 'tfdrift',
      links: [{ href: `${DASHBOARD}/#drift=drift-0009`, text: 'Open the drift in tfdrift' }],
    });
    expect(event?.payload?.custom_details.changes).toEqual(S3.changes);
    expect(pagerDutyEvent(driftDetectedEvent({ ...S3, severity: 'low' }))?.payload?.severity).toBe('info');
    expect(pagerDutyEvent(detected)).not.toHaveProperty('routing_key');
  });

  it('resolves and acknowledges the same incident, and ignores a reopening', () => {
    const resolve = pagerDutyEvent(changedTo('resolved', 'acknowledged'), ROUTING_KEY);
    expect(resolve).toEqual({ routing_key: ROUTING_KEY, event_action: 'resolve', dedup_key: 'drift-0009' });
    expect(problems(pagerDutySchema, resolve)).toBe('');
    expect(pagerDutyEvent(changedTo('acknowledged', 'open'), ROUTING_KEY)?.event_action).toBe('acknowledge');
    expect(pagerDutyEvent(changedTo('open', 'acknowledged'), ROUTING_KEY)).toBeNull();
    expect(problems(pagerDutySchema, { ...resolve, event_action: 'trigger' })).not.toBe('');
  });
});
