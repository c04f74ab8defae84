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
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ALL_PARTITION, DRIFT_ATTR } from '../../lambdas/adapters/aws/drift-table-design.js';
import { FUNCTION_ENV } from '../../lambdas/handlers/runtime/function-env.js';
import type { HandlerName } from '../bundling.js';
import { nagAccount, nagRegion } from '../nag.js';
import type { IDriftStore } from './drift-store.js';
import type { DeadLetter } from './event-ingest.js';
import { HandlerFunction } from './handler-function.js';

/** Route key of the resume message (the API's route selection is `$request.body.action`). */
export const RESUME_ROUTE = 'resume';

const SYNC =
  'Invoked synchronously by API Gateway: the caller gets the error; there is nothing to dead-letter.';

export interface LiveFeedProps {
  /** The drifts (whose stream feeds the broadcast) and the connections tables, with their grants. */
  readonly store: IDriftStore;
  /** Whose JWTs the authorizer accepts. */
  readonly userPool: IUserPool;
  /** The dashboard's app client (the JWT's audience). */
  readonly client: IUserPoolClient;
  /** Where stream batches the broadcast still fails on after its retries go. */
  readonly deadLetter: DeadLetter;
  /** How long the functions' logs are kept. */
  readonly logRetention: RetentionDays;
}

export class LiveFeed extends Construct {
  readonly api: WebSocketApi;
  readonly stage: WebSocketStage;
  /** Verifies the Cognito JWT of a connection. */
  readonly authorizer: HandlerFunction;
  /** Posts each drift change to every connection on the feed. */
  readonly broadcast: HandlerFunction;
  /** Answers the resume message: the hello and the changes a connection missed. */
  readonly resume: HandlerFunction;

  constructor(scope: Construct, id: string, props: LiveFeedProps) {
    super(scope, id);
    const connectionsEnv = { [FUNCTION_ENV.connectionsTable]: props.store.connections.tableName };
    this.authorizer = this.addAuthorizer(props);
    const connect = this.addFunction('Connect', 'ws-connect', 'registers a live-feed connection', props, {
      environment: connectionsEnv,
    });
    const disconnect = this.addFunction(
      'Disconnect',
      'ws-disconnect',
      'forgets a live-feed connection',
      props,
      {
        environment: connectionsEnv,
      },
    );
    // Exactly the calls each makes (DynamoConnections): connect puts, disconnect deletes.
    props.store.grantRegisterConnection(connect);
    props.store.grantForgetConnection(disconnect);
    this.api = this.addApi(connect, disconnect);
    this.stage = this.addStage();
    this.broadcast = this.addBroadcast(props, connectionsEnv);
    this.resume = this.addResume(props, connectionsEnv);
    this.feedFromStream(props);
  }

  /** A live-feed function; the synchronous ones (no dead-letter queue) by default. */
  private addFunction(
    id: string,
    handler: HandlerName,
    does: string,
    props: LiveFeedProps,
    options: { environment: Record<string, string>; timeout?: Duration; noDlqReason?: string },
  ): HandlerFunction {
    return new HandlerFunction(this, id, {
      handler,
      description: `tfdrift: ${does}`,
      logRetention: props.logRetention,
      timeout: options.timeout ?? Duration.seconds(10),
      noDlqReason: options.noDlqReason ?? SYNC,
      environment: options.environment,
    });
  }

  /** Verifies the Cognito JWT in `?token=` on $connect. */
  private addAuthorizer(props: LiveFeedProps): HandlerFunction {
    return this.addFunction(
      'Authorizer',
      'ws-authorizer',
      'verifies the Cognito JWT of a live-feed connection',
      props,
      {
        environment: {
          [FUNCTION_ENV.userPoolId]: props.userPool.userPoolId,
          [FUNCTION_ENV.userPoolClientId]: props.client.userPoolClientId,
        },
      },
    );
  }

