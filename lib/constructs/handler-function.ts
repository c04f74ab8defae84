// One Lambda function as tfdrift deploys them all: bundled handler, nodejs22.x on arm64, its own
// role (no managed policies: only its log group and what the caller grants) and its own log group.

import { join } from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { CfnTable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  ARCHITECTURE,
  HANDLERS_DIR,
  type HandlerName,
  nodejsBundling,
  REPO_ROOT,
  RUNTIME,
} from '../bundling.js';

export interface HandlerFunctionProps {
  readonly handler: HandlerName;
  readonly description: string;
  readonly environment?: Record<string, string>;
  readonly logRetention: RetentionDays;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /** Why the function has no Lambda dead-letter queue (cdk-nag Serverless-LambdaDLQ). */
  readonly noDlqReason: string;
}

export class HandlerFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: Role;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `tfdrift ${props.handler} function`,
    });
    // Instead of AWSLambdaBasicExecutionRole (any log group): only this function's own.
    this.logGroup.grantWrite(this.role);
    this.fn = new NodejsFunction(this, 'Function', {
      entry: join(HANDLERS_DIR, `${props.handler}.ts`),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: RUNTIME,
      architecture: ARCHITECTURE,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
      bundling: nodejsBundling(props.handler),
      environment: {
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...props.environment,
      },
    });
    const ack = Validations.of(this);
    ack.acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only X-Ray (xray:PutTraceSegments, xray:PutTelemetryRecords) and, on a stream consumer, dynamodb:ListStreams are on "*": these actions have no resource-level permissions.',
      },
      {
        id: 'AwsSolutions-L1',
        reason:
          'nodejs22.x is the pinned runtime (supported into 2027); moving to nodejs24.x is a deliberate, benchmarked upgrade.',
      },
      {
        id: 'Serverless-LambdaLatestVersion',
        reason:
          'nodejs22.x is the pinned runtime (supported into 2027); moving to nodejs24.x is a deliberate, benchmarked upgrade.',
      },
      { id: 'Serverless-LambdaDLQ', reason: props.noDlqReason },
    );
  }

  /** Acknowledges the wildcard findings CDK grants on DynamoDB indexes (`<table>/index/*`). */
  acknowledgeIndexGrant(table: Table): void {
    const logicalId = Stack.of(table).getLogicalId(table.node.defaultChild as CfnTable);
    Validations.of(this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
      reason:
        'Queries use the global secondary indexes of this one table (lambdas/adapters/aws/drift-table-design.ts).',
    });
  }
}
