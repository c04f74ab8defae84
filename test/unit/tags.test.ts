// Tags (DESIGN.md §5 "Tags"): tag calls compare against `tags_all` when the state has it (provider
// default_tags); replace-style calls (S3 PutBucketTagging, DeleteBucketTagging) report every key
// they drop, add-style calls (TagRole, CreateTags) only what they set. Records are the AWS API
// reference shapes of test/fixtures/rules/*/events.doc-shaped.json.

import { describe, expect, it } from 'vitest';
import type { AttributeChange, ProcessedEvent } from '../../lambdas/core/types.js';
import { run, type StateResourceInput, stateOf } from './rules/harness.js';
import { docRecords } from './rules/rule-records.js';

const iam = docRecords('iam', 'iam.amazonaws.com');
const s3 = docRecords('s3', 's3.amazonaws.com');
const ec2 = docRecords('ec2', 'ec2.amazonaws.com');

const role = (tags: Record<string, string>, tagsAll?: Record<string, string>): StateResourceInput => ({
  type: 'aws_iam_role',
  name: 'app',
  attributes: {
    id: 'app-role',
    name: 'app-role',
    arn: 'arn:aws:iam::111122223333:role/app-role',
    tags,
    ...(tagsAll ? { tags_all: tagsAll } : {}),
  },
});
const bucket = (tags: Record<string, string>, tagsAll?: Record<string, string>): StateResourceInput => ({
  type: 'aws_s3_bucket',
  name: 'data',
  attributes: {
    id: 'app-data',
    bucket: 'app-data',
    arn: 'arn:aws:s3:::app-data',
    tags,
    ...(tagsAll ? { tags_all: tagsAll } : {}),
  },
});
const volume = (tags: Record<string, string>): StateResourceInput => ({
  type: 'aws_ebs_volume',
  name: 'data',
  attributes: { id: 'vol-0a1b2c3d4e5f60718', tags, tags_all: tags },
});

function changesOf(result: ProcessedEvent): AttributeChange[] | string {
  if (result.outcome.result !== 'drift')
    return result.outcome.result === 'ignored' ? result.outcome.reason : 'error';
  return result.outcome.findings
    .flatMap((f) => f.changes)
    .sort((a, b) => a.attribute.localeCompare(b.attribute));
}

const tagRole = (key: string, value: string) => ({
  ...iam.TagRole,
  requestParameters: { roleName: 'app-role', tags: [{ key, value }] },
});
const untagRole = (key: string) => ({
  ...iam.UntagRole,
  requestParameters: { roleName: 'app-role', tagKeys: [key] },
});
const DEFAULTS = { ManagedBy: 'terraform', owner: 'platform' };

describe('provider default_tags (tags_all)', () => {
  it('sees no drift when a call sets a default tag to the value it already has', () => {
    const state = stateOf(role({ team: 'web' }, { team: 'web', ...DEFAULTS }));
    expect(changesOf(run(tagRole('owner', 'platform'), state))).toBe('no-change');
    // Without tags_all the same call looked like a new tag.
    expect(changesOf(run(tagRole('owner', 'platform'), stateOf(role({ team: 'web' }))))).toEqual([
      { attribute: 'tags.owner', expected: null, actual: 'platform' },
    ]);
  });

  it('reports a default tag set to another value, against the default', () => {
    const state = stateOf(role({ team: 'web' }, { team: 'web', ...DEFAULTS }));
    expect(changesOf(run(tagRole('owner', 'mallory'), state))).toEqual([
      { attribute: 'tags.owner', expected: 'platform', actual: 'mallory' },
    ]);
  });

  it('reports removing a tag that exists only through default_tags (Terraform would put it back)', () => {
    const state = stateOf(role({ team: 'web' }, { team: 'web', ...DEFAULTS }));
    expect(changesOf(run(untagRole('ManagedBy'), state))).toEqual([
      { attribute: 'tags.ManagedBy', expected: 'terraform', actual: null },
    ]);
    expect(changesOf(run(untagRole('cost-center'), state))).toBe('no-change');
  });
});

describe('replace-style and add-style tag calls', () => {
  it('PutBucketTagging replaces the whole set: keys left out are removed, defaults included', () => {
    // The record sets team=payments, env=prod.
    const state = stateOf(
      bucket(
        { team: 'payments', env: 'staging', app: 'api' },
        { team: 'payments', env: 'staging', app: 'api', ...DEFAULTS },
      ),
    );
    expect(changesOf(run(s3.PutBucketTagging, state))).toEqual([
      { attribute: 'tags.app', expected: 'api', actual: null },
      { attribute: 'tags.env', expected: 'staging', actual: 'prod' },
      { attribute: 'tags.ManagedBy', expected: 'terraform', actual: null },
      { attribute: 'tags.owner', expected: 'platform', actual: null },
    ]);
    expect(changesOf(run(s3.PutBucketTagging, stateOf(bucket({ team: 'payments', env: 'prod' }))))).toBe(
      'no-change',
    );
  });

  it('DeleteBucketTagging removes every tag, each one a change', () => {
    const state = stateOf(bucket({ team: 'payments' }, { team: 'payments', ManagedBy: 'terraform' }));
    expect(changesOf(run(s3.DeleteBucketTagging, state))).toEqual([
      { attribute: 'tags.ManagedBy', expected: 'terraform', actual: null },
      { attribute: 'tags.team', expected: 'payments', actual: null },
    ]);
    expect(changesOf(run(s3.DeleteBucketTagging, stateOf(bucket({}, {}))))).toBe('no-change');
  });

  it('TagRole and CreateTags add: tags the call does not name are not reported', () => {
    const state = stateOf(role({ team: 'web', app: 'api' }, { team: 'web', app: 'api' }));
    expect(changesOf(run(tagRole('team', 'data'), state))).toEqual([
      { attribute: 'tags.team', expected: 'web', actual: 'data' },
    ]);
    const createTags = {
      ...ec2.DeleteTags,
      eventName: 'CreateTags',
      requestParameters: {
        resourcesSet: { items: [{ resourceId: 'vol-0a1b2c3d4e5f60718' }] },
        tagSet: { items: [{ key: 'Owner', value: 'alice' }] },
      },
    };
    expect(changesOf(run(createTags, stateOf(volume({ Name: 'data', Team: 'core' }))))).toEqual([
      { attribute: 'tags.Owner', expected: null, actual: 'alice' },
    ]);
  });

  it('EC2 DeleteTags naming a value removes the tag only when it has that value', () => {
    const deleteOwner = (value?: string) => ({
      ...ec2.DeleteTags,
      requestParameters: {
        resourcesSet: { items: [{ resourceId: 'vol-0a1b2c3d4e5f60718' }] },
        tagSet: { items: [{ key: 'Owner', ...(value === undefined ? {} : { value }) }] },
      },
    });
    const state = stateOf(volume({ Owner: 'alice' }));
    expect(changesOf(run(deleteOwner('bob'), state))).toBe('no-change');
    const removed = [{ attribute: 'tags.Owner', expected: 'alice', actual: null }];
    expect(changesOf(run(deleteOwner('alice'), state))).toEqual(removed);
    expect(changesOf(run(deleteOwner(), state))).toEqual(removed);
  });
});
