// A drift as an AWS Security Finding Format (ASFF) finding, for Security Hub's BatchImportFindings:
// the security team sees Terraform drift next to its other findings. Pure: the account and region
// of the importing account (a custom integration's `product/<account>/default`) come in as options.
// Every foreign string is plain text here (Security Hub renders no markup); lengths are cut to
// ASFF's limits (Title 256, Description 1024 characters).

import { oneLine } from './alert-text.js';
import type { DriftEvent } from './drift-events.js';
import type { DriftStatus, Severity } from './types.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** The finding type (ASFF namespace/category): a configuration that differs from its definition. */
export const ASFF_DRIFT_TYPE = 'Software and Configuration Checks/AWS Config Analysis';

/** The partitions ASFF knows for an AWS resource. */
export const ASFF_PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-us-iso', 'aws-us-iso-b'] as const;
export type AsffPartition = (typeof ASFF_PARTITIONS)[number];

export type AsffWorkflowStatus = 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED';

export interface AsffFinding {
  readonly SchemaVersion: typeof ASFF_SCHEMA_VERSION;
  readonly Id: string;
  readonly ProductArn: string;
  readonly ProductName: string;
  readonly CompanyName: string;
  readonly GeneratorId: string;
  readonly AwsAccountId: string;
  readonly Types: readonly string[];
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  readonly FirstObservedAt: string;
  readonly LastObservedAt: string;
  readonly Severity: { readonly Label: 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL'; readonly Original: string };
  readonly Title: string;
  readonly Description: string;
  readonly SourceUrl?: string;
  readonly Resources: readonly {
    readonly Type: string;
    readonly Id: string;
    readonly Partition: AsffPartition;
    readonly Region: string;
    readonly Details: { readonly Other: Record<string, string> };
  }[];
  readonly Workflow: { readonly Status: AsffWorkflowStatus };
  readonly RecordState: 'ACTIVE' | 'ARCHIVED';
}

export interface AsffOptions {
  /** The account that imports (Security Hub's custom integration lives there). */
  readonly accountId: string;
  /** Security Hub's region. */
  readonly region: string;
  /** @default aws */
  readonly partition?: AsffPartition;
}

const SEVERITY: Record<Severity, AsffFinding['Severity']['Label']> = {
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
};

/** tfdrift status → Security Hub workflow: acknowledged means the owner knows (NOTIFIED). */
export const ASFF_WORKFLOW: Record<DriftStatus, AsffWorkflowStatus> = {
  open: 'NEW',
  acknowledged: 'NOTIFIED',
  resolved: 'RESOLVED',
};

/** Terraform types with an ASFF resource type of their own; every other one is `Other`. */
const RESOURCE_TYPES: Record<string, string> = {
  aws_instance: 'AwsEc2Instance',
  aws_security_group: 'AwsEc2SecurityGroup',
  aws_vpc: 'AwsEc2Vpc',
  aws_subnet: 'AwsEc2Subnet',
  aws_ebs_volume: 'AwsEc2Volume',
  aws_s3_bucket: 'AwsS3Bucket',
  aws_iam_role: 'AwsIamRole',
  aws_iam_user: 'AwsIamUser',
  aws_iam_policy: 'AwsIamPolicy',
  aws_iam_access_key: 'AwsIamAccessKey',
  aws_lambda_function: 'AwsLambdaFunction',
  aws_db_instance: 'AwsRdsDbInstance',
  aws_rds_cluster: 'AwsRdsDbCluster',
  aws_dynamodb_table: 'AwsDynamoDbTable',
  aws_sns_topic: 'AwsSnsTopic',
  aws_sqs_queue: 'AwsSqsQueue',
  aws_kms_key: 'AwsKmsKey',
  aws_cloudtrail: 'AwsCloudTrailTrail',
  aws_lb: 'AwsElbv2LoadBalancer',
  aws_ecr_repository: 'AwsEcrRepository',
  aws_secretsmanager_secret: 'AwsSecretsManagerSecret',
};

function partitionOf(arn: string | null, fallback: AsffPartition): AsffPartition {
  const part = arn?.split(':')[1];
  return ASFF_PARTITIONS.find((p) => p === part) ?? fallback;
}

/** The ASFF finding of a drift event (either detail-type: the finding's current state). */
export function asffFinding(event: DriftEvent, options: AsffOptions): AsffFinding {
  const d = event.detail;
  const partition = options.partition ?? 'aws';
  const what =
    d.resource.address ?? `${d.resource.type} ${d.resource.id ?? d.resource.arn ?? '(unknown id)'}`;
  const who = d.actor.name ?? d.actor.arn ?? 'unknown principal';
  const title = oneLine(`Terraform drift (${d.kind}): ${what} by ${who}`, 256);
  const changes = d.changes
    .slice(0, 5)
    .map(
      (c) =>
        `${oneLine(c.attribute, 100)}: expected ${oneLine(c.expected, 100)}, actual ${oneLine(c.actual, 100)}`,
    );
  const description = oneLine(
    [
      oneLine(d.summary, 400),
      ...changes,
      `Call ${oneLine(d.event.name, 80)} by ${oneLine(d.actor.arn ?? who, 200)} at ${oneLine(d.event.time, 40)}`,
    ].join('. '),
    1024,
  );
  const other: Record<string, string> = {
    terraformType: oneLine(d.resource.type, 128),
    ruleId: oneLine(d.ruleId, 128),
    kind: d.kind,
    eventName: oneLine(d.event.name, 128),
    eventId: oneLine(d.event.id, 128),
    ...(d.resource.address ? { terraformAddress: oneLine(d.resource.address, 1024) } : {}),
    ...(d.resource.stateFile ? { stateFile: oneLine(d.resource.stateFile, 1024) } : {}),
  };
  const updatedAt = d.statusChange?.at ?? d.detectedAt;
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: d.id,
    ProductArn: `arn:${partition}:securityhub:${options.region}:${options.accountId}:product/${options.accountId}/default`,
    ProductName: 'tfdrift',
    CompanyName: 'tfdrift',
    GeneratorId: d.ruleId,
    AwsAccountId: options.accountId,
    Types: [ASFF_DRIFT_TYPE],
    CreatedAt: d.detectedAt,
    UpdatedAt: updatedAt,
    FirstObservedAt: d.event.time,
    LastObservedAt: d.event.time,
    Severity: { Label: SEVERITY[d.severity], Original: d.severity },
    Title: title,
    Description: description,
    ...(d.url ? { SourceUrl: d.url } : {}),
    Resources: [
      {
        Type: RESOURCE_TYPES[d.resource.type] ?? 'Other',
        Id: oneLine(d.resource.arn ?? d.resource.id ?? d.resource.address ?? d.id, 512),
        Partition: partitionOf(d.resource.arn, partition),
        Region: oneLine(d.event.region, 16),
        Details: { Other: other },
      },
    ],
    Workflow: { Status: ASFF_WORKFLOW[d.status] },
    RecordState: d.status === 'resolved' ? 'ARCHIVED' : 'ACTIVE',
  };
}
