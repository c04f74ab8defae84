// rules/ec2.yaml: instances, launch templates, AMIs, EBS, account-level EC2 settings, ENIs, EIPs,
// key pairs, placement groups and EC2 tags. Corpus records where they exist, the rest written from
// the EC2 API reference (test/fixtures/rules/ec2/events.doc-shaped.json).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatePattern } from '../../../lambdas/core/event-pattern.js';
import { parseRuleFile } from '../../../lambdas/core/rule-load.js';
import { created, deleted, modified, res } from './case-builders.js';
import { findings, fixtureRecord, stateOf } from './harness.js';
import { docRecords, type RuleCase, ruleCases } from './rule-cases.js';

const corpus = (name: string) => fixtureRecord(`ec2/corpus/${name}.json`);
const doc = docRecords('ec2', 'ec2.amazonaws.com');

const I = 'i-0a1b2c3d4e5f60718';
const LT = 'lt-0a1b2c3d4e5f60718';
const AMI = 'ami-0a1b2c3d4e5f60718';
const SNAP = 'snap-0a1b2c3d4e5f60718';
const VOL = 'vol-0a1b2c3d4e5f60718';
const ENI = 'eni-0a1b2c3d4e5f60718';
const metadata = (tokens: string) => [
  {
    http_tokens: tokens,
    http_endpoint: 'enabled',
    http_put_response_hop_limit: 1,
    instance_metadata_tags: 'disabled',
  },
];

