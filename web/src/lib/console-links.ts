// Links to the AWS console built from our own templates: event data only ever enters a URL
// through encodeURIComponent, and only after the host part is fixed.

import type { Drift } from '../types.js';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function safeRegion(region: string | null | undefined, fallback = 'us-east-1'): string {
  if (region && REGION.test(region)) return region;
  return REGION.test(fallback) ? fallback : 'us-east-1';
}

const enc = encodeURIComponent;

/** The last segment of an ARN's resource part: arn:aws:rds:r:a:db:name → name, .../role/x → x. */
function arnName(arn: string | null): string | null {
  if (!arn) return null;
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split(/[:/]/);
  return parts[parts.length - 1] || null;
}

type LinkBuilder = (id: string, arn: string | null, region: string) => string | null;

const regional = (region: string, service: string) =>
  `https://${region}.console.aws.amazon.com/${service}/home?region=${region}`;
const ec2 = (region: string, fragment: string) => `${regional(region, 'ec2')}#${fragment}`;
const iam = (fragment: string) => `https://console.aws.amazon.com/iam/home#/${fragment}`;
const s3 = (bucket: string, region: string) =>
  `https://s3.console.aws.amazon.com/s3/buckets/${enc(bucket)}?region=${region}&tab=properties`;

const BY_TYPE: Record<string, LinkBuilder> = {
  aws_instance: (id, _a, r) => ec2(r, `InstanceDetails:instanceId=${enc(id)}`),
  aws_security_group: (id, _a, r) => ec2(r, `SecurityGroup:groupId=${enc(id)}`),
  aws_ebs_volume: (id, _a, r) => ec2(r, `VolumeDetails:volumeId=${enc(id)}`),
  aws_eip: (id, _a, r) => ec2(r, `ElasticIpDetails:AllocationId=${enc(id)}`),
  aws_launch_template: (id, _a, r) => ec2(r, `LaunchTemplateDetails:launchTemplateId=${enc(id)}`),
  aws_vpc: (id, _a, r) => `${regional(r, 'vpcconsole')}#VpcDetails:VpcId=${enc(id)}`,
  aws_subnet: (id, _a, r) => `${regional(r, 'vpcconsole')}#SubnetDetails:subnetId=${enc(id)}`,
  aws_route_table: (id, _a, r) => `${regional(r, 'vpcconsole')}#RouteTableDetails:RouteTableId=${enc(id)}`,
  aws_s3_bucket: (id, _a, r) => s3(id, r),
  aws_iam_role: (id) => iam(`roles/details/${enc(id)}`),
  aws_iam_role_policy: (id) => iam(`roles/details/${enc(id.split(':')[0])}?section=permissions`),
  aws_iam_user: (id) => iam(`users/details/${enc(id)}`),
  aws_iam_group: (id) => iam(`groups/details/${enc(id)}`),
  aws_iam_policy: (id, arn) => iam(`policies/details/${enc(arn ?? id)}`),
  aws_lambda_function: (id, _a, r) => `${regional(r, 'lambda')}#/functions/${enc(id)}`,
  aws_db_instance: (id, arn, r) =>
    `${regional(r, 'rds')}#database:id=${enc(arnName(arn) ?? id)};is-cluster=false`,
  aws_rds_cluster: (id, _a, r) => `${regional(r, 'rds')}#database:id=${enc(id)};is-cluster=true`,
  aws_dynamodb_table: (id, _a, r) => `${regional(r, 'dynamodbv2')}#table?name=${enc(id)}`,
  aws_sqs_queue: (id, _a, r) =>
    `https://${r}.console.aws.amazon.com/sqs/v3/home?region=${r}#/queues/${enc(id)}`,
  aws_sns_topic: (id, arn, r) =>
    `https://${r}.console.aws.amazon.com/sns/v3/home?region=${r}#/topic/${enc(arn ?? id)}`,
  aws_kms_key: (id, _a, r) => `${regional(r, 'kms')}#/kms/keys/${enc(id)}`,
  aws_cloudwatch_log_group: (id, _a, r) =>
    `${regional(r, 'cloudwatch')}#logsV2:log-groups/log-group/${enc(id).replace(/%/g, '$25')}`,
  aws_ecr_repository: (id, _a, r) => `${regional(r, 'ecr')}#/repositories/private/${enc(id)}`,
  aws_cloudfront_distribution: (id) =>
    `https://us-east-1.console.aws.amazon.com/cloudfront/v4/home#/distributions/${enc(id)}`,
};

/** S3 sub-resources (aws_s3_bucket_policy, _versioning, ...) are keyed by the bucket name. */
function builderFor(type: string): LinkBuilder | undefined {
  if (BY_TYPE[type]) return BY_TYPE[type];
  if (type.startsWith('aws_s3_bucket_')) return (id, _a, r) => s3(id.split(',')[0], r);
  if (type.startsWith('aws_security_group_rule') || type.startsWith('aws_vpc_security_group_'))
    return (_id, _a, r) => ec2(r, 'SecurityGroups:');
  return undefined;
}

export interface ConsoleLink {
  readonly label: string;
  readonly href: string;
}

export function resourceConsoleLink(drift: Drift, fallbackRegion?: string): ConsoleLink | null {
  const region = safeRegion(drift.event.region, fallbackRegion);
  const { type, id, arn } = drift.resource;
  const builder = builderFor(type);
  const key = id ?? arnName(arn);
  if (builder && key) {
    const href = builder(key, arn, region);
    if (href) return { label: 'Open in AWS console', href };
  }
  const term = arn ?? id;
  if (!term) return null;
  // No page we know of for this type: search for it with Resource Explorer.
  return {
    label: 'Search in AWS console',
    href: `https://${region}.console.aws.amazon.com/resource-explorer/home?region=${region}#/search?query=${enc(term)}`,
  };
}

export function cloudTrailLink(drift: Drift, fallbackRegion?: string): ConsoleLink {
  const region = safeRegion(drift.event.region, fallbackRegion);
  return {
    label: 'CloudTrail event history',
    href: `https://${region}.console.aws.amazon.com/cloudtrail/home?region=${region}#/events/${enc(drift.event.id)}`,
  };
}
