// A tiny local endpoint for the two AWS APIs that have no local server here: SNS Publish (query
// protocol) and API Gateway's PostToConnection (REST JSON). Real SDK v3 clients talk to it over HTTP,
// so their serialisation, retries and middleware all run; the recorder keeps what arrived.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiGatewayManagementApiClient } from '@aws-sdk/client-apigatewaymanagementapi';
import { SNSClient } from '@aws-sdk/client-sns';

export interface PublishedMessage {
  readonly topicArn: string;
  readonly subject: string | null;
  /** What an email subscriber reads: the `email` (else `default`) form of a per-protocol message. */
  readonly message: string;
  /** The Message parameter as sent (the JSON of every form when MessageStructure is json). */
  readonly raw: string;
  readonly attributes: Record<string, string>;
}

/** SNS delivers each protocol its own form of a `MessageStructure: json` message. */
function emailForm(raw: string, structure: string | null): string {
  if (structure !== 'json') return raw;
  const forms = JSON.parse(raw) as Record<string, string>;
  return forms.email ?? forms.default;
}

export interface AwsRecorder {
  readonly endpoint: string;
  readonly published: PublishedMessage[];
  /** Messages posted per WebSocket connection id. */
  readonly posted: Map<string, string[]>;
  /** Connection ids that answer 410 Gone. */
  readonly gone: Set<string>;
  sns(maxAttempts?: number): SNSClient;
  apigw(maxAttempts?: number): ApiGatewayManagementApiClient;
  close(): Promise<void>;
}

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

function publishAttributes(form: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 1; form.has(`MessageAttributes.entry.${i}.Name`); i++) {
    out[form.get(`MessageAttributes.entry.${i}.Name`)!] =
      form.get(`MessageAttributes.entry.${i}.Value.StringValue`) ?? '';
  }
  return out;
}

export async function startAwsRecorder(): Promise<AwsRecorder> {
  const published: PublishedMessage[] = [];
  const posted = new Map<string, string[]>();
  const gone = new Set<string>();
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://local');
      const conn = /^\/@connections\/(.+)$/.exec(url.pathname);
      if (conn) {
        const id = decodeURIComponent(conn[1]);
        if (gone.has(id)) {
          res.writeHead(410, { 'content-type': 'application/json', 'x-amzn-errortype': 'GoneException' });
          res.end('{"message":"gone"}');
          return;
        }
        posted.set(id, [...(posted.get(id) ?? []), body]);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
        return;
      }
      const form = new URLSearchParams(body);
      if (form.get('Action') === 'Publish') {
        published.push({
          topicArn: form.get('TopicArn') ?? '',
          subject: form.get('Subject'),
          message: emailForm(form.get('Message') ?? '', form.get('MessageStructure')),
          raw: form.get('Message') ?? '',
          attributes: publishAttributes(form),
        });
        n += 1;
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-${n}</MessageId></PublishResult><ResponseMetadata><RequestId>r-${n}</RequestId></ResponseMetadata></PublishResponse>`,
        );
        return;
      }
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end('unsupported');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    published,
    posted,
    gone,
    sns: (maxAttempts = 3) => new SNSClient({ endpoint, region: 'us-east-1', credentials, maxAttempts }),
    apigw: (maxAttempts = 3) =>
      new ApiGatewayManagementApiClient({ endpoint, region: 'us-east-1', credentials, maxAttempts }),
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
