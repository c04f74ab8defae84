// rules/s3.yaml: corpus records where the corpus has the call, doc-shaped records otherwise
// (test/fixtures/rules/s3/events.doc-shaped.json). Split resources (provider v4+) and the inline
// v3 attributes of aws_s3_bucket are both exercised.

import { describe } from 'vitest';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('s3', 's3.amazonaws.com');
const corpusRecord = corpusCopy('s3');
const panther = (name: string) => corpusRecord(`panther-analysis/rules/aws_cloudtrail_rules/${name}.json`);
const streamalert = (name: string) =>
  corpusRecord(`streamalert/rules/community/cloudwatch_events/${name}.json`);

const bucket = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'aws_s3_bucket',
  attributes: { id: name, bucket: name, arn: `arn:aws:s3:::${name}`, tags: {}, ...extra },
});
const split = (type: string, name: string, extra: Record<string, unknown> = {}) => ({
  type,
  attributes: { id: name, bucket: name, expected_bucket_owner: '', ...extra },
});
const policy = (principal: unknown) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Public Access',
        Effect: 'Allow',
        Principal: principal,
        Action: 's3:GetBucketAcl',
        Resource: 'arn:aws:s3:::example-bucket',
      },
    ],
  });
const pab = (value: boolean) => ({
  block_public_acls: value,
  block_public_policy: value,
  ignore_public_acls: value,
  restrict_public_buckets: value,
});

