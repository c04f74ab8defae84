// The live feed: an API Gateway WebSocket API. `$connect` is guarded by a Lambda REQUEST authorizer
// that verifies the Cognito JWT in `?token=`; the broadcast Lambda reads the drifts table's stream
// and posts each change to every connection (dropping the ones API Gateway reports gone). API Gateway
// cannot send to a connection during its $connect, so the client sends `{"action": "resume",
// "since": cursor}` once open: the `resume` route answers with the hello and the missed changes, and
// only then puts the connection on the broadcast's feed (live messages come after the replay).

import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { type CfnApi, WebSocketApi, WebSocketStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  ALL_PARTITION,
  CONNECTIONS_TABLE,
  COUNTS_ID,
  DRIFT_ATTR,
  DRIFT_INDEXES,
} from '../../lambdas/adapters/aws/drift-table-design.js';
import { FUNCTION_ENV } from '../../lambdas/handlers/runtime/function-env.js';
import { nagAccount, nagRegion } from '../nag.js';
import type { DeadLetter } from './event-ingest.js';
import { HandlerFunction } from './handler-function.js';

/** Route key of the resume message (the API's route selection is `$request.body.action`). */
export const RESUME_ROUTE = 'resume';

const SYNC =
  'Invoked synchronously by API Gateway: the caller gets the error; there is nothing to dead-letter.';

export interface LiveFeedProps {
  readonly drifts: Table;
  readonly connections: Table;
  readonly userPool: IUserPool;
  readonly client: IUserPoolClient;
  readonly deadLetter: DeadLetter;
  readonly logRetention: RetentionDays;
}

