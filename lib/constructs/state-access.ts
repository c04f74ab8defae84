// Read-only access to Terraform state: s3:GetObject on the configured prefixes (or globs) only,
// s3:ListBucket only for those prefixes and the backend's env:/ workspaces (s3:prefix condition),
// kms:Decrypt when the bucket uses SSE-KMS.

import { Validations } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { listPrefix, objectPattern, type StateBucketSettings } from '../settings.js';

export interface StateAccessProps {
  /** The state buckets with their prefixes (and SSE-KMS keys). @default none: grants nothing */
  readonly buckets?: readonly StateBucketSettings[];
}

export class StateAccess extends Construct {
  private readonly statements: PolicyStatement[] = [];
  private readonly keys: IKey[] = [];
  /** Object patterns granted, as cdk-nag names them in IAM5 findings. */
  private readonly patterns: string[] = [];

  constructor(scope: Construct, id: string, props: StateAccessProps = {}) {
    super(scope, id);
    (props.buckets ?? []).forEach((settings, index) => {
      const bucket = Bucket.fromBucketName(this, `Bucket${index}`, settings.bucket);
      this.statements.push(
        new PolicyStatement({
          sid: `ReadState${index}`,
          actions: ['s3:GetObject'],
          // Terraform's S3 backend keeps workspace states at env:/<workspace>/<key>.
          resources: settings.prefixes.flatMap((prefix) =>
            prefix === ''
              ? [bucket.arnForObjects('*')]
              : [
                  bucket.arnForObjects(objectPattern(prefix)),
                  bucket.arnForObjects(`env:/*/${objectPattern(prefix)}`),
                ],
          ),
        }),
      );
      for (const prefix of settings.prefixes) {
        const pattern = prefix === '' ? ['*'] : [objectPattern(prefix), `env:/*/${objectPattern(prefix)}`];
        this.patterns.push(...pattern.map((p) => `arn:<AWS::Partition>:s3:::${settings.bucket}/${p}`));
      }
      const wholeBucket = settings.prefixes.some((prefix) => listPrefix(prefix) === '');
      this.statements.push(
        new PolicyStatement({
          sid: `ListState${index}`,
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: wholeBucket
            ? undefined
            : {
                StringLike: {
                  's3:prefix': [...settings.prefixes.map((prefix) => `${listPrefix(prefix)}*`), 'env:/*'],
                },
              },
        }),
      );
      if (settings.kmsKeyArn) {
        this.keys.push(Key.fromKeyArn(this, `Key${index}`, settings.kmsKeyArn));
      }
    });
  }

  /** Grants read of the state (and decrypt of its keys) to the grantee. */
  grantRead(grantee: IGrantable): void {
    for (const statement of this.statements) grantee.grantPrincipal.addToPrincipalPolicy(statement);
    for (const key of this.keys) key.grantDecrypt(grantee);
    // The object patterns are wildcards by nature: say why, on the principal cdk-nag reports.
    const owner = grantee.grantPrincipal;
    if (!Construct.isConstruct(owner)) return;
    for (const pattern of this.patterns) {
      Validations.of(owner).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${pattern}]`,
        reason:
          'Read-only (s3:GetObject) on the state prefix or glob the operator configured; state keys are not known in advance.',
      });
    }
  }
}
