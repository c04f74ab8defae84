// The cold-start floor of the detect function (bench/cold-start.ts): the SDK clients it needs and
// the commands it sends, created as lambdas/handlers/runtime/clients.ts creates them — and nothing
// of tfdrift. Bundled with the detect function's own esbuild options.

import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
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
  ConditionalCheckFailedException,
];
