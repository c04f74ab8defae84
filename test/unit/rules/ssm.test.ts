// rules/ssm.yaml: the Systems Manager guide's DeleteDocument example (corpus) and doc-shaped records
// (test/fixtures/rules/ssm/events.doc-shaped.json). Run Command / Session Manager are never drift.

import { describe, expect, it } from 'vitest';
import { findings, run, stateOf } from './harness.js';
import { corpusCopy, docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('ssm', 'ssm.amazonaws.com');
const corpusRecord = corpusCopy('ssm');

const param = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'aws_ssm_parameter',
  attributes: {
    id: name,
    name,
    arn: `arn:aws:ssm:us-east-1:111122223333:parameter${name}`,
    type: 'SecureString',
    value: 's3cr3t',
    tags: {},
    ...extra,
  },
  sensitive: ['value'],
});
const document = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'aws_ssm_document',
  attributes: { id: name, name, default_version: '1', tags: {}, ...extra },
});
const WINDOW = 'mw-0c50858d01EXAMPLE';
const window = (extra: Record<string, unknown> = {}) => ({
  type: 'aws_ssm_maintenance_window',
  attributes: {
    id: WINDOW,
    name: 'patch-window',
    schedule: 'cron(0 2 ? * SUN *)',
    duration: 3,
    cutoff: 1,
    enabled: true,
    ...extra,
  },
});
const BASELINE = 'pb-0c10e65780EXAMPLE';
const simple = (type: string, id: string, extra: Record<string, unknown> = {}) => ({
  type,
  attributes: { id, ...extra },
});

