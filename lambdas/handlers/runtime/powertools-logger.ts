// The functions' logger: Powertools for AWS Lambda's Logger (levels from AWS_LAMBDA_LOG_LEVEL /
// POWERTOOLS_LOG_LEVEL, the request id and cold-start flag of each invocation, the X-Ray trace id)
// behind the services' Logger port. The functions that run the detect service log the same keys
// through logger.ts's thinner jsonLogger, for the detect function's cold start.

import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes } from '@aws-lambda-powertools/logger/types';
import { type FunctionLogger, SERVICE_NAME } from './logger.js';

export function functionLogger(): FunctionLogger {
  const logger = new Logger({ serviceName: SERVICE_NAME });
  const attributes = (fields?: Record<string, unknown>) => (fields ?? {}) as LogAttributes;
  return {
    info: (message, fields) => logger.info(message, attributes(fields)),
    warn: (message, fields) => logger.warn(message, attributes(fields)),
    error: (message, fields) => logger.error(message, attributes(fields)),
    addContext: (context) => logger.addContext(context),
  };
}
