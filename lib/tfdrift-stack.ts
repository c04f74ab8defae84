// The central tfdrift stack (DESIGN.md §1): ingest → detect → store → alert / live feed / query API,
// the dashboard, and the backstop that re-reads the trail's log files.

import {
  CfnOutput,
  DefaultStackSynthesizer,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { CfnUserPoolGroup } from 'aws-cdk-lib/aws-cognito';
import { CfnEventBusPolicy, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { EventPattern } from '../lambdas/core/event-pattern.js';
import { FUNCTION_ENV, MEMBER_ACCOUNT_PLACEHOLDER } from '../lambdas/handlers/runtime/function-env.js';
import { Alerts } from './constructs/alerts.js';
import { DashboardSite } from './constructs/dashboard-site.js';
import { DriftChannels, needsDriftBus } from './constructs/drift-channels.js';
import { DriftStore } from './constructs/drift-store.js';
import { DeadLetter, EventIngest } from './constructs/event-ingest.js';
import { HandlerFunction } from './constructs/handler-function.js';
import { LiveFeed } from './constructs/live-feed.js';
import { QueryApi } from './constructs/query-api.js';
import { StateAccess } from './constructs/state-access.js';
import { Trail, TrailLogs } from './constructs/trail.js';
import { nagAccount, nagRegion } from './nag.js';
import { cloudTrailPatterns, stateWritePatterns } from './rule-patterns.js';
import type { TfdriftSettings } from './settings.js';

export interface TfdriftStackProps extends StackProps {
  /** The deployment settings, validated (lib/settings.ts parseSettings). */
  readonly settings: TfdriftSettings;
  /** Folder with the built dashboard. */
  readonly webDist: string;
  /** CloudTrail patterns to deliver. @default generated from the deployed rule set */
  readonly patterns?: readonly EventPattern[];
}

/** Cognito group whose members may POST /api/v1/events (replaying events can resolve drift). */
export const ADMIN_GROUP = 'tfdrift-admins';

/**
 * The backfill function's role name when it reads member accounts: fixed, so the member roles' trust
 * policy (lib/templates/backfill-reader-role.yaml) can name it, even before the central stack exists.
 */
export function backfillRoleName(region: string): string {
  return `tfdrift-backfill-${region}`;
}

/** Nearest CloudWatch Logs retention at or above the configured number of days. */
export function logRetention(days: number): RetentionDays {
  const allowed = Object.values(RetentionDays)
    .filter((v): v is number => typeof v === 'number' && v > 0)
    .sort((a, b) => a - b);
  return (allowed.find((d) => d >= days) ?? allowed[allowed.length - 1]) as RetentionDays;
}

export class TfdriftStack extends Stack {
  readonly store: DriftStore;
  readonly alerts: Alerts;
  readonly detect: HandlerFunction;
  readonly ingest: EventIngest;
  readonly liveFeed: LiveFeed;
  readonly queryApi: QueryApi;
  readonly site: DashboardSite;
  /** The trail this stack created (only with createTrail). */
  readonly trail?: Trail;
  /** Re-reads the trail's recent log files (only with createTrail or trailBucket). */
  readonly backstop?: HandlerFunction;
  /** Reads CloudTrail event history for drift made before the install (first deploy, or on demand). */
  readonly backfill: HandlerFunction;
  /** Drift events and the alert channels besides email; absent when notifications ask for none. */
  readonly channels?: DriftChannels;
  readonly patterns: readonly EventPattern[];

  constructor(scope: Construct, id: string, props: TfdriftStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const retention = logRetention(Math.min(settings.retentionDays, 3653));
    this.patterns = props.patterns ?? cloudTrailPatterns();

    const accessLogs = this.addAccessLogs(settings.retentionDays);

    this.store = new DriftStore(this, 'Store');
    this.alerts = new Alerts(this, 'Alerts', { emails: settings.alertEmails });
    const stateAccess = new StateAccess(this, 'StateAccess', { buckets: settings.stateBuckets });
    if (needsDriftBus(settings.notifications)) {
      this.channels = new DriftChannels(this, 'Channels', {
        notifications: settings.notifications,
        alarmTopic: this.alerts.alarmTopic,
        topicKey: this.alerts.key,
        logRetention: retention,
      });
    }

    this.site = new DashboardSite(this, 'Dashboard', {
      webDist: props.webDist,
      accessLogs,
      authDomainPrefix: settings.authDomainPrefix ?? `tfdrift-${this.account}`,
      users: settings.dashboardUsers,
      domainName: settings.domainName,
      certificateArn: settings.certificateArn,
    });

    const detectorEnv = this.detectorEnvironment(settings);
    // Everything that runs the detect service: store drifts and events, alert, read state.
    const grantDetector = (handler: HandlerFunction) => {
      this.store.grantWrite(handler);
      this.alerts.grantPublish(handler);
      stateAccess.grantRead(handler);
      this.channels?.grantPublish(handler);
    };

    this.detect = this.addDetect(detectorEnv, retention, grantDetector);
    this.ingest = this.addIngest(settings);
    this.allowForwarders(settings);

    const streamDlq = new DeadLetter(this, 'FeedDeadLetter', {
      alarmTopic: this.alerts.alarmTopic,
      what: 'live-feed stream batches',
    });
    this.liveFeed = new LiveFeed(this, 'LiveFeed', {
      store: this.store,
      userPool: this.site.userPool,
      client: this.site.client,
      deadLetter: streamDlq,
      logRetention: retention,
    });

    const query = this.addQuery(detectorEnv, retention, grantDetector);
    this.queryApi = new QueryApi(this, 'QueryApi', {
      handler: query.fn,
      userPool: this.site.userPool,
      client: this.site.client,
      allowedOrigins: [this.site.origin],
      logRetention: retention,
    });
    this.site.deploy({
      apiBase: `${this.queryApi.url}/api/v1`,
      wsUrl: this.liveFeed.url,
      adminGroup: ADMIN_GROUP,
    });
    this.acknowledgeDeploymentFunction();

    const trail = this.trailLogs(settings, accessLogs);
    this.trail = trail?.trail;
    if (trail) this.backstop = this.addBackstop(trail.logs, detectorEnv, retention, settings, grantDetector);
    this.backfill = this.addBackfill(detectorEnv, retention, settings, grantDetector);
    // POST /api/v1/backfill (admins only) starts it: the function itself, no version or alias.
    this.backfill.fn.grantInvokeLatestVersion(query.fn);
    query.fn.addEnvironment(FUNCTION_ENV.backfillFunction, this.backfill.fn.functionName);
    this.alarmOnFunctionErrors();
    this.addOutputs();
  }

  /** Server access logs of the stack's buckets and CloudFront's standard logs (which need ACLs). */
  private addAccessLogs(retentionDays: number): IBucket {
    return new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(Math.max(90, Math.min(retentionDays, 3650))) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** What every function running the detect service is told: tables, topic, state, settings. */
  private detectorEnvironment(settings: TfdriftSettings): Record<string, string> {
    return {
      [FUNCTION_ENV.driftsTable]: this.store.drifts.tableName,
      [FUNCTION_ENV.eventsTable]: this.store.events.tableName,
      [FUNCTION_ENV.topicArn]: this.alerts.topic.topicArn,
      [FUNCTION_ENV.stateSources]: JSON.stringify(
        settings.stateBuckets.map(({ bucket, prefixes }) => ({ bucket, prefixes })),
      ),
      [FUNCTION_ENV.detectConfig]: JSON.stringify({
        ignore: { principals: settings.ignorePrincipals },
        terraformPrincipals: settings.terraformRoleArns,
      }),
      [FUNCTION_ENV.retentionDays]: String(settings.retentionDays),
      [FUNCTION_ENV.metricsNamespace]: 'tfdrift',
      [FUNCTION_ENV.dashboardUrl]: this.site.origin,
    };
  }

  /** The detect function: CloudTrail write events and state writes → drifts. */
  private addDetect(
    env: Record<string, string>,
    retention: RetentionDays,
    grantDetector: (handler: HandlerFunction) => void,
  ): HandlerFunction {
    const detect = new HandlerFunction(this, 'Detect', {
      handler: 'detect',
      description: 'tfdrift: CloudTrail write events and state writes → drifts',
      logRetention: retention,
      memorySize: 512,
      timeout: Duration.seconds(60),
      environment: env,
      noDlqReason:
        'Asynchronous failures go to an on-failure destination (the ingest dead-letter queue, with an alarm).',
    });
    grantDetector(detect);
    return detect;
  }

  /** The ingest rules delivering to the detect function, and where what it fails on ends up. */
  private addIngest(settings: TfdriftSettings): EventIngest {
    const ingestDlq = new DeadLetter(this, 'IngestDeadLetter', {
      alarmTopic: this.alerts.alarmTopic,
      what: 'CloudTrail events',
    });
    // Events EventBridge delivered but the function failed on after its own retries.
    this.detect.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(ingestDlq.queue),
    });
    return new EventIngest(this, 'Ingest', {
      patterns: this.patterns,
      extraPatterns: stateWritePatterns(settings.stateBuckets.map((b) => b.bucket)),
      target: this.detect.fn,
      deadLetter: ingestDlq,
    });
  }

  /** The dashboard API's function, and the Cognito group whose members may replay events. */
  private addQuery(
    env: Record<string, string>,
    retention: RetentionDays,
    grantDetector: (handler: HandlerFunction) => void,
  ): HandlerFunction {
    const query = new HandlerFunction(this, 'Query', {
      handler: 'query-api',
      description: 'tfdrift: dashboard HTTP API',
      logRetention: retention,
      memorySize: 512,
      timeout: Duration.seconds(29),
      environment: { ...env, [FUNCTION_ENV.adminGroup]: ADMIN_GROUP },
      noDlqReason:
        'Invoked synchronously by API Gateway: the caller gets the error; there is nothing to dead-letter.',
    });
    grantDetector(query);
    new CfnUserPoolGroup(this, 'AdminGroup', {
      userPoolId: this.site.userPool.userPoolId,
      groupName: ADMIN_GROUP,
      description: 'tfdrift: may replay CloudTrail events through POST /api/v1/events',
    });
    return query;
  }

  /** Every tfdrift function's errors reach an operator (the alarm topic). */
  private alarmOnFunctionErrors(): void {
    for (const handler of this.node.findAll()) {
      if (handler instanceof HandlerFunction) {
        const path = handler.node.path.split('/').slice(1); // e.g. LiveFeed/Broadcast
        this.alerts.alarmOnErrors(`${path.join('')}Errors`, handler.fn, path.join(' '));
      }
    }
  }

  /** What an operator needs after `cdk deploy`. */
  private addOutputs(): void {
    new CfnOutput(this, 'DashboardUrl', { description: 'tfdrift dashboard', value: this.site.origin });
    new CfnOutput(this, 'HttpApiUrl', { description: 'tfdrift HTTP API', value: this.queryApi.url });
    new CfnOutput(this, 'WebSocketUrl', { description: 'tfdrift live feed', value: this.liveFeed.url });
    new CfnOutput(this, 'UserPoolId', {
      description: 'Cognito user pool of the dashboard users',
      value: this.site.userPool.userPoolId,
    });
    new CfnOutput(this, 'UserPoolClientId', {
      description: 'Cognito app client of the dashboard',
      value: this.site.client.userPoolClientId,
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'SNS topic of the operational alarms',
      value: this.alerts.alarmTopic.topicArn,
    });
  }

  /** Scheduled re-read of the trail's log files: EventBridge delivery is best effort, S3 is the record. */
  /** The trail whose log files the backstop re-reads: created here, or an existing one's bucket. */
  private trailLogs(
    settings: TfdriftSettings,
    accessLogs: IBucket,
  ): { trail?: Trail; logs: TrailLogs } | undefined {
    if (settings.createTrail) {
      const trail = new Trail(this, 'Trail', { accessLogs, retentionDays: settings.retentionDays });
      return {
        trail,
        logs: new TrailLogs({ bucket: trail.bucket, key: trail.key, prefix: settings.trailPrefix }),
      };
    }
    if (!settings.trailBucket) return undefined;
    const bucket = Bucket.fromBucketName(this, 'TrailBucket', settings.trailBucket);
    const key = settings.trailKmsKeyArn
      ? Key.fromKeyArn(this, 'TrailKey', settings.trailKmsKeyArn)
      : undefined;
    return { logs: new TrailLogs({ bucket, key, prefix: settings.trailPrefix }) };
  }

  private addBackstop(
    logs: TrailLogs,
    env: Record<string, string>,
    retention: RetentionDays,
    settings: TfdriftSettings,
    grantDetector: (handler: HandlerFunction) => void,
  ): HandlerFunction {
    const backstop = new HandlerFunction(this, 'Backstop', {
      handler: 'backstop',
      description: 'tfdrift: re-reads recent CloudTrail log files (idempotent)',
      logRetention: retention,
      memorySize: 1024,
      timeout: Duration.minutes(10),
      environment: {
        ...env,
        [FUNCTION_ENV.trailBucket]: logs.bucketName,
        [FUNCTION_ENV.trailPrefix]: settings.trailPrefix,
        // The watched accounts and regions (us-east-1 carries the global services' calls).
        [FUNCTION_ENV.trailAccounts]: [this.account, ...settings.sourceAccounts].join(','),
        [FUNCTION_ENV.trailRegions]: [...new Set([this.region, ...settings.regions, 'us-east-1'])].join(','),
        [FUNCTION_ENV.trailOrganizationId]: settings.organizationId ?? '',
        // Overlap two runs so a file written late is still read once.
        [FUNCTION_ENV.backstopWindowMinutes]: String(settings.backstopMinutes * 2 + 15),
      },
      noDlqReason:
        'Its schedule target has a dead-letter queue; a failed run is redone by the next (overlapping) one.',
    });
    grantDetector(backstop);
    logs.grantRead(backstop);
    const dlq = new DeadLetter(this, 'BackstopDeadLetter', {
      alarmTopic: this.alerts.alarmTopic,
      what: 'backstop runs',
    });
    new Rule(this, 'BackstopSchedule', {
      description: 'tfdrift: backstop run',
      schedule: Schedule.rate(Duration.minutes(settings.backstopMinutes)),
    }).addTarget(
      new LambdaFunction(backstop.fn, {
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: dlq.queue,
      }),
    );
    return backstop;
  }

  /**
   * The backfill: CloudTrail event history of this account's watched regions through the detect
   * service. It runs once when the stack is first created (a rule on CloudFormation's own
   * CREATE_COMPLETE event of this stack: no custom resource, and an update never re-runs it), and
   * when an admin asks (POST /api/v1/backfill invokes it).
   */
  private addBackfill(
    env: Record<string, string>,
    retention: RetentionDays,
    settings: TfdriftSettings,
    grantDetector: (handler: HandlerFunction) => void,
  ): HandlerFunction {
    const members = settings.backfillMembers;
    const memberAccounts = (members?.accounts ?? []).filter((a) => a !== this.account);
    // The member role's ARN, built once for the grant and (with a placeholder) for the function.
    const memberRole = (account: string) =>
      this.formatArn({
        service: 'iam',
        region: '',
        account,
        resource: 'role',
        resourceName: members?.roleName,
      });
    const backfill = new HandlerFunction(this, 'Backfill', {
      handler: 'backfill',
      description: 'tfdrift: drift from before the install, read from CloudTrail event history',
      logRetention: retention,
      memorySize: 1024,
      timeout: Duration.minutes(15),
      environment: {
        ...env,
        // us-east-1 carries the global services' calls.
        [FUNCTION_ENV.backfillRegions]: [...new Set([this.region, ...settings.regions, 'us-east-1'])].join(
          ',',
        ),
        [FUNCTION_ENV.backfillDays]: String(settings.backfillDays || 7),
        ...(memberAccounts.length > 0
          ? {
              [FUNCTION_ENV.backfillMemberAccounts]: memberAccounts.join(','),
              [FUNCTION_ENV.backfillMemberRoleArn]: memberRole(MEMBER_ACCOUNT_PLACEHOLDER),
              ...(members?.externalId ? { [FUNCTION_ENV.backfillExternalId]: members.externalId } : {}),
            }
          : {}),
      },
      noDlqReason:
        'Run once on creation (its rule target has a dead-letter queue) or by an admin; a failed run is simply run again.',
      roleName: memberAccounts.length > 0 ? backfillRoleName(this.region) : undefined,
    });
    if (memberAccounts.length > 0) {
      backfill.fn.addToRolePolicy(
        new PolicyStatement({
          sid: 'AssumeMemberReaders',
          actions: ['sts:AssumeRole'],
          resources: memberAccounts.map(memberRole),
        }),
      );
    }
    grantDetector(backfill);
    backfill.fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadEventHistory',
        actions: ['cloudtrail:LookupEvents'],
        resources: ['*'],
      }),
    );
    Validations.of(backfill).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "cloudtrail:LookupEvents has no resource-level permissions (like X-Ray's trace actions): it reads only event history, read-only.",
    });
    const dlq = new DeadLetter(this, 'BackfillDeadLetter', {
      alarmTopic: this.alerts.alarmTopic,
      what: 'backfill runs',
    });
    // A run reads history for minutes: a failed one is not retried blindly, it is dead-lettered.
    backfill.fn.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(dlq.queue),
    });
    if (settings.backfillDays > 0) {
      new Rule(this, 'BackfillOnCreate', {
        description: 'tfdrift: backfill once, when this stack is first created',
        eventPattern: {
          source: ['aws.cloudformation'],
          detailType: ['CloudFormation Stack Status Change'],
          resources: [this.stackId],
          detail: { 'status-details': { status: ['CREATE_COMPLETE'] } },
        },
      }).addTarget(
        new LambdaFunction(backfill.fn, {
          event: RuleTargetInput.fromObject({ days: settings.backfillDays, reason: 'first deploy' }),
          retryAttempts: 2,
          maxEventAge: Duration.hours(1),
          deadLetterQueue: dlq.queue,
        }),
      );
    }
    return backfill;
  }

  /** BucketDeployment's singleton function is CDK's own: its findings are acknowledged with why. */
  private acknowledgeDeploymentFunction(): void {
    const deployment = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (!deployment) return;
    const cdkOwned =
      'CDK BucketDeployment function: runs only during deployment to copy the dashboard files; its code and policy are CDK-managed.';
    const site = this.getLogicalId(this.site.bucket.node.defaultChild as CfnBucket);
    const ids = [
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'AwsSolutions-IAM5[Resource::*]',
      'AwsSolutions-IAM5[Action::s3:GetObject*]',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]',
      'AwsSolutions-IAM5[Action::s3:List*]',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
      'AwsSolutions-IAM5[Action::s3:Abort*]',
      `AwsSolutions-IAM5[Resource::<${site}.Arn>/*]`,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-${this.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-${nagAccount(this)}-${nagRegion(this)}/*]`,
      'AwsSolutions-L1',
      'Serverless-LambdaDLQ',
      'Serverless-LambdaLatestVersion',
      'Serverless-LambdaTracing',
    ];
    Validations.of(deployment).acknowledge(...ids.map((id) => ({ id, reason: cdkOwned })));
  }

  /** Member accounts (organisation or listed) may put events on the central default bus. */
  private allowForwarders(settings: TfdriftSettings): void {
    const busArn = this.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' });
    if (settings.organizationId) {
      new CfnEventBusPolicy(this, 'OrganisationForwarders', {
        statementId: 'tfdrift-organisation',
        eventBusName: 'default',
        statement: {
          Sid: 'tfdrift-organisation',
          Effect: 'Allow',
          Principal: '*',
          Action: 'events:PutEvents',
          Resource: busArn,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': settings.organizationId } },
        },
      });
    }
    if (settings.sourceAccounts.length > 0) {
      new CfnEventBusPolicy(this, 'AccountForwarders', {
        statementId: 'tfdrift-accounts',
        eventBusName: 'default',
        statement: {
          Sid: 'tfdrift-accounts',
          Effect: 'Allow',
          Principal: { AWS: settings.sourceAccounts.map((a) => `arn:${this.partition}:iam::${a}:root`) },
          Action: 'events:PutEvents',
          Resource: busArn,
        },
      });
    }
  }
}
