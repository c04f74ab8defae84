// The whole-configuration normalisers on the cases the mutation run of lambdas/core/config-blocks.ts
// found untested: each XML form and each provider form of a field meets the other, unset fields drop
// out, and a value that differs stays different.

import { describe, expect, it } from 'vitest';
import { NORMALISERS, sameValue } from '../../../lambdas/core/values.js';

const n = (name: string, value: unknown) => NORMALISERS[name](value);
const s3 = (value: unknown) => n('s3-config', value);
/** The normalised value as JSON: undefined fields would vanish there, as in every comparison. */
const keysOf = (value: unknown) => Object.keys((value as Record<string, unknown>[])[0]);

describe('s3-config fields', () => {
  it('keeps ids, keys, prefixes and notification filters as text even when they read as numbers', () => {
    expect(s3({ ID: '7', Prefix: '2024', Filter: { Tag: { Key: '1', Value: '2' } } })).toEqual([
      { filter: [{ tag: [{ key: '1', value: '2' }] }], id: '7', prefix: '2024' },
    ]);
    expect(s3([{ filter_prefix: '2024', filter_suffix: '1', queue_arn: 'arn:q' }])).toEqual([
      { filter_prefix: '2024', filter_suffix: '1', queue_arn: 'arn:q' },
    ]);
    expect(s3({ Destination: { Account: '012345678901', BucketOwnerId: '42' } })).toEqual([
      { destination: [{ account: '012345678901', bucket_owner_id: '42' }] },
    ]);
  });

  it('reads other whole numbers as numbers, and only their canonical form', () => {
    expect(s3({ AccountCount: '5', Days: '30', Offset: '-3' })).toEqual([
      { account_count: 5, days: 30, offset: -3 },
    ]);
    expect(s3({ Days: '030', Ratio: '2.5', Size: '5kb' })).toEqual([
      { days: '030', ratio: '2.5', size: '5kb' },
    ]);
  });

  it('drops the fields the provider stores as 0 when unset, and only those', () => {
    const state = [
      {
        id: 'r',
        priority: 0,
        filter: [{ object_size_greater_than: 0, object_size_less_than: 0 }],
        noncurrent_version_expiration: [{ days: 0, newer_noncurrent_versions: 0 }],
        cors_rule: [{ max_age_seconds: 0 }],
        abort_incomplete_multipart_upload_days: 0,
        transition: [{ days: 0, storage_class: 'GLACIER' }],
      },
    ];
    expect(s3(state)).toEqual([{ id: 'r', transition: [{ days: 0, storage_class: 'GLACIER' }] }]);
    expect(s3([{ id: 'r', priority: 2, filter: [{ object_size_less_than: 10 }] }])).toEqual([
      { filter: [{ object_size_less_than: 10 }], id: 'r', priority: 2 },
    ]);
  });

  it('drops an expiration by date its days = 0, but keeps days = 0 elsewhere', () => {
    const byDate = { Expiration: { Date: '2026-01-01T00:00:00Z', Days: 0 } };
    expect(s3(byDate)).toEqual([{ expiration: [{ date: '2026-01-01T00:00:00Z' }] }]);
    expect(sameValue(s3(byDate), s3([{ expiration: [{ date: '2026-01-01T00:00:00Z', days: 0 }] }]))).toBe(
      true,
    );
    expect(s3({ Days: 0 })).toEqual([{ days: 0 }]);
  });

  it('names notification destinations and events as the provider does, events as a set', () => {
    expect(s3({ Topic: 'arn:t', Event: 's3:ObjectCreated:*' })).toEqual([
      { events: ['s3:ObjectCreated:*'], topic_arn: 'arn:t' },
    ]);
    expect(s3({ CloudFunction: 'arn:f', Queue: 'arn:q' })).toEqual([
      { lambda_function_arn: 'arn:f', queue_arn: 'arn:q' },
    ]);
  });

  it('reads notification filter rules into filter_prefix and filter_suffix, skipping broken rules', () => {
    const filter = (rules: unknown) => s3({ Queue: 'arn:q', Filter: { S3Key: { FilterRule: rules } } });
    expect(
      filter([
        { Value: 'x' },
        'junk',
        { Name: 7, Value: 'y' },
        { Name: 'Prefix', Value: 'logs/' },
        { Name: 'Suffix', Value: '7' },
      ]),
    ).toEqual([{ filter_prefix: 'logs/', filter_suffix: '7', queue_arn: 'arn:q' }]);
    expect(keysOf(filter({ Name: 'Prefix', Value: '' }))).toEqual(['queue_arn']);
    expect(keysOf(filter({ Name: 'Prefix' }))).toEqual(['queue_arn']);
    expect(s3({ Filter: { S3Key: { FilterRule: { Name: 'Prefix', Value: '' } } } })).toBeNull();
  });

  it('leaves the XML namespace out', () => {
    expect(s3({ xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/', Status: 'Enabled' })).toEqual([
      { status: 'Enabled' },
    ]);
  });

  it('takes empty or missing tags as unset', () => {
    expect(s3([{ tags: {} }])).toBeNull();
    expect(s3([{ id: 'r', tags: null }])).toEqual([{ id: 'r' }]);
    expect(keysOf(s3([{ id: 'r', tags: {} }]))).toEqual(['id']);
    expect(s3([{ id: 'r', tags: { b: '2', a: '1' } }])).toEqual([{ id: 'r', tags: { a: '1', b: '2' } }]);
  });

  it('takes a list of scalars as a set: duplicates once, one value as the value', () => {
    expect(s3({ AllowedMethod: ['PUT', 'GET', 'PUT'], ExposeHeader: ['ETag', 'ETag'] })).toEqual([
      { allowed_methods: ['GET', 'PUT'], expose_headers: ['ETag'] },
    ]);
    expect(s3({ Transition: { StorageClass: ['GLACIER', 'GLACIER'] } })).toEqual([
      { transition: [{ storage_class: 'GLACIER' }] },
    ]);
    expect(s3({ Transition: { StorageClass: ['GLACIER'] } })).toEqual([
      { transition: [{ storage_class: 'GLACIER' }] },
    ]);
  });

  it('takes a one-block list inside a list as the block, and keeps longer ones', () => {
    expect(s3([[{ ID: 'r' }], { ID: 's' }])).toEqual([{ id: 'r' }, { id: 's' }]);
    expect(s3([[{ ID: 'r' }, { ID: 's' }]])).toEqual([[{ id: 'r' }, { id: 's' }]]);
  });
});

describe('ecr-replication', () => {
  it('meets the state block with its plural camelCase names', () => {
    const event = {
      rules: [
        {
          destinations: [{ region: 'eu-west-1', registryId: '111111111111' }],
          repositoryFilters: [{ filter: 'prod-', filterType: 'PREFIX_MATCH' }],
        },
      ],
    };
    const state = [
      {
        rule: [
          {
            destination: [{ region: 'eu-west-1', registry_id: '111111111111' }],
            repository_filter: [{ filter: 'prod-', filter_type: 'PREFIX_MATCH' }],
          },
        ],
      },
    ];
    expect(n('ecr-replication', event)).toEqual(n('ecr-replication', state));
    expect(n('ecr-replication', event)).toEqual([
      {
        rule: [
          {
            destination: [{ region: 'eu-west-1', registry_id: '111111111111' }],
            repository_filter: [{ filter: 'prod-', filter_type: 'PREFIX_MATCH' }],
          },
        ],
      },
    ]);
  });
});

describe('s3-lifecycle-legacy', () => {
  const legacy = (value: unknown) => n('s3-lifecycle-legacy', value);

  it('takes the prefix from the rule (V1 form), the filter, or its And', () => {
    expect(legacy({ ID: 'a', Prefix: 'logs/', Status: 'Enabled' })).toEqual([
      { enabled: true, id: 'a', prefix: 'logs/' },
    ]);
    expect(legacy({ ID: 'a', Filter: { Prefix: 'tmp/' } })).toEqual([{ id: 'a', prefix: 'tmp/' }]);
    expect(legacy({ ID: 'a', Filter: { And: { Prefix: 'and/' } } })).toEqual([{ id: 'a', prefix: 'and/' }]);
  });

  it('takes tags from a one-tag filter as from an And', () => {
    expect(legacy({ ID: 'a', Filter: { Tag: { Key: 'k', Value: 'v' } } })).toEqual([
      { id: 'a', tags: { k: 'v' } },
    ]);
  });

  it('maps expirations and transitions by date or days', () => {
    expect(
      legacy({
        ID: 'a',
        Expiration: { Date: '2027-01-01T00:00:00Z', ExpiredObjectDeleteMarker: true },
        Transition: [
          { Date: '2026-06-01T00:00:00Z', StorageClass: 'GLACIER' },
          { Days: 30, StorageClass: 'STANDARD_IA' },
        ],
        NoncurrentVersionExpiration: { NoncurrentDays: 90 },
      }),
    ).toEqual([
      {
        expiration: [{ date: '2027-01-01T00:00:00Z', expired_object_delete_marker: true }],
        id: 'a',
        noncurrent_version_expiration: [{ days: 90 }],
        transition: [
          { date: '2026-06-01T00:00:00Z', storage_class: 'GLACIER' },
          { days: 30, storage_class: 'STANDARD_IA' },
        ],
      },
    ]);
  });

  it('passes the state blocks through', () => {
    expect(legacy([{ id: 'a', enabled: true, prefix: 'p/' }])).toEqual([
      { enabled: true, id: 'a', prefix: 'p/' },
    ]);
  });
});

describe('s3-replication-legacy', () => {
  const legacy = (value: unknown) => n('s3-replication-legacy', value);
  const call = {
    Role: 'arn:aws:iam::1:role/replication',
    Rule: [
      {
        ID: 'all',
        Priority: 1,
        Status: 'Enabled',
        Filter: { And: { Prefix: 'docs/', Tag: { Key: 'k', Value: 'v' } } },
        DeleteMarkerReplication: { Status: 'Disabled' },
        Destination: {
          Bucket: 'arn:aws:s3:::dest',
          StorageClass: 'STANDARD_IA',
          Account: '222222222222',
          EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:eu-west-1:2:key/k' },
          AccessControlTranslation: { Owner: 'Destination' },
        },
        SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
      },
      { ID: 'v1', Prefix: 'old/', Status: 'Disabled', Destination: { Bucket: 'arn:aws:s3:::dest' } },
    ],
  };
  const state = [
    {
      role: 'arn:aws:iam::1:role/replication',
      rules: [
        {
          id: 'all',
          priority: 1,
          prefix: '',
          status: 'Enabled',
          delete_marker_replication_status: 'Disabled',
          filter: [{ prefix: 'docs/', tags: { k: 'v' } }],
          destination: [
            {
              bucket: 'arn:aws:s3:::dest',
              storage_class: 'STANDARD_IA',
              account_id: '222222222222',
              replica_kms_key_id: 'arn:aws:kms:eu-west-1:2:key/k',
              access_control_translation: [{ owner: 'Destination' }],
            },
          ],
          source_selection_criteria: [{ sse_kms_encrypted_objects: [{ enabled: true }] }],
        },
        {
          id: 'v1',
          priority: 0,
          prefix: 'old/',
          status: 'Disabled',
          filter: [],
          destination: [{ bucket: 'arn:aws:s3:::dest', storage_class: '' }],
          source_selection_criteria: [],
        },
      ],
    },
  ];

  it("maps the call's whole ReplicationConfiguration onto provider v3's block", () => {
    expect(legacy(call)).toEqual(legacy(state));
    expect(legacy(call)).toEqual([
      {
        role: 'arn:aws:iam::1:role/replication',
        rules: [
          {
            delete_marker_replication_status: 'Disabled',
            destination: [
              {
                access_control_translation: [{ owner: 'Destination' }],
                account_id: '222222222222',
                bucket: 'arn:aws:s3:::dest',
                replica_kms_key_id: 'arn:aws:kms:eu-west-1:2:key/k',
                storage_class: 'STANDARD_IA',
              },
            ],
            filter: [{ prefix: 'docs/', tags: { k: 'v' } }],
            id: 'all',
            priority: 1,
            source_selection_criteria: [{ sse_kms_encrypted_objects: [{ enabled: true }] }],
            status: 'Enabled',
          },
          { destination: [{ bucket: 'arn:aws:s3:::dest' }], id: 'v1', prefix: 'old/', status: 'Disabled' },
        ],
      },
    ]);
  });

  it('reads a filter by prefix or by one tag, an empty filter as none, and SSE-KMS off', () => {
    const rule = (over: Record<string, unknown>) =>
      (legacy({ Role: 'r', Rule: { ID: 'x', ...over } }) as { rules: Record<string, unknown>[] }[])[0]
        .rules[0];
    expect(rule({ Filter: { Prefix: 'p/' } }).filter).toEqual([{ prefix: 'p/' }]);
    expect(rule({ Filter: { Tag: { Key: 'k', Value: 'v' } } }).filter).toEqual([{ tags: { k: 'v' } }]);
    expect(rule({ Filter: '' })).toEqual({ id: 'x' });
    expect(rule({ Filter: { Prefix: '' } })).toEqual({ id: 'x' });
    expect(rule({ SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Disabled' } } })).toEqual({
      id: 'x',
    });
  });

  it('takes a call with only a role or only rules as the call, anything else as the state block', () => {
    expect(legacy({ Role: 'arn:r' })).toEqual([{ role: 'arn:r' }]);
    expect(legacy({ Rule: { ID: 'x', Status: 'Enabled' } })).toEqual([
      { rules: [{ id: 'x', status: 'Enabled' }] },
    ]);
    expect(legacy({ role: 'arn:r', rules: [{ id: 'x' }] })).toEqual([
      { role: 'arn:r', rules: [{ id: 'x' }] },
    ]);
    expect(legacy(null)).toBeNull();
  });
});
