// A stand-in for Amazon EventBridge's PutEvents (AWS JSON 1.1 protocol, `X-Amz-Target:
// AWSEvents.PutEvents`), over the custom buses of the template: each entry is recorded with the
// template's rules on its bus whose pattern (the core's EventBridge matcher) takes it, so a test
// sees where the stack would route the functions' drift events. An entry for a bus the template does
// not define fails as EventBridge answers it (ResourceNotFoundException in the entry).
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html

import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EventPattern, matchesPattern } from '../../../lambdas/core/event-pattern.js';
import type { TemplateNames } from './template-names.js';

export interface PutEntry {
  readonly busName: string;
  readonly event: {
    readonly version: '0';
    readonly id: string;
    readonly source: string;
    readonly 'detail-type': string;
    readonly account: string;
    readonly region: string;
    readonly time: string;
    readonly resources: string[];
    readonly detail: Record<string, unknown>;
  };
  /** Logical ids of the rules on that bus whose pattern matches the event. */
  readonly rules: string[];
}

export class EventBridgeStandIn {
  readonly puts: PutEntry[] = [];
  private server?: Server;
  endpoint = '';
  private readonly buses: Map<string, { ruleId: string; pattern: EventPattern }[]>;

  constructor(
    names: TemplateNames,
    private readonly where: { account: string; region: string },
  ) {
    this.buses = new Map(names.ofType('AWS::Events::EventBus').map((id) => [names.ref(id), []]));
    for (const ruleId of names.ofType('AWS::Events::Rule')) {
      const props = names.resource(ruleId).Properties ?? {};
      const bus = props.EventBusName === undefined ? undefined : String(names.resolve(props.EventBusName));
      if (bus && this.buses.has(bus) && props.EventPattern) {
        this.buses.get(bus)?.push({ ruleId, pattern: props.EventPattern as EventPattern });
      }
    }
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
        };
        if (req.headers['x-amz-target'] !== 'AWSEvents.PutEvents') {
          answer(400, { __type: 'UnknownOperationException', message: String(req.headers['x-amz-target']) });
          return;
        }
        const { Entries = [] } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          Entries?: {
            EventBusName?: string;
            Source?: string;
            DetailType?: string;
            Detail?: string;
            Resources?: string[];
            Time?: number;
          }[];
        };
        const results = Entries.map((e) => {
          const busName =
            String(e.EventBusName ?? 'default')
              .split('/')
              .pop() ?? '';
          const rules = this.buses.get(busName);
          if (!rules)
            return {
              ErrorCode: 'ResourceNotFoundException',
              ErrorMessage: `Event bus ${busName} does not exist.`,
            };
          const event = {
            version: '0' as const,
            id: randomUUID(),
            source: String(e.Source),
            'detail-type': String(e.DetailType),
            account: this.where.account,
            region: this.where.region,
            time: new Date(e.Time ? e.Time * 1000 : Date.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
            resources: e.Resources ?? [],
            detail: JSON.parse(String(e.Detail)) as Record<string, unknown>,
          };
          this.puts.push({
            busName,
            event,
            rules: rules.filter((r) => matchesPattern(r.pattern, event)).map((r) => r.ruleId),
          });
          return { EventId: event.id };
        });
        answer(200, { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results });
      });
    });
    await new Promise<void>((ok) => this.server?.listen(0, '127.0.0.1', ok));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise((ok) => (this.server ? this.server.close(ok) : ok(undefined)));
  }
}
