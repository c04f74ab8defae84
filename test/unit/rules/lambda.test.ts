// rules/lambda.yaml: corpus records where the corpus has the call, doc-shaped records otherwise
// (test/fixtures/rules/lambda/events.doc-shaped.json, shapes from the Lambda API reference).

import { describe, expect, it } from 'vitest';
import { corpusRecord, findings, stateOf } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('lambda', 'lambda.amazonaws.com');
const ACCOUNT = '111122223333';
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const fn = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'aws_lambda_function',
  attributes: {
    id: name,
    function_name: name,
    arn: fnArn(name),
    timeout: 3,
    memory_size: 128,
    reserved_concurrent_executions: -1,
    tags: {},
    ...extra,
  },
});
const res = (type: string, attributes: Record<string, unknown>) => ({ type, attributes });

const cases: RuleCase[] = [
  {
    rule: 'lambda.function.update-configuration',
    record: corpusRecord('terraform-aws-cloudtrail-to-slack/src/tests/test_events__9.json'),
    state: [fn('fivexl-cloudtrail-to-slack')],
    kind: 'modified',
    severity: 'medium',
    changes: { timeout: 10 },
    unchanged: [fn('fivexl-cloudtrail-to-slack', { timeout: 10 })],
  },
  {
    rule: 'lambda.function.update-configuration',
    label: 'layer added (ARN function name), escalated',
    record: corpusRecord(
      'stratus-red-team/docs/detonation-logs/aws.persistence.lambda-layer-extension__1.json',
    ),
    state: [fn('stratus-red-team-lambda-layer-simpleLambda', { layers: [] })],
    kind: 'modified',
    severity: 'high',
    changes: {
      layers: [
        'arn:aws:lambda:eugov-eastcentral-1r:712967571683:layer:stratus-red-team-lambda-layer-my-lambda-extension:1',
      ],
    },
  },
  {
    rule: 'lambda.function.update-configuration',
    label: 'doc-shaped memory and timeout',
    record: doc.UpdateFunctionConfiguration,
    state: [fn('orders')],
    kind: 'modified',
    severity: 'medium',
    changes: { memory_size: 1024, timeout: 30 },
  },
  {
    rule: 'lambda.function.update-code',
    record: corpusRecord(
      'stratus-red-team/docs/detonation-logs/aws.persistence.lambda-overwrite-code__1.json',
    ),
    state: [fn('stratus-red-team-olc-func-vayhjqkdav')],
    kind: 'modified',
    severity: 'high',
    changes: [],
  },
  {
    rule: 'lambda.function.create',
    record: corpusRecord('cloudtrail-watcher/test/services/samples/lambda_CreateFunction20150331.json'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_lambda_function',
    severity: 'low',
  },
  {
    rule: 'lambda.function.delete',
    record: corpusRecord('awsdocs-aws-lambda-developer-guide/doc_source/logging-using-cloudtrail__2.json'),
    state: [fn('basic-node-task')],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'lambda.permission.add',
    label: 'Principal * (stratus backdoor)',
    record: corpusRecord(
      'stratus-red-team/docs/detonation-logs/aws.persistence.lambda-backdoor-function__1.json',
    ),
    state: [],
    kind: 'unmanaged',
    type: 'aws_lambda_permission',
    severity: 'high',
  },
  {
    rule: 'lambda.permission.add',
    label: 'service principal',
    record: doc.AddPermission,
    state: [],
    kind: 'unmanaged',
    type: 'aws_lambda_permission',
    severity: 'medium',
  },
  {
    rule: 'lambda.permission.remove',
    record: doc.RemovePermission,
    state: [
      res('aws_lambda_permission', {
        id: 'allow-apigw',
        statement_id: 'allow-apigw',
        function_name: 'orders',
      }),
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'lambda.alias.create',
    record: doc.CreateAlias,
    state: [],
    kind: 'unmanaged',
    type: 'aws_lambda_alias',
    severity: 'low',
  },
  {
    rule: 'lambda.alias.update',
    record: doc.UpdateAlias,
    state: [
      res('aws_lambda_alias', {
        id: `${fnArn('orders')}:live`,
        arn: `${fnArn('orders')}:live`,
        name: 'live',
        function_version: '6',
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { function_version: '7' },
    unchanged: [
      res('aws_lambda_alias', {
        id: `${fnArn('orders')}:live`,
        arn: `${fnArn('orders')}:live`,
        function_version: '7',
      }),
    ],
  },
  {
    rule: 'lambda.alias.delete',
    record: doc.DeleteAlias,
    state: [
      res('aws_lambda_alias', {
        id: `${fnArn('orders')}:live`,
        arn: `${fnArn('orders')}:live`,
        name: 'live',
      }),
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'lambda.event-source-mapping.create',
    record: doc.CreateEventSourceMapping,
    state: [],
    kind: 'unmanaged',
    type: 'aws_lambda_event_source_mapping',
    severity: 'low',
  },
  {
    rule: 'lambda.event-source-mapping.update',
    record: doc.UpdateEventSourceMapping,
    state: [
      res('aws_lambda_event_source_mapping', {
        id: '14e0db71-5d35-4eb5-b481-8945cf9d10c2',
        uuid: '14e0db71-5d35-4eb5-b481-8945cf9d10c2',
        enabled: true,
        batch_size: 10,
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { enabled: false, batch_size: 5 },
    unchanged: [
      res('aws_lambda_event_source_mapping', {
        id: '14e0db71-5d35-4eb5-b481-8945cf9d10c2',
        enabled: false,
        batch_size: 5,
      }),
    ],
  },
  {
    rule: 'lambda.event-source-mapping.delete',
    record: doc.DeleteEventSourceMapping,
    state: [res('aws_lambda_event_source_mapping', { id: '14e0db71-5d35-4eb5-b481-8945cf9d10c2' })],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'lambda.function.put-concurrency',
    record: doc.PutFunctionConcurrency,
    state: [fn('orders')],
    kind: 'modified',
    severity: 'high',
    changes: { reserved_concurrent_executions: 0 },
    unchanged: [fn('orders', { reserved_concurrent_executions: 0 })],
  },
  {
    rule: 'lambda.function.delete-concurrency',
    record: doc.DeleteFunctionConcurrency,
    state: [fn('orders', { reserved_concurrent_executions: 5 })],
    kind: 'modified',
    severity: 'medium',
    changes: { reserved_concurrent_executions: -1 },
    unchanged: [fn('orders')],
  },
  {
    rule: 'lambda.provisioned-concurrency.put',
    record: doc.PutProvisionedConcurrencyConfig,
    state: [
      res('aws_lambda_provisioned_concurrency_config', {
        id: 'orders,live',
        function_name: 'orders',
        qualifier: 'live',
        provisioned_concurrent_executions: 10,
      }),
    ],
    kind: 'modified',
    severity: 'low',
    changes: { provisioned_concurrent_executions: 50 },
  },
  {
    rule: 'lambda.provisioned-concurrency.delete',
    record: doc.DeleteProvisionedConcurrencyConfig,
    state: [res('aws_lambda_provisioned_concurrency_config', { id: 'orders,live' })],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'lambda.function-url.create',
    record: doc.CreateFunctionUrlConfig,
    state: [],
    kind: 'unmanaged',
    type: 'aws_lambda_function_url',
    severity: 'high',
  },
  {
    rule: 'lambda.function-url.update',
    record: doc.UpdateFunctionUrlConfig,
    state: [
      res('aws_lambda_function_url', {
        id: 'orders',
        function_name: 'orders',
        authorization_type: 'AWS_IAM',
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: { authorization_type: 'NONE' },
  },
  {
    rule: 'lambda.function-url.delete',
    record: doc.DeleteFunctionUrlConfig,
    state: [res('aws_lambda_function_url', { id: 'orders', function_name: 'orders' })],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'lambda.layer-version.publish',
    record: doc.PublishLayerVersion,
    state: [],
    kind: 'unmanaged',
    type: 'aws_lambda_layer_version',
    severity: 'low',
  },
  {
    rule: 'lambda.layer-version.delete',
    record: doc.DeleteLayerVersion,
    state: [
      res('aws_lambda_layer_version', {
        id: `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:shared-libs:4`,
        arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:layer:shared-libs:4`,
      }),
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'lambda.layer-version-permission.add',
    record: doc.AddLayerVersionPermission,
    state: [],
    kind: 'unmanaged',
    type: 'aws_lambda_layer_version_permission',
    severity: 'high',
  },
  {
    rule: 'lambda.layer-version-permission.remove',
    record: doc.RemoveLayerVersionPermission,
    state: [res('aws_lambda_layer_version_permission', { id: 'x', statement_id: 'partner' })],
    kind: 'deleted',
    severity: 'low',
  },
  {
    rule: 'lambda.event-invoke-config.put',
    record: doc.PutFunctionEventInvokeConfig,
    state: [
      res('aws_lambda_function_event_invoke_config', {
        id: 'orders',
        function_name: 'orders',
        maximum_retry_attempts: 2,
        maximum_event_age_in_seconds: 3600,
      }),
    ],
    kind: 'modified',
    severity: 'low',
    changes: { maximum_retry_attempts: 0 },
  },
  {
    rule: 'lambda.event-invoke-config.delete',
    record: doc.DeleteFunctionEventInvokeConfig,
    state: [res('aws_lambda_function_event_invoke_config', { id: 'orders', function_name: 'orders' })],
    kind: 'deleted',
    severity: 'low',
  },
  {
    rule: 'lambda.code-signing.put',
    record: doc.PutFunctionCodeSigningConfig,
    state: [fn('orders', { code_signing_config_arn: '' })],
    kind: 'modified',
    severity: 'medium',
    changes: {
      code_signing_config_arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:code-signing-config:csc-0123456789abcdef0`,
    },
  },
  {
    rule: 'lambda.code-signing.delete-from-function',
    record: doc.DeleteFunctionCodeSigningConfig,
    state: [
      fn('orders', {
        code_signing_config_arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:code-signing-config:csc-1`,
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: { code_signing_config_arn: null },
  },
  {
    rule: 'lambda.tags.add',
    record: doc.TagResource,
    state: [fn('orders', { tags: { team: 'orders' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.team': 'payments', 'tags.env': 'prod' },
    unchanged: [fn('orders', { tags: { team: 'payments', env: 'prod' } })],
  },
  {
    rule: 'lambda.tags.remove',
    record: doc.UntagResource,
    state: [fn('orders', { tags: { owner: 'bob' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': null },
  },
];

describe('rules/lambda.yaml', () => {
  ruleCases('rules/lambda.yaml', cases);

  it('does not treat deleting one version as deleting the function', () => {
    expect(findings(doc.DeleteFunctionVersion, stateOf(fn('orders')))).toEqual([]);
  });

  it('never reveals environment variables, even if a record carried them', () => {
    const record = {
      ...doc.UpdateFunctionConfiguration,
      requestParameters: {
        functionName: 'orders',
        environment: { variables: { DB_URL: 'postgres://u:p@h/db' } },
      },
    };
    const [finding] = findings(
      record,
      stateOf(fn('orders', { environment: [{ variables: { DB_URL: 'postgres://old' } }] })),
    );
    expect(finding.changes).toEqual([
      { attribute: 'environment[0].variables', expected: '(sensitive)', actual: '(sensitive)' },
    ]);
  });
});
