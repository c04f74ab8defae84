// The Security Hub function as Lambda runs it: a tfdrift drift event as EventBridge delivers it
// (with its version, id, account and region) becomes an ASFF finding of that account's custom
// integration; a status change also moves the workflow; a forged or foreign event imports nothing.

import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import type { EventBridgeEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  driftDetectedEvent,
  driftStatusChangedEvent,
  parseDriftEvent,
} from '../../lambdas/core/drift-events.js';
import { sampleDrift } from '../support/drift-samples.js';

const hub = mockClient(SecurityHubClient);
let fn: typeof import('../../lambdas/handlers/security-hub.js');
beforeAll(async () => {
  process.env.AWS_REGION ??= 'eu-west-1';
  fn = await import('../../lambdas/handlers/security-hub.js');
});
afterAll(() => hub.restore());

/** What EventBridge hands the function: the document plus the fields the bus adds. */
function delivered(doc: object): EventBridgeEvent<string, unknown> {
  return {
    version: '0',
    id: 'eb-1',
    account: '222222222222',
    region: 'eu-central-1',
    ...doc,
  } as EventBridgeEvent<string, unknown>;
}

describe('security-hub function', () => {
  it('imports a new drift as a finding of the delivering account and region', async () => {
    hub.reset();
    hub.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
    const result = await fn.handler(
      delivered(JSON.parse(JSON.stringify(driftDetectedEvent(sampleDrift(4))))),
    );
    expect(result).toEqual({ imported: 'drift-0004' });
    const [finding] = hub.commandCalls(BatchImportFindingsCommand)[0].args[0].input.Findings ?? [];
    expect(finding).toMatchObject({
      Id: 'drift-0004',
      AwsAccountId: '222222222222',
      ProductArn: 'arn:aws:securityhub:eu-central-1:222222222222:product/222222222222/default',
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
    });
    expect(hub.commandCalls(BatchUpdateFindingsCommand)).toHaveLength(0);
  });

  it('archives a resolved drift and moves its workflow to RESOLVED', async () => {
    hub.reset();
    hub.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 1, FailedFindings: [] });
    hub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
    const doc = driftStatusChangedEvent(
      { ...sampleDrift(5), status: 'resolved' },
      { previous: 'open', status: 'resolved', by: 'tfdrift', at: '2026-01-03T00:00:00.000Z' },
    );
    await fn.handler(delivered(JSON.parse(JSON.stringify(doc))));
    const [finding] = hub.commandCalls(BatchImportFindingsCommand)[0].args[0].input.Findings ?? [];
    expect([finding.RecordState, finding.UpdatedAt]).toEqual(['ARCHIVED', '2026-01-03T00:00:00.000Z']);
    expect(hub.commandCalls(BatchUpdateFindingsCommand)[0].args[0].input.Workflow).toEqual({
      Status: 'RESOLVED',
    });
  });

  it('throws when Security Hub refuses, so EventBridge retries', async () => {
    hub.reset();
    hub.on(BatchImportFindingsCommand).resolves({
      FailedCount: 1,
      SuccessCount: 0,
      FailedFindings: [{ Id: 'drift-0004', ErrorCode: 'InvalidAccess', ErrorMessage: 'not enabled' }],
    });
    await expect(fn.handler(delivered(driftDetectedEvent(sampleDrift(4))))).rejects.toThrow('InvalidAccess');
  });

  it('imports nothing for a foreign or forged event', async () => {
    hub.reset();
    const good = JSON.parse(JSON.stringify(driftDetectedEvent(sampleDrift(6))));
    for (const bad of [
      { ...good, source: 'aws.s3' },
      { ...good, detail: { ...good.detail, severity: 'urgent' } },
      { ...good, detail: { ...good.detail, resource: { ...good.detail.resource, type: 7 } } },
      { ...good, 'detail-type': 'Drift Status Changed' }, // without its statusChange
    ]) {
      expect(await fn.handler(delivered(bad))).toEqual({ imported: '' });
    }
    expect(hub.commandCalls(BatchImportFindingsCommand)).toHaveLength(0);
    expect(() =>
      parseDriftEvent({ ...good, detail: { ...good.detail, event: { ...good.detail.event, id: '' } } }),
    ).toThrow('not a tfdrift drift event: detail.event.id is not a string');
    expect(parseDriftEvent(delivered(good)).detail.id).toBe('drift-0006');
  });
});
