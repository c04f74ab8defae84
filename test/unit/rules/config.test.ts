// rules/config.yaml: the AWS Config developer guide's CloudTrail examples (corpus), streamalert's
// StopConfigurationRecorder, and doc-shaped records (test/fixtures/rules/config/events.doc-shaped.json).

import { describe } from 'vitest';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('config', 'config.amazonaws.com');
const corpusRecord = corpusCopy('config');
const guide = (n: number) =>
  corpusRecord(
    `awsdocs-aws-config-developer-guide/doc_source/cloudtrail-log-files-for-aws-config__${n}.json`,
  );

const recorder = (extra: Record<string, unknown> = {}) => ({
  type: 'aws_config_configuration_recorder',
  attributes: {
    id: 'default',
    name: 'default',
    role_arn: 'arn:aws:iam::222222222222:role/config-role',
    recording_group: [{ all_supported: true, include_global_resource_types: true, resource_types: [] }],
    ...extra,
  },
});
const status = (enabled: boolean) => ({
  type: 'aws_config_configuration_recorder_status',
  attributes: { id: 'default', name: 'default', is_enabled: enabled },
});
const channel = (extra: Record<string, unknown> = {}) => ({
  type: 'aws_config_delivery_channel',
  attributes: {
    id: 'default',
    name: 'default',
    s3_bucket_name: 'config-api-test-pdx',
    sns_topic_arn: 'arn:aws:sns:us-west-2:222222222222:config-api-test-pdx',
    ...extra,
  },
});
const RULE_ARN = 'arn:aws:config:us-east-1:111122223333:config-rule/config-rule-ab12cd';
const configRule = (extra: Record<string, unknown> = {}) => ({
  type: 'aws_config_config_rule',
  attributes: {
    id: 's3-bucket-versioning-enabled',
    name: 's3-bucket-versioning-enabled',
    arn: RULE_ARN,
    description: 'Checks that versioning is enabled',
    input_parameters: '{"isMfaDeleteEnabled": "false"}',
    source: [{ owner: 'AWS', source_identifier: 'S3_BUCKET_VERSIONING_ENABLED' }],
    tags: {},
    ...extra,
  },
});

