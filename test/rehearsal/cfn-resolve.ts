// Resolves the CloudFormation intrinsics of a synthesized template the way a deploy would, with
// deterministic fake physical names: every Ref and Fn::GetAtt becomes the concrete name or ARN the
// resource would have (same shape as AWS's), so policies and environment variables are plain strings
// that an IAM simulator can match. Anything this resolver does not know fails loudly, naming it,
// rather than resolving to something that might match by accident.
//
// Return values: CloudFormation user guide, "Resource and property reference", each resource's
// "Return values" section (Ref and Fn::GetAtt).

import { createHash } from 'node:crypto';
import type { CfnResource, CfnTemplate } from './assembly.js';

export interface DeployTarget {
  readonly stackName: string;
  readonly account: string;
  readonly region: string;
  /** Values of the template's parameters (those without a default must be given). @default {} */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** What `Ref: AWS::NoValue` resolves to: the property it stands in is dropped. */
const NO_VALUE = Symbol('AWS::NoValue');

const PARTITION = 'aws';
const URL_SUFFIX = 'amazonaws.com';

/** A short stable hash of the stack and logical id: the random part AWS would add to a name. */
function suffix(...parts: string[]): string {
  return createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 12);
}

export class CfnResolver {
  readonly partition = PARTITION;
  readonly account: string;
  readonly region: string;
  readonly stackName: string;
  private readonly parameters: Readonly<Record<string, string>>;

  constructor(
    readonly template: CfnTemplate,
    target: DeployTarget,
  ) {
    this.account = target.account;
    this.region = target.region;
    this.stackName = target.stackName;
    this.parameters = target.parameters ?? {};
  }

  /** A parameter's value as deployed: the one given, else its default. */
  private parameter(name: string): string | undefined {
    const declared = this.template.Parameters?.[name] as { Default?: unknown } | undefined;
    if (!declared) return undefined;
    const value = this.parameters[name] ?? declared.Default;
    if (value === undefined) throw new Error(`${this.stackName}: parameter ${name} has no value`);
    return String(value);
  }

  /** A named condition of the template, or a condition function, evaluated. */
  private condition(value: unknown): boolean {
    if (typeof value === 'string') {
      const named = this.template.Conditions?.[value];
      if (named === undefined) throw new Error(`${this.stackName}: no condition ${value}`);
      return this.condition(named);
    }
    const [[fn, arg]] = Object.entries(value as Record<string, unknown>);
    const args = arg as unknown[];
    switch (fn) {
      case 'Condition':
        return this.condition(String(arg));
      case 'Fn::Equals':
        return String(this.resolve(args[0])) === String(this.resolve(args[1]));
      case 'Fn::Not':
        return !this.condition(args[0]);
      case 'Fn::And':
        return args.every((a) => this.condition(a));
      case 'Fn::Or':
        return args.some((a) => this.condition(a));
      default:
        throw new Error(`${this.stackName}: condition function ${fn} is not resolved`);
    }
  }

