// An optional organisation-independent trail: multi-region, management write events, KMS-encrypted,
// log-file validation on. Most organisations already have a trail; then leave createTrail off.
//
// The key and bucket policies are the ones the CloudTrail user guide prescribes, scoped to this one
// trail with aws:SourceArn ("Configure AWS KMS key policies for CloudTrail", "Amazon S3 bucket policy
// for CloudTrail"). The trail is an L1 resource with a fixed name: its ARN must appear in the policies
// it depends on, and CDK's L2 trail adds its own bucket statements without that condition.

import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { CfnTrail } from 'aws-cdk-lib/aws-cloudtrail';
import { type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, CfnBucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface TrailProps {
  /** Bucket receiving S3 server access logs of the trail bucket. */
  readonly accessLogs: IBucket;
  /** Days the log files are kept (lifecycle expiration). */
  readonly retentionDays: number;
  /** @default `<stack name>-trail` */
  readonly trailName?: string;
}

export class Trail extends Construct {
  /** The log bucket (versioned, retained with the stack). */
  readonly bucket: IBucket;
  /** The key the log files are encrypted with. */
  readonly key: IKey;
  readonly trail: CfnTrail;
  readonly trailArn: string;

  constructor(scope: Construct, id: string, props: TrailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const trailName = props.trailName ?? `${stack.stackName}-trail`;
    // Built, not referenced: the policies the trail depends on name it (a reference would be a cycle).
    this.trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: trailName });
    const cloudTrail = new ServicePrincipal('cloudtrail.amazonaws.com');
    const thisTrail = { 'aws:SourceArn': this.trailArn };

    const key = new Key(this, 'Key', { enableKeyRotation: true, description: 'tfdrift CloudTrail logs' });
    this.key = key;
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudTrailEncryptLogs',
        principals: [cloudTrail],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          StringEquals: thisTrail,
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': stack.formatArn({
              service: 'cloudtrail',
              region: '*',
              resource: 'trail',
              resourceName: '*',
            }),
          },
        },
      }),
    );
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudTrailDescribeKey',
        principals: [cloudTrail],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: { StringEquals: thisTrail },
      }),
    );

    const bucket = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'trail/',
      lifecycleRules: [{ expiration: Duration.days(props.retentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = bucket;
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudTrailAclCheck',
        principals: [cloudTrail],
        actions: ['s3:GetBucketAcl'],
        resources: [this.bucket.bucketArn],
        conditions: { StringEquals: thisTrail },
      }),
    );
    bucket.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudTrailWrite',
        principals: [cloudTrail],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
        conditions: { StringEquals: { ...thisTrail, 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }),
    );

    this.trail = new CfnTrail(this, 'Trail', {
      trailName,
      isLogging: true,
      s3BucketName: this.bucket.bucketName,
      kmsKeyId: this.key.keyArn,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      eventSelectors: [{ readWriteType: 'WriteOnly', includeManagementEvents: true }],
    });
    // CloudTrail checks the bucket policy and the key when the trail is created.
    if (bucket.policy) this.trail.node.addDependency(bucket.policy);
    this.trail.node.addDependency(key);
  }
}

export interface TrailLogsProps {
  /** The trail's bucket: the stack's own trail's, or an existing trail's. */
  readonly bucket: IBucket;
  /** What comes before `AWSLogs/` in the log files' keys. @default '' */
  readonly prefix?: string;
  /** The key the log files are encrypted with (SSE-KMS). @default none */
  readonly key?: IKey;
}

/**
 * A trail's log files, wherever the trail is (this stack's Trail or an existing organisation trail),
 * and the one grant the backstop needs on them: list and read what is under `<prefix>AWSLogs/`.
 */
export class TrailLogs {
  /** `<prefix>/AWSLogs/` (or `AWSLogs/`): where CloudTrail writes. */
  readonly logsPrefix: string;
  /** The bucket's name (what the backstop is told to read). */
  readonly bucketName: string;

  constructor(private readonly props: TrailLogsProps) {
    const prefix = props.prefix ?? '';
    this.logsPrefix = `${prefix ? `${prefix.replace(/\/+$/, '')}/` : ''}AWSLogs/`;
    this.bucketName = props.bucket.bucketName;
  }

  /** Exactly what the backstop calls: ListObjectsV2 under the log prefix, GetObject of the files. */
  grantRead(grantee: IGrantable): void {
    const { bucket, key } = this.props;
    const logs = this.logsPrefix;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ListTrailLogs',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${logs}*`] } },
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadTrailLogs',
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects(`${logs}*`)],
      }),
    );
    const owner = grantee.grantPrincipal;
    if (Construct.isConstruct(owner)) {
      const cfn = bucket.node.defaultChild;
      const arn =
        cfn instanceof CfnBucket
          ? `<${Stack.of(bucket).getLogicalId(cfn)}.Arn>`
          : `arn:<AWS::Partition>:s3:::${bucket.bucketName}`;
      Validations.of(owner).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${arn}/${logs}*]`,
        reason:
          'Read-only (s3:GetObject) on the trail log files under AWSLogs/; their keys are not known in advance.',
      });
    }
    key?.grantDecrypt(grantee);
  }
}
