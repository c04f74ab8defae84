// rules/cloudfront.yaml: corpus records (cloud-custodian, reflexivesecurity) use the bare call names
// (UpdateDistribution); the doc-shaped records (test/fixtures/rules/cloudfront/) use the versioned
// names (UpdateDistribution2020_05_31), so both forms are exercised.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('cloudfront', 'cloudfront.amazonaws.com');
const custodian = (name: string) => corpusRecord(`cloud-custodian/tests/data/cwe/${name}.json`);
const distribution = (id: string, extra = {}) =>
  res('aws_cloudfront_distribution', id, {
    arn: `arn:aws:cloudfront::111122223333:distribution/${id}`,
    enabled: true,
    web_acl_id: '',
    default_root_object: '',
    http_version: 'http2',
    is_ipv6_enabled: true,
    tags: { env: 'prod' },
    ...extra,
  });
const CP = '658327ea-f89d-4fab-a63d-7e88639e58f6';

const cases: RuleCase[] = [
  modified(
    'cloudfront.distribution.update',
    custodian('event-cloud-trail-update-distribution__1'),
    distribution('E53370FUHBNLK', { price_class: 'PriceClass_All' }),
    'high',
    // UpdateDistribution carries the whole configuration: what the case state lacks counts too.
    {
      web_acl_id:
        'arn:aws:wafv2:us-east-1:012345678912:regional/webacl/FMManagedWebACLV2-FMS-TEST-1656966584517/96494e83-ee49-4505-9f68-9103c6cd9406',
      'default_cache_behavior[0].viewer_protocol_policy': 'allow-all',
      'default_cache_behavior[0].target_origin_id':
        'c7n-activeresponse-test-to-be-deleted.s3.us-east-1.amazonaws.com',
      'viewer_certificate[0].minimum_protocol_version': 'TLSv1',
    },
    undefined,
    'WAF attached, logging off (corpus, bare name)',
  ),
  modified(
    'cloudfront.distribution.update',
    corpusRecord(
      'reflexivesecurity/reflex-aws-cloudfront-logging-disabled/tests/events/UpdateDistribution__1.json',
    ),
    distribution('EXCX46P6U4BZK', { price_class: 'PriceClass_All' }),
    'medium',
    {
      price_class: 'PriceClass_100',
      'default_cache_behavior[0].viewer_protocol_policy': 'allow-all',
      'default_cache_behavior[0].target_origin_id': 'S3-docs.cloudmitigator.com/does/not/exist/path',
      'viewer_certificate[0].minimum_protocol_version': 'TLSv1',
    },
    undefined,
    'price class (corpus)',
  ),
  modified(
    'cloudfront.distribution.update',
    doc.UpdateDistribution,
    distribution('E2QWRUHEXAMPLE', {
      default_cache_behavior: [{ target_origin_id: 'app', viewer_protocol_policy: 'redirect-to-https' }],
    }),
    'medium',
    { 'default_cache_behavior[0].viewer_protocol_policy': 'allow-all' },
    distribution('E2QWRUHEXAMPLE', {
      default_cache_behavior: [{ target_origin_id: 'app', viewer_protocol_policy: 'allow-all' }],
    }),
    'versioned name',
  ),
  created(
    'cloudfront.distribution.create',
    custodian('event-cloud-trail-create-distribution__1'),
    'aws_cloudfront_distribution',
  ),
  deleted('cloudfront.distribution.delete', doc.DeleteDistribution, distribution('E2QWRUHEXAMPLE'), 'high'),
  created(
    'cloudfront.origin-access-identity.create',
    doc.CreateCloudFrontOriginAccessIdentity,
    'aws_cloudfront_origin_access_identity',
  ),
  modified(
    'cloudfront.origin-access-identity.update',
    doc.UpdateCloudFrontOriginAccessIdentity,
    res('aws_cloudfront_origin_access_identity', 'E74FTE3EXAMPLE'),
    'low',
    [],
  ),
  deleted(
    'cloudfront.origin-access-identity.delete',
    doc.DeleteCloudFrontOriginAccessIdentity,
    res('aws_cloudfront_origin_access_identity', 'E74FTE3EXAMPLE'),
  ),
  created(
    'cloudfront.origin-access-control.create',
    doc.CreateOriginAccessControl,
    'aws_cloudfront_origin_access_control',
  ),
  modified(
    'cloudfront.origin-access-control.update',
    doc.UpdateOriginAccessControl,
    res('aws_cloudfront_origin_access_control', 'E2OACEXAMPLE', {
      signing_behavior: 'always',
      signing_protocol: 'sigv4',
    }),
    'high',
    { signing_behavior: 'never' },
  ),
  deleted(
    'cloudfront.origin-access-control.delete',
    doc.DeleteOriginAccessControl,
    res('aws_cloudfront_origin_access_control', 'E2OACEXAMPLE'),
  ),
  created('cloudfront.function.create', doc.CreateFunction, 'aws_cloudfront_function'),
  modified(
    'cloudfront.function.update',
    doc.UpdateFunction,
    res('aws_cloudfront_function', 'add-headers', { name: 'add-headers' }),
    'medium',
    [],
  ),
  deleted(
    'cloudfront.function.delete',
    doc.DeleteFunction,
    res('aws_cloudfront_function', 'add-headers', { name: 'add-headers' }),
  ),
  created('cloudfront.cache-policy.create', doc.CreateCachePolicy, 'aws_cloudfront_cache_policy'),
  modified(
    'cloudfront.cache-policy.update',
    doc.UpdateCachePolicy,
    res('aws_cloudfront_cache_policy', CP, { min_ttl: 0, default_ttl: 86400, max_ttl: 31536000 }),
    'medium',
    {
      default_ttl: 60,
      max_ttl: 3600,
    },
  ),
  deleted('cloudfront.cache-policy.delete', doc.DeleteCachePolicy, res('aws_cloudfront_cache_policy', CP)),
  created(
    'cloudfront.origin-request-policy.create',
    doc.CreateOriginRequestPolicy,
    'aws_cloudfront_origin_request_policy',
  ),
  modified(
    'cloudfront.origin-request-policy.update',
    doc.UpdateOriginRequestPolicy,
    res('aws_cloudfront_origin_request_policy', '33333333-2222-3333-4444-555555555555'),
    'medium',
    [],
  ),
  deleted(
    'cloudfront.origin-request-policy.delete',
    doc.DeleteOriginRequestPolicy,
    res('aws_cloudfront_origin_request_policy', '33333333-2222-3333-4444-555555555555'),
  ),
  created(
    'cloudfront.response-headers-policy.create',
    doc.CreateResponseHeadersPolicy,
    'aws_cloudfront_response_headers_policy',
  ),
  modified(
    'cloudfront.response-headers-policy.update',
    doc.UpdateResponseHeadersPolicy,
    res('aws_cloudfront_response_headers_policy', '55555555-2222-3333-4444-555555555555'),
    'medium',
    [],
  ),
  deleted(
    'cloudfront.response-headers-policy.delete',
    doc.DeleteResponseHeadersPolicy,
    res('aws_cloudfront_response_headers_policy', '55555555-2222-3333-4444-555555555555'),
  ),
  modified(
    'cloudfront.tags.add',
    custodian('event-cloud-trail-tag-distribution__1'),
    distribution('E53370FUHBNLK', { arn: 'arn:aws:cloudfront::351936369470:distribution/E53370FUHBNLK' }),
    'low',
    {
      'tags.WAF': 'Internal',
    },
  ),
  modified('cloudfront.tags.remove', doc.UntagResource, distribution('E2QWRUHEXAMPLE'), 'low', {
    'tags.env': null,
  }),
];

describe('rules/cloudfront.yaml', () => {
  ruleCases('rules/cloudfront.yaml', cases);
});
