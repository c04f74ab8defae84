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
    rule: 's3.bucket-encryption.put',
    label: 'SSE-S3 replaces SSE-KMS: the key and bucket key are unset',
    record: doc.PutBucketEncryptionAES256,
    state: [
      split(
        'aws_s3_bucket_server_side_encryption_configuration',
        'app-data',
        sse('aws:kms', 'alias/app', true),
      ),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: {
      'rule[0].apply_server_side_encryption_by_default[0].sse_algorithm': 'AES256',
      'rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id': null,
      'rule[0].bucket_key_enabled': false,
    },
    unchanged: [
      split('aws_s3_bucket_server_side_encryption_configuration', 'app-data', sse('AES256', '', false)),
    ],
  },
  {
    rule: 's3.bucket-encryption.put',
    label: 'v3 inline',
    record: doc.PutBucketEncryptionAES256,
    state: [
      bucket('app-data', { server_side_encryption_configuration: [sse('aws:kms', 'alias/app', false)] }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: {
      'server_side_encryption_configuration[0].rule[0].apply_server_side_encryption_by_default[0].sse_algorithm':
        'AES256',
      'server_side_encryption_configuration[0].rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id':
        null,
    },
    unchanged: [bucket('app-data', { server_side_encryption_configuration: [sse('AES256', '', false)] })],
  },
  {
    rule: 's3.bucket-encryption.delete',
    label: 'v3 inline',
    record: doc.DeleteBucketEncryption,
    state: [bucket('app-data', { server_side_encryption_configuration: [sse('AES256', '', false)] })],
    kind: 'modified',
    severity: 'high',
    changes: { server_side_encryption_configuration: null },
    unchanged: [bucket('app-data', { server_side_encryption_configuration: [] })],
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
    label: 'one-day expiry against the split resource (provider v5 block shape)',
    record: panther('aws_cloudtrail_short_lifecycle__1'),
    state: [split('aws_s3_bucket_lifecycle_configuration', 'sample-cloudtrail-bucket-name', lifecycle(90))],
    kind: 'modified',
    severity: 'high',
    changes: {
      rule: [
        {
          expiration: [{ days: 1 }],
          filter: [{ prefix: '*' }],
          id: 'nuke-cloudtrail-logs-after-1-day',
          status: 'Enabled',
        },
      ],
    },
    unchanged: [
      split('aws_s3_bucket_lifecycle_configuration', 'sample-cloudtrail-bucket-name', lifecycle(1)),
    ],
  },
  {
    rule: 's3.bucket-lifecycle.put',
    label: 'two-year expiry on a v3 bucket (inline lifecycle_rule, empty Filter element)',
    record: panther('aws_cloudtrail_short_lifecycle__4'),
    state: [bucket('sample-cloudtrail-bucket-name', legacyLifecycle(365))],
    kind: 'modified',
    severity: 'medium',
    changes: {
      lifecycle_rule: [
        {
          enabled: true,
          expiration: [{ days: 730 }],
          id: 'nuke-cloudtrail-logs-after-730-days',
          noncurrent_version_expiration: [{ days: 730 }],
        },
      ],
    },
    unchanged: [bucket('sample-cloudtrail-bucket-name', legacyLifecycle(730))],
  },
  {
    rule: 's3.bucket-lifecycle.delete',
    record: doc.DeleteBucketLifecycle,
    state: [split('aws_s3_bucket_lifecycle_configuration', 'app-data', lifecycle(30))],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 's3.bucket-lifecycle.delete',
    label: 'v3 inline',
    record: doc.DeleteBucketLifecycle,
    state: [bucket('app-data', legacyLifecycle(30))],
    kind: 'modified',
    severity: 'medium',
    changes: { lifecycle_rule: null },
    unchanged: [bucket('app-data', { lifecycle_rule: [] })],
  },
  {
    rule: 's3.bucket-logging.put',
    label: 'prefix left out: unset',
    record: {
      ...panther('aws_s3_disable_bucket_logging__3'),
      requestParameters: {
        bucketName: 'critical-data-bucket',
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: 'logging-bucket' } },
      },
    },
    state: [
      bucket('critical-data-bucket', {
        logging: [{ target_bucket: 'logging-bucket', target_prefix: 'logs/' }],
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { 'logging[0].target_prefix': null },
    unchanged: [
      bucket('critical-data-bucket', { logging: [{ target_bucket: 'logging-bucket', target_prefix: '' }] }),
    ],
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
    changes: { logging: null },
    unchanged: [bucket('critical-data-bucket', { logging: [] })],
  },
  {
    rule: 's3.bucket-cors.put',
    label: 'one rule, one origin logged as a scalar',
    record: doc.PutBucketCors,
    state: [split('aws_s3_bucket_cors_configuration', 'app-data', { cors_rule: [cors(['GET'])] })],
    kind: 'modified',
    severity: 'medium',
    changes: {
      cors_rule: [{ allowed_methods: ['GET', 'PUT'], allowed_origins: ['*'], max_age_seconds: 3000 }],
    },
    unchanged: [split('aws_s3_bucket_cors_configuration', 'app-data', { cors_rule: [cors(['PUT', 'GET'])] })],
  },
  {
    rule: 's3.bucket-cors.put',
    label: 'two rules on a v3 bucket',
    record: doc.PutBucketCorsTwoRules,
    state: [bucket('app-data', { cors_rule: [cors(['GET'])] })],
    kind: 'modified',
    severity: 'medium',
    changes: {
      cors_rule: [
        {
          allowed_headers: ['*'],
          allowed_methods: ['DELETE', 'POST', 'PUT'],
          allowed_origins: ['http://www.example.com'],
          expose_headers: ['x-amz-server-side-encryption'],
          max_age_seconds: 3000,
        },
        { allowed_methods: ['GET'], allowed_origins: ['*'] },
      ],
    },
    unchanged: [
      bucket('app-data', {
        cors_rule: [
          { ...cors(['GET']), max_age_seconds: 0 },
          {
            allowed_headers: ['*'],
            allowed_methods: ['PUT', 'POST', 'DELETE'],
            allowed_origins: ['http://www.example.com'],
            expose_headers: ['x-amz-server-side-encryption'],
            max_age_seconds: 3000,
          },
        ],
      }),
    ],
  },
  {
    rule: 's3.bucket-cors.delete',
    record: doc.DeleteBucketCors,
    state: [split('aws_s3_bucket_cors_configuration', 'app-data')],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 's3.bucket-cors.delete',
    label: 'v3 inline',
    record: doc.DeleteBucketCors,
    state: [bucket('app-data', { cors_rule: [cors(['GET'])] })],
    kind: 'modified',
    severity: 'medium',
    changes: { cors_rule: null },
    unchanged: [bucket('app-data', { cors_rule: [] })],
  },
  {
    rule: 's3.bucket-website.put',
    record: doc.PutBucketWebsite,
    state: [split('aws_s3_bucket_website_configuration', 'app-data', website('home.html'))],
    kind: 'modified',
    severity: 'medium',
    changes: { index_document: [{ suffix: 'index.html' }] },
    unchanged: [split('aws_s3_bucket_website_configuration', 'app-data', website('index.html'))],
  },
  {
    rule: 's3.bucket-website.put',
    label: 'routing rules left out: removed',
    record: doc.PutBucketWebsite,
    state: [
      split('aws_s3_bucket_website_configuration', 'app-data', {
        ...website('index.html'),
        routing_rule: [
          {
            condition: [{ http_error_code_returned_equals: '', key_prefix_equals: 'docs/' }],
            redirect: [
              {
                host_name: '',
                http_redirect_code: '',
                protocol: '',
                replace_key_prefix_with: 'documents/',
                replace_key_with: '',
              },
            ],
          },
        ],
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { routing_rule: null },
  },
  {
    rule: 's3.bucket-website.put',
    label: 'v3 inline',
    record: doc.PutBucketWebsite,
    state: [bucket('app-data', { website: [{ index_document: 'index.html', error_document: '' }] })],
    kind: 'modified',
    severity: 'medium',
    changes: { 'website[0].error_document': 'SomeErrorDocument.html' },
    unchanged: [
      bucket('app-data', {
        website: [{ index_document: 'index.html', error_document: 'SomeErrorDocument.html' }],
      }),
    ],
  },
  {
    rule: 's3.bucket-website.delete',
    record: doc.DeleteBucketWebsite,
    state: [bucket('app-data', { website: [{ index_document: 'index.html' }] })],
    kind: 'modified',
    severity: 'medium',
    changes: { website: null },
  },
  {
    rule: 's3.bucket-replication.put',
    label: 'destination changed',
    record: doc.PutBucketReplication,
    state: [split('aws_s3_bucket_replication_configuration', 'app-data', replication('arn:aws:s3:::backup'))],
    kind: 'modified',
    severity: 'medium',
    changes: {
      rule: [
        {
          delete_marker_replication: [{ status: 'Disabled' }],
          destination: [{ bucket: 'arn:aws:s3:::attacker-copy', storage_class: 'STANDARD' }],
          id: 'everything',
          priority: 1,
          status: 'Enabled',
        },
      ],
    },
    unchanged: [
      split('aws_s3_bucket_replication_configuration', 'app-data', replication('arn:aws:s3:::attacker-copy')),
    ],
  },
  {
    rule: 's3.bucket-replication.put',
    label: 'v3 inline',
    record: doc.PutBucketReplication,
    state: [bucket('app-data', legacyReplication('arn:aws:s3:::backup'))],
    kind: 'modified',
    severity: 'medium',
    changes: {
      replication_configuration: [
        {
          role: 'arn:aws:iam::111122223333:role/replication',
          rules: [
            {
              delete_marker_replication_status: 'Disabled',
              destination: [{ bucket: 'arn:aws:s3:::attacker-copy', storage_class: 'STANDARD' }],
              id: 'everything',
              priority: 1,
              status: 'Enabled',
            },
          ],
        },
      ],
    },
    unchanged: [bucket('app-data', legacyReplication('arn:aws:s3:::attacker-copy'))],
  },
  {
    rule: 's3.bucket-replication.put',
    label: 'body not logged: a change, value unknown',
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
    label: 'topic left out: removed',
    record: doc.PutBucketNotification,
    state: [
      split('aws_s3_bucket_notification', 'app-data', {
        ...notification(),
        topic: [
          {
            id: 'audit',
            topic_arn: 'arn:aws:sns:us-east-1:111122223333:audit',
            events: ['s3:ObjectRemoved:*'],
            filter_prefix: '',
            filter_suffix: '',
          },
        ],
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { topic: null },
    unchanged: [split('aws_s3_bucket_notification', 'app-data', notification())],
  },
  {
    rule: 's3.bucket-notification.put',
    label: 'Lambda destination with key filters and EventBridge',
    record: doc.PutBucketNotificationLambda,
    state: [split('aws_s3_bucket_notification', 'app-data', notification())],
    kind: 'modified',
    severity: 'medium',
    changes: {
      queue: null,
      lambda_function: [
        {
          events: ['s3:ObjectCreated:Post', 's3:ObjectCreated:Put'],
          filter_prefix: 'images/',
          filter_suffix: '.jpg',
          id: 'thumbnails',
          lambda_function_arn: 'arn:aws:lambda:us-east-1:111122223333:function:thumbnails',
        },
      ],
      eventbridge: true,
    },
    unchanged: [
      split('aws_s3_bucket_notification', 'app-data', {
        queue: [],
        topic: [],
        eventbridge: true,
        lambda_function: [
          {
            id: 'thumbnails',
            lambda_function_arn: 'arn:aws:lambda:us-east-1:111122223333:function:thumbnails',
            events: ['s3:ObjectCreated:Put', 's3:ObjectCreated:Post'],
            filter_prefix: 'images/',
            filter_suffix: '.jpg',
          },
        ],
      }),
    ],
  },
  {
    rule: 's3.bucket-notification.put',
    label: 'empty configuration removes every destination',
    record: doc.PutBucketNotificationEmpty,
    state: [split('aws_s3_bucket_notification', 'app-data', notification())],
    kind: 'modified',
    severity: 'medium',
    changes: { queue: null },
    unchanged: [
      split('aws_s3_bucket_notification', 'app-data', {
        queue: [],
        topic: [],
        lambda_function: [],
        eventbridge: false,
      }),
    ],
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

/** aws_s3_bucket_lifecycle_configuration (provider v5): every unset field present, as the provider writes it. */
function lifecycle(days: number) {
  return {
    rule: [
      {
        abort_incomplete_multipart_upload: [],
        expiration: [{ date: null, days, expired_object_delete_marker: false }],
        filter: [
          { and: [], object_size_greater_than: null, object_size_less_than: null, prefix: '*', tag: [] },
        ],
        id: 'nuke-cloudtrail-logs-after-1-day',
        noncurrent_version_expiration: [],
        noncurrent_version_transition: [],
        prefix: '',
        status: 'Enabled',
        transition: [],
      },
    ],
  };
}

/** aws_s3_bucket.lifecycle_rule of provider v3. */
function legacyLifecycle(days: number) {
  return {
    lifecycle_rule: [
      {
        abort_incomplete_multipart_upload_days: 0,
        enabled: true,
        expiration: [{ date: '', days, expired_object_delete_marker: false }],
        id: 'nuke-cloudtrail-logs-after-730-days',
        noncurrent_version_expiration: [{ days: 730 }],
        noncurrent_version_transition: [],
        prefix: '',
        tags: {},
        transition: [],
      },
    ],
  };
}

function cors(methods: string[]) {
  return {
    allowed_headers: [],
    allowed_methods: methods,
    allowed_origins: ['*'],
    expose_headers: [],
    id: '',
    max_age_seconds: 3000,
  };
}

function website(index: string) {
  return {
    index_document: [{ suffix: index }],
    error_document: [{ key: 'SomeErrorDocument.html' }],
    redirect_all_requests_to: [],
    routing_rule: [],
    routing_rules: '',
  };
}

function replication(destination: string) {
  return {
    role: 'arn:aws:iam::111122223333:role/replication',
    rule: [
      {
        delete_marker_replication: [{ status: 'Disabled' }],
        destination: [
          {
            access_control_translation: [],
            account: '',
            bucket: destination,
            encryption_configuration: [],
            metrics: [],
            replication_time: [],
            storage_class: 'STANDARD',
          },
        ],
        existing_object_replication: [],
        filter: [{ and: [], prefix: '', tag: [] }],
        id: 'everything',
        prefix: '',
        priority: 1,
        source_selection_criteria: [],
        status: 'Enabled',
      },
    ],
  };
}

function legacyReplication(destination: string) {
  return {
    replication_configuration: [
      {
        role: 'arn:aws:iam::111122223333:role/replication',
        rules: [
          {
            delete_marker_replication_status: 'Disabled',
            destination: [
              {
                access_control_translation: [],
                account_id: '',
                bucket: destination,
                metrics: [],
                replica_kms_key_id: '',
                replication_time: [],
                storage_class: 'STANDARD',
              },
            ],
            filter: [{ prefix: '', tags: {} }],
            id: 'everything',
            prefix: '',
            priority: 1,
            source_selection_criteria: [],
            status: 'Enabled',
          },
        ],
      },
    ],
  };
}

function notification() {
  return {
    eventbridge: false,
    lambda_function: [],
    queue: [
      {
        events: ['s3:ObjectCreated:*'],
        filter_prefix: '',
        filter_suffix: '',
        id: 'new-objects',
        queue_arn: 'arn:aws:sqs:us-east-1:111122223333:uploads',
      },
    ],
    topic: [],
  };
}

function sse(algorithm: string, key: string, bucketKey: boolean) {
  return {
    rule: [
      {
        apply_server_side_encryption_by_default: [{ kms_master_key_id: key, sse_algorithm: algorithm }],
        bucket_key_enabled: bucketKey,
      },
    ],
  };
}

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
