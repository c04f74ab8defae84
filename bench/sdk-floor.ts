// The cold-start floor of the detect function (bench/cold-start.ts): the SDK clients it needs and
// the commands it sends, created as lambdas/handlers/runtime/clients.ts and detector.ts create them
// — and nothing of tfdrift. Bundled with the detect function's own esbuild options.
// The EventBridge client is in the detect bundle whatever the deployment (drift events go to the
// drift bus when alert channels are configured), so it is here too; like the detect function, the
// floor creates it only when DRIFT_EVENT_BUS is set.

import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

export const clients = {
  doc: DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  }),
  s3: new S3Client({ forcePathStyle: process.env.TFDRIFT_S3_PATH_STYLE === 'true' }),
  sns: new SNSClient({}),
  events: process.env.DRIFT_EVENT_BUS ? new EventBridgeClient({}) : undefined,
};

export const commands = [
  BatchWriteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PublishCommand,
  PutEventsCommand,
  ConditionalCheckFailedException,
];
