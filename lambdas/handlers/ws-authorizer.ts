// Lambda REQUEST authorizer of the WebSocket $connect route: the Cognito JWT arrives as `?token=`
// (browsers cannot set headers on a WebSocket). Valid → Allow on this route; anything else → Deny.

import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import { requireEnv } from './runtime/env.js';
import { FUNCTION_ENV } from './runtime/function-env.js';
import { functionLogger } from './runtime/powertools-logger.js';

/** Verifies ID or access tokens of the dashboard's app client; the JWKS is fetched once and cached. */
export const verifier = CognitoJwtVerifier.create({
  userPoolId: requireEnv(FUNCTION_ENV.userPoolId),
  clientId: requireEnv(FUNCTION_ENV.userPoolClientId),
  tokenUse: null,
});
const logger = functionLogger();

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

export async function handler(
  event: APIGatewayRequestAuthorizerEvent,
  context?: Context,
): Promise<APIGatewayAuthorizerResult> {
  if (context) logger.addContext(context);
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
