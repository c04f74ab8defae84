// rules/cloudsearch.yaml: Cloud Custodian's CreateDomain record (corpus) and doc-shaped records
// (test/fixtures/rules/cloudsearch/events.doc-shaped.json). The domain's id is its name.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('cloudsearch', 'cloudsearch.amazonaws.com');
const corpusRecord = corpusCopy('cloudsearch');
const domain = (extra = {}) =>
  res('aws_cloudsearch_domain', 'movies', {
    name: 'movies',
    multi_az: true,
    scaling_parameters: [
      { desired_instance_type: 'search.large', desired_replication_count: 1, desired_partition_count: 1 },
    ],
    ...extra,
  });

const cases: RuleCase[] = [
  created(
    'cloudsearch.domain.create',
    corpusRecord('cloud-custodian/tests/data/config/event-cloudsearch__1.json'),
    'aws_cloudsearch_domain',
  ),
  deleted('cloudsearch.domain.delete', doc.DeleteDomain, domain(), 'high'),
  modified(
    'cloudsearch.domain.availability',
    doc.UpdateAvailabilityOptions,
    domain(),
    'medium',
    { multi_az: false },
    domain({ multi_az: false }),
  ),
  modified('cloudsearch.domain.scaling', doc.UpdateScalingParameters, domain(), 'medium', {
    'scaling_parameters[0].desired_instance_type': 'search.2xlarge',
    'scaling_parameters[0].desired_replication_count': 3,
  }),
  modified('cloudsearch.domain.index-field', doc.DefineIndexField, domain(), 'low', []),
  modified(
    'cloudsearch.domain.access-policy',
    doc.UpdateServiceAccessPolicies,
    res('aws_cloudsearch_domain_service_access_policy', 'movies', {
      domain_name: 'movies',
      access_policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: 'arn:aws:iam::111122223333:root' },
            Action: 'cloudsearch:search',
          },
        ],
      }),
    }),
    'critical',
    { access_policy: { Statement: [{ Action: ['cloudsearch:search'], Principal: { AWS: ['*'] } }] } },
  ),
];

describe('rules/cloudsearch.yaml', () => {
  ruleCases('rules/cloudsearch.yaml', cases);
});