const cases: RuleCase[] = [
  {
    rule: 's3.bucket.create',
    record: corpusRecord('cloudtrail-watcher/test/services/samples/s3_CreateBucket.json'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_s3_bucket',
    severity: 'medium',
  },
  {
    rule: 's3.bucket.delete',
    record: panther('aws_s3_bucket_deleted__1'),
    state: [bucket('secrets')],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 's3.bucket-policy.put',
    label: 'split policy, public principal',
    record: panther('aws_resource_made_public__2'),
    state: [
      bucket('example-bucket'),
      split('aws_s3_bucket_policy', 'example-bucket', {
        policy: policy({ Service: 'cloudtrail.amazonaws.com' }),
      }),
    ],
    kind: 'modified',
    type: 'aws_s3_bucket_policy',
    severity: 'critical',
    changes: { policy: { Statement: [expectStatement('*')], Version: '2012-10-17' } },
    unchanged: [split('aws_s3_bucket_policy', 'example-bucket', { policy: policy({ AWS: '*' }) })],
  },
  {
    rule: 's3.bucket-policy.put',
    label: 'v3 inline policy, service principal',
    record: panther('aws_resource_made_public__3'),
    state: [bucket('example-bucket', { policy: '' })],
    kind: 'modified',
    severity: 'high',
  },
  {
    rule: 's3.bucket-policy.put',
    label: 'policy logged as JSON text, public principal',
    record: {
      ...doc.DeleteBucketPolicy,
      eventName: 'PutBucketPolicy',
      requestParameters: { bucketName: 'app-data', bucketPolicy: policy('*') },
    },
    state: [
      split('aws_s3_bucket_policy', 'app-data', {
        policy: policy({ AWS: 'arn:aws:iam::111122223333:root' }),
      }),
    ],
    kind: 'modified',
    type: 'aws_s3_bucket_policy',
    severity: 'critical',
    unchanged: [split('aws_s3_bucket_policy', 'app-data', { policy: policy({ AWS: '*' }) })],
  },
  {
    rule: 's3.bucket-policy.delete',
    record: doc.DeleteBucketPolicy,
    state: [split('aws_s3_bucket_policy', 'app-data', { policy: policy('*') })],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 's3.bucket-policy.delete',
    label: 'v3 inline',
    record: doc.DeleteBucketPolicy,
    state: [bucket('app-data', { policy: policy('*') })],
    kind: 'modified',
    severity: 'high',
    changes: { policy: null },
    unchanged: [bucket('app-data', { policy: '' })],
  },
  {
    rule: 's3.bucket-versioning.put',
    label: 'suspended, split resource',
    record: panther('aws_s3_suspend_versioning__1'),
    state: [
      split('aws_s3_bucket_versioning', 'important-files-bucket', {
        versioning_configuration: [{ mfa_delete: '', status: 'Enabled' }],
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: { 'versioning_configuration[0].status': 'Suspended' },
    unchanged: [
      split('aws_s3_bucket_versioning', 'important-files-bucket', {
        versioning_configuration: [{ mfa_delete: '', status: 'Suspended' }],
      }),
    ],
  },
  {
    rule: 's3.bucket-versioning.put',
    label: 'MFA delete off, v3 inline',
    record: panther('aws_s3_disable_mfa_delete__1'),
    state: [bucket('critical-data-bucket', { versioning: [{ enabled: true, mfa_delete: true }] })],
    kind: 'modified',
    severity: 'high',
    changes: { 'versioning[0].mfa_delete': false },
    unchanged: [bucket('critical-data-bucket', { versioning: [{ enabled: true, mfa_delete: false }] })],
  },
  {
    rule: 's3.bucket-encryption.put',
    record: doc.PutBucketEncryption,
    state: [
      split('aws_s3_bucket_server_side_encryption_configuration', 'app-data', {
        rule: [
          {
            apply_server_side_encryption_by_default: [{ kms_master_key_id: '', sse_algorithm: 'AES256' }],
            bucket_key_enabled: false,
          },
        ],
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: {
      'rule[0].apply_server_side_encryption_by_default[0].sse_algorithm': 'aws:kms',
      'rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id':
        'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'rule[0].bucket_key_enabled': true,
    },
  },
  {
    rule: 's3.bucket-encryption.delete',
    record: panther('aws_s3_delete_bucket_encryption__1'),
    state: [split('aws_s3_bucket_server_side_encryption_configuration', 'sensitive-data-bucket')],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 's3.bucket-public-access-block.put',
    label: 'all on',
    record: streamalert('cloudtrail_critical_api_calls__14'),
    state: [split('aws_s3_bucket_public_access_block', 'test', { ...pab(true), block_public_policy: false })],
    kind: 'modified',
    severity: 'medium',
    changes: { block_public_policy: true },
    unchanged: [split('aws_s3_bucket_public_access_block', 'test', pab(true))],
  },
  {
    rule: 's3.bucket-public-access-block.put',
    label: 'all off',
    record: streamalert('cloudtrail_critical_api_calls__13'),
    state: [split('aws_s3_bucket_public_access_block', '...', pab(true))],
    kind: 'modified',
    severity: 'high',
    changes: {
      block_public_acls: false,
      ignore_public_acls: false,
      block_public_policy: false,
      restrict_public_buckets: false,
    },
  },
  {
    rule: 's3.bucket-public-access-block.delete',
    record: panther('aws_s3_delete_public_access_block__1'),
    state: [split('aws_s3_bucket_public_access_block', 'corporate-documents', pab(true))],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 's3.account-public-access-block.put',
    record: streamalert('cloudtrail_critical_api_calls__15'),
    state: [
      {
        type: 'aws_s3_account_public_access_block',
        attributes: { id: '123456789123', account_id: '123456789123', ...pab(true) },
      },
    ],
    kind: 'modified',
    severity: 'critical',
    changes: {
      block_public_acls: false,
      ignore_public_acls: false,
      block_public_policy: false,
      restrict_public_buckets: false,
    },
  },
  {
    rule: 's3.account-public-access-block.delete',
    record: streamalert('cloudtrail_critical_api_calls__12'),
    state: [
      {
        type: 'aws_s3_account_public_access_block',
        attributes: { id: '123456789123', account_id: '123456789123', ...pab(true) },
      },
    ],
    kind: 'deleted',
    severity: 'critical',
  },
  {
    rule: 's3.bucket-acl.put',
    label: 'grants to AllUsers',
    record: streamalert('cloudtrail_put_bucket_acl__1'),
    state: [split('aws_s3_bucket_acl', '...', { acl: 'private' })],
    kind: 'modified',
    severity: 'critical',
    changes: [],
  },
  {
    rule: 's3.bucket-acl.put',
    label: 'canned private on a v3 bucket',
    record: panther('aws_s3_bucket_policy_modified__1'),
    state: [bucket('bucket', { acl: 'public-read' })],
    kind: 'modified',
    severity: 'medium',
    changes: { acl: 'private' },
    unchanged: [bucket('bucket', { acl: 'private' })],
  },
  {
    rule: 's3.bucket-acl.put',
    label: 'canned public-read',
    record: doc.PutBucketAclCanned,
    state: [split('aws_s3_bucket_acl', 'app-data', { acl: 'private' })],
    kind: 'modified',
    severity: 'critical',
    changes: { acl: 'public-read' },
  },
  {
    rule: 's3.bucket-ownership-controls.put',
    record: doc.PutBucketOwnershipControls,
    state: [
      split('aws_s3_bucket_ownership_controls', 'app-data', {
        rule: [{ object_ownership: 'BucketOwnerEnforced' }],
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: { 'rule[0].object_ownership': 'ObjectWriter' },
    unchanged: [
      split('aws_s3_bucket_ownership_controls', 'app-data', { rule: [{ object_ownership: 'ObjectWriter' }] }),
    ],
  },
  {
    rule: 's3.bucket-ownership-controls.delete',
    record: doc.DeleteBucketOwnershipControls,
    state: [split('aws_s3_bucket_ownership_controls', 'app-data')],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 's3.bucket-lifecycle.put',
    label: 'one-day expiry',
    record: panther('aws_cloudtrail_short_lifecycle__1'),
    state: [split('aws_s3_bucket_lifecycle_configuration', 'sample-cloudtrail-bucket-name')],
    kind: 'modified',
    severity: 'high',
    changes: [],
  },
  {
    rule: 's3.bucket-lifecycle.put',
    label: 'two-year expiry on a v3 bucket',
    record: panther('aws_cloudtrail_short_lifecycle__4'),
    state: [bucket('sample-cloudtrail-bucket-name', { lifecycle_rule: [] })],
    kind: 'modified',
    severity: 'medium',
  },
  {
    rule: 's3.bucket-lifecycle.delete',
    record: doc.DeleteBucketLifecycle,
    state: [bucket('app-data', { lifecycle_rule: [{ id: 'expire', enabled: true }] })],
    kind: 'modified',
    severity: 'medium',
    changes: { lifecycle_rule: [] },
    unchanged: [bucket('app-data', { lifecycle_rule: [] })],
  },
  {
    rule: 's3.bucket-logging.put',
    record: panther('aws_s3_disable_bucket_logging__3'),
    state: [
      split('aws_s3_bucket_logging', 'critical-data-bucket', {
        target_bucket: 'old-logs',
        target_prefix: 'logs/',
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { target_bucket: 'logging-bucket' },
    unchanged: [
      split('aws_s3_bucket_logging', 'critical-data-bucket', {
        target_bucket: 'logging-bucket',
        target_prefix: 'logs/',
      }),
    ],
  },
  {
    rule: 's3.bucket-logging.disable',
    record: panther('aws_s3_disable_bucket_logging__1'),
    state: [
      split('aws_s3_bucket_logging', 'critical-data-bucket', {
        target_bucket: 'logging-bucket',
        target_prefix: 'logs/',
      }),
    ],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 's3.bucket-logging.disable',
    label: 'v3 inline',
    record: panther('aws_s3_security_control_disabling__1'),
    state: [
      bucket('critical-data-bucket', {
        logging: [{ target_bucket: 'logging-bucket', target_prefix: 'logs/' }],
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: { logging: [] },
    unchanged: [bucket('critical-data-bucket', { logging: [] })],
  },
  {
    rule: 's3.bucket-cors.put',
    record: doc.PutBucketCors,
    state: [split('aws_s3_bucket_cors_configuration', 'app-data')],
    kind: 'modified',
    severity: 'medium',
    changes: [],
  },
  {
    rule: 's3.bucket-cors.delete',
    record: doc.DeleteBucketCors,
    state: [split('aws_s3_bucket_cors_configuration', 'app-data')],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 's3.bucket-website.put',
    record: doc.PutBucketWebsite,
    state: [
      split('aws_s3_bucket_website_configuration', 'app-data', {
        index_document: [{ suffix: 'home.html' }],
        error_document: [{ key: 'SomeErrorDocument.html' }],
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { 'index_document[0].suffix': 'index.html' },
  },
  {
    rule: 's3.bucket-website.delete',
    record: doc.DeleteBucketWebsite,
    state: [bucket('app-data', { website: [{ index_document: 'index.html' }] })],
    kind: 'modified',
    severity: 'medium',
    changes: { website: [] },
  },
  {
    rule: 's3.bucket-replication.put',
    record: panther('aws_s3_delete_bucket_replication__3'),
    state: [
      split('aws_s3_bucket_replication_configuration', 'production-backup-bucket', {
        role: 'arn:aws:iam::123456789012:role/replication',
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: [],
  },
  {
    rule: 's3.bucket-replication.delete',
    record: panther('aws_s3_delete_bucket_replication__1'),
    state: [split('aws_s3_bucket_replication_configuration', 'production-backup-bucket')],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 's3.bucket-notification.put',
    record: doc.PutBucketNotification,
    state: [split('aws_s3_bucket_notification', 'app-data')],
    kind: 'modified',
    severity: 'medium',
  },
  {
    rule: 's3.bucket-object-lock.put',
    record: doc.PutBucketObjectLockConfiguration,
    state: [
      split('aws_s3_bucket_object_lock_configuration', 'app-data', {
        rule: [{ default_retention: [{ mode: 'COMPLIANCE', days: 30, years: 0 }] }],
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { 'rule[0].default_retention[0].mode': 'GOVERNANCE', 'rule[0].default_retention[0].days': 1 },
  },
  {
    rule: 's3.bucket-accelerate.put',
    record: doc.PutAccelerateConfiguration,
    state: [bucket('app-data', { acceleration_status: 'Suspended' })],
    kind: 'modified',
    severity: 'low',
    changes: { acceleration_status: 'Enabled' },
    unchanged: [bucket('app-data', { acceleration_status: 'Enabled' })],
  },
  {
    rule: 's3.bucket-request-payment.put',
    record: doc.PutBucketRequestPayment,
    state: [split('aws_s3_bucket_request_payment_configuration', 'app-data', { payer: 'BucketOwner' })],
    kind: 'modified',
    severity: 'low',
    changes: { payer: 'Requester' },
  },
  {
    rule: 's3.bucket-intelligent-tiering.put',
    record: doc.PutBucketIntelligentTieringConfiguration,
    state: [
      {
        type: 'aws_s3_bucket_intelligent_tiering_configuration',
        attributes: {
          id: 'app-data:archive-old',
          bucket: 'app-data',
          name: 'archive-old',
          status: 'Enabled',
        },
      },
    ],
    kind: 'modified',
    severity: 'low',
    changes: { status: 'Disabled' },
  },
  {
    rule: 's3.bucket-intelligent-tiering.delete',
    record: doc.DeleteBucketIntelligentTieringConfiguration,
    state: [
      {
        type: 'aws_s3_bucket_intelligent_tiering_configuration',
        attributes: { id: 'app-data:archive-old', bucket: 'app-data', name: 'archive-old' },
      },
    ],
    kind: 'deleted',
    severity: 'low',
  },
  {
    rule: 's3.bucket.tag',
    record: doc.PutBucketTagging,
    state: [bucket('app-data', { tags: { team: 'payments', env: 'staging' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.env': 'prod' },
    unchanged: [bucket('app-data', { tags: { team: 'payments', env: 'prod' } })],
  },
  {
    rule: 's3.bucket.tag',
    label: 'one tag logged as an object',
    record: doc.PutBucketTaggingOneTag,
    state: [bucket('app-data', { tags: { env: 'prod' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.env': 'staging' },
  },
  {
    rule: 's3.bucket.untag',
    record: doc.DeleteBucketTagging,
    state: [bucket('app-data', { tags: { team: 'payments' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.team': null },
    unchanged: [bucket('app-data', { tags: {} })],
  },
  {
    rule: 's3.bucket-analytics.put',
    record: doc.PutBucketAnalyticsConfiguration,
    state: [],
    kind: 'unmanaged',
    type: 'aws_s3_bucket_analytics_configuration',
    severity: 'low',
  },
  {
    rule: 's3.bucket-analytics.delete',
    record: doc.DeleteBucketAnalyticsConfiguration,
    state: [
      {
        type: 'aws_s3_bucket_analytics_configuration',
        attributes: { id: 'app-data:docs', bucket: 'app-data', name: 'docs' },
      },
    ],
    kind: 'deleted',
    severity: 'low',
  },
  {
    rule: 's3.bucket-inventory.put',
    record: doc.PutBucketInventoryConfiguration,
    state: [
      {
        type: 'aws_s3_bucket_inventory',
        attributes: {
          id: 'app-data:weekly',
          bucket: 'app-data',
          name: 'weekly',
          enabled: true,
          destination: [{ bucket: [{ bucket_arn: 'arn:aws:s3:::inventory-reports', format: 'CSV' }] }],
        },
      },
    ],
    kind: 'modified',
    severity: 'low',
    changes: { enabled: false },
  },
  {
    rule: 's3.bucket-inventory.delete',
    record: doc.DeleteBucketInventoryConfiguration,
    state: [
      {
        type: 'aws_s3_bucket_inventory',
        attributes: { id: 'app-data:weekly', bucket: 'app-data', name: 'weekly' },
      },
    ],
    kind: 'deleted',
    severity: 'low',
  },
  {
    rule: 's3.bucket-metrics.put',
    record: doc.PutBucketMetricsConfiguration,
    state: [],
    kind: 'unmanaged',
    type: 'aws_s3_bucket_metric',
    severity: 'low',
  },
  {
    rule: 's3.bucket-metrics.delete',
    record: doc.DeleteBucketMetricsConfiguration,
    state: [
      {
        type: 'aws_s3_bucket_metric',
        attributes: { id: 'app-data:EntireBucket', bucket: 'app-data', name: 'EntireBucket' },
      },
    ],
    kind: 'deleted',
    severity: 'low',
  },
];

function expectStatement(principal: string) {
  return {
    Action: ['s3:GetBucketAcl'],
    Effect: 'Allow',
    Principal: { AWS: [principal] },
    Resource: ['arn:aws:s3:::example-bucket'],
    Sid: 'Public Access',
  };
}

describe('rules/s3.yaml', () => ruleCases('rules/s3.yaml', cases));
