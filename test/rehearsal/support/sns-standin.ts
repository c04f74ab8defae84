// A stand-in for Amazon SNS: the Query-protocol `Publish` action the SDK sends (form-encoded, XML
// answer), over the topics and subscriptions of the template. Each message is delivered to the
// subscriptions whose filter policy accepts it (scope MessageAttributes by default, or MessageBody),
// evaluated with the core's pattern matcher: SNS filter policies are EventBridge-style patterns
// (exact values, prefix, anything-but, numeric, exists) over the attributes' values.
// Documented at https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html
// and https://docs.aws.amazon.com/sns/latest/api/API_Publish.html.

import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EventPattern, matchesPattern } from '../../../lambdas/core/event-pattern.js';
import type { TemplateNames } from './template-names.js';

export interface MessageAttribute {
  readonly DataType: string;
  readonly StringValue?: string;
}

export interface SnsDelivery {
  readonly topicArn: string;
  readonly subject?: string;
  /** What an email subscription receives (with MessageStructure json: its `email` or `default`). */
  readonly message: string;
  /** With MessageStructure json: the message each protocol receives (`default` for the others). */
  readonly byProtocol?: Record<string, string>;
  readonly attributes: Record<string, MessageAttribute>;
  /** Endpoints (e.g. email addresses) whose subscription accepted the message. */
  readonly deliveredTo: string[];
}

interface Subscription {
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
  readonly filterPolicy?: EventPattern;
  readonly scope: 'MessageAttributes' | 'MessageBody';
}

/** Attribute values as a filter policy sees them: strings, numbers, or the elements of String.Array. */
function attributeValues(attributes: Record<string, MessageAttribute>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, { DataType, StringValue }] of Object.entries(attributes)) {
    if (DataType === 'Number') out[name] = Number(StringValue);
    else if (DataType === 'String.Array') out[name] = JSON.parse(StringValue ?? '[]');
    else out[name] = StringValue;
  }
  return out;
}

/**
 * MessageStructure json, as SNS checks it: a JSON object of strings with a `default`
 * (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html); anything else is InvalidParameter.
 */
function perProtocol(message: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw new InvalidParameter('Message Structure - JSON message body failed to parse');
  }
  const ok =
    parsed !== null &&
    typeof parsed === 'object' &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((v) => typeof v === 'string');
  if (!ok || typeof (parsed as Record<string, unknown>).default !== 'string') {
    throw new InvalidParameter('Message Structure - No default entry in JSON message body');
  }
  return parsed as Record<string, string>;
}

class InvalidParameter extends Error {}

export class SnsStandIn {
  readonly deliveries: SnsDelivery[] = [];
  private readonly subscriptions: Subscription[];
  private readonly topics: Set<string>;
  private server?: Server;
  endpoint = '';

  constructor(names: TemplateNames) {
    this.topics = new Set(names.ofType('AWS::SNS::Topic').map((id) => names.ref(id)));
    this.subscriptions = names.ofType('AWS::SNS::Subscription').map((id) => {
      const p = names.properties<{
        TopicArn: string;
        Protocol: string;
        Endpoint: string;
        FilterPolicy?: EventPattern;
        FilterPolicyScope?: 'MessageAttributes' | 'MessageBody';
      }>(id);
      return {
        topicArn: p.TopicArn,
        protocol: p.Protocol,
        endpoint: p.Endpoint,
        filterPolicy: p.FilterPolicy,
        scope: p.FilterPolicyScope ?? 'MessageAttributes',
      };
    });
  }

  /** Delivers one message to the topic's subscriptions, as SNS fans it out. */
  publish(
    topicArn: string,
    message: string,
    attributes: Record<string, MessageAttribute> = {},
    subject?: string,
    structure?: string,
  ): SnsDelivery {
    if (!this.topics.has(topicArn)) throw new Error(`no topic ${topicArn} in the template`);
    const byProtocol = structure === 'json' ? perProtocol(message) : undefined;
    const deliveredTo = this.subscriptions
      .filter((s) => s.topicArn === topicArn)
      .filter((s) => {
        if (!s.filterPolicy) return true;
        if (s.scope === 'MessageBody') {
          try {
            return matchesPattern(
              s.filterPolicy,
              JSON.parse(byProtocol?.[s.protocol] ?? byProtocol?.default ?? message),
            );
          } catch {
            return false; // a body that is no JSON matches no body-scoped policy
          }
        }
        return matchesPattern(s.filterPolicy, attributeValues(attributes));
      })
      .map((s) => `${s.protocol}:${s.endpoint}`);
    const delivery = {
      topicArn,
      subject,
      message: byProtocol ? (byProtocol.email ?? byProtocol.default) : message,
      ...(byProtocol ? { byProtocol } : {}),
      attributes,
      deliveredTo,
    };
    this.deliveries.push(delivery);
    return delivery;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const requestId = randomUUID();
        const fail = (status: number, code: string, message: string) => {
          res.writeHead(status, { 'content-type': 'text/xml' });
          res.end(
            `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
          );
        };
        if (form.get('Action') !== 'Publish')
          return fail(400, 'InvalidAction', 'only Publish is stood in for');
        if (
          !/^AWS4-HMAC-SHA256 Credential=[^/]+\/\d{8}\/[^/]+\/sns\/aws4_request/.test(
            req.headers.authorization ?? '',
          )
        ) {
          return fail(403, 'InvalidClientTokenId', 'the request is not signed for sns');
        }
        const attributes: Record<string, MessageAttribute> = {};
        for (let n = 1; form.has(`MessageAttributes.entry.${n}.Name`); n++) {
          const prefix = `MessageAttributes.entry.${n}`;
          attributes[form.get(`${prefix}.Name`) as string] = {
            DataType: form.get(`${prefix}.Value.DataType`) as string,
            StringValue: form.get(`${prefix}.Value.StringValue`) ?? undefined,
          };
        }
        const topicArn = form.get('TopicArn') ?? '';
        if (!this.topics.has(topicArn)) return fail(404, 'NotFound', 'Topic does not exist');
        try {
          this.publish(
            topicArn,
            form.get('Message') ?? '',
            attributes,
            form.get('Subject') ?? undefined,
            form.get('MessageStructure') ?? undefined,
          );
        } catch (error) {
          if (error instanceof InvalidParameter) return fail(400, 'InvalidParameter', error.message);
          throw error;
        }
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></PublishResponse>`,
        );
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
