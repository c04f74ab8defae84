// rules/states.yaml: the Step Functions guide's records (corpus) for activities and CreateStateMachine,
// doc-shaped records (test/fixtures/rules/states/) for the rest.

import { describe, expect, it } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord, run, stateOf } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('states', 'states.amazonaws.com');
const guide = (n: number) =>
  corpusRecord(`awsdocs-aws-step-functions-developer-guide/doc_source/procedure-cloud-trail__${n}.json`);
const SM = 'arn:aws:states:us-east-1:111122223333:stateMachine:orders';
const machine = (extra = {}) =>
  res('aws_sfn_state_machine', SM, {
    arn: SM,
    name: 'orders',
    definition:
      '{"StartAt":"Charge","States":{"Charge":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:111122223333:function:charge","End":true}}}',
    logging_configuration: [{ level: 'ALL', include_execution_data: true, log_destination: 'x' }],
    tags: {},
    ...extra,
  });
const ACTIVITY =
  'arn:aws:states:us-east-1:123456789012:activity:testUser.2016-10-27-18-11-35.f017c391-9363-481a-be2e-';

const cases: RuleCase[] = [
  modified('states.state-machine.update', doc.UpdateStateMachine, machine(), 'high', {
    definition: { StartAt: 'Pass', States: { Pass: { Type: 'Pass', End: true } } },
    'logging_configuration[0].level': 'OFF',
    'logging_configuration[0].include_execution_data': false,
  }),
  created('states.state-machine.create', guide(2), 'aws_sfn_state_machine'),
  deleted('states.state-machine.delete', doc.DeleteStateMachine, machine(), 'high'),
  created('states.alias.create', doc.CreateStateMachineAlias, 'aws_sfn_alias'),
  modified(
    'states.alias.update',
    doc.UpdateStateMachineAlias,
    res('aws_sfn_alias', `${SM}:prod`, { arn: `${SM}:prod`, description: '' }),
    'medium',
    { description: 'hot fix' },
  ),
  deleted(
    'states.alias.delete',
    doc.DeleteStateMachineAlias,
    res('aws_sfn_alias', `${SM}:prod`, { arn: `${SM}:prod` }),
  ),
  created('states.activity.create', guide(1), 'aws_sfn_activity'),
  deleted('states.activity.delete', guide(3), res('aws_sfn_activity', ACTIVITY)),
  modified('states.tags.add', doc.TagResource, machine(), 'low', { 'tags.team': 'ops' }),
  modified('states.tags.remove', doc.UntagResource, machine({ tags: { team: 'x' } }), 'low', {
    'tags.team': null,
  }),
];

describe('rules/states.yaml', () => {
  ruleCases('rules/states.yaml', cases);

  it('treats executions as runs, not drift', () => {
    for (const n of [5, 6])
      expect(run(guide(n), stateOf(machine())).outcome).toMatchObject({
        result: 'ignored',
        reason: 'no-rule',
      });
  });
});
