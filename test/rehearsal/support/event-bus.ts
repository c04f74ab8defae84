// The account's default event bus as the template configures it: every enabled rule whose event
// pattern matches an event (the core's EventBridge matcher) delivers it once to each of its
// Lambda targets. Events are shaped as EventBridge delivers them.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html

import { type EventPattern, matchesPattern } from '../../../lambdas/core/event-pattern.js';
import type { TemplateNames } from './template-names.js';

export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: string[];
  readonly detail: unknown;
}

export interface Delivery {
  readonly ruleId: string;
  readonly functionId: string;
}

export interface BusRule {
  readonly ruleId: string;
  readonly pattern: EventPattern;
  /** The Lambda functions of this template the rule targets. */
  readonly functionIds: readonly string[];
  /** Every target's ARN, resolved (functions, other buses, ...). */
  readonly targetArns: readonly string[];
}

const isFunction = (names: TemplateNames, arn: unknown) => {
  const ref = JSON.stringify(arn).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/)?.[1];
  return ref !== undefined && names.resource(ref).Type === 'AWS::Lambda::Function';
};

/** The enabled pattern rules of the default bus and what they target. */
export function defaultBusRules(names: TemplateNames): BusRule[] {
  return names
    .ofType('AWS::Events::Rule')
    .map((ruleId) => ({ ruleId, props: names.resource(ruleId).Properties as Record<string, unknown> }))
    .filter(({ props }) => props.EventPattern && props.State !== 'DISABLED')
    .filter(({ props }) => props.EventBusName === undefined || props.EventBusName === 'default')
    .map(({ ruleId, props }) => {
      const targets = (props.Targets as { Arn: unknown }[]) ?? [];
      return {
        ruleId,
        pattern: props.EventPattern as EventPattern,
        functionIds: targets.filter((t) => isFunction(names, t.Arn)).map((t) => names.functionIn(t.Arn)),
        targetArns: targets.map((t) => String(names.resolve(t.Arn))),
      };
    });
}

/** The ARNs the bus sends `event` to: one per matching rule and target. */
export function targetsOf(rules: readonly BusRule[], event: BusEvent): string[] {
  return rules.filter((rule) => matchesPattern(rule.pattern, event)).flatMap((rule) => rule.targetArns);
}

/** Where the bus delivers `event` among this template's functions: one per matching rule and target. */
export function route(rules: readonly BusRule[], event: BusEvent): Delivery[] {
  return rules
    .filter((rule) => matchesPattern(rule.pattern, event))
    .flatMap((rule) => rule.functionIds.map((functionId) => ({ ruleId: rule.ruleId, functionId })));
}

/** A CloudTrail record as EventBridge delivers it ("AWS API Call via CloudTrail", source aws.<service>). */
export function cloudTrailEvent(record: Record<string, unknown>, id: string): BusEvent {
  return {
    version: '0',
    id,
    'detail-type': 'AWS API Call via CloudTrail',
    source: `aws.${String(record.eventSource).replace(/\.amazonaws\.com$/, '')}`,
    account: String(record.recipientAccountId),
    time: String(record.eventTime).replace(/\.\d+Z$/, 'Z'),
    region: String(record.awsRegion),
    resources: [],
    detail: record,
  };
}

/** An S3 "Object Created" event of EventBridge notifications for a written object. */
export function objectCreatedEvent(
  bucket: string,
  key: string,
  size: number,
  etag: string,
  target: { account: string; region: string },
): BusEvent {
  return {
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Object Created',
    source: 'aws.s3',
    account: target.account,
    time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    region: target.region,
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: { key, size, etag, sequencer: Date.now().toString(16).toUpperCase().padStart(18, '0') },
      'request-id': 'C3D13FE58DE4C810',
      requester: target.account,
      'source-ip-address': '203.0.113.15',
      reason: 'PutObject',
    },
  };
}
