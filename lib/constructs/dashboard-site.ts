// The dashboard: a private S3 bucket behind CloudFront (origin access control, TLS, strict security
// headers), the built SPA plus a generated /config.json, and the Cognito user pool that signs users in.

import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AccessLevel,
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  type IDistribution,
  type IResponseHeadersPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  AccountRecovery,
  CfnUserPoolUser,
  type IUserPool,
  type IUserPoolClient,
  type IUserPoolDomain,
  Mfa,
  OAuthScope,
  UserPool,
} from 'aws-cdk-lib/aws-cognito';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { FINGERPRINT_FILE } from '../../web/build-fingerprint.js';

export interface DashboardSiteProps {
  /** Folder with the built dashboard (index.html + assets). */
  readonly webDist: string;
  /** Bucket receiving the site bucket's server access logs and CloudFront's standard logs. */
  readonly accessLogs: IBucket;
  /** Cognito hosted UI domain prefix (unique in the region). */
  readonly authDomainPrefix: string;
  /** Users to create (invited by email with a temporary password). @default none */
  readonly users?: readonly string[];
  /**
   * Custom domain of the dashboard (needs certificateArn).
   * @default none: the distribution's cloudfront.net name
   */
  readonly domainName?: string;
  /** ACM certificate in us-east-1 for domainName. @default none */
  readonly certificateArn?: string;
}

export interface DashboardConfig {
  /** Base URL of the HTTP API (`.../api/v1`). */
  readonly apiBase: string;
  /** wss:// URL of the live feed. */
  readonly wsUrl: string;
  /** The Cognito group whose members the dashboard offers admin controls (backfill). */
  readonly adminGroup: string;
}

/** A custom name for the distribution, or nothing (the cloudfront.net name). */
type CustomDomain =
  | Record<string, never>
  | {
      readonly domainNames: string[];
      readonly certificate: ReturnType<typeof Certificate.fromCertificateArn>;
      readonly minimumProtocolVersion: SecurityPolicyProtocol;
    };

export class DashboardSite extends Construct {
  readonly bucket: IBucket;
  readonly distribution: IDistribution;
  readonly userPool: IUserPool;
  readonly client: IUserPoolClient;
  readonly domain: IUserPoolDomain;
  /** https origin of the dashboard (for CORS and Cognito callbacks). */
  readonly origin: string;
  /** Cognito hosted UI host name. */
  readonly authHost: string;
  private readonly webDist: string;

