// AWS SDK clients, created once per Lambda container. Endpoints follow the SDK's own variables
// (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_S3, ...); TFDRIFT_S3_PATH_STYLE=true addresses
// S3-compatible servers by path (MinIO, s3rver) instead of by virtual host.

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export function dynamoDocumentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

export function s3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  return new S3Client({ forcePathStyle: env.TFDRIFT_S3_PATH_STYLE === 'true' });
}

export function snsClient(): SNSClient {
  return new SNSClient({});
}

export function eventBridgeClient(): EventBridgeClient {
  return new EventBridgeClient({});
}
