// rules/bedrock.yaml: Panther's guardrail and invocation-logging records and Cloud Custodian's
// customization job (corpus), doc-shaped records for the rest
// (test/fixtures/rules/bedrock/events.doc-shaped.json).

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('bedrock', 'bedrock.amazonaws.com');
const corpusRecord = corpusCopy('bedrock');
const panther = (name: string) => corpusRecord(`panther-analysis/rules/aws_cloudtrail_rules/${name}.json`);

const GR = 'cmy5azq5koeo';
const guardrail = (region = 'us-west-2', account = '123123123123') =>
  res('aws_bedrock_guardrail', `${GR},DRAFT`, {
    guardrail_id: GR,
    guardrail_arn: `arn:aws:bedrock:${region}:${account}:guardrail/${GR}`,
    name: 'chat-guardrail',
    version: 'DRAFT',
    tags: { env: 'prod' },
  });
const logging = (extra = {}) =>
  res('aws_bedrock_model_invocation_logging_configuration', 'us-east-1', {
    logging_config: [
      {
        text_data_delivery_enabled: true,
        image_data_delivery_enabled: true,
        embedding_data_delivery_enabled: true,
        s3_config: [{ bucket_name: 'model-logs', key_prefix: 'bedrock' }],
        cloudwatch_config: [],
      },
    ],
    ...extra,
  });

const cases: RuleCase[] = [
  created('bedrock.guardrail.create', doc.CreateGuardrail, 'aws_bedrock_guardrail'),
  modified(
    'bedrock.guardrail.update',
    panther('aws_bedrock_guardrail_update_delete__1'),
    guardrail(),
    'high',
    [],
  ),
  deleted('bedrock.guardrail.delete', panther('aws_bedrock_guardrail_update_delete__2'), guardrail(), 'high'),
  deleted(
    'bedrock.invocation-logging.delete',
    panther('aws_bedrock_deletemodelinvocationloggingconfiguration__1'),
    logging(),
    'high',
  ),
  modified(
    'bedrock.invocation-logging.put',
    doc.PutModelInvocationLoggingConfiguration,
    logging(),
    'medium',
    {
      'logging_config[0].text_data_delivery_enabled': false,
      'logging_config[0].image_data_delivery_enabled': false,
      'logging_config[0].embedding_data_delivery_enabled': false,
      'logging_config[0].s3_config[0].bucket_name': 'model-logs-other',
    },
  ),
  created(
    'bedrock.custom-model.create',
    corpusRecord('cloud-custodian/tests/data/cwe/event-cloud-trail-bedrock-create-customization-jobs.json'),
    'aws_bedrock_custom_model',
  ),
  modified('bedrock.tags.add', doc.TagResource, guardrail('us-east-1', '111122223333'), 'low', {
    'tags.owner': 'mallory',
  }),
  modified('bedrock.tags.remove', doc.UntagResource, guardrail('us-east-1', '111122223333'), 'low', {
    'tags.env': null,
  }),
];

describe('rules/bedrock.yaml', () => {
  ruleCases('rules/bedrock.yaml', cases);
});
