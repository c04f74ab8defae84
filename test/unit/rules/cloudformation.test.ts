// rules/cloudformation.yaml: the CloudFormation guide's CreateStack/UpdateStack/DeleteStack records
// (corpus), doc-shaped records for change sets, stack policies and stack sets
// (test/fixtures/rules/cloudformation/events.doc-shaped.json). aws_cloudformation_stack.id is the stack ARN.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('cloudformation', 'cloudformation.amazonaws.com');
const corpusRecord = corpusCopy('cloudformation');
const guide = (n: number) =>
  corpusRecord(`awsdocs-aws-cloudformation-user-guide/doc_source/cfn-api-logging-cloudtrail__${n}.json`);

const STACK =
  'arn:aws:cloudformation:us-east-1:012345678910:stack/my-test-stack/a38e6a60-b397-11e3-b0fc-08002755629e';
const stack = (extra = {}) =>
  res('aws_cloudformation_stack', STACK, { name: 'my-test-stack', iam_role_arn: '', tags: {}, ...extra });
const stackSet = () =>
  res('aws_cloudformation_stack_set', 'baseline', {
    name: 'baseline',
    administration_role_arn: 'arn:aws:iam::111122223333:role/stackset-admin',
    execution_role_name: 'AWSCloudFormationStackSetExecutionRole',
  });

const cases: RuleCase[] = [
  created('cloudformation.stack.create', guide(1), 'aws_cloudformation_stack'),
  modified('cloudformation.stack.update', guide(2), stack(), 'medium', []),
  modified('cloudformation.stack.execute-change-set', doc.ExecuteChangeSet, stack(), 'medium', []),
  modified(
    'cloudformation.stack.set-policy',
    doc.SetStackPolicy,
    stack({
      policy_body: JSON.stringify({
        Statement: [{ Effect: 'Deny', Action: 'Update:*', Principal: '*', Resource: 'LogicalResourceId/Db' }],
      }),
    }),
    'medium',
    { policy_body: { Statement: [{ Action: 'Update:*', Effect: 'Allow', Principal: '*', Resource: '*' }] } },
  ),
  deleted('cloudformation.stack.delete', guide(5), stack()),
  created('cloudformation.stack-set.create', doc.CreateStackSet, 'aws_cloudformation_stack_set'),
  modified('cloudformation.stack-set.update', doc.UpdateStackSet, stackSet(), 'medium', {
    administration_role_arn: 'arn:aws:iam::111122223333:role/other-admin',
    execution_role_name: 'other-exec',
  }),
  deleted('cloudformation.stack-set.delete', doc.DeleteStackSet, stackSet()),
];

describe('rules/cloudformation.yaml', () => {
  ruleCases('rules/cloudformation.yaml', cases);
});
