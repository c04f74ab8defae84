// Where drift events go besides email (docs/deploy.md, "Alert channels"): every new drift and status
// change is put on a private drift bus that only the stack's own functions may put events on, and
// rules on that bus feed each configured channel:
// - your own rules: a copy of every event on the default bus (or the bus you name);
// - Slack and Microsoft Teams: AWS Chatbot (Amazon Q Developer in chat applications) channel
//   configurations subscribed to chat topics, one topic per minimum severity, which a small function
//   fills with the Chatbot custom notification (Chatbot creates its own SNS subscriptions, so a
//   per-channel filter policy cannot be set on them: a channel picks its severity by its topic);
// - PagerDuty: an EventBridge connection (the routing key from Secrets Manager through a dynamic
//   reference, kept by EventBridge in its own secret) and API destination, with rules whose input
//   transformers build Events API v2 trigger / acknowledge / resolve events (dedup key = drift id);
// - webhooks: a function that POSTs the event signed with HMAC-SHA256 (API destinations cannot sign);
// - Security Hub: the security-hub function, importing each drift as an ASFF finding.
// Each rule's target retries and dead-letters to one alarmed queue.
//
// Why a private bus: EventBridge does not verify who put an event with a custom source, so on a
// shared bus anyone allowed to call PutEvents could send `source: tfdrift` and have it signed,
// paged or imported. The private bus's resource policy denies PutEvents to every principal but the
// roles granted with `grantPublish`; the functions also check each event field by field.

import { Duration, Lazy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import { CfnMicrosoftTeamsChannelConfiguration, CfnSlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import {
  ApiDestination,
  Authorization,
  Connection,
  EventBus,
  EventField,
  HttpMethod,
  HttpParameter,
  type IApiDestination,
  type IEventBus,
  Rule,
  RuleTargetInput,
} from 'aws-cdk-lib/aws-events';
import {
  ApiDestination as ApiDestinationTarget,
  EventBus as EventBusTarget,
  LambdaFunction,
} from 'aws-cdk-lib/aws-events-targets';
import {
  AccountRootPrincipal,
  AnyPrincipal,
  Effect,
  type IRole,
  ManagedPolicy,
  PolicyStatement,
  Role,
  ServicePrincipal,
} from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DRIFT_DETECTED, DRIFT_EVENT_SOURCE, DRIFT_STATUS_CHANGED } from '../../lambdas/core/drift-events.js';
import { SEVERITIES, type Severity } from '../../lambdas/core/types.js';
import { FUNCTION_ENV } from '../../lambdas/handlers/runtime/function-env.js';
import type { NotificationSettings } from '../settings.js';
import { severitiesFrom } from './alerts.js';
import { DeadLetter } from './event-ingest.js';
import { HandlerFunction } from './handler-function.js';

/** Where PagerDuty's Events API v2 takes events. */
export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';
/** PagerDuty Events API v2 severities for tfdrift's (lambdas/core/pagerduty.ts). */
export const PAGERDUTY_SEVERITY: Record<Severity, string> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
};

/**
 * Drifts a backfill found in CloudTrail history are a week old or more: they reach the bus, the
 * webhooks and Security Hub, but page nobody and post to no channel (their run mails one summary).
 */
const NOT_BACKFILLED = { backfilled: [{ exists: false }] };

export interface DriftChannelsProps {
  /** The channels to build (settings `notifications`). */
  readonly notifications: NotificationSettings;
  /** Topic of the operational alarms: the dead-letter queue's alarm notifies it. */
  readonly alarmTopic: ITopic;
  /** Key the chat topics are encrypted with (the alert topics' key, which CloudWatch and SNS may use). */
  readonly topicKey: IKey;
  /** How long the channel functions' logs are kept. */
  readonly logRetention: RetentionDays;
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Whether the settings ask for anything that needs the drift bus. */
export function needsDriftBus(n: NotificationSettings): boolean {
  return (
    n.eventBus !== false ||
    n.slack.length + n.teams.length + n.webhooks.length > 0 ||
    n.pagerduty !== undefined ||
    n.securityHub
  );
}

/** `arn:...:secret:name-AbCdEf` names one secret; without the random suffix, its versions by pattern. */
function secretResource(arn: string): string {
  return /-[A-Za-z0-9]{6}$/.test(arn) ? arn : `${arn}-??????`;
}

export class DriftChannels extends Construct {
  /** The private bus: only the roles given `grantPublish` may put events on it. */
  readonly bus: IEventBus;
  /** Events a channel's target could not take after its retries. */
  readonly deadLetter: DeadLetter;
  /** One chat topic per minimum severity the chat channels ask for. */
  readonly chatTopics: ReadonlyMap<Severity, ITopic>;
  /** Publishes new drifts to the chat topics (only with Slack or Teams channels). */
  readonly chatDelivery?: HandlerFunction;
  /** Signs and posts drift events to the webhooks (only with webhooks). */
  readonly webhookDelivery?: HandlerFunction;
  /** Imports drifts into Security Hub (only with securityHub). */
  readonly securityHub?: HandlerFunction;
  /** The PagerDuty Events API v2 destination (only with pagerduty). */
  readonly pagerDuty?: IApiDestination;
  private readonly publishers: IRole[] = [];

