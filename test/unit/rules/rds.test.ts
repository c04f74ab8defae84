// rules/rds.yaml: mostly corpus records (panther-analysis, reflexivesecurity, stratus-red-team, AWS
// docs), doc-shaped records (test/fixtures/rules/rds/events.doc-shaped.json) for the rest. Provider v5
// stores aws_db_instance.id as the DBI resource id: every instance here is found by `identifier`.

import { describe } from 'vitest';
import { corpusRecord } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('rds', 'rds.amazonaws.com');
const panther = (name: string) => corpusRecord(`panther-analysis/rules/aws_cloudtrail_rules/${name}.json`);
const reflex = (path: string) => corpusRecord(`reflexivesecurity/${path}.json`);
const ARN = 'arn:aws:rds:us-east-1:111122223333';

/** A provider-v5 aws_db_instance: id is the DBI resource id, not the identifier. */
const instance = (identifier: string, extra: Record<string, unknown> = {}) => ({
  type: 'aws_db_instance',
  attributes: {
    id: `db-${identifier.toUpperCase().replace(/[^A-Z0-9]/g, '')}`,
    identifier,
    arn: `${ARN}:db:${identifier}`,
    publicly_accessible: false,
    deletion_protection: true,
    backup_retention_period: 7,
    tags: {},
    ...extra,
  },
});
const cluster = (id: string, extra: Record<string, unknown> = {}) => ({
  type: 'aws_rds_cluster',
  attributes: {
    id,
    cluster_identifier: id,
    arn: `${ARN}:cluster:${id}`,
    deletion_protection: true,
    backup_retention_period: 7,
    ...extra,
  },
});
const named = (type: string, id: string, extra: Record<string, unknown> = {}) => ({
  type,
  attributes: { id, name: id, ...extra },
});
const created = (
  rule: string,
  record: Record<string, unknown>,
  type: string,
  severity: RuleCase['severity'] = 'low',
): RuleCase => ({
  rule,
  record,
  state: [],
  kind: 'unmanaged',
  type,
  severity,
});
const deleted = (
  rule: string,
  record: Record<string, unknown>,
  resource: RuleCase['state'][number],
  severity: RuleCase['severity'] = 'medium',
): RuleCase => ({
  rule,
  record,
  state: [resource],
  kind: 'deleted',
  severity,
});