  private addApi(connect: HandlerFunction, disconnect: HandlerFunction): WebSocketApi {
    const api = new WebSocketApi(this, 'Api', {
      description: 'tfdrift live feed',
      connectRouteOptions: {
        integration: new WebSocketLambdaIntegration('Connect', connect.fn),
        authorizer: new WebSocketLambdaAuthorizer('Jwt', this.authorizer.fn, {
          identitySource: ['route.request.querystring.token'],
        }),
      },
      disconnectRouteOptions: { integration: new WebSocketLambdaIntegration('Disconnect', disconnect.fn) },
    });
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'Only $connect can carry an authorizer (and does: the Cognito JWT); $disconnect belongs to an already authorised connection.',
    });
    return api;
  }

  private addStage(): WebSocketStage {
    const stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.api,
      stageName: 'live',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
    });
    const noStageLogs =
      'WebSocket access logs need the account-wide API Gateway CloudWatch role, which this stack does not own; connects are logged by the authorizer and connect functions.';
    Validations.of(stage).acknowledge(
      { id: 'AwsSolutions-APIG1', reason: noStageLogs },
      { id: 'Serverless-APIGWAccessLogging', reason: noStageLogs },
    );
    return stage;
  }

  /** Posting to (and dropping) connections of this stage; their ids are only known at run time. */
  private grantPostToConnections(handler: HandlerFunction): void {
    this.stage.grantManagementApiAccess(handler.fn);
    const stack = Stack.of(this);
    Validations.of(handler).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:${nagRegion(stack)}:${nagAccount(stack)}:<${stack.getLogicalId(this.api.node.defaultChild as CfnApi)}>/live/*/@connections/*]`,
      reason:
        "PostToConnection/DeleteConnection on this API's live stage; connection ids are only known at run time.",
    });
  }

  private addBroadcast(props: LiveFeedProps, connectionsEnv: Record<string, string>): HandlerFunction {
    const broadcast = this.addFunction(
      'Broadcast',
      'broadcast',
      'sends drift changes to live-feed connections',
      props,
      {
        timeout: Duration.seconds(60),
        environment: {
          ...connectionsEnv,
          [FUNCTION_ENV.wsEndpoint]: this.stage.callbackUrl,
          [FUNCTION_ENV.driftsTable]: props.store.drifts.tableName,
        },
        noDlqReason: "Stream-invoked: failed batches go to the event source mapping's on-failure queue.",
      },
    );
    // Lists connections through the byFeed index, drops the gone ones, keeps the counts.
    props.store.grantBroadcast(broadcast);
    this.grantPostToConnections(broadcast);
    return broadcast;
  }

  private addResume(props: LiveFeedProps, connectionsEnv: Record<string, string>): HandlerFunction {
    const resume = this.addFunction(
      'Resume',
      'ws-resume',
      'greets a live-feed connection and replays the drift changes it missed',
      props,
      {
        timeout: Duration.seconds(30),
        environment: {
          ...connectionsEnv,
          [FUNCTION_ENV.driftsTable]: props.store.drifts.tableName,
          [FUNCTION_ENV.wsEndpoint]: this.stage.callbackUrl,
        },
      },
    );
    // The change counter item and the byChange index (DynamoDriftStore.headSeq and changesSince),
    // nothing else of the table; then puts the connection on the feed (DynamoConnections.activate).
    props.store.grantResume(resume);
    this.grantPostToConnections(resume);
    this.api.addRoute(RESUME_ROUTE, { integration: new WebSocketLambdaIntegration('Resume', resume.fn) });
    return resume;
  }

  /** The drifts table's stream into the broadcast, drift items only, failed batches dead-lettered. */
  private feedFromStream(props: LiveFeedProps): void {
    // One batch per shard at a time (parallelizationFactor 1) bounds the fan-out's concurrency.
    this.broadcast.fn.addEventSource(
      new DynamoEventSource(props.store.drifts, {
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
