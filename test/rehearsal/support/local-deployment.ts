// The central stack of a synthesized profile "deployed" on this machine: its DynamoDB tables created
// on dynalite from the template's table definitions, its state buckets on s3rver, its SNS topic and
// WebSocket API as stand-ins built from the template, and each Lambda function the events reach run
// from its synthesized bundle with the template's environment. Physical names are made up
// (template-names.ts) and substituted wherever the template refers to a resource.

import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBRecord } from 'aws-lambda';
import { type LocalDynamo, startLocalDynamo } from '../../../lambdas/adapters/local/dynalite.js';
import { type S3rverProcess, startS3rver } from '../../integration/s3rver-process.js';
import type { SynthesizedStack } from '../assembly.js';
import { type BusEvent, type BusRule, type Delivery, defaultBusRules, route } from './event-bus.js';
import { EventBridgeStandIn } from './eventbridge-standin.js';
import { type LambdaProcess, startLambda } from './lambda-process.js';
import { SnsStandIn } from './sns-standin.js';
import { filterRecords, TableStream } from './table-stream.js';
import { TemplateNames } from './template-names.js';
import { WebSocketStandIn } from './websocket-standin.js';

export interface StreamMapping {
  readonly functionId: string;
  readonly tableId: string;
  readonly batchSize: number;
  readonly filterCriteria?: { Filters?: { Pattern: string }[] };
  readonly stream: TableStream;
}

export interface PumpResult {
  /** Every record the stream carried. */
  readonly records: DynamoDBRecord[];
  /** The records the mapping's filter let through to the function. */
  readonly delivered: DynamoDBRecord[];
  readonly results: unknown[];
}

export interface LocalDeployment {
  readonly stack: SynthesizedStack;
  readonly names: TemplateNames;
  readonly dynamo: LocalDynamo;
  readonly s3rver: S3rverProcess;
  readonly s3: S3Client;
  readonly sns: SnsStandIn;
  /** What the functions put on the stack's own buses, and the rules there that take it. */
  readonly eventBridge: EventBridgeStandIn;
  readonly webSocket: WebSocketStandIn;
  readonly rules: readonly BusRule[];
  readonly functions: ReadonlyMap<string, LambdaProcess>;
  readonly mappings: readonly StreamMapping[];
  /** Physical name of a table, by logical id. */
  tableName(logicalId: string): string;
  /** Where the bus would deliver `event` (nothing is invoked). */
  deliveriesFor(event: BusEvent): Delivery[];
  /**
   * Whether the topic's resource policy lets an AWS service publish: with no AWS::SNS::TopicPolicy the
   * default policy lets the owner account's services publish; a TopicPolicy replaces it, so it must
   * allow the service (or everyone) itself, and no unconditional Deny may apply. Conditions of Allow
   * statements are taken as met (the IAM rehearsal evaluates them).
   */
  topicAllowsService(topicArn: string, service: string): boolean;
  /** The bus's deliveries for `event`, each invoked on its function (in order). */
  deliver(event: BusEvent): Promise<{ deliveries: Delivery[]; results: unknown[] }>;
  /** Hands every table change since the last pump to the stream-fed functions, as Lambda would. */
  pump(): Promise<PumpResult>;
  stop(): Promise<void>;
}

type TableProps = Pick<
  CreateTableCommandInput,
  'AttributeDefinitions' | 'KeySchema' | 'GlobalSecondaryIndexes' | 'LocalSecondaryIndexes' | 'BillingMode'
> & {
  StreamSpecification?: { StreamViewType: 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY' };
};

/** The CreateTable request CloudFormation would make for an AWS::DynamoDB::Table. */
export function createTableInput(names: TemplateNames, logicalId: string): CreateTableCommandInput {
  const p = names.properties<TableProps>(logicalId);
  return {
    TableName: names.ref(logicalId),
    BillingMode: p.BillingMode ?? 'PROVISIONED',
    AttributeDefinitions: p.AttributeDefinitions,
    KeySchema: p.KeySchema,
    ...(p.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: p.GlobalSecondaryIndexes } : {}),
    ...(p.LocalSecondaryIndexes ? { LocalSecondaryIndexes: p.LocalSecondaryIndexes } : {}),
    ...(p.BillingMode === 'PAY_PER_REQUEST'
      ? {}
      : { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } }),
  };
}

interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | { Service?: string | string[]; AWS?: string | string[] };
  Action: string | string[];
  Condition?: unknown;
}

function topicAllowsService(names: TemplateNames, topicArn: string, service: string): boolean {
  const policies = names
    .ofType('AWS::SNS::TopicPolicy')
    .map((id) => names.properties<{ Topics: string[]; PolicyDocument: { Statement: PolicyStatement[] } }>(id))
    .filter((p) => p.Topics.includes(topicArn));
  if (policies.length === 0) return true;
  const statements = policies.flatMap((p) => p.PolicyDocument.Statement);
  const publishes = (s: PolicyStatement) =>
    [s.Action].flat().some((a) => ['sns:publish', 'sns:*', '*'].includes(a.toLowerCase()));
  const names_ = (s: PolicyStatement) =>
    s.Principal === '*' ||
    [s.Principal?.Service ?? []].flat().includes(service) ||
    [s.Principal?.AWS ?? []].flat().includes('*');
  const allowed = statements.some((s) => s.Effect === 'Allow' && publishes(s) && names_(s));
  const denied = statements.some((s) => s.Effect === 'Deny' && !s.Condition && publishes(s) && names_(s));
  return allowed && !denied;
}

export async function deployLocally(
  stack: SynthesizedStack,
  options: {
    /** Objects to put before the functions start: bucket → key → body. */
    readonly objects: Record<string, Record<string, string>>;
  },
): Promise<LocalDeployment> {
  const names = new TemplateNames(stack.template, {
    account: stack.account,
    region: stack.region,
    stackName: stack.stackName,
  });
  const [dynamo, s3rver] = await Promise.all([startLocalDynamo(), startS3rver()]);
  const started: LambdaProcess[] = [];
  const sns = new SnsStandIn(names);
  const eventBridge = new EventBridgeStandIn(names, { account: stack.account, region: stack.region });
  const apiIds = names
    .ofType('AWS::ApiGatewayV2::Api')
    .filter((id) => names.resource(id).Properties?.ProtocolType === 'WEBSOCKET');
  if (apiIds.length !== 1) throw new Error(`expected one WebSocket API, found ${apiIds.length}`);
  const stageId = names
    .ofType('AWS::ApiGatewayV2::Stage')
    .find(
      (id) => (names.resource(id).Properties?.ApiId as { Ref?: string } | undefined)?.Ref === apiIds[0],
    ) as string;
  const functions = new Map<string, LambdaProcess>();
  const webSocket = new WebSocketStandIn({
    names,
    apiId: apiIds[0],
    stageName: String(names.resource(stageId).Properties?.StageName),
    functions,
  });
  const s3 = s3rver.client();
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: stack.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const stop = async () => {
    await Promise.all([sns.stop(), webSocket.stop(), eventBridge.stop()]);
    await Promise.all(started.map((fn) => fn.stop()));
    client.destroy();
    s3.destroy();
    await Promise.all([dynamo.close(), s3rver.stop()]);
  };
  try {
    for (const id of names.ofType('AWS::DynamoDB::Table')) {
      await client.send(new CreateTableCommand(createTableInput(names, id)));
      await client.send(new DescribeTableCommand({ TableName: names.ref(id) }));
    }
    for (const [bucket, objects] of Object.entries(options.objects)) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      for (const [key, body] of Object.entries(objects)) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      }
    }
    await Promise.all([sns.start(), webSocket.start(), eventBridge.start()]);

    const rules = defaultBusRules(names);
    const mappings = names.ofType('AWS::Lambda::EventSourceMapping').map((id): StreamMapping => {
      const raw = names.resource(id).Properties as Record<string, unknown>;
      const tableId = JSON.stringify(raw.EventSourceArn).match(/"Fn::GetAtt":\["([^"]+)","StreamArn"\]/)?.[1];
      if (!tableId) throw new Error(`${id} reads no DynamoDB stream of this template`);
      const table = names.properties<TableProps>(tableId);
      const keyNames = (table.KeySchema ?? []).map((k) => k.AttributeName as string);
      const viewType = table.StreamSpecification?.StreamViewType;
      if (!viewType) throw new Error(`${tableId} has no stream, yet ${id} reads it`);
      return {
        functionId: names.functionIn(raw.FunctionName),
        tableId,
        batchSize: Number(raw.BatchSize ?? 100),
        filterCriteria: raw.FilterCriteria as StreamMapping['filterCriteria'],
        stream: new TableStream(
          client,
          names.ref(tableId),
          names.getAtt(tableId, 'StreamArn'),
          keyNames,
          viewType,
        ),
      };
    });
    const wanted = new Set<string>([
      ...rules.flatMap((r) => r.functionIds),
      ...mappings.map((m) => m.functionId),
      ...[...webSocket.routes.values()].flatMap((r) => [
        r.functionId,
        ...(r.authorizer ? [r.authorizer.functionId] : []),
      ]),
      // Every API's Lambda integrations, the HTTP API's query function included: tests invoke those
      // as API Gateway would once its authorizer has passed the request.
      ...names
        .ofType('AWS::ApiGatewayV2::Integration')
        .map((id) => names.resource(id).Properties as { IntegrationType: string; IntegrationUri?: unknown })
        .filter((p) => p.IntegrationType === 'AWS_PROXY')
        .map((p) => names.functionIn(p.IntegrationUri)),
    ]);
    await Promise.all(
      [...wanted].map(async (id) => {
        const props = names.properties<{
          Handler: string;
          FunctionName?: string;
          Environment?: { Variables?: Record<string, string> };
        }>(id);
        const bundleDir = stack.functionAssets.get(id);
        if (!bundleDir) throw new Error(`no bundle for ${id}`);
        const variables = props.Environment?.Variables ?? {};
        const wsEndpoint = variables.WS_ENDPOINT;
        const fn = await startLambda({
          logicalId: id,
          bundleDir,
          handler: props.Handler,
          env: {
            ...variables,
            // What Lambda sets (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html).
            AWS_REGION: stack.region,
            AWS_DEFAULT_REGION: stack.region,
            AWS_LAMBDA_FUNCTION_NAME: props.FunctionName ?? names.ref(id),
            AWS_ACCESS_KEY_ID: 'S3RVER',
            AWS_SECRET_ACCESS_KEY: 'S3RVER',
            LAMBDA_TASK_ROOT: bundleDir,
            TZ: ':UTC',
            // The SDK's own endpoint variables, pointing each client at its stand-in.
            AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
            AWS_ENDPOINT_URL_S3: s3rver.endpoint,
            AWS_ENDPOINT_URL_SNS: sns.endpoint,
            AWS_ENDPOINT_URL_EVENTBRIDGE: eventBridge.endpoint,
            ...(wsEndpoint
              ? {
                  AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI:
                    webSocket.managementEndpoint + new URL(wsEndpoint).pathname,
                }
              : {}),
            // s3rver: path-style addressing, checksums only where S3 requires them.
            TFDRIFT_S3_PATH_STYLE: 'true',
            AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
            AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
          },
        });
        started.push(fn);
        functions.set(id, fn);
      }),
    );
    for (const mapping of mappings) await mapping.stream.mark();

    return {
      stack,
      names,
      dynamo,
      s3rver,
      s3,
      sns,
      eventBridge,
      webSocket,
      rules,
      functions,
      mappings,
      tableName: (logicalId) => names.ref(logicalId),
      deliveriesFor: (event) => route(rules, event),
      topicAllowsService: (topicArn, service) => topicAllowsService(names, topicArn, service),
      async deliver(event) {
        const deliveries = route(rules, event);
        const results: unknown[] = [];
        for (const delivery of deliveries) {
          results.push(await (functions.get(delivery.functionId) as LambdaProcess).invoke(event));
        }
        return { deliveries, results };
      },
      async pump() {
        const records: DynamoDBRecord[] = [];
        const delivered: DynamoDBRecord[] = [];
        const results: unknown[] = [];
        for (const mapping of mappings) {
          const changes = await mapping.stream.records();
          const passing = filterRecords(changes, mapping.filterCriteria);
          records.push(...changes);
          delivered.push(...passing);
          const fn = functions.get(mapping.functionId) as LambdaProcess;
          for (let i = 0; i < passing.length; i += mapping.batchSize) {
            results.push(await fn.invoke({ Records: passing.slice(i, i + mapping.batchSize) }));
          }
        }
        return { records, delivered, results };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