const cases: RuleCase[] = [
  {
    rule: 'rds.instance.modify',
    label: 'made public',
    record: panther('aws_rds_instance_made_public__1'),
    state: [instance('production-db')],
    kind: 'modified',
    severity: 'critical',
    changes: { publicly_accessible: true },
    unchanged: [instance('production-db', { publicly_accessible: true })],
  },
  {
    rule: 'rds.instance.modify',
    label: 'deletion protection off',
    record: reflex('reflex-aws-rds-deletion-protection-disabled/test/resources/modify_instance__1'),
    state: [instance('database-1', { storage_type: 'gp2', iops: 0, max_allocated_storage: 1000 })],
    kind: 'modified',
    severity: 'high',
    changes: { deletion_protection: false },
  },
  {
    rule: 'rds.instance.modify',
    label: 'backups disabled',
    record: reflex('reflex-aws-rds-automated-backup-disabled/test/resources/modify_instance__1'),
    state: [instance('database-3', { storage_type: 'gp2', iops: 0, max_allocated_storage: 1000 })],
    kind: 'modified',
    severity: 'high',
    changes: { backup_retention_period: 0 },
  },
  {
    rule: 'rds.instance.modify',
    label: 'log export removed, password changed (redacted)',
    record: doc.ModifyDBInstanceLogs,
    state: [
      instance('orders-db', { enabled_cloudwatch_logs_exports: ['audit', 'error'], password: 'hunter2' }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { enabled_cloudwatch_logs_exports: ['error'], password: '(sensitive)' },
  },
  {
    rule: 'rds.instance.modify',
    label: 'Aurora cluster member',
    record: doc.ModifyDBInstanceClusterMember,
    state: [
      named('aws_rds_cluster_instance', 'aurora-prod-1', {
        identifier: 'aurora-prod-1',
        instance_class: 'db.r6g.large',
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { instance_class: 'db.r6g.2xlarge' },
  },
  created(
    'rds.instance.create',
    corpusRecord('awsdocs-amazon-rds-user-guide/doc_source/logging-using-cloudtrail__1.json'),
    'aws_db_instance',
    'medium',
  ),
  {
    ...created(
      'rds.instance.create',
      panther('aws_rds_automated_backup_deleted__4'),
      'aws_db_instance',
      'medium',
    ),
    label: 'read replica',
  },
  deleted(
    'rds.instance.delete',
    panther('aws_rds_instance_deletion__1'),
    instance('production-mysql-db'),
    'high',
  ),
  {
    rule: 'rds.instance.promote-replica',
    record: doc.PromoteReadReplica,
    state: [instance('orders-replica', { replicate_source_db: 'orders-db' })],
    kind: 'modified',
    severity: 'medium',
    changes: { replicate_source_db: null },
  },
  created(
    'rds.instance-role.add',
    panther('aws_rds_iam_role_added__1'),
    'aws_db_instance_role_association',
    'medium',
  ),
  deleted(
    'rds.instance-role.remove',
    panther('aws_rds_iam_role_added__4'),
    named('aws_db_instance_role_association', 'production-db,arn:aws:iam::123456789012:role/OldRole'),
  ),
  {
    rule: 'rds.cluster.modify',
    record: panther('aws_rds_deletion_protection_disabled__2'),
    state: [cluster('aurora-production')],
    kind: 'modified',
    severity: 'high',
    changes: { deletion_protection: false, backup_retention_period: 0 },
    unchanged: [cluster('aurora-production', { deletion_protection: false, backup_retention_period: 0 })],
  },
  {
    rule: 'rds.cluster.modify',
    label: 'made public',
    record: panther('aws_rds_instance_made_public__2'),
    state: [cluster('aurora-cluster', { vpc_security_group_ids: ['sg-0aaaaaaaaaaaaaaaa'] })],
    kind: 'modified',
    severity: 'critical',
    changes: { vpc_security_group_ids: ['sg-0123456789abcdef0'] },
  },
  created(
    'rds.cluster.create',
    corpusRecord('cloudtrail-watcher/test/services/samples/rds_CreateDBCluster.json'),
    'aws_rds_cluster',
    'medium',
  ),
  deleted(
    'rds.cluster.delete',
    corpusRecord('streamalert/rules/community/cloudwatch_events/cloudtrail_critical_api_calls__5.json'),
    cluster('...'),
    'critical',
  ),
  created(
    'rds.cluster-role.add',
    panther('aws_rds_iam_role_added__2'),
    'aws_rds_cluster_role_association',
    'medium',
  ),
  deleted(
    'rds.cluster-role.remove',
    doc.RemoveRoleFromDBCluster,
    named('aws_rds_cluster_role_association', 'aurora-prod,arn:aws:iam::111122223333:role/rds-s3-export'),
  ),
  {
    rule: 'rds.global-cluster.modify',
    record: doc.ModifyGlobalCluster,
    state: [named('aws_rds_global_cluster', 'orders-global', { deletion_protection: true })],
    kind: 'modified',
    severity: 'high',
    changes: { deletion_protection: false },
  },
  created('rds.global-cluster.create', doc.CreateGlobalCluster, 'aws_rds_global_cluster'),
  deleted(
    'rds.global-cluster.delete',
    doc.DeleteGlobalCluster,
    named('aws_rds_global_cluster', 'orders-global'),
    'high',
  ),
  created(
    'rds.activity-stream.start',
    panther('aws_rds_activity_stream_stopped__3'),
    'aws_rds_cluster_activity_stream',
  ),
  deleted(
    'rds.activity-stream.stop',
    panther('aws_rds_activity_stream_stopped__1'),
    named('aws_rds_cluster_activity_stream', 'arn:aws:rds:us-east-1:123456789012:cluster:production-aurora'),
    'high',
  ),
  {
    rule: 'rds.parameter-group.modify',
    record: doc.ModifyDBParameterGroup,
    state: [
      named('aws_db_parameter_group', 'orders-pg15', {
        parameter: [{ name: 'rds.force_ssl', value: '1', apply_method: 'immediate' }],
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { 'parameter.rds.force_ssl': '0' },
    unchanged: [
      named('aws_db_parameter_group', 'orders-pg15', {
        parameter: [{ name: 'rds.force_ssl', value: '0', apply_method: 'immediate' }],
      }),
    ],
  },
  {
    rule: 'rds.parameter-group.reset',
    record: doc.ResetDBParameterGroup,
    state: [named('aws_db_parameter_group', 'orders-pg15')],
    kind: 'modified',
    severity: 'medium',
    changes: [],
  },
  created('rds.parameter-group.create', doc.CreateDBParameterGroup, 'aws_db_parameter_group'),
  deleted(
    'rds.parameter-group.delete',
    doc.DeleteDBParameterGroup,
    named('aws_db_parameter_group', 'orders-pg15'),
  ),
  {
    rule: 'rds.cluster-parameter-group.modify',
    record: doc.ModifyDBClusterParameterGroup,
    state: [
      named('aws_rds_cluster_parameter_group', 'aurora-pg15', {
        parameter: [{ name: 'log_statement', value: 'all', apply_method: 'immediate' }],
      }),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { 'parameter.log_statement': 'none' },
  },
  {
    rule: 'rds.cluster-parameter-group.reset',
    record: doc.ResetDBClusterParameterGroup,
    state: [named('aws_rds_cluster_parameter_group', 'aurora-pg15')],
    kind: 'modified',
    severity: 'medium',
    changes: [],
  },
  created(
    'rds.cluster-parameter-group.create',
    doc.CreateDBClusterParameterGroup,
    'aws_rds_cluster_parameter_group',
  ),
  deleted(
    'rds.cluster-parameter-group.delete',
    doc.DeleteDBClusterParameterGroup,
    named('aws_rds_cluster_parameter_group', 'aurora-pg15'),
  ),
  {
    rule: 'rds.subnet-group.modify',
    record: doc.ModifyDBSubnetGroup,
    state: [named('aws_db_subnet_group', 'orders', { subnet_ids: ['subnet-0aaa', 'subnet-0bbb'] })],
    kind: 'modified',
    severity: 'medium',
    changes: { subnet_ids: ['subnet-0aaa', 'subnet-0ccc'] },
  },
  created('rds.subnet-group.create', doc.CreateDBSubnetGroup, 'aws_db_subnet_group'),
  deleted('rds.subnet-group.delete', doc.DeleteDBSubnetGroup, named('aws_db_subnet_group', 'orders')),
  {
    rule: 'rds.option-group.modify',
    record: doc.ModifyOptionGroup,
    state: [named('aws_db_option_group', 'orders-mysql')],
    kind: 'modified',
    severity: 'medium',
    changes: [],
  },
  created('rds.option-group.create', doc.CreateOptionGroup, 'aws_db_option_group'),
  deleted('rds.option-group.delete', doc.DeleteOptionGroup, named('aws_db_option_group', 'orders-mysql')),
  {
    rule: 'rds.snapshot.share',
    label: 'made public',
    record: reflex('reflex-aws-rds-public-snapshot/test/resources/rds_modify_attributes__1'),
    state: [
      named('aws_db_snapshot', 'test-db-1', { db_snapshot_identifier: 'test-db-1', shared_accounts: [] }),
    ],
    kind: 'modified',
    severity: 'critical',
    changes: { shared_accounts: ['all'] },
    unchanged: [
      named('aws_db_snapshot', 'test-db-1', {
        db_snapshot_identifier: 'test-db-1',
        shared_accounts: ['all'],
      }),
    ],
  },
  {
    rule: 'rds.snapshot.share',
    label: 'shared with another account',
    record: corpusRecord('stratus-red-team/docs/detonation-logs/aws.exfiltration.rds-share-snapshot__1.json'),
    state: [
      named('aws_db_snapshot', 'exfiltration', {
        db_snapshot_identifier: 'exfiltration',
        shared_accounts: [],
      }),
    ],
    kind: 'modified',
    severity: 'high',
    changes: { shared_accounts: ['503161813013'] },
  },
  {
    rule: 'rds.cluster-snapshot.share',
    record: corpusRecord(
      'streamalert/rules/community/cloudwatch_events/cloudtrail_snapshot_or_ami_made_public__5.json',
    ),
    state: [
      named('aws_db_cluster_snapshot', 'mysnapshot', {
        db_cluster_snapshot_identifier: 'mysnapshot',
        shared_accounts: [],
      }),
    ],
    kind: 'modified',
    severity: 'critical',
    changes: { shared_accounts: ['all'] },
  },
  created(
    'rds.snapshot.create',
    reflex('reflex-aws-rds-snapshot-unencrypted/test/resources/create_snapshot__1'),
    'aws_db_snapshot',
  ),
  deleted(
    'rds.snapshot.delete',
    panther('aws_rds_snapshot_deleted__1'),
    named('aws_db_snapshot', 'backup-2024-01-15', { db_snapshot_identifier: 'backup-2024-01-15' }),
  ),
  created('rds.cluster-snapshot.create', doc.CreateDBClusterSnapshot, 'aws_db_cluster_snapshot'),
  {
    ...created(
      'rds.cluster-snapshot.create',
      panther('aws_rds_snapshot_copied_cross_region__2'),
      'aws_db_cluster_snapshot',
    ),
    label: 'copy',
  },
  deleted(
    'rds.cluster-snapshot.delete',
    panther('aws_rds_snapshot_deleted__2'),
    named('aws_db_cluster_snapshot', 'aurora-cluster-backup-2024', {
      db_cluster_snapshot_identifier: 'aurora-cluster-backup-2024',
    }),
  ),
  created('rds.export-task.start', panther('aws_rds_snapshot_export__1'), 'aws_rds_export_task', 'medium'),
  {
    rule: 'rds.event-subscription.modify',
    record: doc.ModifyEventSubscription,
    state: [named('aws_db_event_subscription', 'rds-alerts', { enabled: true })],
    kind: 'modified',
    severity: 'low',
    changes: { enabled: false },
  },
  created('rds.event-subscription.create', doc.CreateEventSubscription, 'aws_db_event_subscription'),
  deleted(
    'rds.event-subscription.delete',
    doc.DeleteEventSubscription,
    named('aws_db_event_subscription', 'rds-alerts'),
  ),
  {
    rule: 'rds.proxy.modify',
    record: doc.ModifyDBProxy,
    state: [named('aws_db_proxy', 'orders-proxy', { require_tls: true })],
    kind: 'modified',
    severity: 'medium',
    changes: { require_tls: false },
  },
  created('rds.proxy.create', doc.CreateDBProxy, 'aws_db_proxy'),
  deleted('rds.proxy.delete', doc.DeleteDBProxy, named('aws_db_proxy', 'orders-proxy')),
  {
    rule: 'rds.db-security-group.ingress',
    record: panther('aws_rds_security_group_ingress_authorized__1'),
    state: [named('aws_db_security_group', 'production-db-sg')],
    kind: 'modified',
    severity: 'medium',
    changes: [],
  },
  {
    rule: 'rds.db-security-group.ingress',
    label: 'open to the internet',
    record: doc.AuthorizeDBSecurityGroupIngressWorld,
    state: [named('aws_db_security_group', 'production-db-sg')],
    kind: 'modified',
    severity: 'critical',
    changes: [],
  },
  {
    rule: 'rds.tags.add',
    record: doc.AddTagsToResource,
    state: [instance('orders-db', { tags: { env: 'prod' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.env': 'dev' },
    unchanged: [instance('orders-db', { tags: { env: 'dev' } })],
  },
  {
    rule: 'rds.tags.remove',
    record: doc.RemoveTagsFromResource,
    state: [instance('orders-db', { tags: { backup: 'daily' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.backup': null },
  },
];

describe('rules/rds.yaml', () => {
  ruleCases('rules/rds.yaml', cases);
});
