// An optional organisation-independent trail: multi-region, management write events, KMS-encrypted,
// log-file validation on. Most organisations already have a trail; then leave createTrail off.

import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Trail as CloudTrail, ReadWriteType } from 'aws-cdk-lib/aws-cloudtrail';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface TrailProps {
  /** Bucket receiving S3 server access logs of the trail bucket. */
  readonly accessLogs: IBucket;
  readonly retentionDays: number;
}

export class Trail extends Construct {
  readonly bucket: Bucket;
  readonly key: Key;
  readonly trail: CloudTrail;

  constructor(scope: Construct, id: string, props: TrailProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', { enableKeyRotation: true, description: 'tfdrift CloudTrail logs' });
    this.bucket = new Bucket(this, 'Logs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'trail/',
      lifecycleRules: [{ expiration: Duration.days(props.retentionDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.trail = new CloudTrail(this, 'Trail', {
      bucket: this.bucket,
      encryptionKey: this.key,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      managementEvents: ReadWriteType.WRITE_ONLY,
      enableFileValidation: true,
    });
  }
}
