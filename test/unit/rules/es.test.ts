// rules/es.yaml: streamalert's public-domain records and cloudtrail-watcher's CreateDomain (corpus),
// doc-shaped records for the rest (test/fixtures/rules/es/events.doc-shaped.json). Domain ids are ARNs.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('es', 'es.amazonaws.com');
const corpusRecord = corpusCopy('es');
const streamalert = (n: number) =>
  corpusRecord(`streamalert/rules/community/cloudwatch_events/cloudtrail_public_resources__${n}.json`);

const privatePolicy = (arn: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::123456789123:role/app' },
        Action: 'es:*',
        Resource: `${arn}/*`,
      },
    ],
  });
const domain = (
  type: string,
  name: string,
  account = '111122223333',
  extra: Record<string, unknown> = {},
) => {
  const arn = `arn:aws:es:us-east-1:${account}:domain/${name}`;
  return res(type, arn, {
    arn,
    domain_name: name,
    access_policies: privatePolicy(arn),
    cluster_config: [{ instance_type: 'r6g.large.search', instance_count: 2 }],
    ebs_options: [{ ebs_enabled: true, volume_size: 100 }],
    domain_endpoint_options: [{ enforce_https: true }],
    engine_version: 'OpenSearch_2.11',
    tags: { env: 'prod' },
    ...extra,
  });
};
const search = (extra = {}) => domain('aws_opensearch_domain', 'search', '111122223333', extra);

const cases: RuleCase[] = [
  created('es.elasticsearch-domain.create', streamalert(2), 'aws_elasticsearch_domain', 'critical'),
  created(
    'es.opensearch-domain.create',
    corpusRecord('cloudtrail-watcher/test/services/samples/es_CreateDomain.json'),
    'aws_opensearch_domain',
  ),
  modified(
    'es.domain.update-config',
    streamalert(3),
    domain('aws_elasticsearch_domain', 'test', '123456789123'),
    'critical',
    {
      access_policies: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: ['*'] },
            Action: ['es:*'],
            Resource: ['arn:aws:es:us-east-1:123456789123:domain/test/*'],
          },
        ],
      },
    },
    undefined,
    'made public',
  ),
  modified(
    'es.domain.update-config',
    doc.UpdateDomainConfig,
    search(),
    'high',
    {
      'cluster_config[0].instance_count': 4,
      'ebs_options[0].volume_size': 200,
      'domain_endpoint_options[0].enforce_https': false,
    },
    search({
      cluster_config: [{ instance_type: 'r6g.large.search', instance_count: 4 }],
      ebs_options: [{ ebs_enabled: true, volume_size: 200 }],
      domain_endpoint_options: [{ enforce_https: false }],
    }),
    'opensearch, HTTPS off',
  ),
  {
    rule: 'es.domain.access-policy',
    label: 'made public, split aws_elasticsearch_domain_policy in state: it is named, not the domain',
    record: streamalert(3),
    state: [
      domain('aws_elasticsearch_domain', 'test', '123456789123'),
      res('aws_elasticsearch_domain_policy', 'esd-policy-test', {
        domain_name: 'test',
        access_policies: privatePolicy('arn:aws:es:us-east-1:123456789123:domain/test'),
      }),
    ],
    kind: 'modified',
    severity: 'critical',
    type: 'aws_elasticsearch_domain_policy',
    changes: {
      access_policies: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: ['*'] },
            Action: ['es:*'],
            Resource: ['arn:aws:es:us-east-1:123456789123:domain/test/*'],
          },
        ],
      },
    },
  },
  modified(
    'es.domain.upgrade',
    doc.UpgradeDomain,
    search(),
    'medium',
    { engine_version: 'OpenSearch_2.13' },
    search({ engine_version: 'OpenSearch_2.13' }),
  ),
  deleted('es.domain.delete', doc.DeleteDomain, search(), 'high'),
  modified('es.tags.add', doc.AddTags, search(), 'low', { 'tags.owner': 'mallory' }),
  modified('es.tags.remove', doc.RemoveTags, search(), 'low', { 'tags.env': null }),
];

describe('rules/es.yaml', () => {
  ruleCases('rules/es.yaml', cases);
});
