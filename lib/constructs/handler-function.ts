// One Lambda function as tfdrift deploys them all: bundled handler, nodejs22.x on arm64, its own
// role (no managed policies: only its log group and what the caller grants) and its own log group.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import {
  AssetHashType,
  DockerImage,
  Duration,
  type ILocalBundling,
  RemovalPolicy,
  Validations,
} from 'aws-cdk-lib';
import { type IGrantable, type IPrincipal, type IRole, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Code, Function as LambdaFunction, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type ILogGroup, LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ARCHITECTURE, bundleHandlerSync, type HandlerName, REPO_ROOT, RUNTIME } from '../bundling.js';

export interface HandlerFunctionProps {
  /** The handler file under lambdas/handlers (lib/bundling.ts HANDLERS). */
  readonly handler: HandlerName;
  /** The function's description (starts with `tfdrift: `). */
  readonly description: string;
  /** Environment variables (names from lambdas/handlers/runtime/function-env.ts). @default none */
  readonly environment?: Readonly<Record<string, string>>;
  /** How long the function's own log group keeps logs. */
  readonly logRetention: RetentionDays;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /** Why the function has no Lambda dead-letter queue (cdk-nag Serverless-LambdaDLQ). */
  readonly noDlqReason: string;
  /**
   * A fixed name for the function's role, for trust policies in other accounts that must name it
   * before it exists. @default a name CloudFormation generates
   */
  readonly roleName?: string;
}

/** Bundles built in this process (handler → its files, relative path → content), kept in memory. */
const builtBundles = new Map<HandlerName, Map<string, Buffer>>();

function readTree(dir: string, base = dir, files = new Map<string, Buffer>()): Map<string, Buffer> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) readTree(path, base, files);
    else files.set(relative(base, path), readFileSync(path));
  }
  return files;
}

/**
 * Builds the handler's bundle on this machine (lib/bundling.ts). CDK caches bundles by the JSON of the
 * bundling options, so the handler's name is a field of this object, not only in its closure. CDK's
 * cache lives in one cloud assembly; a process that synthesises several (the deploy rehearsal's
 * profiles) writes out its first build of each handler again instead of running esbuild again.
 */
class LocalHandlerBundling implements ILocalBundling {
  constructor(readonly handler: HandlerName) {}

  tryBundle(outputDir: string): boolean {
    const cached = builtBundles.get(this.handler);
    if (cached) {
      for (const [path, content] of cached) {
        mkdirSync(dirname(join(outputDir, path)), { recursive: true });
        writeFileSync(join(outputDir, path), content);
      }
      return true;
    }
    bundleHandlerSync(this.handler, outputDir);
    builtBundles.set(this.handler, readTree(outputDir));
    return true;
  }
}

/** The handler's asset; its hash is that of the bundle, so an unchanged build is not re-uploaded. */
function handlerCode(handler: HandlerName): Code {
  return Code.fromAsset(REPO_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type; never pulled: the local build always runs (or throws).
      image: DockerImage.fromRegistry('public.ecr.aws/sam/build-nodejs22.x'),
      local: new LocalHandlerBundling(handler),
    },
  });
}

/** A tfdrift function; grants go to its role (it is the grantee: `store.grantWrite(handler)`). */
export class HandlerFunction extends Construct implements IGrantable {
  /** The function (concrete: callers add environment variables and async-invoke settings). */
  readonly fn: LambdaFunction;
  readonly role: IRole;
  readonly logGroup: ILogGroup;
  readonly grantPrincipal: IPrincipal;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `tfdrift ${props.handler} function`,
      roleName: props.roleName,
    });
    this.grantPrincipal = this.role;
    // Instead of AWSLambdaBasicExecutionRole (any log group): only this function's own.
    this.logGroup.grantWrite(this.role);
    this.fn = new LambdaFunction(this, 'Function', {
      code: handlerCode(props.handler),
      handler: 'index.handler',
      description: props.description,
      runtime: RUNTIME,
      architecture: ARCHITECTURE,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      tracing: Tracing.ACTIVE,
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
}
