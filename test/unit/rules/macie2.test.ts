// rules/macie2.yaml: Panther's UpdateMacieSession record (corpus) and doc-shaped records
// (test/fixtures/rules/macie2/events.doc-shaped.json). The Macie account is keyed by account id.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('macie2', 'macie2.amazonaws.com');
const corpusRecord = corpusCopy('macie2');
const account = (id: string, extra = {}) =>
  res('aws_macie2_account', id, {
    status: 'ENABLED',
    finding_publishing_frequency: 'FIFTEEN_MINUTES',
    ...extra,
  });
const filter = (action = 'NOOP') =>
  res('aws_macie2_findings_filter', '9b2d4f6a-0000-4000-8000-000000000002', {
    name: 'known-buckets',
    action,
    position: 1,
  });

const cases: RuleCase[] = [
  created('macie2.account.enable', doc.EnableMacie, 'aws_macie2_account'),
  deleted('macie2.account.disable', doc.DisableMacie, account('111122223333'), 'critical'),
  modified(
    'macie2.account.update',
    corpusRecord('panther-analysis/rules/aws_cloudtrail_rules/aws_macie_evasion__2.json'),
    account('123456789012'),
    'medium',
    { finding_publishing_frequency: 'SIX_HOURS' },
    account('123456789012', { finding_publishing_frequency: 'SIX_HOURS' }),
  ),
  modified(
    'macie2.account.update',
    doc.UpdateMacieSessionPaused,
    account('111122223333'),
    'high',
    { status: 'PAUSED' },
    account('111122223333', { status: 'PAUSED' }),
    'paused',
  ),
  created('macie2.classification-job.create', doc.CreateClassificationJob, 'aws_macie2_classification_job'),
  modified(
    'macie2.classification-job.update',
    doc.UpdateClassificationJob,
    res('aws_macie2_classification_job', 'a1b2c3d4e5f6a7b8c9d0e1f2aexample', { job_status: 'RUNNING' }),
    'high',
    { job_status: 'CANCELLED' },
  ),
  created('macie2.findings-filter.create', doc.CreateFindingsFilter, 'aws_macie2_findings_filter', 'high'),
  modified(
    'macie2.findings-filter.update',
    doc.UpdateFindingsFilter,
    filter(),
    'high',
    { action: 'ARCHIVE' },
    filter('ARCHIVE'),
  ),
  deleted('macie2.findings-filter.delete', doc.DeleteFindingsFilter, filter()),
  deleted(
    'macie2.custom-data-identifier.delete',
    doc.DeleteCustomDataIdentifier,
    res('aws_macie2_custom_data_identifier', 'c3d5e7f9-0000-4000-8000-000000000003', { name: 'employee-id' }),
  ),
];

describe('rules/macie2.yaml', () => {
  ruleCases('rules/macie2.yaml', cases);
});