const cases: RuleCase[] = [
  {
    rule: 'ssm.parameter.put',
    label: 'new parameter',
    record: doc.PutParameter,
    state: [],
    kind: 'unmanaged',
    type: 'aws_ssm_parameter',
    severity: 'high',
  },
  {
    rule: 'ssm.parameter.put',
    label: 'SecureString overwritten, value not logged',
    record: doc.PutParameter,
    state: [param('/app/db/password')],
    kind: 'modified',
    severity: 'high',
    changes: [],
  },
  {
    rule: 'ssm.parameter.put',
    label: 'String overwritten with its value in the record',
    record: doc.PutParameterWithValue,
    state: [param('/app/feature-flag', { type: 'String', value: 'off' })],
    kind: 'modified',
    severity: 'medium',
    changes: { value: '(sensitive)' },
    unchanged: [param('/app/feature-flag', { type: 'String', value: 'on' })],
  },
  {
    rule: 'ssm.parameter.delete',
    record: doc.DeleteParameter,
    state: [param('/app/db/password')],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'ssm.parameter.delete-many',
    record: doc.DeleteParameters,
    state: [param('/app/a'), param('/app/b'), param('/app/c')],
    kind: 'deleted',
    severity: 'medium',
    count: 2,
  },
  {
    rule: 'ssm.tag',
    record: doc.AddTagsToResource,
    state: [param('/app/db/password')],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': 'dba' },
  },
  {
    rule: 'ssm.untag',
    record: doc.RemoveTagsFromResource,
    state: [param('/app/db/password', { tags: { owner: 'dba' } })],
    kind: 'modified',
    severity: 'low',
    changes: { 'tags.owner': null },
  },
  {
    rule: 'ssm.document.create',
    record: doc.CreateDocument,
    state: [],
    kind: 'unmanaged',
    type: 'aws_ssm_document',
    severity: 'low',
  },
  {
    rule: 'ssm.document.update',
    record: doc.UpdateDocument,
    state: [document('Restart-App')],
    kind: 'modified',
    severity: 'high',
    changes: [],
  },
  {
    rule: 'ssm.document.default-version',
    record: doc.UpdateDocumentDefaultVersion,
    state: [document('Restart-App')],
    kind: 'modified',
    severity: 'medium',
    changes: { default_version: '2' },
    unchanged: [document('Restart-App', { default_version: '2' })],
  },
  {
    rule: 'ssm.document.permission',
    record: doc.ModifyDocumentPermission,
    state: [document('Restart-App')],
    kind: 'modified',
    severity: 'critical',
    changes: [],
  },
  {
    rule: 'ssm.document.delete',
    record: corpusRecord(
      'awsdocs-aws-systems-manager-user-guide/doc_source/monitoring-cloudtrail-logs__1.json',
    ),
    state: [document('example-Document')],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'ssm.association.create',
    record: doc.CreateAssociation,
    state: [],
    kind: 'unmanaged',
    type: 'aws_ssm_association',
    severity: 'medium',
  },
  {
    rule: 'ssm.association.update',
    record: doc.UpdateAssociation,
    state: [simple('aws_ssm_association', '8dfe3659-4309-493a-8755-0123456789ab')],
    kind: 'modified',
    severity: 'medium',
  },
  {
    rule: 'ssm.association.delete',
    record: doc.DeleteAssociation,
    state: [simple('aws_ssm_association', '8dfe3659-4309-493a-8755-0123456789ab')],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'ssm.maintenance-window.create',
    record: doc.CreateMaintenanceWindow,
    state: [],
    kind: 'unmanaged',
    type: 'aws_ssm_maintenance_window',
    severity: 'low',
  },
  {
    rule: 'ssm.maintenance-window.update',
    record: doc.UpdateMaintenanceWindow,
    state: [window()],
    kind: 'modified',
    severity: 'medium',
    changes: { schedule: 'cron(0 14 ? * MON *)', enabled: false },
    unchanged: [window({ schedule: 'cron(0 14 ? * MON *)', enabled: false })],
  },
  {
    rule: 'ssm.maintenance-window.delete',
    record: doc.DeleteMaintenanceWindow,
    state: [window()],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'ssm.maintenance-window-target.register',
    record: doc.RegisterTargetWithMaintenanceWindow,
    state: [],
    kind: 'unmanaged',
    type: 'aws_ssm_maintenance_window_target',
    severity: 'low',
  },
  {
    rule: 'ssm.maintenance-window-target.deregister',
    record: doc.DeregisterTargetFromMaintenanceWindow,
    state: [simple('aws_ssm_maintenance_window_target', 'e32eecb2-646c-4f4b-8ed1-205fbEXAMPLE')],
    kind: 'deleted',
    severity: 'low',
  },
  {
    rule: 'ssm.maintenance-window-task.register',
    record: doc.RegisterTaskWithMaintenanceWindow,
    state: [],
    kind: 'unmanaged',
    type: 'aws_ssm_maintenance_window_task',
    severity: 'medium',
  },
  {
    rule: 'ssm.maintenance-window-task.update',
    record: doc.UpdateMaintenanceWindowTask,
    state: [simple('aws_ssm_maintenance_window_task', '4f7ca192-7e9a-40fe-9192-5cb15EXAMPLE')],
    kind: 'modified',
    severity: 'medium',
  },
  {
    rule: 'ssm.maintenance-window-task.deregister',
    record: doc.DeregisterTaskFromMaintenanceWindow,
    state: [simple('aws_ssm_maintenance_window_task', '4f7ca192-7e9a-40fe-9192-5cb15EXAMPLE')],
    kind: 'deleted',
    severity: 'low',
  },
  {
    rule: 'ssm.patch-baseline.create',
    record: doc.CreatePatchBaseline,
    state: [],
    kind: 'unmanaged',
    type: 'aws_ssm_patch_baseline',
    severity: 'low',
  },
  {
    rule: 'ssm.patch-baseline.update',
    record: doc.UpdatePatchBaseline,
    state: [simple('aws_ssm_patch_baseline', BASELINE)],
    kind: 'modified',
    severity: 'medium',
  },
  {
    rule: 'ssm.patch-baseline.delete',
    record: doc.DeletePatchBaseline,
    state: [simple('aws_ssm_patch_baseline', BASELINE)],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'ssm.patch-group.register',
    record: doc.RegisterPatchBaselineForPatchGroup,
    state: [],
    kind: 'unmanaged',
    type: 'aws_ssm_patch_group',
    severity: 'low',
  },
  {
    rule: 'ssm.patch-group.deregister',
    record: doc.DeregisterPatchBaselineForPatchGroup,
    state: [simple('aws_ssm_patch_group', `web,${BASELINE}`, { baseline_id: BASELINE, patch_group: 'web' })],
    kind: 'deleted',
    severity: 'medium',
  },
  {
    rule: 'ssm.default-patch-baseline.register',
    record: doc.RegisterDefaultPatchBaseline,
    state: [
      simple('aws_ssm_default_patch_baseline', 'AMAZON_LINUX_2', {
        baseline_id: BASELINE,
        operating_system: 'AMAZON_LINUX_2',
      }),
    ],
    kind: 'modified',
    severity: 'medium',
  },
  {
    rule: 'ssm.resource-data-sync.create',
    record: doc.CreateResourceDataSync,
    state: [],
    kind: 'unmanaged',
    type: 'aws_ssm_resource_data_sync',
    severity: 'low',
  },
  {
    rule: 'ssm.resource-data-sync.delete',
    record: doc.DeleteResourceDataSync,
    state: [simple('aws_ssm_resource_data_sync', 'inventory-sync', { name: 'inventory-sync' })],
    kind: 'deleted',
    severity: 'low',
  },
  {
    rule: 'ssm.service-setting.update',
    record: doc.UpdateServiceSetting,
    state: [
      simple(
        'aws_ssm_service_setting',
        'arn:aws:ssm:us-east-1:111122223333:servicesetting/ssm/parameter-store/high-throughput-enabled',
        {
          setting_id: '/ssm/parameter-store/high-throughput-enabled',
          setting_value: 'false',
        },
      ),
    ],
    kind: 'modified',
    severity: 'medium',
    changes: { setting_value: 'true' },
  },
  {
    rule: 'ssm.service-setting.reset',
    record: doc.ResetServiceSetting,
    state: [
      simple('aws_ssm_service_setting', 'x', {
        setting_id: '/ssm/parameter-store/high-throughput-enabled',
        setting_value: 'true',
      }),
    ],
    kind: 'modified',
    severity: 'medium',
  },
  {
    rule: 'ssm.activation.create',
    record: doc.CreateActivation,
    state: [],
    kind: 'unmanaged',
    type: 'aws_ssm_activation',
    severity: 'medium',
  },
  {
    rule: 'ssm.activation.delete',
    record: doc.DeleteActivation,
    state: [simple('aws_ssm_activation', '3a5c3e59-4e1b-4c0a-95a1-12ca5EXAMPLE')],
    kind: 'deleted',
    severity: 'low',
  },
];

describe('rules/ssm.yaml', () => {
  ruleCases('rules/ssm.yaml', cases);

  it('never shows a parameter value', () => {
    const [finding] = findings(
      doc.PutParameterWithValue,
      stateOf(param('/app/feature-flag', { type: 'String', value: 'off' })),
    );
    expect(JSON.stringify(finding)).not.toMatch(/"off"|"on"/);
  });

  it('does not treat Run Command or Session Manager as drift', () => {
    for (const path of [
      'panther-analysis/rules/aws_cloudtrail_rules/aws_ssm_distributed_command__1.json',
      'stratus-red-team/docs/detonation-logs/aws.execution.ssm-start-session__25.json',
    ]) {
      expect(run(corpusRecord(path), stateOf()).outcome).toMatchObject({
        result: 'ignored',
        reason: 'no-rule',
      });
    }
  });
});
