// rules/glue.yaml: Cloud Custodian's catalog policy and encryption records (corpus; they carry no
// recipientAccountId, so the caller's account keys the catalog) and doc-shaped records
// (test/fixtures/rules/glue/events.doc-shaped.json).

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('glue', 'glue.amazonaws.com');
const corpusRecord = corpusCopy('glue');
const custodian = (name: string) =>
  corpusRecord(`cloud-custodian/tests/data/cwe/event-cloud-trail-${name}__1.json`);

const CUSTODIAN_ACCOUNT = '644160558196';
const A = '111122223333';
const orgPolicy = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::222233334444:root' },
      Action: 'glue:GetTable',
      Resource: `arn:aws:glue:us-east-1:${CUSTODIAN_ACCOUNT}:catalog`,
    },
  ],
});
const encryption = (mode: string) =>
  res('aws_glue_data_catalog_encryption_settings', CUSTODIAN_ACCOUNT, {
    catalog_id: CUSTODIAN_ACCOUNT,
    data_catalog_encryption_settings: [
      {
        encryption_at_rest: [{ catalog_encryption_mode: mode, sse_aws_kms_key_id: '' }],
        connection_password_encryption: [{ return_connection_password_encrypted: false }],
      },
    ],
  });
const job = () =>
  res('aws_glue_job', 'nightly-etl', {
    name: 'nightly-etl',
    role_arn: `arn:aws:iam::${A}:role/glue-etl`,
    worker_type: 'G.1X',
    number_of_workers: 10,
    command: [{ name: 'glueetl', script_location: 's3://scripts/nightly.py' }],
  });
const crawler = () =>
  res('aws_glue_crawler', 'raw-crawler', {
    name: 'raw-crawler',
    role: 'glue-crawler',
    schedule: 'cron(0 1 * * ? *)',
  });

const cases: RuleCase[] = [
  modified(
    'glue.resource-policy.put',
    custodian('catalog-put-resource-policy'),
    res('aws_glue_resource_policy', CUSTODIAN_ACCOUNT, { policy: orgPolicy }),
    'high',
    {
      policy: {
        Statement: [
          { Action: ['glue:*'], Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-4amkskbcf3' } } },
        ],
      },
    },
  ),
  deleted(
    'glue.resource-policy.delete',
    doc.DeleteResourcePolicy,
    res('aws_glue_resource_policy', A, { policy: orgPolicy }),
  ),
  modified(
    'glue.catalog-encryption.put',
    custodian('catalog-set-encryption'),
    encryption('DISABLED'),
    'medium',
    { 'data_catalog_encryption_settings[0].encryption_at_rest[0].catalog_encryption_mode': 'SSE-KMS' },
    encryption('SSE-KMS'),
  ),
  created('glue.job.create', doc.CreateJob, 'aws_glue_job'),
  modified('glue.job.update', doc.UpdateJob, job(), 'medium', {
    role_arn: `arn:aws:iam::${A}:role/glue-admin`,
    'command[0].script_location': 's3://scripts/other.py',
    worker_type: 'G.2X',
    number_of_workers: 20,
  }),
  deleted('glue.job.delete', doc.DeleteJob, job()),
  created('glue.crawler.create', doc.CreateCrawler, 'aws_glue_crawler'),
  modified('glue.crawler.update', doc.UpdateCrawler, crawler(), 'medium', {
    role: 'glue-admin',
    schedule: 'cron(0 * * * ? *)',
  }),
  deleted('glue.crawler.delete', doc.DeleteCrawler, crawler(), 'low'),
  deleted(
    'glue.database.delete',
    doc.DeleteDatabase,
    res('aws_glue_catalog_database', `${A}:analytics`, { name: 'analytics', catalog_id: A }),
    'high',
  ),
];

describe('rules/glue.yaml', () => {
  ruleCases('rules/glue.yaml', cases);
});
