// The dashboard's HTTP API (docs/api.md): API Gateway HTTP API with a Cognito JWT authorizer on every
// route, CORS limited to the dashboard's origin, access logs, and the query-api Lambda behind it.

import { Duration } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  type IHttpApi,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

export interface QueryApiProps {
  /** The query-api function behind every route. */
  readonly handler: IFunction;
  /** Whose JWTs the routes' authorizer accepts. */
  readonly userPool: IUserPool;
  /** The dashboard's app client (the JWT's audience). */
  readonly client: IUserPoolClient;
  /** Origins allowed by CORS: the dashboard's https origin. */
  readonly allowedOrigins: readonly string[];
  /** How long the access logs are kept. */
  readonly logRetention: RetentionDays;
}

// One line of JSON per request (API Gateway $context variables).
const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  time: '$context.requestTime',
  method: '$context.httpMethod',
  path: '$context.path',
  status: '$context.status',
  latency: '$context.responseLatency',
  user: '$context.authorizer.claims.sub',
  userAgent: '$context.identity.userAgent',
  error: '$context.integrationErrorMessage',
});

export class QueryApi extends Construct {
  readonly api: IHttpApi;

  constructor(scope: Construct, id: string, props: QueryApiProps) {
    super(scope, id);
    const authorizer = new HttpUserPoolAuthorizer('Cognito', props.userPool, {
      userPoolClients: [props.client],
    });
    const api = new HttpApi(this, 'Api', {
      description: 'tfdrift query API',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...props.allowedOrigins],
        allowHeaders: ['authorization', 'content-type'],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.OPTIONS],
        maxAge: Duration.hours(1),
      },
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.api = api;
    api.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      },
    });
    const integration = new HttpLambdaIntegration('Query', props.handler);
    api.addRoutes({
      path: '/api/v1/{proxy+}',
      methods: [HttpMethod.GET, HttpMethod.POST],
      integration,
      authorizer,
    });
    api.addRoutes({ path: '/health', methods: [HttpMethod.GET], integration, authorizer });
  }

  /** The API's https endpoint (routes under `/api/v1`). */
  get url(): string {
    return this.api.apiEndpoint;
  }
}