const cases: RuleCase[] = [
  {
    rule: 'config.recorder.put',
    record: guide(6),
    state: [recorder()],
    kind: 'modified',
    severity: 'medium',
    changes: { role_arn: 'arn:aws:iam::222222222222:role/config-role-pdx' },
    unchanged: [recorder({ role_arn: 'arn:aws:iam::222222222222:role/config-role-pdx' })],
  },
  {
    rule: 'config.recorder.put',
    label: 'unmanaged',
    record: guide(6),
    state: [],
    kind: 'unmanaged',
    type: 'aws_config_configuration_recorder',
    severity: 'medium',
  },
  {
    rule: 'config.recorder.delete',
    record: doc.DeleteConfigurationRecorder,
    state: [recorder()],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'config.recorder.stop',
    record: guide(9),
    state: [status(true), recorder()],
    kind: 'modified',
    severity: 'high',
    changes: { is_enabled: false },
    unchanged: [status(false)],
  },
  {
    rule: 'config.recorder.stop',
    label: 'recorder without a status resource',
    record: guide(9),
    state: [recorder()],
    kind: 'modified',
    severity: 'high',
    changes: [],
  },
  {
    rule: 'config.recorder.start',
    record: guide(8),
    state: [status(false)],
    kind: 'modified',
    severity: 'low',
    changes: { is_enabled: true },
  },
  {
    rule: 'config.delivery-channel.put',
    record: guide(7),
    state: [channel({ s3_bucket_name: 'config-history' })],
    kind: 'modified',
    severity: 'medium',
    changes: { s3_bucket_name: 'config-api-test-pdx' },
    unchanged: [channel()],
  },
  {
    rule: 'config.delivery-channel.delete',
    record: guide(1),
    state: [channel()],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'config.rule.put',
    record: doc.PutConfigRule,
    state: [configRule({ input_parameters: '{"isMfaDeleteEnabled":"true"}' })],
    kind: 'modified',
    severity: 'medium',
    changes: { input_parameters: { isMfaDeleteEnabled: 'false' } },
    unchanged: [configRule()],
  },
  {
    rule: 'config.rule.delete',
    record: doc.DeleteConfigRule,
    state: [configRule()],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'config.organization-rule.put',
    record: doc.PutOrganizationConfigRule,
    state: [],
    kind: 'unmanaged',
    type: 'aws_config_organization_managed_rule',
    severity: 'medium',
  },
  {
    rule: 'config.organization-rule.delete',
    record: doc.DeleteOrganizationConfigRule,
    state: [
      {
        type: 'aws_config_organization_managed_rule',
        attributes: { id: 'org-s3-versioning', name: 'org-s3-versioning' },
      },
    ],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'config.conformance-pack.put',
    record: doc.PutConformancePack,
    state: [
      {
        type: 'aws_config_conformance_pack',
        attributes: {
          id: 'operational-best-practices',
          name: 'operational-best-practices',
          delivery_s3_bucket: 'packs-results',
        },
      },
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { delivery_s3_bucket: 'attacker-bucket' },
  },
  {
    rule: 'config.conformance-pack.delete',
    record: doc.DeleteConformancePack,
    state: [
      {
        type: 'aws_config_conformance_pack',
        attributes: { id: 'operational-best-practices', name: 'operational-best-practices' },
      },
    ],
    kind: 'deleted',
    severity: 'high',
  },
  {
    rule: 'config.aggregator.put',
    record: doc.PutConfigurationAggregator,
    state: [
      {
        type: 'aws_config_configuration_aggregator',
        attributes: { id: 'org-aggregator', name: 'org-aggregator' },
      },
    ],
    kind: 'modified',
    severity: 'medium',
    changes: [],
  },
  {
    rule: 'config.aggregator.delete',
    record: doc.DeleteConfigurationAggregator,
    state: [
      {
        type: 'aws_config_configuration_aggregator',
        attributes: { id: 'org-aggregator', name: 'org-aggregator' },
      },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'config.aggregate-authorization.put',
    record: doc.PutAggregationAuthorization,
    state: [],
    kind: 'unmanaged',
    type: 'aws_config_aggregate_authorization',
    severity: 'medium',
  },
  {
    rule: 'config.aggregate-authorization.delete',
    record: doc.DeleteAggregationAuthorization,
    state: [
      {
        type: 'aws_config_aggregate_authorization',
        attributes: { id: '444455556666:us-east-1', account_id: '444455556666', region: 'us-east-1' },
      },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'config.remediation.put',
    record: doc.PutRemediationConfigurations,
    state: [],
    kind: 'unmanaged',
    type: 'aws_config_remediation_configuration',
    severity: 'medium',
  },
  {
    rule: 'config.remediation.delete',
    record: doc.DeleteRemediationConfiguration,
    state: [
      {
        type: 'aws_config_remediation_configuration',
        attributes: { id: 's3-bucket-versioning-enabled', config_rule_name: 's3-bucket-versioning-enabled' },
      },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'config.retention.put',
    record: doc.PutRetentionConfiguration,
    state: [
      {
        type: 'aws_config_retention_configuration',
        attributes: { id: 'default', name: 'default', retention_period_in_days: 2557 },
      },
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { retention_period_in_days: 30 },
  },
  {
    rule: 'config.retention.delete',
    record: doc.DeleteRetentionConfiguration,
    state: [
      {
        type: 'aws_config_retention_configuration',
        attributes: { id: 'default', name: 'default', retention_period_in_days: 2557 },
      },
    ],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'config.tag',
    record: doc.TagResource,
    state: [configRule()],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': 'security' },
  },
  {
    rule: 'config.untag',
    record: doc.UntagResource,
    state: [configRule({ tags: { owner: 'security' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': null },
  },
];

describe('rules/config.yaml', () => ruleCases('rules/config.yaml', cases));
