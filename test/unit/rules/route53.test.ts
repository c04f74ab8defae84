// rules/route53.yaml: AWS Route 53 guide records from the corpus, doc-shaped records
// (test/fixtures/rules/route53/) for the rest. ChangeResourceRecordSets is judged change by change.

import { describe, expect, it } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord, findings, stateOf } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('route53', 'route53.amazonaws.com');
const guide = (n: number) =>
  corpusRecord(`awsdocs-amazon-route53-docs/doc_source/logging-using-cloudtrail__${n}.json`);
const Z = 'Z0123456789EXAMPLE';
/** aws_route53_record as provider v5 stores it: id ZONEID_NAME_TYPE[_SET], name as configured. */
const record = (
  zone: string,
  name: string,
  type: string,
  extra: Record<string, unknown> = {},
  set?: string,
) =>
  res('aws_route53_record', [zone, name, type, ...(set ? [set] : [])].join('_'), {
    zone_id: zone,
    name,
    type,
    fqdn: name,
    ...extra,
  });
const zone = (id: string, extra = {}) =>
  res('aws_route53_zone', id, { zone_id: id, name: 'example.com', tags: { env: 'prod' }, ...extra });
const HC = 'abcdef11-2222-3333-4444-555555fedcba';
const addresses = ['192.0.1.1', '192.0.1.2', '192.0.1.3', '192.0.1.4'];

const cases: RuleCase[] = [
  deleted(
    'route53.record.delete',
    doc.DeleteRecord,
    record(Z, 'www.example.com', 'A', { ttl: 300, records: ['192.0.2.10'] }),
    'high',
  ),
  {
    rule: 'route53.record.upsert',
    label: 'two records of one batch (AWS guide example)',
    record: guide(3),
    state: [
      record('Z1PA6795UKMFR9', 'prod.example.com', 'A', { ttl: 60, records: addresses }),
      record('Z1PA6795UKMFR9', 'test.example.com', 'A', { ttl: 300, records: ['192.0.1.1'] }),
    ],
    kind: 'modified',
    severity: 'medium',
    count: 2,
    unchanged: [
      record('Z1PA6795UKMFR9', 'prod.example.com', 'A', { ttl: 300, records: addresses }),
      record('Z1PA6795UKMFR9', 'test.example.com', 'A', { ttl: '300', records: [...addresses].reverse() }),
    ],
  },
  created('route53.hosted-zone.create', doc.CreateHostedZone, 'aws_route53_zone'),
  deleted('route53.hosted-zone.delete', guide(4), zone('Z1PA6795UKMFR9'), 'high'),
  modified(
    'route53.hosted-zone.comment',
    doc.UpdateHostedZoneComment,
    zone(Z, { comment: 'Managed by Terraform' }),
    'low',
    { comment: 'owned by nobody' },
  ),
  created(
    'route53.hosted-zone.associate-vpc',
    doc.AssociateVPCWithHostedZone,
    'aws_route53_zone_association',
    'medium',
  ),
  deleted(
    'route53.hosted-zone.disassociate-vpc',
    doc.DisassociateVPCFromHostedZone,
    res('aws_route53_zone_association', `${Z}:vpc-0a1b2c3d4e5f67890`),
  ),
  created('route53.health-check.create', guide(2), 'aws_route53_health_check'),
  modified(
    'route53.health-check.update',
    doc.UpdateHealthCheck,
    res('aws_route53_health_check', HC, { port: 80, resource_path: '/' }),
    'medium',
    { port: 8080, resource_path: '/health' },
  ),
  deleted('route53.health-check.delete', doc.DeleteHealthCheck, res('aws_route53_health_check', HC)),
  created('route53.query-logging.create', doc.CreateQueryLoggingConfig, 'aws_route53_query_log'),
  deleted(
    'route53.query-logging.delete',
    doc.DeleteQueryLoggingConfig,
    res('aws_route53_query_log', '87654321-dcba-1234-abcd-1a2b3c4d5e6f'),
    'high',
  ),
  deleted(
    'route53.dnssec.disable',
    doc.DisableHostedZoneDNSSEC,
    res('aws_route53_hosted_zone_dnssec', Z),
    'high',
  ),
  created('route53.dnssec.enable', doc.EnableHostedZoneDNSSEC, 'aws_route53_hosted_zone_dnssec'),
  modified('route53.tags.change', doc.ChangeTagsForResource, zone(Z), 'low', {
    'tags.owner': 'mallory',
    'tags.env': null,
  }),
];

describe('rules/route53.yaml', () => {
  ruleCases('rules/route53.yaml', cases);

  it('reports records no state holds as unmanaged, one finding per change', () => {
    const found = findings(guide(3), stateOf());
    expect(found.map((f) => [f.kind, f.resource.id])).toEqual([
      ['unmanaged', 'Z1PA6795UKMFR9_prod.example.com_A'],
      ['unmanaged', 'Z1PA6795UKMFR9_test.example.com_A'],
    ]);
  });

  it('judges each change of a mixed batch with its own values', () => {
    const state = stateOf(
      record(Z, 'www.example.com', 'A', { ttl: 300, records: ['192.0.2.10'] }),
      record(Z, 'api.example.com', 'CNAME', { ttl: 60, records: ['lb-1.example.net'] }),
      record(Z, 'blue.example.com', 'A', { ttl: 60, records: ['192.0.2.20'] }, 'blue'),
      record(Z, 'example.com', 'TXT', { ttl: 300, records: ['v=spf1 -all'] }),
      record(Z, 'cdn.example.com', 'A', {
        alias: [{ name: 'd222222abcdef8.cloudfront.net', zone_id: 'Z2FDTNDATAQYW2' }],
      }),
    );
    const found = findings(doc.MixedBatch, state);
    const byId = Object.fromEntries(
      found.map((f) => [f.resource.id, [f.kind, f.changes.map((c) => [c.attribute, c.actual])]]),
    );
    expect(byId).toEqual({
      [`${Z}_www.example.com_A`]: ['deleted', []],
      [`${Z}_api.example.com_CNAME`]: ['modified', [['records', ['lb-2.example.net']]]],
      [`${Z}_cdn.example.com_A`]: ['modified', [['alias[0].name', 'd111111abcdef8.cloudfront.net']]],
    });
  });
});
