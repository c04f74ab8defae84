// rules/ecs.yaml: AWS documentation records from the corpus (CreateCluster, PutAccountSettingDefault),
// doc-shaped records (test/fixtures/rules/ecs/events.doc-shaped.json) for the rest.

import { describe } from 'vitest';
import { created, deleted, modified, res } from './case-builders.js';
import { corpusRecord } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const doc = docRecords('ecs', 'ecs.amazonaws.com');
const E = 'arn:aws:ecs:us-east-1:111122223333';
const service = (extra = {}) =>
  res('aws_ecs_service', `${E}:service/prod/api`, {
    name: 'api',
    cluster: `${E}:cluster/prod`,
    desired_count: 3,
    task_definition: 'api:41',
    ...extra,
  });
const cluster = (extra = {}) =>
  res('aws_ecs_cluster', `${E}:cluster/prod`, {
    arn: `${E}:cluster/prod`,
    name: 'prod',
    tags: { env: 'prod' },
    ...extra,
  });

const cases: RuleCase[] = [
  modified(
    'ecs.service.update',
    doc.UpdateService,
    service(),
    'medium',
    { desired_count: 0, task_definition: 'api:42' },
    service({ desired_count: 0, task_definition: `${E}:task-definition/api:42` }),
  ),
  created('ecs.service.create', doc.CreateService, 'aws_ecs_service'),
  deleted('ecs.service.delete', doc.DeleteService, service(), 'high'),
  created(
    'ecs.cluster.create',
    corpusRecord('awsdocs-amazon-ecs-developer-guide/doc_source/logging-using-cloudtrail__1.json'),
    'aws_ecs_cluster',
  ),
  modified(
    'ecs.cluster.update',
    doc.UpdateClusterSettings,
    cluster({ setting: [{ name: 'containerInsights', value: 'enabled' }] }),
    'medium',
    { 'setting.containerInsights': 'disabled' },
    cluster({ setting: [{ name: 'containerInsights', value: 'disabled' }] }),
  ),
  deleted('ecs.cluster.delete', doc.DeleteCluster, cluster(), 'high'),
  modified(
    'ecs.cluster-capacity-providers.put',
    doc.PutClusterCapacityProviders,
    res('aws_ecs_cluster_capacity_providers', 'prod', {
      cluster_name: 'prod',
      capacity_providers: ['FARGATE'],
    }),
    'medium',
    { capacity_providers: ['FARGATE_SPOT'] },
  ),
  created('ecs.task-definition.register', doc.RegisterTaskDefinition, 'aws_ecs_task_definition'),
  deleted(
    'ecs.task-definition.deregister',
    doc.DeregisterTaskDefinition,
    res('aws_ecs_task_definition', 'api', { arn: `${E}:task-definition/api:41` }),
  ),
  created('ecs.capacity-provider.create', doc.CreateCapacityProvider, 'aws_ecs_capacity_provider'),
  modified(
    'ecs.capacity-provider.update',
    doc.UpdateCapacityProvider,
    res('aws_ecs_capacity_provider', `${E}:capacity-provider/spot-asg`, { name: 'spot-asg' }),
    'medium',
    [],
  ),
  deleted(
    'ecs.capacity-provider.delete',
    doc.DeleteCapacityProvider,
    res('aws_ecs_capacity_provider', `${E}:capacity-provider/spot-asg`, { name: 'spot-asg' }),
  ),
  modified(
    'ecs.account-setting.put',
    corpusRecord('awsdocs-amazon-ecs-developer-guide/doc_source/ecs-fips-compliance__1.json'),
    res('aws_ecs_account_setting_default', 'awsvpcTrunking', { name: 'awsvpcTrunking', value: 'disabled' }),
    'low',
    { value: 'enabled' },
    res('aws_ecs_account_setting_default', 'awsvpcTrunking', { name: 'awsvpcTrunking', value: 'enabled' }),
  ),
  deleted(
    'ecs.account-setting.delete',
    doc.DeleteAccountSetting,
    res('aws_ecs_account_setting_default', 'containerInsights', { name: 'containerInsights' }),
    'low',
  ),
  modified('ecs.tags.add', doc.TagResource, cluster(), 'low', { 'tags.owner': 'mallory' }),
  modified('ecs.tags.remove', doc.UntagResource, cluster(), 'low', { 'tags.env': null }),
];

describe('rules/ecs.yaml', () => {
  ruleCases('rules/ecs.yaml', cases);
});