  constructor(scope: Construct, id: string, props: DriftChannelsProps) {
    super(scope, id);
    const n = props.notifications;
    const bus = new EventBus(this, 'Bus', { description: 'tfdrift drift events (put by tfdrift only)' });
    this.bus = bus;
    bus.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTfdriftPublishes',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
        conditions: {
          ArnNotEquals: {
            'aws:PrincipalArn': Lazy.list({ produce: () => this.publishers.map((r) => r.roleArn) }),
          },
        },
      }),
    );
    this.deadLetter = new DeadLetter(this, 'DeadLetter', {
      alarmTopic: props.alarmTopic,
      what: 'drift events a channel could not take',
    });

    if (n.eventBus !== false) this.copyTo(this.userBus(n.eventBus));
    this.chatTopics = this.addChat(n, props);
    if (n.pagerduty)
      this.pagerDuty = this.addPagerDuty(n.pagerduty.routingKeySecretArn, n.pagerduty.minSeverity);
    if (n.webhooks.length > 0) this.webhookDelivery = this.addWebhooks(n, props.logRetention);
    if (n.securityHub) this.securityHub = this.addSecurityHub(props.logRetention);
  }

  /** Lets the function put drift events on the bus (and only it, with the others granted) and names it. */
  grantPublish(handler: HandlerFunction): void {
    this.bus.grantPutEventsTo(handler.fn);
    handler.fn.addEnvironment(FUNCTION_ENV.driftEventBus, this.bus.eventBusName);
    this.publishers.push(handler.role);
  }

  /** The drift events of some types and severities, from tfdrift only. */
  private rule(id: string, description: string, types: string[], detail?: Record<string, unknown>): Rule {
    return new Rule(this, id, {
      eventBus: this.bus,
      description: `tfdrift: ${description}`,
      eventPattern: { source: [DRIFT_EVENT_SOURCE], detailType: types, ...(detail ? { detail } : {}) },
    });
  }

  private userBus(name: string): IEventBus {
    return name.startsWith('arn:')
      ? EventBus.fromEventBusArn(this, 'UserBus', name)
      : EventBus.fromEventBusName(this, 'UserBus', name);
  }

  /** Every drift event, as put, on the bus where the account's own rules route it. */
  private copyTo(target: IEventBus): void {
    this.rule('CopyRule', 'a copy of every drift event for your own rules', [
      DRIFT_DETECTED,
      DRIFT_STATUS_CHANGED,
    ]).addTarget(new EventBusTarget(target, { deadLetterQueue: this.deadLetter.queue }));
  }

  /** A function fed asynchronously by rules: retried, then dead-lettered. */
  private deliveryFunction(
    id: string,
    handler: 'chat-delivery' | 'webhook-delivery' | 'security-hub',
    description: string,
    logRetention: RetentionDays,
    environment: Record<string, string>,
  ): HandlerFunction {
    const fn = new HandlerFunction(this, id, {
      handler,
      description: `tfdrift: ${description}`,
      logRetention,
      timeout: Duration.seconds(30),
      environment,
      noDlqReason:
        'Asynchronous failures go to an on-failure destination (the channels dead-letter queue, with an alarm).',
    });
    fn.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.deadLetter.queue),
    });
    return fn;
  }

  private lambdaTarget(handler: HandlerFunction, event?: RuleTargetInput): LambdaFunction {
    return new LambdaFunction(handler.fn, {
      event,
      retryAttempts: 8,
      maxEventAge: Duration.hours(6),
      deadLetterQueue: this.deadLetter.queue,
    });
  }

  /** Chat topics (one per minimum severity asked for), their filler function and the channels. */
  private addChat(n: NotificationSettings, props: DriftChannelsProps): Map<Severity, ITopic> {
    const topics = new Map<Severity, ITopic>();
    const wanted = [...n.slack, ...n.teams].map((c) => c.minSeverity);
    if (wanted.length === 0) return topics;
    for (const severity of SEVERITIES.filter((s) => wanted.includes(s))) {
      topics.set(
        severity,
        new Topic(this, `Chat${capitalised(severity)}`, {
          displayName: `tfdrift drifts (${severity} and above) for chat`,
          masterKey: props.topicKey,
          enforceSSL: true,
        }),
      );
    }
    const chat = this.deliveryFunction(
      'ChatDelivery',
      'chat-delivery',
      'drift events → chat topics',
      props.logRetention,
      {
        [FUNCTION_ENV.chatTopics]: JSON.stringify(
          [...topics].map(([minSeverity, t]) => ({ topicArn: t.topicArn, minSeverity })),
        ),
      },
    );
    for (const topic of topics.values()) {
      topic.grantPublish(chat.fn);
      // Replaces SNS's default policy (enforceSSL adds one): the account's own principals, through
      // their IAM policies, publish and subscribe (Chatbot subscribes as the deploying principal).
      topic.addToResourcePolicy(
        new PolicyStatement({
          sid: 'AccountPrincipals',
          principals: [new AccountRootPrincipal()],
          actions: ['sns:Publish', 'sns:Subscribe'],
          resources: [topic.topicArn],
        }),
      );
    }
    Validations.of(chat).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason:
        'Publishing to the KMS-encrypted chat topics needs GenerateDataKey* on that one key (CDK grantPublish).',
    });
    const lowest = SEVERITIES.find((s) => topics.has(s)) as Severity;
    this.rule('ChatRule', 'new drifts for chat', [DRIFT_DETECTED], {
      severity: severitiesFrom(lowest),
      ...NOT_BACKFILLED,
    }).addTarget(this.lambdaTarget(chat));
    (this as { chatDelivery?: HandlerFunction }).chatDelivery = chat;

    // Chatbot only posts notifications here: its role holds no permission, and the guardrail
    // denies everything, so nobody can run AWS commands from the channel.
    const role = new Role(this, 'ChatbotRole', {
      assumedBy: new ServicePrincipal('chatbot.amazonaws.com'),
      description: 'tfdrift chat channels: notifications only',
    });
    const guardrailPolicies = [ManagedPolicy.fromAwsManagedPolicyName('AWSDenyAll').managedPolicyArn];
    const name = (kind: string, i: number) => `${Stack.of(this).stackName}-${kind}-${i + 1}`.slice(0, 128);
    n.slack.forEach((c, i) => {
      new CfnSlackChannelConfiguration(this, `Slack${i + 1}`, {
        configurationName: name('slack', i),
        iamRoleArn: role.roleArn,
        slackWorkspaceId: c.workspaceId,
        slackChannelId: c.channelId,
        snsTopicArns: [(topics.get(c.minSeverity) as Topic).topicArn],
        guardrailPolicies,
        loggingLevel: 'ERROR',
      });
    });
    n.teams.forEach((c, i) => {
      new CfnMicrosoftTeamsChannelConfiguration(this, `Teams${i + 1}`, {
        configurationName: name('teams', i),
        iamRoleArn: role.roleArn,
        teamsTenantId: c.tenantId,
        teamId: c.teamId,
        // CloudFormation takes the id URL-encoded, as the channel link carries it.
        teamsChannelId: encodeURIComponent(decodeURIComponent(c.channelId)),
        snsTopicArns: [(topics.get(c.minSeverity) as Topic).topicArn],
        guardrailPolicies,
        loggingLevel: 'ERROR',
      });
    });
    return topics;
  }

  /**
   * PagerDuty Events API v2. The input transformers place every value from the event unquoted
   * (`"summary": <summary>`): EventBridge then writes it as a JSON value, whereas a value inside
   * quotes would be pasted unescaped (and a hostile name could break or forge the body).
   */
  private addPagerDuty(routingKeySecretArn: string, minSeverity: Severity): ApiDestination {
    const routingKey = SecretValue.secretsManager(routingKeySecretArn);
    const connection = new Connection(this, 'PagerDutyConnection', {
      description: 'tfdrift: PagerDuty Events API v2 (routing key from Secrets Manager)',
      // Events API v2 reads the key from the body; the API-key header is what a connection requires.
      authorization: Authorization.apiKey('X-Routing-Key', routingKey),
      bodyParameters: { routing_key: HttpParameter.fromSecret(routingKey) },
    });
    const destination = new ApiDestination(this, 'PagerDuty', {
      connection,
      endpoint: PAGERDUTY_EVENTS_URL,
      httpMethod: HttpMethod.POST,
      description: 'tfdrift: PagerDuty Events API v2',
      rateLimitPerSecond: 10,
    });
    const target = (event: RuleTargetInput) =>
      new ApiDestinationTarget(destination, {
        event,
        retryAttempts: 8,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: this.deadLetter.queue,
      });
    const dedupKey = EventField.fromPath('$.detail.id');
    for (const severity of severitiesFrom(minSeverity)) {
      this.rule(
        `PagerDutyTrigger${capitalised(severity)}`,
        `${severity} drifts → PagerDuty`,
        [DRIFT_DETECTED],
        {
          severity: [severity],
          ...NOT_BACKFILLED,
        },
      ).addTarget(target(pagerDutyTrigger(severity)));
    }
    for (const action of ['acknowledge', 'resolve'] as const) {
      this.rule(
        `PagerDuty${capitalised(action)}`,
        `drifts ${action}d → PagerDuty ${action}`,
        [DRIFT_STATUS_CHANGED],
        {
          severity: severitiesFrom(minSeverity),
          statusChange: { status: [action === 'resolve' ? 'resolved' : 'acknowledged'] },
        },
      ).addTarget(target(RuleTargetInput.fromObject({ event_action: action, dedup_key: dedupKey })));
    }
    return destination;
  }

  /** One rule per webhook (its own retries), all feeding the signing function. */
  private addWebhooks(n: NotificationSettings, logRetention: RetentionDays): HandlerFunction {
    const fn = this.deliveryFunction(
      'WebhookDelivery',
      'webhook-delivery',
      'drift events → signed webhooks',
      logRetention,
      {
        [FUNCTION_ENV.webhooks]: JSON.stringify(
          n.webhooks.map(({ url, secretArn, minSeverity }) => ({ url, secretArn, minSeverity })),
        ),
      },
    );
    const secrets = [...new Set(n.webhooks.map((w) => secretResource(w.secretArn)))];
    fn.fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadWebhookSecrets',
        actions: ['secretsmanager:GetSecretValue'],
        resources: secrets,
      }),
    );
    for (const secret of secrets.filter((s) => s.includes('?'))) {
      Validations.of(fn).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${secret}]`,
        reason:
          'The webhook secret was named without its random suffix: the pattern matches that one secret only.',
      });
    }
    n.webhooks.forEach((w, i) => {
      this.rule(
        `Webhook${i + 1}`,
        `drift events → webhook ${i + 1}`,
        [DRIFT_DETECTED, DRIFT_STATUS_CHANGED],
        {
          severity: severitiesFrom(w.minSeverity),
        },
      ).addTarget(
        this.lambdaTarget(fn, RuleTargetInput.fromObject({ webhook: i, event: EventField.fromPath('$') })),
      );
    });
    return fn;
  }

  /** Each drift a finding of this account's default product; status changes move its workflow. */
  private addSecurityHub(logRetention: RetentionDays): HandlerFunction {
    const fn = this.deliveryFunction(
      'SecurityHub',
      'security-hub',
      'drift events → Security Hub findings',
      logRetention,
      {},
    );
    const stack = Stack.of(this);
    fn.fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ImportFindings',
        actions: ['securityhub:BatchImportFindings'],
        resources: [
          stack.formatArn({
            service: 'securityhub',
            resource: 'product',
            resourceName: `${stack.account}/default`,
          }),
        ],
      }),
    );
    fn.fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'UpdateFindingWorkflow',
        actions: ['securityhub:BatchUpdateFindings'],
        resources: [stack.formatArn({ service: 'securityhub', resource: 'hub', resourceName: 'default' })],
      }),
    );
    this.rule('SecurityHubRule', 'drift events → Security Hub', [
      DRIFT_DETECTED,
      DRIFT_STATUS_CHANGED,
    ]).addTarget(this.lambdaTarget(fn));
    return fn;
  }
}

/** The Events API v2 trigger for drifts of one severity, from the drift event's fields. */
export function pagerDutyTrigger(severity: Severity): RuleTargetInput {
  return RuleTargetInput.fromObject({
    event_action: 'trigger',
    dedup_key: EventField.fromPath('$.detail.id'),
    payload: {
      summary: EventField.fromPath('$.detail.summary'),
      source: EventField.fromPath('$.detail.event.account'),
      severity: PAGERDUTY_SEVERITY[severity],
      timestamp: EventField.fromPath('$.detail.event.time'),
      component: EventField.fromPath('$.detail.resource.type'),
      class: EventField.fromPath('$.detail.kind'),
      custom_details: EventField.fromPath('$.detail'),
    },
    client: 'tfdrift',
    client_url: EventField.fromPath('$.detail.url'),
  });
}