  resource(logicalId: string): CfnResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`${this.stackName}: no resource ${logicalId}`);
    return resource;
  }

  /** The physical name CloudFormation generates: <stack>-<logicalId>-<RANDOM>. */
  private generatedName(logicalId: string, max = 64, lower = false): string {
    const name = `${this.stackName}-${logicalId}`.slice(0, max - 13);
    const full = `${name}-${suffix(this.stackName, logicalId).toUpperCase()}`;
    return lower ? full.toLowerCase() : full;
  }

  private arn(service: string, resource: string, region = this.region, account = this.account): string {
    return `arn:${PARTITION}:${service}:${region}:${account}:${resource}`;
  }

  private uuid(logicalId: string): string {
    const h = createHash('sha256').update(`${this.stackName}/${logicalId}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** What `Ref` returns for the resource. */
  ref(logicalId: string): string {
    if (logicalId.startsWith('AWS::')) return this.pseudo(logicalId);
    const parameter = this.parameter(logicalId);
    if (parameter !== undefined) return parameter;
    const { Type, Properties = {} } = this.resource(logicalId);
    const named = (prop: string, fallback: () => string) => {
      const given = Properties[prop];
      return given === undefined ? fallback() : String(this.resolve(given));
    };
    switch (Type) {
      case 'AWS::DynamoDB::Table':
        return named('TableName', () => this.generatedName(logicalId, 255));
      case 'AWS::SNS::Topic':
        return this.arn(
          'sns',
          named('TopicName', () => this.generatedName(logicalId, 256)),
        );
      case 'AWS::SQS::Queue':
        return `https://sqs.${this.region}.${URL_SUFFIX}/${this.account}/${this.queueName(logicalId)}`;
      case 'AWS::S3::Bucket':
        return named('BucketName', () => this.generatedName(logicalId, 63, true));
      case 'AWS::KMS::Key':
        return this.uuid(logicalId);
      case 'AWS::IAM::Role':
        return named('RoleName', () => this.generatedName(logicalId, 64));
      case 'AWS::Lambda::Function':
        return named('FunctionName', () => this.generatedName(logicalId, 64));
      case 'AWS::Logs::LogGroup':
        return named('LogGroupName', () => this.generatedName(logicalId, 512));
      case 'AWS::Events::Rule':
        return named('Name', () => this.generatedName(logicalId, 64));
      case 'AWS::CloudTrail::Trail':
        return named('TrailName', () => this.generatedName(logicalId, 128));
      case 'AWS::Events::EventBus':
        return named('Name', () => this.generatedName(logicalId, 256));
      case 'AWS::Events::Connection':
      case 'AWS::Events::ApiDestination':
        return named('Name', () => this.generatedName(logicalId, 64));
      case 'AWS::CloudWatch::Alarm':
        return named('AlarmName', () => this.generatedName(logicalId, 255));
      case 'AWS::ApiGatewayV2::Api':
      case 'AWS::ApiGatewayV2::Authorizer':
      case 'AWS::ApiGatewayV2::Integration':
      case 'AWS::ApiGatewayV2::Route':
        return suffix(this.stackName, logicalId).slice(0, 10);
      case 'AWS::ApiGatewayV2::Stage':
        return named('StageName', () => '$default');
      case 'AWS::Cognito::UserPool':
        return `${this.region}_${suffix(this.stackName, logicalId).slice(0, 9)}`;
      case 'AWS::Cognito::UserPoolClient':
        return suffix(this.stackName, logicalId, 'client').padEnd(26, '0');
      case 'AWS::CloudFront::Distribution':
        return `E${suffix(this.stackName, logicalId).toUpperCase()}`;
      case 'AWS::Lambda::LayerVersion':
        return this.arn('lambda', `layer:${this.generatedName(logicalId, 64)}:1`);
      default:
        // Resources only ever referenced by name in this project (policies, permissions, ...).
        return this.generatedName(logicalId);
    }
  }

  private queueName(logicalId: string): string {
    const given = this.resource(logicalId).Properties?.QueueName;
    return given === undefined ? this.generatedName(logicalId, 80) : String(this.resolve(given));
  }

  /** What `Fn::GetAtt` returns. */
  getAtt(logicalId: string, attribute: string): string {
    const { Type, Properties = {} } = this.resource(logicalId);
    const fail = () => {
      throw new Error(`${this.stackName}: Fn::GetAtt ${logicalId}.${attribute} (${Type}) is not resolved`);
    };
    switch (Type) {
      case 'AWS::DynamoDB::Table': {
        const arn = this.arn('dynamodb', `table/${this.ref(logicalId)}`);
        if (attribute === 'Arn') return arn;
        if (attribute === 'StreamArn') return `${arn}/stream/2026-01-01T00:00:00.000`;
        return fail();
      }
      case 'AWS::SNS::Topic':
        if (attribute === 'TopicArn') return this.ref(logicalId);
        if (attribute === 'TopicName') return this.ref(logicalId).split(':').pop() ?? fail();
        return fail();
      case 'AWS::SQS::Queue':
        if (attribute === 'Arn') return this.arn('sqs', this.queueName(logicalId));
        if (attribute === 'QueueName') return this.queueName(logicalId);
        if (attribute === 'QueueUrl') return this.ref(logicalId);
        return fail();
      case 'AWS::S3::Bucket': {
        const name = this.ref(logicalId);
        if (attribute === 'Arn') return `arn:${PARTITION}:s3:::${name}`;
        if (attribute === 'DomainName') return `${name}.s3.${URL_SUFFIX}`;
        if (attribute === 'RegionalDomainName') return `${name}.s3.${this.region}.${URL_SUFFIX}`;
        return fail();
      }
      case 'AWS::KMS::Key':
        if (attribute === 'Arn') return this.arn('kms', `key/${this.ref(logicalId)}`);
        if (attribute === 'KeyId') return this.ref(logicalId);
        return fail();
      case 'AWS::IAM::Role':
        if (attribute === 'Arn') return `arn:${PARTITION}:iam::${this.account}:role/${this.ref(logicalId)}`;
        if (attribute === 'RoleId') return `AROA${suffix(this.stackName, logicalId).toUpperCase()}`;
        return fail();
      case 'AWS::Lambda::Function':
        if (attribute === 'Arn') return this.arn('lambda', `function:${this.ref(logicalId)}`);
        return fail();
      case 'AWS::Logs::LogGroup':
        if (attribute === 'Arn') return this.arn('logs', `log-group:${this.ref(logicalId)}:*`);
        return fail();
      case 'AWS::Events::Rule':
        if (attribute === 'Arn') {
          const bus = Properties.EventBusName ? `${String(this.resolve(Properties.EventBusName))}/` : '';
          return this.arn('events', `rule/${bus}${this.ref(logicalId)}`);
        }
        return fail();
      case 'AWS::Events::EventBus':
        if (attribute === 'Arn') return this.arn('events', `event-bus/${this.ref(logicalId)}`);
        if (attribute === 'Name') return this.ref(logicalId);
        return fail();
      case 'AWS::Events::Connection': {
        const id = `connection/${this.ref(logicalId)}/${this.uuid(logicalId)}`;
        if (attribute === 'Arn') return this.arn('events', id);
        if (attribute === 'SecretArn') return this.arn('secretsmanager', `secret:events!${id}-AbCdEf`);
        return fail();
      }
      case 'AWS::Events::ApiDestination':
        if (attribute === 'Arn')
          return this.arn('events', `api-destination/${this.ref(logicalId)}/${this.uuid(logicalId)}`);
        return fail();
      case 'AWS::CloudTrail::Trail':
        if (attribute === 'Arn') return this.arn('cloudtrail', `trail/${this.ref(logicalId)}`);
        return fail();
      case 'AWS::CloudWatch::Alarm':
        if (attribute === 'Arn') return this.arn('cloudwatch', `alarm:${this.ref(logicalId)}`);
        return fail();
      case 'AWS::ApiGatewayV2::Api':
        if (attribute === 'ApiEndpoint') {
          const scheme = Properties.ProtocolType === 'WEBSOCKET' ? 'wss' : 'https';
          return `${scheme}://${this.ref(logicalId)}.execute-api.${this.region}.${URL_SUFFIX}`;
        }
        if (attribute === 'ApiId') return this.ref(logicalId);
        return fail();
      case 'AWS::Cognito::UserPool':
        if (attribute === 'Arn') return this.arn('cognito-idp', `userpool/${this.ref(logicalId)}`);
        if (attribute === 'ProviderName')
          return `cognito-idp.${this.region}.${URL_SUFFIX}/${this.ref(logicalId)}`;
        if (attribute === 'ProviderURL')
          return `https://cognito-idp.${this.region}.${URL_SUFFIX}/${this.ref(logicalId)}`;
        return fail();
      case 'AWS::CloudFront::Distribution':
        if (attribute === 'DomainName') return `d${suffix(this.stackName, logicalId)}.cloudfront.net`;
        if (attribute === 'Id') return this.ref(logicalId);
        return fail();
      default:
        return fail();
    }
  }

  pseudo(name: string): string {
    switch (name) {
      case 'AWS::Partition':
        return PARTITION;
      case 'AWS::Region':
        return this.region;
      case 'AWS::AccountId':
        return this.account;
      case 'AWS::URLSuffix':
        return URL_SUFFIX;
      case 'AWS::StackName':
        return this.stackName;
      case 'AWS::StackId':
        return this.arn('cloudformation', `stack/${this.stackName}/${this.uuid('AWS::StackId')}`);
      default:
        throw new Error(`${this.stackName}: pseudo parameter ${name} is not resolved`);
    }
  }

  private sub(text: string, variables: Record<string, unknown> = {}): string {
    return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
      if (name in variables) return String(this.resolve(variables[name]));
      if (name.startsWith('AWS::')) return this.pseudo(name);
      const dot = name.indexOf('.');
      return dot < 0 ? this.ref(name) : this.getAtt(name.slice(0, dot), name.slice(dot + 1));
    });
  }

  /** The value with every intrinsic function replaced by what CloudFormation would put there. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v)).filter((v) => v !== NO_VALUE);
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 1) {
      const [[fn, arg]] = entries;
      switch (fn) {
        case 'Ref':
          return arg === 'AWS::NoValue' ? NO_VALUE : this.ref(String(arg));
        case 'Fn::If': {
          const [name, whenTrue, whenFalse] = arg as [string, unknown, unknown];
          return this.resolve(this.condition(name) ? whenTrue : whenFalse);
        }
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split(/\.(.*)/s);
          return this.getAtt(String(id), String(attribute));
        }
        case 'Fn::Join': {
          const [separator, parts] = arg as [string, unknown[]];
          return (this.resolve(parts) as unknown[]).map(String).join(separator);
        }
        case 'Fn::Sub':
          return Array.isArray(arg)
            ? this.sub(String(arg[0]), arg[1] as Record<string, unknown>)
            : this.sub(String(arg));
        case 'Fn::Select': {
          const [index, list] = arg as [unknown, unknown];
          return (this.resolve(list) as unknown[])[Number(this.resolve(index))];
        }
        case 'Fn::Split': {
          const [separator, text] = arg as [string, unknown];
          return String(this.resolve(text)).split(separator);
        }
        default:
          if (fn.startsWith('Fn::') || fn === 'Condition') {
            throw new Error(`${this.stackName}: intrinsic ${fn} is not resolved`);
          }
      }
    }
    return Object.fromEntries(
      entries.map(([k, v]) => [k, this.resolve(v)]).filter(([, v]) => v !== NO_VALUE),
    );
  }

  /** Resolved properties of a resource. */
  properties(logicalId: string): Record<string, unknown> {
    return this.resolve(this.resource(logicalId).Properties ?? {}) as Record<string, unknown>;
  }

  /** Logical ids of the resources of a type. */
  ofType(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([id]) => id);
  }
}
