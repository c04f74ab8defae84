// The S3 configuration normalisers on their edge cases: the XML-turned-JSON a trail logs and the
// provider's block lists must meet in one form, and what differs must stay different.

import { describe, expect, it } from 'vitest';
import { snakeCase } from '../../lambdas/core/config-blocks.js';
import { NORMALISERS, sameValue } from '../../lambdas/core/values.js';

const n = (name: string, value: unknown) => NORMALISERS[name](value);

describe('s3-config', () => {
  it('names XML elements as the provider does, acronyms included', () => {
    expect(snakeCase('KMSMasterKeyID')).toBe('kms_master_key_id');
    expect(snakeCase('SSEAlgorithm')).toBe('sse_algorithm');
    expect(snakeCase('ReplicaKmsKeyID')).toBe('replica_kms_key_id');
    expect(snakeCase('DaysAfterInitiation')).toBe('days_after_initiation');
    expect(snakeCase('ID')).toBe('id');
    expect(snakeCase('noncurrent_days')).toBe('noncurrent_days');
  });

  it('one XML element equals a one-block list; unset fields of either side drop out', () => {
    const event = { ID: 'r', Status: 'Enabled', Filter: '', Expiration: { Days: '30' } };
    const state = [
      {
        id: 'r',
        status: 'Enabled',
        prefix: '',
        filter: [{ and: [], prefix: '', tag: [], object_size_greater_than: 0 }],
        expiration: [{ date: null, days: 30, expired_object_delete_marker: false }],
        transition: [],
      },
    ];
    expect(n('s3-config', event)).toEqual([{ expiration: [{ days: 30 }], id: 'r', status: 'Enabled' }]);
    expect(sameValue(n('s3-config', event), n('s3-config', state))).toBe(true);
  });

  it('keeps a value that differs: a changed day count, a transition after 0 days, a set member', () => {
    const state = [{ id: 'r', status: 'Enabled', expiration: [{ days: 30 }] }];
    expect(
      sameValue(
        n('s3-config', { ID: 'r', Status: 'Enabled', Expiration: { Days: 1 } }),
        n('s3-config', state),
      ),
    ).toBe(false);
    expect(n('s3-config', { Transition: { Days: 0, StorageClass: 'GLACIER' } })).toEqual([
      { transition: [{ days: 0, storage_class: 'GLACIER' }] },
    ]);
    expect(n('s3-config', { AllowedMethod: 'GET' })).toEqual([{ allowed_methods: ['GET'] }]);
    expect(
      sameValue(
        n('s3-config', { AllowedMethod: ['PUT', 'GET'] }),
        n('s3-config', [{ allowed_methods: ['GET'] }]),
      ),
    ).toBe(false);
  });

  it('filter tags: And.Tag is the provider tags map, Filter.Tag its key/value block', () => {
    expect(n('s3-config', { Filter: { And: { Prefix: 'logs/', Tag: [{ Key: 'a', Value: '1' }] } } })).toEqual(
      [{ filter: [{ and: [{ prefix: 'logs/', tags: { a: '1' } }] }] }],
    );
    expect(n('s3-config', { Filter: { Tag: { Key: 'a', Value: '1' } } })).toEqual([
      { filter: [{ tag: [{ key: 'a', value: '1' }] }] },
    ]);
  });

  it('an empty configuration is null, as is an absent one', () => {
    expect(n('s3-config', '')).toBeNull();
    expect(n('s3-config', [])).toBeNull();
    expect(n('s3-config', null)).toBeNull();
    expect(n('s3-config', [{ id: '', prefix: '' }])).toBeNull();
  });

  it('present: an empty XML element is there; state booleans pass', () => {
    expect(n('present', '')).toBe(true);
    expect(n('present', {})).toBe(true);
    expect(n('present', null)).toBe(false);
    expect(n('present', false)).toBe(false);
    expect(n('present', true)).toBe(true);
  });

  it('s3-lifecycle-legacy maps the call onto v3 lifecycle_rule: enabled flag, flat prefix and tags', () => {
    const event = {
      ID: 'logs',
      Status: 'Disabled',
      Filter: { And: { Prefix: 'logs/', Tag: { Key: 'k', Value: 'v' } } },
      NoncurrentVersionTransition: { NoncurrentDays: 30, StorageClass: 'GLACIER' },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    };
    expect(n('s3-lifecycle-legacy', event)).toEqual([
      {
        abort_incomplete_multipart_upload_days: 7,
        id: 'logs',
        noncurrent_version_transition: [{ days: 30, storage_class: 'GLACIER' }],
        prefix: 'logs/',
        tags: { k: 'v' },
      },
    ]);
  });
});
