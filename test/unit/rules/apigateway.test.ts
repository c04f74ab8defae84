// rules/apigateway.yaml: REST APIs (v1) and HTTP/WebSocket APIs (v2) share apigateway.amazonaws.com;
// the corpus has CreateStage and TagResource (cloud-custodian), the rest are doc-shaped records
// (test/fixtures/rules/apigateway/; v1 requests nest their body under `<operation>Input` as the
// corpus records do).

import { describe, expect, it } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord, findings, stateOf } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('apigateway', 'apigateway.amazonaws.com');
const custodian = (name: string) => corpusRecord(`cloud-custodian/tests/data/cwe/${name}.json`);
const API = 'a1b2c3d4e5';
const METHOD = `${API}-res100-GET`;
const stage = (api: string, name: string, extra = {}) =>
  res('aws_api_gateway_stage', `ags-${api}-${name}`, {
    arn: `arn:aws:apigateway:us-east-1::/restapis/${api}/stages/${name}`,
    stage_name: name,
    tags: { env: 'prod' },
    ...extra,
  });

const cases: RuleCase[] = [
  created('apigateway.rest-api.create', doc.CreateRestApi, 'aws_api_gateway_rest_api'),
  modified(
    'apigateway.rest-api.update',
    doc.UpdateRestApi,
    res('aws_api_gateway_rest_api', API, { policy: '' }),
    'critical',
    {
      policy: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: ['*'] },
            Action: ['execute-api:Invoke'],
            Resource: ['execute-api:/*'],
          },
        ],
      },
    },
  ),
  deleted('apigateway.rest-api.delete', doc.DeleteRestApi, res('aws_api_gateway_rest_api', API), 'high'),
  created(
    'apigateway.stage.create',
    custodian('event-cloud-trail-create-rest-stage'),
    'aws_api_gateway_stage',
  ),
  modified(
    'apigateway.stage.update',
    doc.UpdateStage,
    stage(API, 'prod'),
    'medium',
    [],
    undefined,
    'unmapped patch path',
  ),
  modified(
    'apigateway.stage.update',
    doc.UpdateStageLogs,
    stage(API, 'prod', { xray_tracing_enabled: true }),
    'high',
    { xray_tracing_enabled: false },
    undefined,
    'access logs removed',
  ),
  deleted('apigateway.stage.delete', doc.DeleteStage, stage(API, 'prod'), 'high'),
  created('apigateway.deployment.create', doc.CreateDeployment, 'aws_api_gateway_deployment'),
  deleted('apigateway.deployment.delete', doc.DeleteDeployment, res('aws_api_gateway_deployment', 'dep100')),
  created('apigateway.resource.create', doc.CreateResource, 'aws_api_gateway_resource'),
  modified(
    'apigateway.resource.update',
    doc.UpdateResource,
    res('aws_api_gateway_resource', 'res100', { path_part: 'debug' }),
    'medium',
    { path_part: 'admin' },
  ),
  deleted('apigateway.resource.delete', doc.DeleteResource, res('aws_api_gateway_resource', 'res100')),
  modified(
    'apigateway.method.put',
    doc.PutMethod,
    res('aws_api_gateway_method', `agm-${METHOD}`, { authorization: 'AWS_IAM', api_key_required: false }),
    'high',
    {
      authorization: 'NONE',
    },
  ),
  modified(
    'apigateway.method.update',
    doc.UpdateMethod,
    res('aws_api_gateway_method', `agm-${METHOD}`, { authorization: 'COGNITO_USER_POOLS' }),
    'high',
    { authorization: 'NONE' },
  ),
  deleted('apigateway.method.delete', doc.DeleteMethod, res('aws_api_gateway_method', `agm-${METHOD}`)),
  modified(
    'apigateway.integration.put',
    doc.PutIntegration,
    res('aws_api_gateway_integration', `agi-${METHOD}`, { type: 'AWS_PROXY', uri: 'arn:aws:apigateway:x' }),
    'medium',
    {
      type: 'HTTP_PROXY',
      uri: 'https://collector.example.net/',
    },
  ),
  modified(
    'apigateway.integration.update',
    doc.UpdateIntegration,
    res('aws_api_gateway_integration', `agi-${METHOD}`, { uri: 'arn:aws:apigateway:x' }),
    'medium',
    { uri: 'https://collector.example.net/' },
  ),
  deleted(
    'apigateway.integration.delete',
    doc.DeleteIntegration,
    res('aws_api_gateway_integration', `agi-${METHOD}`),
  ),
  created('apigateway.authorizer.create', doc.CreateAuthorizer, 'aws_api_gateway_authorizer'),
  modified(
    'apigateway.authorizer.update',
    doc.UpdateAuthorizer,
    res('aws_api_gateway_authorizer', 'auth01', { authorizer_result_ttl_in_seconds: 300 }),
    'medium',
    { authorizer_result_ttl_in_seconds: 3600 },
  ),
  deleted(
    'apigateway.authorizer.delete',
    doc.DeleteAuthorizer,
    res('aws_api_gateway_authorizer', 'auth01'),
    'high',
  ),
  created('apigateway.api-key.create', doc.CreateApiKey, 'aws_api_gateway_api_key'),
  modified(
    'apigateway.api-key.update',
    doc.UpdateApiKey,
    res('aws_api_gateway_api_key', 'key100', { enabled: false }),
    'medium',
    { enabled: true },
    res('aws_api_gateway_api_key', 'key100', { enabled: true }),
  ),
  deleted('apigateway.api-key.delete', doc.DeleteApiKey, res('aws_api_gateway_api_key', 'key100')),
  created('apigateway.usage-plan.create', doc.CreateUsagePlan, 'aws_api_gateway_usage_plan'),
  modified(
    'apigateway.usage-plan.update',
    doc.UpdateUsagePlan,
    res('aws_api_gateway_usage_plan', 'plan01'),
    'medium',
    [],
  ),
  deleted('apigateway.usage-plan.delete', doc.DeleteUsagePlan, res('aws_api_gateway_usage_plan', 'plan01')),
  created(
    'apigateway.usage-plan-key.create',
    doc.CreateUsagePlanKey,
    'aws_api_gateway_usage_plan_key',
    'medium',
  ),
  deleted(
    'apigateway.usage-plan-key.delete',
    doc.DeleteUsagePlanKey,
    res('aws_api_gateway_usage_plan_key', 'key100'),
  ),
  created('apigateway.domain-name.create', doc.CreateDomainName, 'aws_api_gateway_domain_name'),
  modified(
    'apigateway.domain-name.update',
    doc.UpdateDomainName,
    res('aws_api_gateway_domain_name', 'api.example.com', { security_policy: 'TLS_1_2' }),
    'high',
    { security_policy: 'TLS_1_0' },
  ),
  deleted(
    'apigateway.domain-name.delete',
    doc.DeleteDomainName,
    res('aws_apigatewayv2_domain_name', 'api.example.com'),
    'high',
    'v2 domain',
  ),
  created(
    'apigateway.base-path-mapping.create',
    doc.CreateBasePathMapping,
    'aws_api_gateway_base_path_mapping',
  ),
  deleted(
    'apigateway.base-path-mapping.delete',
    doc.DeleteBasePathMapping,
    res('aws_api_gateway_base_path_mapping', 'api.example.com/v1'),
  ),
  created('apigatewayv2.api.create', doc.CreateApi, 'aws_apigatewayv2_api'),
  modified(
    'apigatewayv2.api.update',
    doc.UpdateApi,
    res('aws_apigatewayv2_api', 'a1b2c3', { disable_execute_api_endpoint: true }),
    'medium',
    {
      disable_execute_api_endpoint: false,
    },
  ),
  deleted('apigatewayv2.api.delete', doc.DeleteApi, res('aws_apigatewayv2_api', 'a1b2c3'), 'high'),
  created('apigatewayv2.stage.create', doc.CreateStageV2, 'aws_apigatewayv2_stage'),
  modified(
    'apigatewayv2.stage.update',
    doc.UpdateStageV2,
    res('aws_apigatewayv2_stage', '$default', { auto_deploy: false }),
    'medium',
    { auto_deploy: true },
  ),
  deleted('apigatewayv2.stage.delete', doc.DeleteStageV2, res('aws_apigatewayv2_stage', '$default'), 'high'),
  created('apigatewayv2.route.create', doc.CreateRoute, 'aws_apigatewayv2_route', 'medium'),
  modified(
    'apigatewayv2.route.update',
    doc.UpdateRoute,
    res('aws_apigatewayv2_route', 'rt100', { authorization_type: 'JWT' }),
    'high',
    { authorization_type: 'NONE' },
  ),
  deleted('apigatewayv2.route.delete', doc.DeleteRoute, res('aws_apigatewayv2_route', 'rt100')),
  created('apigatewayv2.integration.create', doc.CreateIntegrationV2, 'aws_apigatewayv2_integration'),
  modified(
    'apigatewayv2.integration.update',
    doc.UpdateIntegrationV2,
    res('aws_apigatewayv2_integration', 'in100', { integration_uri: 'arn:aws:lambda:x' }),
    'medium',
    {
      integration_uri: 'https://collector.example.net',
    },
  ),
  deleted(
    'apigatewayv2.integration.delete',
    doc.DeleteIntegrationV2,
    res('aws_apigatewayv2_integration', 'in100'),
  ),
  created('apigatewayv2.authorizer.create', doc.CreateAuthorizerV2, 'aws_apigatewayv2_authorizer'),
  modified(
    'apigatewayv2.authorizer.update',
    doc.UpdateAuthorizerV2,
    res('aws_apigatewayv2_authorizer', 'az100'),
    'medium',
    [],
  ),
  deleted(
    'apigatewayv2.authorizer.delete',
    doc.DeleteAuthorizerV2,
    res('aws_apigatewayv2_authorizer', 'az100'),
    'high',
  ),
  modified(
    'apigateway.tags.add',
    custodian('event-cloud-trail-tag-rest-stage__1'),
    stage('abcdef74gh', 'test2'),
    'low',
    { 'tags.WAF': 'BR-IP' },
  ),
  modified('apigateway.tags.remove', doc.UntagResource, stage(API, 'prod'), 'low', { 'tags.env': null }),
];

describe('rules/apigateway.yaml', () => {
  ruleCases('rules/apigateway.yaml', cases);

  it('keeps v1 and v2 calls of the same name apart', () => {
    const both = stateOf(stage(API, 'prod'), res('aws_apigatewayv2_stage', 'prod'));
    expect(findings(doc.DeleteStage, both).map((f) => [f.ruleId, f.resource.type])).toEqual([
      ['apigateway.stage.delete', 'aws_api_gateway_stage'],
    ]);
  });
});
