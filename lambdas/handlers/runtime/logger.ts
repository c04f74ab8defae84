// Structured logs: one JSON object per line, which CloudWatch Logs Insights can query by field. Every
// function writes the keys Powertools for AWS Lambda's Logger writes (level, message, timestamp,
// service, cold_start, function_request_id, xray_trace_id) and honours its level variables, so one
// query and one setting serve them all. Most functions log through Powertools (powertools-logger.ts);
// the functions that run the detect service log through this one: Powertools' Logger adds 21 KB and
// ~3 ms of CPU to the detect function's cold import (bench/powertools-detect.ts), which is held to
// the cold import of its SDK clients alone (bench/cold-start.ts).

import type { Context } from 'aws-lambda';
import type { Logger } from '../../ports.js';

/** A function's logger: each invocation's request id (and whether it is the instance's first) added. */
export interface FunctionLogger extends Logger {
  addContext(context: Context): void;
}

/** The service name every function logs under. */
export const SERVICE_NAME = 'tfdrift';

const LEVELS = { DEBUG: 8, INFO: 12, WARN: 16, ERROR: 20, CRITICAL: 24, SILENT: 28 } as const;
type Level = keyof typeof LEVELS;

/** Powertools' order: Lambda's own log level setting, then POWERTOOLS_LOG_LEVEL, then LOG_LEVEL. */
function threshold(env: NodeJS.ProcessEnv): number {
  const name = (
    env.AWS_LAMBDA_LOG_LEVEL ||
    env.POWERTOOLS_LOG_LEVEL ||
    env.LOG_LEVEL ||
    'INFO'
  ).toUpperCase();
  return name in LEVELS ? LEVELS[name as Level] : LEVELS.INFO;
}

/** The trace id X-Ray gives the invocation (_X_AMZN_TRACE_ID: Root=…;Parent=…;Sampled=…). */
function traceId(env: NodeJS.ProcessEnv): string | undefined {
  return /Root=([^;]+)/.exec(env._X_AMZN_TRACE_ID ?? '')?.[1];
}

export function jsonLogger(
  fields: Record<string, unknown> = {},
  write = (line: string) => console.log(line),
  env: NodeJS.ProcessEnv = process.env,
): FunctionLogger {
  const least = threshold(env);
  // As Powertools: an instance Lambda made ready ahead (provisioned concurrency) has no cold start.
  const onDemand = env.AWS_LAMBDA_INITIALIZATION_TYPE === 'on-demand';
  let invocations = 0;
  let invocation: Record<string, unknown> = {};
  const log = (level: Level) => (message: string, extra?: Record<string, unknown>) => {
    if (LEVELS[level] < least) return;
    write(
      JSON.stringify({
        level,
        message,
        timestamp: new Date().toISOString(),
        service: SERVICE_NAME,
        ...fields,
        ...invocation,
        xray_trace_id: traceId(env),
        ...extra,
      }),
    );
  };
  return {
    info: log('INFO'),
    warn: log('WARN'),
    error: log('ERROR'),
    addContext(context) {
      invocations += 1;
      invocation = { cold_start: onDemand && invocations === 1, function_request_id: context.awsRequestId };
    },
  };
}
