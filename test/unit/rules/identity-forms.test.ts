// Class 7 of issue #12: a call names a resource by name or by ARN wherever the API takes both, and
// the finding names the same managed resource either way. Records are the services' doc-shaped
// records (test/fixtures/rules/<service>/events.doc-shaped.json) with the identifying parameter
// written in each form the API reference allows.

import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../lambdas/core/types.js';
import { findings, run, type StateResourceInput, stateOf } from './harness.js';
import { docRecords } from './rule-cases.js';

const ACCOUNT = '111122223333';
const FN_ARN = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders`;
const lambdaDoc = docRecords('lambda', 'lambda.amazonaws.com');
const logsDoc = docRecords('logs', 'logs.amazonaws.com');
const ssmDoc = docRecords('ssm', 'ssm.amazonaws.com');

const withRequest = (record: Record<string, unknown>, request: Record<string, unknown>) => ({
  ...record,
  requestParameters: { ...(record.requestParameters as Record<string, unknown>), ...request },
});
const res = (type: string, name: string, attributes: Record<string, unknown>): StateResourceInput => ({
  type,
  name,
  attributes,
});
const addresses = (found: Finding[]) => found.map((f) => f.resource.address).sort();

const orders = res('aws_lambda_function', 'orders', {
  id: 'orders',
  function_name: 'orders',
  arn: FN_ARN,
  reserved_concurrent_executions: -1,
  tags: {},
});

describe('Lambda functionName: name, partial ARN, full ARN, qualified', () => {
  it.each([
    ['name', 'orders'],
    ['partial ARN', `${ACCOUNT}:function:orders`],
    ['full ARN', FN_ARN],
  ])('PutFunctionConcurrency by %s changes the function', (_, functionName) => {
    // Prepare
    const record = withRequest(lambdaDoc.PutFunctionConcurrency, { functionName });

    // Act
    const found = findings(record, stateOf(orders));

    // Assess: the function, both sides of the change.
    expect(addresses(found)).toEqual(['aws_lambda_function.orders']);
    expect(found[0].changes).toEqual([
      { attribute: 'reserved_concurrent_executions', expected: -1, actual: 0 },
    ]);
  });

  it.each([
    ['full ARN', FN_ARN],
    ['partial ARN', `${ACCOUNT}:function:orders`],
  ])('DeleteFunction by %s deletes the function', (_, functionName) => {
    const record = withRequest(lambdaDoc.PutFunctionConcurrency, { functionName });
    const deletion = { ...record, eventName: 'DeleteFunction20150331', requestParameters: { functionName } };

    const found = findings(deletion, stateOf(orders));

    expect(found.map((f) => [f.resource.address, f.kind])).toEqual([
      ['aws_lambda_function.orders', 'deleted'],
    ]);
  });

  it.each([
    ['a qualified full ARN (version)', `${FN_ARN}:3`],
    ['a qualified full ARN (alias)', `${FN_ARN}:prod`],
    ['a qualified name', 'orders:3'],
    ['a qualified partial ARN', `${ACCOUNT}:function:orders:3`],
  ])('DeleteFunction of %s deletes one version, not the function', (_, functionName) => {
    const record = withRequest(lambdaDoc.PutFunctionConcurrency, { functionName });
    const deletion = { ...record, eventName: 'DeleteFunction20150331', requestParameters: { functionName } };

    // A function named like the qualifier must not be taken for it (arn-name read the last segment).
    const state = stateOf(
      orders,
      {
        ...orders,
        name: 'prod',
        attributes: {
          ...orders.attributes,
          id: 'prod',
          function_name: 'prod',
          arn: `${FN_ARN.replace(':orders', ':prod')}`,
        },
      },
      {
        ...orders,
        name: 'three',
        attributes: {
          ...orders.attributes,
          id: '3',
          function_name: '3',
          arn: `${FN_ARN.replace(':orders', ':3')}`,
        },
      },
    );

    const outcome = run(deletion, state).outcome;

    expect(outcome).toMatchObject({ result: 'ignored' });
  });

  const invokeConfig = (name: string, qualifier: string) =>
    res('aws_lambda_function_event_invoke_config', name, {
      id: qualifier ? `orders:${qualifier}` : 'orders',
      function_name: 'orders',
      qualifier,
      maximum_retry_attempts: 2,
      maximum_event_age_in_seconds: 3600,
    });
  const configs = stateOf(invokeConfig('latest', ''), invokeConfig('prod', 'prod'));

  it.each([
    ['a qualified name', { functionName: 'orders:prod' }, 'prod'],
    ['a qualified ARN', { functionName: `${FN_ARN}:prod` }, 'prod'],
    ['a name and a Qualifier', { functionName: 'orders', qualifier: 'prod' }, 'prod'],
    ['an unqualified name', { functionName: 'orders' }, 'latest'],
    ['an unqualified ARN', { functionName: FN_ARN }, 'latest'],
  ])('PutFunctionEventInvokeConfig by %s changes that one configuration', (_, request, which) => {
    const record = withRequest(lambdaDoc.PutFunctionEventInvokeConfig, request);

    const found = findings(record, configs);

    expect(addresses(found)).toEqual([`aws_lambda_function_event_invoke_config.${which}`]);
    expect(found[0].changes).toEqual([{ attribute: 'maximum_retry_attempts', expected: 2, actual: 0 }]);
  });
});

describe('CloudWatch Logs logGroupIdentifier and tagging ARNs', () => {
  const LG = '/aws/lambda/orders';
  const LG_ARN = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:${LG}`;
  const policy = res('aws_cloudwatch_log_data_protection_policy', 'masking', {
    id: LG,
    log_group_name: LG,
    policy_document: '{}',
  });

  it.each([
    ['name', LG],
    ['ARN', LG_ARN],
    ['ARN with :*', `${LG_ARN}:*`],
  ])('PutDataProtectionPolicy by %s changes the group policy', (_, logGroupIdentifier) => {
    const record = withRequest(logsDoc.PutDataProtectionPolicy, { logGroupIdentifier });

    const found = findings(record, stateOf(policy));

    expect(addresses(found)).toEqual(['aws_cloudwatch_log_data_protection_policy.masking']);
    expect(found[0].changes).toEqual([
      {
        attribute: 'policy_document',
        expected: {},
        actual: { Name: 'p', Statement: [], Version: '2021-06-01' },
      },
    ]);
  });

  it('TagResource finds a provider v3 group whose state ARN ends in :*', () => {
    const group = res('aws_cloudwatch_log_group', 'orders', {
      id: LG,
      name: LG,
      arn: `${LG_ARN}:*`,
      tags: { env: 'prod' },
    });

    const found = findings(logsDoc.TagResource, stateOf(group));

    expect(addresses(found)).toEqual(['aws_cloudwatch_log_group.orders']);
    expect(found[0].changes).toEqual([{ attribute: 'tags.team', expected: null, actual: 'ops' }]);
  });

  it('TagResource on another kind of logs ARN does not reach a log group of that name', () => {
    const group = res('aws_cloudwatch_log_group', 'orders', { id: 'orders', name: 'orders', tags: {} });
    const record = withRequest(logsDoc.TagResource, {
      resourceArn: `arn:aws:logs:us-east-1:${ACCOUNT}:destination:orders`,
    });

    expect(run(record, stateOf(group)).outcome).toMatchObject({ result: 'ignored' });
  });
});

describe('SSM parameter name or ARN', () => {
  const param = res('aws_ssm_parameter', 'db', {
    id: '/app/db/password',
    name: '/app/db/password',
    arn: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/db/password`,
    type: 'SecureString',
    value: 'x',
    tags: {},
  });

  it.each([
    ['name', '/app/db/password'],
    ['ARN', `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/db/password`],
  ])('DeleteParameter by %s deletes the parameter', (_, name) => {
    const record = withRequest(ssmDoc.DeleteParameter, { name });

    const found = findings(record, stateOf(param));

    expect(found.map((f) => [f.resource.address, f.kind])).toEqual([['aws_ssm_parameter.db', 'deleted']]);
  });

  it('an ARN of another account names another parameter', () => {
    const record = withRequest(ssmDoc.DeleteParameter, {
      name: 'arn:aws:ssm:us-east-1:444455556666:parameter/app/db/password',
    });

    expect(run(record, stateOf(param)).outcome).toMatchObject({ result: 'ignored', reason: 'not-managed' });
  });
});
