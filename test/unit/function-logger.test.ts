// The functions' logs: Powertools' Logger (most functions) and the thin jsonLogger (the functions that
// run the detect service, for its cold start) write the same keys, honour the same level variables,
// and mark each invocation's request id and whether it was the instance's first.

import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FunctionLogger, jsonLogger } from '../../lambdas/handlers/runtime/logger.js';
import { functionLogger } from '../../lambdas/handlers/runtime/powertools-logger.js';

const TRACE = 'Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1';

function context(awsRequestId: string): Context {
  return {
    awsRequestId,
    functionName: 'tfdrift-Fn',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:tfdrift-Fn',
    memoryLimitInMB: '256',
    logGroupName: '/aws/lambda/tfdrift-Fn',
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 1000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Two invocations of one instance, an info and a warn each, and the lines they wrote. */
function twoInvocations(logger: FunctionLogger, lines: () => string[]): Record<string, unknown>[] {
  logger.addContext(context('req-1'));
  logger.info('drift broadcast', { driftId: 'd-1' });
  logger.addContext(context('req-2'));
  logger.warn('resume refused', { reason: 'bad cursor' });
  return lines().map((line) => JSON.parse(line) as Record<string, unknown>);
}

const ENV_KEYS = [
  'AWS_LAMBDA_LOG_LEVEL',
  'POWERTOOLS_LOG_LEVEL',
  'LOG_LEVEL',
  '_X_AMZN_TRACE_ID',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
];
const savedEnv = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));

function setEnv(values: Record<string, string>): void {
  for (const key of ENV_KEYS) delete process.env[key];
  Object.assign(process.env, values);
}

/** Powertools' Logger writes to stdout and stderr through its own Console (outside POWERTOOLS_DEV). */
function powertools(): { logger: FunctionLogger; lines: () => string[] } {
  const chunks: string[] = [];
  const capture = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  const logger = functionLogger();
  return {
    logger,
    lines: () => chunks.flatMap((text) => text.split('\n')).filter((line) => line.startsWith('{')),
  };
}

function thin(): { logger: FunctionLogger; lines: () => string[] } {
  const written: string[] = [];
  return {
    logger: jsonLogger({ function_name: 'tfdrift-Fn' }, (line) => written.push(line)),
    lines: () => written,
  };
}

afterEach(() => {
  vi.restoreAllMocks();
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe.each([
  ['Powertools Logger', powertools],
  ['jsonLogger', thin],
])('%s', (_, make) => {
  it('writes level, message, timestamp, service, trace id, request id and cold start, and the fields given', () => {
    // Prepare
    setEnv({ _X_AMZN_TRACE_ID: TRACE, AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand' });
    const { logger, lines } = make();
    // Act
    const [first, second] = twoInvocations(logger, lines);
    // Assess
    expect(first).toMatchObject({
      level: 'INFO',
      message: 'drift broadcast',
      service: 'tfdrift',
      function_name: 'tfdrift-Fn',
      function_request_id: 'req-1',
      cold_start: true,
      xray_trace_id: '1-67891233-abcdef012345678912345678',
      driftId: 'd-1',
    });
    expect(Date.parse(String(first.timestamp))).toBeGreaterThan(Date.parse('2026-01-01T00:00:00Z'));
    expect(second).toMatchObject({
      level: 'WARN',
      message: 'resume refused',
      function_request_id: 'req-2',
      cold_start: false,
      reason: 'bad cursor',
    });
  });

  it.each([
    ['POWERTOOLS_LOG_LEVEL', { POWERTOOLS_LOG_LEVEL: 'WARN' }],
    [
      "Lambda's own AWS_LAMBDA_LOG_LEVEL, first",
      { AWS_LAMBDA_LOG_LEVEL: 'WARN', POWERTOOLS_LOG_LEVEL: 'DEBUG' },
    ],
  ])('leaves out the lines below the level %s sets', (_name, env) => {
    // Prepare
    setEnv(env);
    const { logger, lines } = make();
    // Act
    const written = twoInvocations(logger, lines);
    // Assess
    expect(written.map((line) => line.message)).toEqual(['resume refused']);
  });

  it('marks no cold start in an instance made ready ahead (provisioned concurrency)', () => {
    // Prepare
    setEnv({ AWS_LAMBDA_INITIALIZATION_TYPE: 'provisioned-concurrency' });
    const { logger, lines } = make();
    // Act
    const written = twoInvocations(logger, lines);
    // Assess
    expect(written.map((line) => [line.function_request_id, line.cold_start])).toEqual([
      ['req-1', false],
      ['req-2', false],
    ]);
  });

  it('writes info lines when no level is set', () => {
    // Prepare
    setEnv({});
    const { logger, lines } = make();
    // Act
    const written = twoInvocations(logger, lines);
    // Assess
    expect(written.map((line) => [line.level, line.message])).toEqual([
      ['INFO', 'drift broadcast'],
      ['WARN', 'resume refused'],
    ]);
  });
});