export class LiveFeed extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  readonly authorizer: HandlerFunction;
  readonly broadcast: HandlerFunction;
  readonly resume: HandlerFunction;

  constructor(scope: Construct, id: string, props: LiveFeedProps) {
    super(scope, id);
    const connectionsEnv = { [FUNCTION_ENV.connectionsTable]: props.connections.tableName };
    this.authorizer = new HandlerFunction(this, 'Authorizer', {
      handler: 'ws-authorizer',
      description: 'tfdrift: verifies the Cognito JWT of a live-feed connection',
      logRetention: props.logRetention,
      timeout: Duration.seconds(10),
      noDlqReason: SYNC,
      environment: {
        [FUNCTION_ENV.userPoolId]: props.userPool.userPoolId,
        [FUNCTION_ENV.userPoolClientId]: props.client.userPoolClientId,
      },
    });
    const connect = new HandlerFunction(this, 'Connect', {
      handler: 'ws-connect',
      description: 'tfdrift: registers a live-feed connection',
      logRetention: props.logRetention,
      timeout: Duration.seconds(10),
      noDlqReason: SYNC,
      environment: connectionsEnv,
    });
    const disconnect = new HandlerFunction(this, 'Disconnect', {
      handler: 'ws-disconnect',
      description: 'tfdrift: forgets a live-feed connection',
      logRetention: props.logRetention,
      timeout: Duration.seconds(10),
      noDlqReason: SYNC,
      environment: connectionsEnv,
    });
    // Exactly the calls each makes (DynamoConnections): connect puts, disconnect deletes.
    connect.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [props.connections.tableArn] }),
    );
    disconnect.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:DeleteItem'], resources: [props.connections.tableArn] }),
    );

    this.api = new WebSocketApi(this, 'Api', {
      description: 'tfdrift live feed',
      connectRouteOptions: {
        integration: new WebSocketLambdaIntegration('Connect', connect.fn),
        authorizer: new WebSocketLambdaAuthorizer('Jwt', this.authorizer.fn, {
          identitySource: ['route.request.querystring.token'],
        }),
      },
      disconnectRouteOptions: { integration: new WebSocketLambdaIntegration('Disconnect', disconnect.fn) },
    });
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: 'live',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Only $connect can carry an authorizer (and does: the Cognito JWT); $disconnect belongs to an already authorised connection.',
    });
    const noStageLogs =
      'WebSocket access logs need the account-wide API Gateway CloudWatch role, which this stack does not own; connects are logged by the authorizer and connect functions.';
    Validations.of(this.stage).acknowledge(
      { id: 'AwsSolutions-APIG1', reason: noStageLogs },
      { id: 'Serverless-APIGWAccessLogging', reason: noStageLogs },
    );

    this.broadcast = new HandlerFunction(this, 'Broadcast', {
      handler: 'broadcast',
      description: 'tfdrift: sends drift changes to live-feed connections',
      logRetention: props.logRetention,
      timeout: Duration.seconds(60),
      environment: {
        ...connectionsEnv,
        [FUNCTION_ENV.wsEndpoint]: this.stage.callbackUrl,
        [FUNCTION_ENV.driftsTable]: props.drifts.tableName,
      },
      noDlqReason: "Stream-invoked: failed batches go to the event source mapping's on-failure queue.",
    });
    // Lists connections through the byFeed index, drops the gone ones.
    this.broadcast.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.connections.tableArn}/index/${CONNECTIONS_TABLE.index.indexName}`],
      }),
    );
    this.broadcast.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:DeleteItem'], resources: [props.connections.tableArn] }),
    );
    // Takes the drifts TTL removes out of the counts: an update of the counts item, and of no other.
    this.broadcast.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem'],
        resources: [props.drifts.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [COUNTS_ID] } },
      }),
    );
    this.stage.grantManagementApiAccess(this.broadcast.fn);
    const stack = Stack.of(this);
    const connectionsArn = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:${nagRegion(stack)}:${nagAccount(stack)}:<${stack.getLogicalId(this.api.node.defaultChild as CfnApi)}>/live/*/@connections/*]`;
    const postReason =
      "PostToConnection/DeleteConnection on this API's live stage; connection ids are only known at run time.";
    Validations.of(this.broadcast).acknowledge({ id: connectionsArn, reason: postReason });

    this.resume = new HandlerFunction(this, 'Resume', {
      handler: 'ws-resume',
      description: 'tfdrift: greets a live-feed connection and replays the drift changes it missed',
      logRetention: props.logRetention,
      timeout: Duration.seconds(30),
      noDlqReason: SYNC,
      environment: {
        ...connectionsEnv,
        [FUNCTION_ENV.driftsTable]: props.drifts.tableName,
        [FUNCTION_ENV.wsEndpoint]: this.stage.callbackUrl,
      },
    });
    // The change counter item (GetItem) and the byChange index (Query): DynamoDriftStore.headSeq and
    // changesSince, nothing else of the table.
    this.resume.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [props.drifts.tableArn] }),
    );
    this.resume.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${props.drifts.tableArn}/index/${DRIFT_INDEXES.byChange.indexName}`],
      }),
    );
    // Puts the connection on the feed once replayed (DynamoConnections.activate).
    this.resume.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['dynamodb:UpdateItem'], resources: [props.connections.tableArn] }),
    );
    this.stage.grantManagementApiAccess(this.resume.fn);
    Validations.of(this.resume).acknowledge({ id: connectionsArn, reason: postReason });
    this.api.addRoute(RESUME_ROUTE, {
      integration: new WebSocketLambdaIntegration('Resume', this.resume.fn),
    });
    // One batch per shard at a time (parallelizationFactor 1) bounds the fan-out's concurrency.
    this.broadcast.fn.addEventSource(
      new DynamoEventSource(props.drifts, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 50,
        maxBatchingWindow: Duration.seconds(1),
        parallelizationFactor: 1,
        retryAttempts: 3,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        maxRecordAge: Duration.hours(1),
        onFailure: new SqsDlq(props.deadLetter.queue),
        // Only drift items (the change counter, counts and alert claims never reach the function):
        // written ones to broadcast, removed ones (TTL) to take out of the counts.
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.or('INSERT', 'MODIFY'),
            dynamodb: { NewImage: { [DRIFT_ATTR.allPartition]: { S: FilterRule.isEqual(ALL_PARTITION) } } },
          }),
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('REMOVE'),
            dynamodb: { OldImage: { [DRIFT_ATTR.allPartition]: { S: FilterRule.isEqual(ALL_PARTITION) } } },
          }),
        ],
      }),
    );
  }

  /** wss:// URL of the live stage. */
  get url(): string {
    return this.stage.url;
  }
}
