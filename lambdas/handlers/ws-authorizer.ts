// Lambda REQUEST authorizer of the WebSocket $connect route: the Cognito JWT arrives as `?token=`
// (browsers cannot set headers on a WebSocket). Valid → Allow on this route; anything else → Deny.

import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { requireEnv } from './runtime/env.js';
import { FUNCTION_ENV } from './runtime/function-env.js';
import { jsonLogger } from './runtime/logger.js';

/** Verifies ID or access tokens of the dashboard's app client; the JWKS is fetched once and cached. */
export const verifier = CognitoJwtVerifier.create({
  userPoolId: requireEnv(FUNCTION_ENV.userPoolId),
  clientId: requireEnv(FUNCTION_ENV.userPoolClientId),
  tokenUse: null,
});
const logger = jsonLogger({ function: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'ws-authorizer' });

function policy(
  principalId: string,
  effect: 'Allow' | 'Deny',
  resource: string,
  sub?: string,
): APIGatewayAuthorizerResult {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
    context: sub ? { sub } : undefined,
  };
}

export async function handler(event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  const token = event.queryStringParameters?.token;
  if (!token) return policy('anonymous', 'Deny', event.methodArn);
  try {
    const payload = await verifier.verify(token);
    return policy(String(payload.sub), 'Allow', event.methodArn, String(payload.sub));
  } catch (error) {
    // The token is attacker-supplied: log why it failed, never the token.
    logger.warn('live feed token refused', { reason: String((error as Error).message).slice(0, 200) });
    return policy('anonymous', 'Deny', event.methodArn);
  }
}
