// docs/drift-event.schema.json is the published contract of drift events (EventBridge and webhooks):
// the documents the core builds are held to it, and hand-broken ones are refused by it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  DRIFT_DETECTED,
  DRIFT_STATUS_CHANGED,
  driftDetectedEvent,
  driftLink,
  driftStatusChangedEvent,
  MAX_DETAIL_BYTES,
} from '../../lambdas/core/drift-events.js';
import type { Drift } from '../../lambdas/core/types.js';
import { parseHash } from '../../web/src/lib/url-state.js';
import { sampleDrift } from '../support/drift-samples.js';

const ROOT = join(import.meta.dirname, '../..');
const readSchema = (name: string) => JSON.parse(readFileSync(join(ROOT, 'docs', name), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
// The two formats the schema uses, checked for real (ajv alone would only warn about them).
ajv.addFormat('date-time', (s: string) =>
  /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(s),
);
ajv.addFormat('uri', (s: string) => URL.canParse(s));
ajv.addSchema(readSchema('finding.schema.json'));
const validate = ajv.compile(readSchema('drift-event.schema.json'));

function problems(doc: unknown): string {
  return validate(JSON.parse(JSON.stringify(doc))) ? '' : JSON.stringify(validate.errors, null, 1);
}

const withArn: Drift = {
  ...sampleDrift(4, { severity: 'critical' }),
  resource: {
    type: 'aws_s3_bucket_versioning',
    address: 'aws_s3_bucket_versioning.assets',
    id: 'shop-assets',
    arn: 'arn:aws:s3:::shop-assets',
    stateFile: 'shop.tfstate',
  },
};

describe('drift events', () => {
  it('builds Drift Detected from a stored drift, without the raw record, with the dashboard link', () => {
    const doc = driftDetectedEvent(withArn, { dashboardUrl: 'https://d111.cloudfront.net/' });
    expect(problems(doc)).toBe('');
    expect(doc.source).toBe('tfdrift');
    expect(doc['detail-type']).toBe(DRIFT_DETECTED);
    expect(doc.time).toBe(withArn.detectedAt);
    expect(doc.resources).toEqual(['arn:aws:s3:::shop-assets']);
    expect(doc.detail).not.toHaveProperty('rawEvent');
    expect(doc.detail).not.toHaveProperty('statusChange');
    expect(doc.detail.url).toBe('https://d111.cloudfront.net/#drift=drift-0004');
    expect(doc.detail).toMatchObject({ id: 'drift-0004', severity: 'critical', status: 'open' });
    expect(doc.detail.changes).toEqual(withArn.changes);
  });

  it('builds Drift Status Changed with previous and new status, who, why and when', () => {
    const after: Drift = {
      ...sampleDrift(5, { kind: 'unmanaged' }),
      status: 'acknowledged',
      statusChangedAt: '2026-01-01T11:00:00.000Z',
      statusChangedBy: 'bob',
      statusComment: 'ticket OPS-12',
    };
    const doc = driftStatusChangedEvent(after, {
      previous: 'open',
      status: 'acknowledged',
      by: 'bob',
      comment: 'ticket OPS-12',
      at: '2026-01-01T11:00:00.000Z',
    });
    expect(problems(doc)).toBe('');
    expect(doc['detail-type']).toBe(DRIFT_STATUS_CHANGED);
    expect(doc.time).toBe('2026-01-01T11:00:00.000Z');
    expect(doc.resources).toEqual([]);
    expect(doc.detail.url).toBeUndefined();
    expect(doc.detail.statusChange).toEqual({
      previous: 'open',
      status: 'acknowledged',
      by: 'bob',
      comment: 'ticket OPS-12',
      at: '2026-01-01T11:00:00.000Z',
    });
    const noComment = driftStatusChangedEvent(after, {
      previous: 'acknowledged',
      status: 'resolved',
      by: 'tfdrift',
      at: '2026-01-01T12:00:00.000Z',
    });
    expect(problems(noComment)).toBe('');
    expect(noComment.detail.statusChange).not.toHaveProperty('comment');
  });

  it('keeps an event with a huge value within the size limit, marked truncated', () => {
    const huge: Drift = {
      ...withArn,
      changes: [
        { attribute: 'policy', expected: 'x'.repeat(300_000), actual: { Statement: 'y'.repeat(300_000) } },
      ],
    };
    const doc = driftDetectedEvent(huge);
    expect(problems(doc)).toBe('');
    expect(new TextEncoder().encode(JSON.stringify(doc.detail)).length).toBeLessThanOrEqual(MAX_DETAIL_BYTES);
    expect(doc.detail.truncated).toBe(true);
    expect(String(doc.detail.changes[0].expected)).toMatch(/^x{1024}\.\.\. \(truncated\)$/);
    expect(driftDetectedEvent(withArn).detail).not.toHaveProperty('truncated');
  });

  it('refuses documents that break the contract', () => {
    const good = driftDetectedEvent(withArn);
    const changed = driftStatusChangedEvent(withArn, {
      previous: 'open',
      status: 'resolved',
      by: 'tfdrift',
      at: '2026-01-01T11:00:00.000Z',
    });
    const { actor: _actor, ...noActor } = good.detail;
    for (const broken of [
      { ...good, source: 'aws.tfdrift' },
      { ...good, time: 'yesterday' },
      { ...good, detail: { ...good.detail, url: 'not a link' } },
      { ...good, 'detail-type': 'Drift Changed' },
      { ...good, detail: { ...good.detail, rawEvent: {} } },
      { ...good, detail: noActor },
      { ...good, detail: { ...good.detail, status: 'closed' } },
      { ...good, detail: changed.detail }, // a statusChange on Drift Detected
      { ...changed, detail: good.detail }, // Drift Status Changed without one
    ]) {
      expect(problems(broken), JSON.stringify(broken).slice(0, 120)).not.toBe('');
    }
  });

  it('links to the drift the way the dashboard reads its hash', () => {
    const id = 'd-a/b c#d&e=f';
    const link = driftLink('http://127.0.0.1:8080///', id);
    expect(link).toBe('http://127.0.0.1:8080/#drift=d-a%2Fb%20c%23d%26e%3Df');
    expect(parseHash(new URL(link).hash).drift).toBe(id);
  });
});
