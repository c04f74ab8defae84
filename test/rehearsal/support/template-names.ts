// The physical names a deploy would give the template's resources, made up for the rehearsal, and
// the intrinsic functions (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split) resolved
// against them, so that function environments, subscriptions and routes read as they would in AWS.
// An intrinsic or attribute this does not know throws: the rehearsal never guesses a value.

import { createHash } from 'node:crypto';
import type { CfnResource, CfnTemplate } from '../assembly.js';

export interface DeployTarget {
  readonly account: string;
  readonly region: string;
  readonly stackName: string;
}

const short = (text: string, length = 10) => createHash('sha256').update(text).digest('hex').slice(0, length);

/** Reads a deployed stack's template with made-up physical names. */
export class TemplateNames {
  constructor(
    readonly template: CfnTemplate,
    readonly target: DeployTarget,
  ) {}

  resource(logicalId: string): CfnResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`the template has no resource ${logicalId}`);
    return resource;
  }

  /** The logical ids of the resources of one type. */
  ofType(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([id]) => id);
  }

  /** What `Ref` answers for a resource (CloudFormation's documented return value per type). */
  ref(logicalId: string): string {
    const { account, region, stackName } = this.target;
    const type = this.resource(logicalId).Type;
    const name = `${stackName}-${logicalId.slice(0, 40)}-${short(logicalId, 8).toUpperCase()}`;
    switch (type) {
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${region}:${account}:${name}`;
      case 'AWS::SQS::Queue':
        return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
      case 'AWS::Cognito::UserPool':
        return `${region}_${short(logicalId, 9)}`;
      case 'AWS::Cognito::UserPoolClient':
        return short(logicalId, 26);
      case 'AWS::ApiGatewayV2::Api':
      case 'AWS::ApiGatewayV2::Integration':
      case 'AWS::ApiGatewayV2::Authorizer':
        return short(logicalId, 10);
      case 'AWS::S3::Bucket':
        return name.toLowerCase();
      case 'AWS::KMS::Key':
        return `${short(logicalId, 8)}-1234-4abc-8def-${short(`${logicalId}k`, 12)}`;
      default:
        return name;
    }
  }

  /** What `Fn::GetAtt` answers. */
  getAtt(logicalId: string, attribute: string): string {
    const { account, region } = this.target;
    const type = this.resource(logicalId).Type;
    const ref = this.ref(logicalId);
    const key = `${type} ${attribute}`;
    switch (key) {
      case 'AWS::DynamoDB::Table Arn':
        return `arn:aws:dynamodb:${region}:${account}:table/${ref}`;
      case 'AWS::DynamoDB::Table StreamArn':
        return `arn:aws:dynamodb:${region}:${account}:table/${ref}/stream/2026-12-01T00:00:00.000`;
      case 'AWS::SNS::Topic TopicArn':
        return ref;
      case 'AWS::SNS::Topic TopicName':
        return ref.split(':').pop() as string;
      case 'AWS::SQS::Queue Arn':
        return `arn:aws:sqs:${region}:${account}:${ref.split('/').pop()}`;
      case 'AWS::SQS::Queue QueueName':
        return ref.split('/').pop() as string;
      case 'AWS::Lambda::Function Arn':
        return `arn:aws:lambda:${region}:${account}:function:${ref}`;
      case 'AWS::Cognito::UserPool Arn':
        return `arn:aws:cognito-idp:${region}:${account}:userpool/${ref}`;
      case 'AWS::Cognito::UserPool ProviderURL':
        return `cognito-idp.${region}.amazonaws.com/${ref}`;
      case 'AWS::ApiGatewayV2::Api ApiEndpoint': {
        const websocket = this.resource(logicalId).Properties?.ProtocolType === 'WEBSOCKET';
        return `${websocket ? 'wss' : 'https'}://${ref}.execute-api.${region}.amazonaws.com`;
      }
      case 'AWS::CloudFront::Distribution DomainName':
        return `d${short(logicalId, 13)}.cloudfront.net`;
      case 'AWS::KMS::Key Arn':
        return `arn:aws:kms:${region}:${account}:key/${ref}`;
      case 'AWS::S3::Bucket Arn':
        return `arn:aws:s3:::${ref}`;
      case 'AWS::IAM::Role Arn':
        return `arn:aws:iam::${account}:role/${ref}`;
      case 'AWS::Logs::LogGroup Arn':
        return `arn:aws:logs:${region}:${account}:log-group:${ref}:*`;
      default:
        throw new Error(`the rehearsal does not know Fn::GetAtt ${logicalId}.${attribute} (${type})`);
    }
  }

  private pseudo(name: string): string | undefined {
    return {
      'AWS::AccountId': this.target.account,
      'AWS::Region': this.target.region,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': this.target.stackName,
      'AWS::StackId': `arn:aws:cloudformation:${this.target.region}:${this.target.account}:stack/${this.target.stackName}/1b2c3d4e-0000-4000-8000-000000000001`,
    }[name];
  }

  /** The value with every intrinsic function resolved. */
  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (typeof value !== 'object' || value === null) return value;
    const entries = Object.entries(value);
    if (entries.length === 1) {
      const [fn, arg] = entries[0];
      if (fn === 'Ref') {
        const name = String(arg);
        return this.pseudo(name) ?? this.ref(name);
      }
      if (fn === 'Fn::GetAtt') {
        const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
        return this.getAtt(String(id), String(attribute));
      }
      if (fn === 'Fn::Join') {
        const [separator, parts] = arg as [string, unknown[]];
        return (this.resolve(parts) as unknown[]).join(separator);
      }
      if (fn === 'Fn::Select') {
        const [index, list] = arg as [number, unknown];
        return (this.resolve(list) as unknown[])[Number(this.resolve(index))];
      }
      if (fn === 'Fn::Split') {
        const [separator, text] = arg as [string, unknown];
        return String(this.resolve(text)).split(separator);
      }
      if (fn === 'Fn::Sub') {
        const [text, vars] = (Array.isArray(arg) ? arg : [arg, {}]) as [string, Record<string, unknown>];
        return text.replace(/\$\{([^}!]+)\}/g, (_, name: string) => {
          if (name in vars) return String(this.resolve(vars[name]));
          if (name.includes('.')) {
            const [id, attribute] = name.split('.');
            return this.getAtt(id, attribute);
          }
          return this.pseudo(name) ?? this.ref(name);
        });
      }
      if (fn.startsWith('Fn::')) throw new Error(`the rehearsal does not resolve ${fn}`);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v)]));
  }

  /** The resolved properties of a resource. */
  properties<T = Record<string, unknown>>(logicalId: string): T {
    return this.resolve(this.resource(logicalId).Properties ?? {}) as T;
  }

  /** The logical id of the Lambda function a property refers to (Fn::GetAtt [fn, Arn] or Ref fn). */
  functionIn(value: unknown): string {
    const found = new Set<string>();
    const walk = (node: unknown) => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (typeof node === 'object' && node !== null) {
        for (const [k, v] of Object.entries(node)) {
          const id =
            k === 'Fn::GetAtt' && Array.isArray(v) ? String(v[0]) : k === 'Ref' ? String(v) : undefined;
          if (id && this.template.Resources[id]?.Type === 'AWS::Lambda::Function') found.add(id);
          else walk(v);
        }
      }
    };
    walk(value);
    if (found.size !== 1) throw new Error(`expected one Lambda function in ${JSON.stringify(value)}`);
    return [...found][0];
  }
}