const cases: RuleCase[] = [
  created(
    'ec2.instance.run',
    corpus('cloudtrail-watcher__ec2_RunInstances_single'),
    'aws_instance',
    'medium',
  ),
  deleted(
    'ec2.instance.terminate',
    corpus('awsdocs-amazon-ec2-user-guide__monitor-with-cloudtrail__1'),
    res('aws_instance', 'i-1a2b3c4d'),
    'high',
  ),
  modified(
    'ec2.instance-state.start',
    corpus('awsdocs-aws-cloudtrail-user-guide__cloudtrail-log-file-examples__1'),
    res('aws_ec2_instance_state', 'i-ebeaf9e2', { instance_id: 'i-ebeaf9e2', state: 'stopped' }),
    'low',
    { state: 'running' },
    res('aws_ec2_instance_state', 'i-ebeaf9e2', { instance_id: 'i-ebeaf9e2', state: 'running' }),
  ),
  modified(
    'ec2.instance-state.stop',
    corpus('awsdocs-aws-cloudtrail-user-guide__cloudtrail-log-file-examples__2'),
    res('aws_ec2_instance_state', 'i-ebeaf9e2', { instance_id: 'i-ebeaf9e2', state: 'running' }),
    'medium',
    { state: 'stopped' },
  ),
  modified(
    'ec2.instance.modify-attribute',
    corpus('cloudtrail-console-actions__ModifyInstanceAttribute__1'),
    res('aws_instance', 'i-09c0962723ab84080', { instance_type: 't2.micro' }),
    'medium',
    { instance_type: 't2.xlarge' },
    res('aws_instance', 'i-09c0962723ab84080', { instance_type: 't2.xlarge' }),
    'instance type',
  ),
  modified(
    'ec2.instance.modify-attribute',
    corpus('reflex-aws-ec2-instance-termination-protection-disabled__modify_instance_attribute__1'),
    res('aws_instance', 'i-00e55557cb8e5f276', { disable_api_termination: true }),
    'high',
    { disable_api_termination: false },
    res('aws_instance', 'i-00e55557cb8e5f276', { disable_api_termination: false }),
    'termination protection off is high',
  ),
  modified(
    'ec2.instance.modify-attribute',
    corpus('stratus-red-team__aws.execution.ec2-user-data__6'),
    res('aws_instance', 'i-DDd6c7B0e18F0E35f', { user_data: 'b5f5c2a4e6f1' }),
    'high',
    [],
    undefined,
    'user data replaced (value redacted by CloudTrail) is high',
  ),
  modified(
    'ec2.instance.reset-attribute',
    doc.ResetInstanceAttribute,
    res('aws_instance', I, { source_dest_check: false }),
    'medium',
    { source_dest_check: true },
    res('aws_instance', I, { source_dest_check: true }),
  ),
  created('ec2.spot-request.create', doc.RequestSpotInstances, 'aws_spot_instance_request', 'low'),
  deleted(
    'ec2.spot-request.cancel',
    doc.CancelSpotInstanceRequests,
    res('aws_spot_instance_request', 'sir-0a1b2c3d', { spot_instance_id: I }),
    'medium',
  ),
  modified(
    'ec2.instance.metadata-options',
    doc.ModifyInstanceMetadataOptions,
    res('aws_instance', I, { metadata_options: metadata('required') }),
    'high',
    { 'metadata_options[0].http_tokens': 'optional' },
    res('aws_instance', I, { metadata_options: metadata('optional') }),
  ),
  modified(
    'ec2.instance.maintenance-options',
    doc.ModifyInstanceMaintenanceOptions,
    res('aws_instance', I, { maintenance_options: [{ auto_recovery: 'default' }] }),
    'low',
    { 'maintenance_options[0].auto_recovery': 'disabled' },
  ),
  modified(
    'ec2.instance.credit-specification',
    doc.ModifyInstanceCreditSpecification,
    res('aws_instance', I, { credit_specification: [{ cpu_credits: 'standard' }] }),
    'low',
    { 'credit_specification[0].cpu_credits': 'unlimited' },
  ),
  modified(
    'ec2.instance.placement',
    doc.ModifyInstancePlacement,
    res('aws_instance', I, { tenancy: 'default', host_id: '' }),
    'low',
    {
      tenancy: 'host',
      host_id: 'h-0a1b2c3d4e5f60718',
    },
  ),
  modified(
    'ec2.instance.monitoring',
    doc.MonitorInstances,
    res('aws_instance', I, { monitoring: false }),
    'low',
    { monitoring: true },
    res('aws_instance', I, { monitoring: true }),
  ),
  modified(
    'ec2.instance.unmonitoring',
    doc.UnmonitorInstances,
    res('aws_instance', I, { monitoring: true }),
    'low',
    { monitoring: false },
  ),
  modified(
    'ec2.instance.iam-profile-associate',
    doc.AssociateIamInstanceProfile,
    res('aws_instance', I, { iam_instance_profile: 'web-profile' }),
    'high',
    { iam_instance_profile: 'admin-profile' },
    res('aws_instance', I, { iam_instance_profile: 'admin-profile' }),
  ),
  modified(
    'ec2.instance.iam-profile-disassociate',
    doc.DisassociateIamInstanceProfile,
    res('aws_instance', I, { iam_instance_profile: 'web-profile' }),
    'medium',
    { iam_instance_profile: '' },
  ),
  created('ec2.launch-template.create', doc.CreateLaunchTemplate, 'aws_launch_template', 'low'),
  modified(
    'ec2.launch-template.new-version',
    doc.CreateLaunchTemplateVersion,
    res('aws_launch_template', LT, { name: 'web', latest_version: 2, default_version: 2 }),
    'medium',
    { latest_version: 3 },
  ),
  modified(
    'ec2.launch-template.modify',
    doc.ModifyLaunchTemplate,
    res('aws_launch_template', LT, { name: 'web', latest_version: 3, default_version: 2 }),
    'medium',
    { default_version: 3 },
    res('aws_launch_template', LT, { name: 'web', latest_version: 3, default_version: 3 }),
  ),
  deleted(
    'ec2.launch-template.delete',
    doc.DeleteLaunchTemplate,
    res('aws_launch_template', LT, { name: 'web' }),
    'medium',
  ),
  modified(
    'ec2.launch-template.delete-versions',
    doc.DeleteLaunchTemplateVersions,
    res('aws_launch_template', LT, { name: 'web' }),
    'low',
    [],
  ),
  created(
    'ec2.image.create-from-instance',
    corpus('streamalert__cloudtrail_ec2_image_creation__1'),
    'aws_ami_from_instance',
    'low',
  ),
  created('ec2.image.register', doc.RegisterImage, 'aws_ami', 'low'),
  created('ec2.image.copy', doc.CopyImage, 'aws_ami_copy', 'low'),
  deleted('ec2.image.deregister', doc.DeregisterImage, res('aws_ami', AMI), 'medium'),
  modified(
    'ec2.image.share',
    corpus('panther-analysis__aws_ami_modified_for_public_access__1'),
    res('aws_ami', 'ami-1111', { name: 'golden' }),
    'critical',
    [],
    undefined,
    'made public is critical',
  ),
  modified(
    'ec2.image.share',
    corpus('stratus-red-team__aws.exfiltration.ec2-share-ami__1'),
    res('aws_ami_copy', 'ami-de1fbCab6ccB03e6D', { name: 'golden-copy' }),
    'high',
    [],
    undefined,
    'shared with another account is high',
  ),
  deleted(
    'ec2.image.unshare',
    corpus('streamalert__cloudtrail_snapshot_or_ami_made_public__1'),
    res('aws_ami_launch_permission', 'ami-00000000000000000,all', {
      image_id: 'ami-00000000000000000',
      group: 'all',
    }),
    'medium',
  ),
  modified(
    'ec2.image.description',
    doc.ModifyImageAttributeDescription,
    res('aws_ami', AMI, { description: 'golden image' }),
    'low',
    {
      description: 'edited by hand',
    },
  ),
  modified('ec2.image.reset-attribute', doc.ResetImageAttribute, res('aws_ami', AMI), 'medium', []),
  created('ec2.snapshot.create', doc.CreateSnapshot, 'aws_ebs_snapshot', 'low'),
  created('ec2.snapshot.copy', doc.CopySnapshot, 'aws_ebs_snapshot_copy', 'low'),
  deleted(
    'ec2.snapshot.delete',
    doc.DeleteSnapshot,
    res('aws_ebs_snapshot', SNAP, { volume_id: VOL }),
    'medium',
  ),
  modified(
    'ec2.snapshot.share',
    corpus('panther-analysis__aws_snapshot_made_public__1'),
    res('aws_ebs_snapshot', 'snap-1111', { volume_id: VOL }),
    'critical',
    [],
    undefined,
    'made public is critical',
  ),
  modified(
    'ec2.snapshot.share',
    corpus('stratus-red-team__aws.exfiltration.ec2-share-ebs-snapshot__1'),
    res('aws_ebs_snapshot', 'snap-041993b54a9b3af6f', { volume_id: VOL }),
    'high',
    [],
    undefined,
    'shared with another account is high',
  ),
  deleted(
    'ec2.snapshot.unshare',
    doc.ModifySnapshotAttributeRemove,
    res('aws_snapshot_create_volume_permission', `${SNAP}-444455556666`, {
      snapshot_id: SNAP,
      account_id: '444455556666',
    }),
    'medium',
  ),
  modified(
    'ec2.snapshot.reset-attribute',
    doc.ResetSnapshotAttribute,
    res('aws_ebs_snapshot', SNAP),
    'medium',
    [],
  ),
  created(
    'ec2.volume.create',
    corpus('cloud-custodian__event-cloud-trail-create-volume'),
    'aws_ebs_volume',
    'low',
  ),
  deleted('ec2.volume.delete', doc.DeleteVolume, res('aws_ebs_volume', VOL), 'high'),
  modified(
    'ec2.volume.modify',
    doc.ModifyVolume,
    res('aws_ebs_volume', VOL, {
      size: 100,
      type: 'gp2',
      iops: 300,
      throughput: 0,
      multi_attach_enabled: false,
    }),
    'medium',
    { size: 200, type: 'gp3', iops: 3000, throughput: 125 },
    res('aws_ebs_volume', VOL, {
      size: 200,
      type: 'gp3',
      iops: 3000,
      throughput: 125,
      multi_attach_enabled: false,
    }),
  ),
  created('ec2.volume.attach', doc.AttachVolume, 'aws_volume_attachment', 'medium'),
  deleted(
    'ec2.volume.detach',
    doc.DetachVolume,
    res('aws_volume_attachment', 'vai-1234567890', {
      volume_id: VOL,
      instance_id: I,
      device_name: '/dev/sdf',
    }),
    'high',
  ),
  modified(
    'ec2.ebs-encryption-by-default.enable',
    doc.EnableEbsEncryptionByDefault,
    res('aws_ebs_encryption_by_default', 'terraform-20260101000000000000000001', { enabled: false }),
    'low',
    { enabled: true },
    res('aws_ebs_encryption_by_default', 'terraform-20260101000000000000000001', { enabled: true }),
  ),
  modified(
    'ec2.ebs-encryption-by-default.disable',
    corpus('panther-analysis__aws_ec2_ebs_encryption_disabled__1'),
    res('aws_ebs_encryption_by_default', 'terraform-20220328091515068500000001', { enabled: true }),
    'high',
    { enabled: false },
  ),
  modified(
    'ec2.ebs-default-kms-key.modify',
    doc.ModifyEbsDefaultKmsKeyId,
    res(
      'aws_ebs_default_kms_key',
      'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      {
        key_arn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
    ),
    'medium',
    { key_arn: '0987dcba-09fe-87dc-65ba-ab0987654321' },
  ),
  modified(
    'ec2.ebs-default-kms-key.reset',
    doc.ResetEbsDefaultKmsKeyId,
    res(
      'aws_ebs_default_kms_key',
      'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ),
    'medium',
    [],
  ),
  modified(
    'ec2.serial-console-access.enable',
    corpus('stratus-red-team__aws.lateral-movement.ec2-serial-console-send-ssh-public-key__1'),
    res('aws_ec2_serial_console_access', 'us-east-1', { enabled: false }),
    'high',
    { enabled: true },
  ),
  modified(
    'ec2.serial-console-access.disable',
    doc.DisableSerialConsoleAccess,
    res('aws_ec2_serial_console_access', 'us-east-1', { enabled: true }),
    'low',
    { enabled: false },
  ),
  modified(
    'ec2.image-block-public-access.enable',
    doc.EnableImageBlockPublicAccess,
    res('aws_ec2_image_block_public_access', 'us-east-1', { state: 'unblocked' }),
    'low',
    { state: 'block-new-sharing' },
  ),
  modified(
    'ec2.image-block-public-access.disable',
    doc.DisableImageBlockPublicAccess,
    res('aws_ec2_image_block_public_access', 'us-east-1', { state: 'block-new-sharing' }),
    'high',
    { state: 'unblocked' },
  ),
  modified(
    'ec2.snapshot-block-public-access.enable',
    doc.EnableSnapshotBlockPublicAccess,
    res('aws_ebs_snapshot_block_public_access', 'us-east-1', { state: 'block-all-sharing' }),
    'medium',
    { state: 'block-new-sharing' },
  ),
  modified(
    'ec2.snapshot-block-public-access.disable',
    doc.DisableSnapshotBlockPublicAccess,
    res('aws_ebs_snapshot_block_public_access', 'us-east-1', { state: 'block-all-sharing' }),
    'high',
    { state: 'unblocked' },
  ),
  modified(
    'ec2.instance-metadata-defaults.modify',
    doc.ModifyInstanceMetadataDefaults,
    res('aws_ec2_instance_metadata_defaults', 'us-east-1', {
      http_tokens: 'required',
      http_put_response_hop_limit: 1,
    }),
    'high',
    { http_tokens: 'optional', http_put_response_hop_limit: 2 },
  ),
  created('ec2.network-interface.create', doc.CreateNetworkInterface, 'aws_network_interface', 'low'),
  deleted(
    'ec2.network-interface.delete',
    doc.DeleteNetworkInterface,
    res('aws_network_interface', ENI),
    'medium',
  ),
  modified(
    'ec2.network-interface.modify-attribute',
    corpus('cloudtrail-lambda__modifyNI'),
    res('aws_network_interface', 'eni-01234567890abcdef', { security_groups: ['sg-01234567890abcdef'] }),
    'medium',
    { security_groups: ['sg-01234567890abcdef', 'sg-1234567890abcdef0', 'sg-234567890abcdef01'] },
    res('aws_network_interface', 'eni-01234567890abcdef', {
      security_groups: ['sg-234567890abcdef01', 'sg-1234567890abcdef0', 'sg-01234567890abcdef'],
    }),
  ),
  modified(
    'ec2.network-interface.modify-attribute',
    corpus('cloudtrail-lambda__modifyNI'),
    res('aws_instance', I, {
      primary_network_interface_id: 'eni-01234567890abcdef',
      vpc_security_group_ids: ['sg-01234567890abcdef'],
    }),
    'medium',
    { vpc_security_group_ids: ['sg-01234567890abcdef', 'sg-1234567890abcdef0', 'sg-234567890abcdef01'] },
    undefined,
    'primary interface of an instance',
  ),
  modified(
    'ec2.network-interface.attach',
    doc.AttachNetworkInterface,
    res('aws_network_interface', ENI),
    'medium',
    [],
  ),
  deleted(
    'ec2.network-interface.detach',
    doc.DetachNetworkInterface,
    res('aws_network_interface_attachment', 'eni-attach-0a1b2c3d4e5f60718', {
      instance_id: I,
      network_interface_id: ENI,
    }),
    'medium',
  ),
  modified(
    'ec2.network-interface.private-ips',
    doc.AssignPrivateIpAddresses,
    res('aws_network_interface', ENI),
    'low',
    [],
  ),
  created('ec2.eip.allocate', doc.AllocateAddress, 'aws_eip', 'low'),
  deleted(
    'ec2.eip.release',
    doc.ReleaseAddress,
    res('aws_eip', 'eipalloc-0a1b2c3d4e5f60718', { public_ip: '198.51.100.23' }),
    'high',
  ),
  modified(
    'ec2.eip.associate',
    doc.AssociateAddress,
    res('aws_eip', 'eipalloc-0a1b2c3d4e5f60718', { instance: I, network_interface: ENI }),
    'medium',
    { instance: 'i-0ffffffffffff0001' },
  ),
  deleted(
    'ec2.eip.disassociate',
    doc.DisassociateAddress,
    res('aws_eip_association', 'eipassoc-0a1b2c3d4e5f60718', {
      allocation_id: 'eipalloc-0a1b2c3d4e5f60718',
      instance_id: I,
    }),
    'medium',
  ),
  created(
    'ec2.key-pair.create',
    corpus('awsdocs-aws-cloudtrail-user-guide__cloudtrail-log-file-examples__3'),
    'aws_key_pair',
    'low',
  ),
  deleted(
    'ec2.key-pair.delete',
    doc.DeleteKeyPair,
    res('aws_key_pair', 'deploy', { key_name: 'deploy', key_pair_id: 'key-0a1b2c3d4e5f60718' }),
    'medium',
  ),
  created('ec2.placement-group.create', doc.CreatePlacementGroup, 'aws_placement_group', 'low'),
  deleted(
    'ec2.placement-group.delete',
    doc.DeletePlacementGroup,
    res('aws_placement_group', 'hpc', { placement_group_id: 'pg-0a1b2c3d4e5f60718' }),
    'medium',
  ),
  modified(
    'ec2.tags.create',
    corpus('cloudtrail-tracker__sample-cloudtrail-event__31'),
    res('aws_instance', 'i-069954d7c5578441f', { tags: { Name: 'web' }, tags_all: { Name: 'web' } }),
    'low',
    { 'tags.aws:autoscaling:groupName': 'as-group-171' },
    res('aws_instance', 'i-069954d7c5578441f', {
      tags: { Name: 'web', 'aws:autoscaling:groupName': 'as-group-171' },
    }),
  ),
  modified(
    'ec2.tags.delete',
    doc.DeleteTags,
    res('aws_ebs_volume', VOL, { tags: { Owner: 'team-a', Name: 'data' } }),
    'low',
    { 'tags.Owner': null },
    res('aws_ebs_volume', VOL, { tags: { Name: 'data' } }),
  ),
];

describe('ec2 rules', () => {
  ruleCases('rules/ec2.yaml', cases);

  it('ignores instances and interfaces that AWS services create for themselves', () => {
    const run = corpus('cloudtrail-watcher__ec2_RunInstances_single');
    expect(findings({ ...run, userAgent: 'autoscaling.amazonaws.com' }, stateOf())).toEqual([]);
    const eni = doc.CreateNetworkInterface as { requestParameters: Record<string, unknown> };
    const lambdaEni = {
      ...eni,
      requestParameters: { ...eni.requestParameters, description: 'AWS Lambda VPC ENI-worker-1234' },
    };
    expect(findings(lambdaEni, stateOf())).toEqual([]);
  });
});

// The EC2-family rule files share this check: every `when` / `escalate` pattern is one the bus accepts.
describe('EC2-family rule patterns', () => {
  const files = ['ec2', 'vpc', 'security-groups', 'autoscaling', 'elb', 'elbv2'];
  it.each(files)('rules/%s.yaml patterns are valid EventBridge patterns', (name) => {
    const file = join(import.meta.dirname, '../../../rules', `${name}.yaml`);
    const content = parseRuleFile(file, readFileSync(file, 'utf8'));
    const problems = content.rules.flatMap((rule) =>
      [rule.when, ...(rule.escalate ?? []).map((e) => e.when)]
        .filter((p) => p !== undefined)
        .flatMap((p) => validatePattern(p).map((problem) => `${rule.id}: ${problem}`)),
    );
    expect(problems).toEqual([]);
  });
});
