// rules/tagging.yaml: the Resource Groups Tagging API tags resources of any service by ARN list.
// Doc-shaped records (test/fixtures/rules/tagging/events.doc-shaped.json): one finding per managed
// resource named, none for an ARN no state holds, none for a split policy sharing a topic's ARN.

import { describe, expect, it } from 'vitest';
import { findings, run, type StateResourceInput, stateOf } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('tagging', 'tagging.amazonaws.com');
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:111122223333:jobs';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:alerts';

const queue = (tags: Record<string, string>): StateResourceInput => ({
  type: 'aws_sqs_queue',
  name: 'jobs',
  attributes: {
    id: 'https://sqs.us-east-1.amazonaws.com/111122223333/jobs',
    arn: QUEUE_ARN,
    name: 'jobs',
    tags,
    tags_all: tags,
  },
});
const topic = (tags: Record<string, string>): StateResourceInput => ({
  type: 'aws_sns_topic',
  name: 'alerts',
  attributes: { id: TOPIC_ARN, arn: TOPIC_ARN, name: 'alerts', tags, tags_all: tags },
});
// The split policy of the same topic: its `arn` is the topic's, it has no tags.
const topicPolicy: StateResourceInput = {
  type: 'aws_sns_topic_policy',
  name: 'alerts',
  attributes: { id: TOPIC_ARN, arn: TOPIC_ARN, policy: '{}' },
};

const cases: RuleCase[] = [
  {
    rule: 'tagging.resources.tag',
    label: 'the queue drifts; the topic already holds the tags; the split policy has none',
    record: doc.TagResources,
    state: [queue({ env: 'staging' }), topic({ CostCenter: '42', env: 'prod' }), topicPolicy],
    kind: 'modified',
    severity: 'low',
    count: 1,
    changes: { 'tags.CostCenter': '42', 'tags.env': 'prod' },
    unchanged: [queue({ CostCenter: '42', env: 'prod' }), topic({ CostCenter: '42', env: 'prod' })],
  },
  {
    rule: 'tagging.resources.untag',
    record: doc.UntagResources,
    state: [queue({ env: 'prod' }), topic({ team: 'ops' })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.env': null },
    unchanged: [queue({ team: 'ops' }), topic({ team: 'ops' })],
  },
];

describe('rules/tagging.yaml', () => {
  ruleCases('rules/tagging.yaml', cases);

  it('reports one finding per managed resource the call tagged, each against its own tags', () => {
    const state = stateOf(queue({ env: 'staging' }), topic({ env: 'dev' }), topicPolicy);
    const found = findings(doc.TagResources, state);
    expect(
      found.map((f) => [f.resource.type, f.changes]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      [
        'aws_sns_topic',
        [
          { attribute: 'tags.CostCenter', expected: null, actual: '42' },
          { attribute: 'tags.env', expected: 'dev', actual: 'prod' },
        ],
      ],
      [
        'aws_sqs_queue',
        [
          { attribute: 'tags.CostCenter', expected: null, actual: '42' },
          { attribute: 'tags.env', expected: 'staging', actual: 'prod' },
        ],
      ],
    ]);
    expect(new Set(found.map((f) => f.id)).size).toBe(2);
  });

  it('ignores ARNs no state holds', () => {
    expect(run(doc.TagResources, stateOf(topicPolicy)).outcome).toEqual({
      result: 'ignored',
      reason: 'not-managed',
    });
  });
});
