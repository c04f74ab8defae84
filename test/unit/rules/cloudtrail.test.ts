// rules/cloudtrail.yaml: corpus records (stratus-red-team detonations, panther, streamalert) and
// doc-shaped records (test/fixtures/rules/cloudtrail/events.doc-shaped.json).

import { describe } from 'vitest';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('cloudtrail', 'cloudtrail.amazonaws.com');
const corpusRecord = corpusCopy('cloudtrail');
const stratus = (name: string) => corpusRecord(`stratus-red-team/docs/detonation-logs/${name}.json`);
const panther = (name: string) => corpusRecord(`panther-analysis/rules/aws_cloudtrail_rules/${name}.json`);

/** A trail as provider v5 stores it (id = ARN); `name` is what the rules look up. */
const trail = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'aws_cloudtrail',
  attributes: {
    id: `arn:aws:cloudtrail:us-east-1:111122223333:trail/${name}`,
    arn: `arn:aws:cloudtrail:us-east-1:111122223333:trail/${name}`,
    name,
    enable_logging: true,
    enable_log_file_validation: true,
    is_multi_region_trail: true,
    include_global_service_events: true,
    s3_bucket_name: 'audit-logs',
    kms_key_id: '',
    event_selector: [
      {
        include_management_events: true,
        read_write_type: 'All',
        data_resource: [],
        exclude_management_event_sources: [],
      },
    ],
    tags: {},
    ...extra,
  },
});
const EDS = 'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/EXAMPLE-f852-4e8f-8bd1-bcf6cEXAMPLE';
const dataStore = {
  type: 'aws_cloudtrail_event_data_store',
  attributes: {
    id: EDS,
    arn: EDS,
    name: 'audit-lake',
    retention_period: 2557,
    termination_protection_enabled: true,
  },
};

const cases: RuleCase[] = [
  {
    rule: 'cloudtrail.trail.create',
    record: panther('aws_cloudtrail_created__1'),
    state: [],
    kind: 'unmanaged',
    type: 'aws_cloudtrail',
    severity: 'medium',
  },
  {
    rule: 'cloudtrail.trail.delete',
    record: stratus('aws.defense-evasion.cloudtrail-delete__1'),
    state: [trail('stratus-red-team-cloudtraild-trail-kvrwohmiai')],
    kind: 'deleted',
    severity: 'critical',
  },
  {
    rule: 'cloudtrail.trail.delete',
    label: 'v4 state, id = name',
    record: stratus('aws.defense-evasion.cloudtrail-delete__1'),
    state: [
      {
        type: 'aws_cloudtrail',
        attributes: {
          id: 'stratus-red-team-cloudtraild-trail-kvrwohmiai',
          name: 'stratus-red-team-cloudtraild-trail-kvrwohmiai',
        },
      },
    ],
    kind: 'deleted',
    severity: 'critical',
  },
  {
    rule: 'cloudtrail.trail.stop-logging',
    record: stratus('aws.defense-evasion.cloudtrail-stop__1'),
    state: [trail('stratus-red-team-ct-stop-trail-buykxbqejv')],
    kind: 'modified',
    severity: 'critical',
    changes: { enable_logging: false },
    unchanged: [trail('stratus-red-team-ct-stop-trail-buykxbqejv', { enable_logging: false })],
  },
  {
    rule: 'cloudtrail.trail.stop-logging',
    label: 'trail named by ARN',
    record: corpusRecord(
      'reflexivesecurity/reflex-aws-cloudtrail-logging-stopped/test/resources/StopLoggingEvent__1.json',
    ),
    state: [trail('test-trail')],
    kind: 'modified',
    severity: 'critical',
    changes: { enable_logging: false },
  },
  {
    rule: 'cloudtrail.trail.start-logging',
    record: doc.StartLogging,
    state: [trail('org-trail', { enable_logging: false })],
    kind: 'modified',
    severity: 'low',
    changes: { enable_logging: true },
    unchanged: [trail('org-trail')],
  },
  {
    rule: 'cloudtrail.trail.update',
    label: 'narrowed to one Region',
    record: panther('aws_vpce_sensitive_api_calls__1'),
    state: [trail('management-events')],
    kind: 'modified',
    severity: 'critical',
    changes: { is_multi_region_trail: false },
    unchanged: [trail('management-events', { is_multi_region_trail: false })],
  },
  {
    rule: 'cloudtrail.trail.update',
    label: 'CloudWatch Logs and validation',
    record: corpusRecord(
      'streamalert/rules/community/cloudwatch_events/cloudtrail_critical_api_calls__3.json',
    ),
    state: [
      trail('...', {
        enable_log_file_validation: false,
        cloud_watch_logs_group_arn: '',
        cloud_watch_logs_role_arn: '',
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: {
      enable_log_file_validation: true,
      cloud_watch_logs_group_arn: '...',
      cloud_watch_logs_role_arn: '...',
    },
  },
  {
    rule: 'cloudtrail.trail.event-selectors',
    record: stratus('aws.defense-evasion.cloudtrail-event-selectors__1'),
    state: [trail('stratus-red-team-ctes-trail-khlvciwdor')],
    kind: 'modified',
    severity: 'critical',
    changes: {
      'event_selector[0].include_management_events': false,
      'event_selector[0].read_write_type': 'ReadOnly',
    },
  },
  {
    rule: 'cloudtrail.trail.event-selectors',
    label: 'same selectors as the state',
    record: panther('aws_cloudtrail_event_selectors_disabled__2'),
    state: [
      trail('sample-cloudtrail-name', {
        event_selector: [{ include_management_events: false, read_write_type: 'ReadOnly' }],
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: {
      'event_selector[0].include_management_events': true,
      'event_selector[0].read_write_type': 'All',
    },
    unchanged: [trail('sample-cloudtrail-name')],
  },
  {
    rule: 'cloudtrail.trail.insight-selectors',
    record: doc.PutInsightSelectors,
    state: [trail('org-trail', { insight_selector: [{ insight_type: 'ApiErrorRateInsight' }] })],
    kind: 'modified',
    severity: 'low',
    changes: { insight_selector: [{ insight_type: 'ApiCallRateInsight' }] },
    unchanged: [trail('org-trail', { insight_selector: [{ insight_type: 'ApiCallRateInsight' }] })],
  },
  {
    rule: 'cloudtrail.tag',
    record: doc.AddTags,
    state: [trail('org-trail')],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': 'security' },
  },
  {
    rule: 'cloudtrail.untag',
    record: doc.RemoveTags,
    state: [trail('org-trail', { tags: { 'cost-center': '42' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.cost-center': null },
    unchanged: [trail('org-trail')],
  },
  {
    rule: 'cloudtrail.event-data-store.create',
    record: doc.CreateEventDataStore,
    state: [],
    kind: 'unmanaged',
    type: 'aws_cloudtrail_event_data_store',
    severity: 'low',
  },
  {
    rule: 'cloudtrail.event-data-store.update',
    record: doc.UpdateEventDataStore,
    state: [dataStore],
    kind: 'modified',
    severity: 'high',
    changes: { retention_period: 7, termination_protection_enabled: false },
  },
  {
    rule: 'cloudtrail.event-data-store.delete',
    record: doc.DeleteEventDataStore,
    state: [dataStore],
    kind: 'deleted',
    severity: 'high',
  },
];

describe('rules/cloudtrail.yaml', () => ruleCases('rules/cloudtrail.yaml', cases));
