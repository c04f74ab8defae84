// rules/acm.yaml: the ACM user guide's CloudTrail examples (corpus) and one doc-shaped record
// (test/fixtures/rules/acm/events.doc-shaped.json).

import { describe } from 'vitest';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('acm', 'acm.amazonaws.com');
const corpusRecord = corpusCopy('acm');
const guide = (n: number) =>
  corpusRecord(
    `awsdocs-aws-certificate-user-guide/doc_source/acm-supported-actions-in-cloudtrail__${n}.json`,
  );

const cert = (id: string, extra: Record<string, unknown> = {}) => {
  const arn = `arn:aws:acm:us-east-1:123456789012:certificate/${id}`;
  return {
    type: 'aws_acm_certificate',
    attributes: { id: arn, arn, domain_name: 'example.com', tags: {}, ...extra },
  };
};

const cases: RuleCase[] = [
  {
    rule: 'acm.certificate.request',
    record: guide(9),
    state: [],
    kind: 'unmanaged',
    type: 'aws_acm_certificate',
    severity: 'low',
  },
  {
    rule: 'acm.certificate.import',
    record: guide(5),
    state: [],
    kind: 'unmanaged',
    type: 'aws_acm_certificate',
    severity: 'medium',
  },
  {
    rule: 'acm.certificate.delete',
    record: guide(2),
    state: [cert('fedcba98-7654-3210-fedc-ba9876543210')],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'acm.certificate.options',
    record: doc.UpdateCertificateOptions,
    state: [
      cert('12345678-1234-1234-1234-123456789012', {
        options: [{ certificate_transparency_logging_preference: 'ENABLED' }],
      }),
    ],
    kind: 'modified',
    severity: 'low',
    changes: { 'options[0].certificate_transparency_logging_preference': 'DISABLED' },
    unchanged: [
      cert('12345678-1234-1234-1234-123456789012', {
        options: [{ certificate_transparency_logging_preference: 'DISABLED' }],
      }),
    ],
  },
  {
    rule: 'acm.certificate.tag',
    record: guide(1),
    state: [cert('fedcba98-7654-3210-fedc-ba9876543210', { tags: { Admin: 'Bob' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.Admin': 'Alice' },
    unchanged: [cert('fedcba98-7654-3210-fedc-ba9876543210', { tags: { Admin: 'Alice' } })],
  },
  {
    rule: 'acm.certificate.untag',
    record: guide(8),
    state: [cert('12345678-1234-1234-1234-123456789012', { tags: { Admin: 'Bob', Team: 'web' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.Admin': null },
  },
];

describe('rules/acm.yaml', () => ruleCases('rules/acm.yaml', cases));
