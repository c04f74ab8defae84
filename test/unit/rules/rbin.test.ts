// rules/rbin.yaml: every call comes from the EC2 guide's Recycle Bin CloudTrail examples (corpus).
// aws_rbin_rule.id is the rule identifier.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, type RuleCase, ruleCases } from './rule-cases.js';

const corpusRecord = corpusCopy('rbin');
const guide = (n: number) =>
  corpusRecord(`awsdocs-amazon-ec2-user-guide/doc_source/recycle-bin-ct__${n}.json`);

const rule = (id: string, extra: Record<string, unknown> = {}) =>
  res('aws_rbin_rule', id, {
    description: 'Match all snapshots',
    resource_type: 'EBS_SNAPSHOT',
    retention_period: [{ retention_period_value: 7, retention_period_unit: 'DAYS' }],
    lock_state: 'locked',
    tags: { team: 'storage' },
    ...extra,
  });

const cases: RuleCase[] = [
  created('rbin.rule.create', guide(1), 'aws_rbin_rule'),
  modified(
    'rbin.rule.update',
    guide(4),
    rule('jkrnexample'),
    'medium',
    { 'retention_period[0].retention_period_value': 365 },
    rule('jkrnexample', {
      retention_period: [{ retention_period_value: 365, retention_period_unit: 'DAYS' }],
    }),
  ),
  deleted('rbin.rule.delete', guide(5), rule('jkrnexample'), 'high'),
  modified(
    'rbin.rule.lock',
    guide(9),
    rule('jkrnexample', {
      lock_configuration: [{ unlock_delay: [{ unlock_delay_value: 3, unlock_delay_unit: 'DAYS' }] }],
    }),
    'medium',
    { 'lock_configuration[0].unlock_delay[0].unlock_delay_value': 7 },
    rule('jkrnexample', {
      lock_configuration: [{ unlock_delay: [{ unlock_delay_value: 7, unlock_delay_unit: 'DAYS' }] }],
    }),
  ),
  modified(
    'rbin.rule.unlock',
    guide(10),
    rule('jkrnexample'),
    'high',
    { lock_state: 'pending_unlock' },
    rule('jkrnexample', { lock_state: 'pending_unlock' }),
  ),
  modified('rbin.tags.add', guide(6), rule('ABCDEF01234'), 'low', { 'tags.purpose': 'production' }),
  modified(
    'rbin.tags.remove',
    guide(7),
    rule('ABCDEF01234', { tags: { purpose: 'production' } }),
    'low',
    { 'tags.purpose': null },
    rule('ABCDEF01234'),
  ),
];

describe('rules/rbin.yaml', () => {
  ruleCases('rules/rbin.yaml', cases);
});