  constructor(scope: Construct, id: string, props: DashboardSiteProps) {
    super(scope, id);
    this.webDist = props.webDist;
    const userPool = this.createUserPool();
    this.userPool = userPool;
    this.domain = userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.authDomainPrefix },
    });
    this.inviteUsers(props.users ?? []);
    this.bucket = this.createBucket(props.accessLogs);
    this.authHost = `${props.authDomainPrefix}.auth.${Stack.of(this).region}.amazoncognito.com`;
    const customDomain = this.customDomain(props);
    const distribution = this.createDistribution(props.accessLogs, customDomain, this.securityHeaders());
    this.distribution = distribution;
    this.acknowledgeCdnFindings(distribution, customDomain);
    this.origin = `https://${props.domainName && props.certificateArn ? props.domainName : distribution.distributionDomainName}`;
    this.client = this.createClient(userPool);
  }

  /** Admin-created users only, strong passwords, optional TOTP, retained with its users. */
  private createUserPool(): UserPool {
    const userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(userPool).acknowledge(
      {
        id: 'AwsSolutions-COG8',
        reason:
          'Threat protection (Plus tier) is billed per user; a handful of admin-created users with strong passwords is the default. Enable the Plus plan in Cognito when policy demands it.',
      },
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional by design (TOTP available to every user); organisations requiring it set MFA to required in the pool.',
      },
    );
    return userPool;
  }

  /** Each user is created in the pool and mailed a temporary password. */
  private inviteUsers(users: readonly string[]): void {
    users.forEach((email, index) => {
      new CfnUserPoolUser(this, `User${index}`, {
        userPoolId: this.userPool.userPoolId,
        username: email,
        userAttributes: [
          { name: 'email', value: email },
          { name: 'email_verified', value: 'true' },
        ],
        desiredDeliveryMediums: ['EMAIL'],
      });
    });
  }

  private createBucket(accessLogs: IBucket): Bucket {
    return new Bucket(this, 'Assets', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'site/',
      // Deleted with the stack; CloudFormation cannot delete a bucket holding (versions of) objects,
      // so CDK's custom resource empties it first. The files are rebuilt from the repository.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
  }

  /** CSP without inline script or style, HSTS, no framing, nosniff, no referrer. */
  private securityHeaders(): IResponseHeadersPolicy {
    const region = Stack.of(this).region;
    const authHost = this.authHost;
    // The API endpoints' ids are not known before deploy, and the APIs' CORS needs this site's name
    // (a cycle), so the CSP allows API Gateway of this region rather than the two exact hosts.
    const csp = [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' https://*.execute-api.${region}.amazonaws.com wss://*.execute-api.${region}.amazonaws.com https://cognito-idp.${region}.amazonaws.com https://${authHost}`,
      `form-action 'self' https://${authHost}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ].join('; ');
    return new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      comment: 'tfdrift dashboard security headers',
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: false,
          override: true,
        },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        contentTypeOptions: { override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
    });
  }

  private customDomain(props: DashboardSiteProps): CustomDomain {
    if (!props.domainName || !props.certificateArn) return {};
    return {
      domainNames: [props.domainName],
      certificate: Certificate.fromCertificateArn(this, 'Certificate', props.certificateArn),
      // Only a custom certificate can raise the viewer TLS floor; the default one is fixed.
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
    };
  }

  /** The private bucket behind CloudFront (origin access control, HTTPS only); SPA routes get index.html. */
  private createDistribution(
    accessLogs: IBucket,
    customDomain: CustomDomain,
    headers: IResponseHeadersPolicy,
  ): Distribution {
    const spaRoute = (httpStatus: number) => ({
      httpStatus,
      responseHttpStatus: 200,
      responsePagePath: '/index.html',
      ttl: Duration.seconds(0),
    });
    return new Distribution(this, 'Cdn', {
      comment: 'tfdrift dashboard',
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: accessLogs,
      logFilePrefix: 'cdn/',
      ...customDomain,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket, {
          originAccessLevels: [AccessLevel.READ],
        }),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
      // The SPA routes in the browser: unknown paths get index.html.
      errorResponses: [spaRoute(403), spaRoute(404)],
    });
  }

  private acknowledgeCdnFindings(distribution: Distribution, customDomain: CustomDomain): void {
    const acks = [
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'Dashboard users may work from anywhere; every data request needs a Cognito token, the site holds only static files.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'Static files only; data sits behind Cognito-authorised APIs with throttling. Attach a WAF web ACL when policy demands it.',
      },
    ];
    if (!('certificate' in customDomain)) {
      acks.push({
        id: 'AwsSolutions-CFR4',
        reason:
          'The default *.cloudfront.net certificate fixes the TLS floor; set domainName + certificateArn to enforce TLSv1.2_2021.',
      });
    }
    Validations.of(distribution).acknowledge(...acks);
  }

  /** The SPA's public client: authorization code flow with PKCE, no secret, callbacks to the site. */
  private createClient(userPool: UserPool): IUserPoolClient {
    return userPool.addClient('Spa', {
      generateSecret: false,
      authFlows: { userSrp: true },
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${this.origin}/`],
        logoutUrls: [`${this.origin}/`],
      },
    });
  }

  /** Uploads the SPA and its runtime config (docs/api.md "/config.json"). */
  deploy(config: DashboardConfig): BucketDeployment {
    const region = Stack.of(this).region;
    return new BucketDeployment(this, 'Deploy', {
      destinationBucket: this.bucket,
      sources: [
        // The build's fingerprint lists source file names: the site does not need it.
        Source.asset(this.webDist, { exclude: [FINGERPRINT_FILE] }),
        Source.jsonData('config.json', {
          apiBase: config.apiBase,
          wsUrl: config.wsUrl,
          auth: {
            type: 'cognito',
            userPoolId: this.userPool.userPoolId,
            clientId: this.client.userPoolClientId,
            domain: this.authHost,
            region,
            adminGroup: config.adminGroup,
          },
          consoleRegion: region,
        }),
      ],
      distribution: this.distribution,
      distributionPaths: ['/index.html', '/config.json'],
      memoryLimit: 256,
    });
  }
}
