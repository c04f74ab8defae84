// What the handler tests share: dynalite and s3rver started the way the functions will find them —
// through the environment variables the stack sets and the SDK's own endpoint variables — and
// real-shaped Lambda events built around corpus-derived CloudTrail records.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  DEFAULT_TABLE_NAMES,
  type LocalDynamo,
  startLocalDynamo,
} from '../../lambdas/adapters/local/dynalite.js';
import { readRuleFiles } from '../../lambdas/adapters/local/rule-files.js';
import { parseRuleFile } from '../../lambdas/core/rule-load.js';
import { type S3rverProcess, startS3rver } from './s3rver-process.js';

export const FIXTURES = join(import.meta.dirname, '../fixtures');
export const STATE_BUCKET = 'acme-tfstate';
export const STATE_KEY = 'prod/detector.tfstate';

export function fixtureText(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

export function fixtureJson<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(fixtureText(path)) as T;
}

export interface HandlerWorld {
  readonly dynamo: LocalDynamo;
  readonly s3rver: S3rverProcess;
  readonly s3: S3Client;
  putState(text: string, key?: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The rule set compiled from rules/*.yaml the way `npm run rules:build` writes rules/rules.json (the
 * tests never depend on the committed bundle being current), in a file of its own.
 */
export function writeCompiledRules(dir: string): string {
  const files = readRuleFiles().map(({ file, text }) => ({ file, content: parseRuleFile(file, text) }));
  const path = join(dir, 'rules.json');
  writeFileSync(path, JSON.stringify(files));
  return path;
}

/** Starts both servers, seeds the state, and sets every variable the functions read. */
export async function startHandlerWorld(): Promise<HandlerWorld> {
  const [dynamo, s3rver] = await Promise.all([startLocalDynamo(), startS3rver()]);
  const s3 = s3rver.client();
  await s3.send(new CreateBucketCommand({ Bucket: STATE_BUCKET }));
  const putState = async (text: string, key = STATE_KEY) => {
    await s3.send(new PutObjectCommand({ Bucket: STATE_BUCKET, Key: key, Body: text }));
  };
  await putState(fixtureText('tfstate/tfdrift-falco-detector.tfstate'));
  const rulesDir = mkdtempSync(join(tmpdir(), 'tfdrift-rules-'));
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_S3: s3rver.endpoint,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    TFDRIFT_S3_PATH_STYLE: 'true',
    AWS_LAMBDA_FUNCTION_NAME: 'tfdrift-test',
    DRIFTS_TABLE: DEFAULT_TABLE_NAMES.drifts,
    EVENTS_TABLE: DEFAULT_TABLE_NAMES.events,
    CONNECTIONS_TABLE: DEFAULT_TABLE_NAMES.connections,
    TFDRIFT_RULES_FILE: writeCompiledRules(rulesDir),
    TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:tfdrift-alerts',
    STATE_SOURCES: JSON.stringify([{ bucket: STATE_BUCKET, prefixes: ['prod/'] }]),
    DETECT_CONFIG: JSON.stringify({ terraformPrincipals: ['arn:aws:iam::*:role/terraform-ci'] }),
    RETENTION_DAYS: '30',
    METRICS_NAMESPACE: 'tfdrift-test',
    WS_ENDPOINT: 'https://abc123.execute-api.eu-west-1.amazonaws.com/live',
    USER_POOL_ID: 'eu-west-1_TfDrift01',
    USER_POOL_CLIENT_ID: '4tfdrifttestclient0000000a',
  });
  return {
    dynamo,
    s3rver,
    s3,
    putState,
    stop: async () => {
      s3.destroy();
      await Promise.all([dynamo.close(), s3rver.stop()]);
      rmSync(rulesDir, { recursive: true, force: true });
    },
  };
}

/** The EventBridge envelope AWS delivers for a CloudTrail record ("AWS API Call via CloudTrail"). */
export function bridgeEvent(record: Record<string, unknown>, id = 'b1e7c3a2-0000-4000-8000-000000000001') {
  return {
    version: '0',
    id,
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${String(record.eventSource).replace(/\.amazonaws\.com$/, '')}`,
    account: String(record.recipientAccountId ?? '123456789012'),
    time: String(record.eventTime),
    region: String(record.awsRegion),
    resources: [],
    detail: record,
  };
}

/** An S3 "Object Created" event as EventBridge notifications deliver it. */
export function objectCreatedEvent(bucket: string, key: string) {
  return {
    version: '0',
    id: '17793124-05d4-b198-2fde-7ededc63b103',
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: '123456789012',
    time: new Date().toISOString(),
    region: 'eu-west-1',
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: { key, size: 1024, etag: 'b1946ac92492d2347c6235b4d2611184', sequencer: '00617F08299329D189' },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '123456789012',
      'source-ip-address': '203.0.113.15',
      reason: 'PutObject',
    },
  };
}
