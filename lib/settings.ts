// Deployment settings: from cdk.json context key `tfdrift` (an object, or a JSON string from `-c`) or
// a YAML/JSON file named by `-c tfdrift:config=path`. Validated with a JSON schema so a mistake
// is reported with the field that is wrong, before anything is synthesised.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { SEVERITIES, type Severity } from '../lambdas/core/types.js';

export interface StateBucketSettings {
  /** Bucket holding Terraform state (read-only access is granted). */
  readonly bucket: string;
  /** Key prefixes or globs (`env/`, `teams/*.tfstate`). @default [''] (whole bucket) */
  readonly prefixes: readonly string[];
  /** KMS key of an SSE-KMS encrypted state bucket (decrypt is granted). @default none */
  readonly kmsKeyArn?: string;
}

export interface AlertEmailSettings {
  readonly address: string;
  /** Lowest severity mailed to this address. @default 'high' */
  readonly minSeverity: Severity;
}

/** A Slack channel of a workspace authorised in AWS Chatbot (Amazon Q Developer in chat applications). */
export interface SlackChannelSettings {
  /** Slack workspace (team) id, e.g. T0123ABCDE. */
  readonly workspaceId: string;
  /** Slack channel id, e.g. C0123ABCDE (private channels need /invite @Amazon Q). */
  readonly channelId: string;
  /** Lowest severity posted to the channel. @default 'high' */
  readonly minSeverity: Severity;
}

/** A Microsoft Teams channel of a team authorised in AWS Chatbot. */
export interface TeamsChannelSettings {
  readonly tenantId: string;
  readonly teamId: string;
  /** The channel id from the channel link (`19:...@thread.tacv2`, URL-encoded or not). */
  readonly channelId: string;
  /** @default 'high' */
  readonly minSeverity: Severity;
}

export interface PagerDutySettings {
  /** Secrets Manager secret holding the Events API v2 integration (routing) key as plain text. */
  readonly routingKeySecretArn: string;
  /** Lowest severity that triggers an incident. @default 'critical' */
  readonly minSeverity: Severity;
}

export interface WebhookSettings {
  /** HTTPS endpoint that receives each drift event as a signed JSON POST. */
  readonly url: string;
  /** Secrets Manager secret holding the HMAC-SHA256 signing secret as plain text. */
  readonly secretArn: string;
  /** @default 'medium' */
  readonly minSeverity: Severity;
}

/**
 * Member accounts whose CloudTrail event history the backfill reads, through a role it assumes in
 * each (docs/deploy.md, "Member accounts"; lib/templates/backfill-reader-role.yaml creates it).
 */
export interface BackfillMemberSettings {
  /** Member account ids. @default sourceAccounts */
  readonly accounts: readonly string[];
  /** Name of the role in each member account. @default 'tfdrift-backfill-reader' */
  readonly roleName: string;
  /** The `sts:ExternalId` the member roles' trust policy requires. @default none */
  readonly externalId?: string;
}

/** Where drift alerts and events go besides email (docs/deploy.md, "Alert channels"). */
export interface NotificationSettings {
  /**
   * Bus that receives a copy of every drift event for your own rules: 'default', a bus name or
   * ARN, or false for none. The stack's own channels always read its private drift bus.
   * @default 'default'
   */
  readonly eventBus: string | false;
  /** @default [] */
  readonly slack: readonly SlackChannelSettings[];
  /** @default [] */
  readonly teams: readonly TeamsChannelSettings[];
  /** @default none */
  readonly pagerduty?: PagerDutySettings;
  /** @default [] */
  readonly webhooks: readonly WebhookSettings[];
  /** Import each drift as a Security Hub finding of this account. @default false */
  readonly securityHub: boolean;
}

export interface TfdriftSettings {
  readonly stateBuckets: readonly StateBucketSettings[];
  /** Watched regions. The stack's region is the central one and is always watched. @default [] */
  readonly regions: readonly string[];
  readonly alertEmails: readonly AlertEmailSettings[];
  /** Principal ARN globs whose calls are never drift. @default [] */
  readonly ignorePrincipals: readonly string[];
  /** ARN globs of the roles Terraform runs as (CI): their calls reload state, never drift. @default [] */
  readonly terraformRoleArns: readonly string[];
  /** Days drifts are kept (DynamoDB TTL) and log groups retain logs. @default 365 */
  readonly retentionDays: number;
  /** Create a multi-region CloudTrail trail (skip when the organisation already has one). @default false */
  readonly createTrail: boolean;
  /** Existing trail bucket the backstop reads when createTrail is false. @default none (no backstop) */
  readonly trailBucket?: string;
  /** Prefix of the existing trail's log files (before `AWSLogs/`). @default '' */
  readonly trailPrefix: string;
  /** Minutes between backstop runs; each run re-reads the last window of trail logs. @default 30 */
  readonly backstopMinutes: number;
  /** Emails of the dashboard users (Cognito users, invited by mail). @default [] */
  readonly dashboardUsers: readonly string[];
  /** AWS Organizations id whose member accounts may forward events to the central bus. */
  readonly organizationId?: string;
  /** Further accounts allowed to forward events to the central bus. @default [] */
  readonly sourceAccounts: readonly string[];
  /** Cognito hosted UI domain prefix (unique per region). @default 'tfdrift-' + account id */
  readonly authDomainPrefix?: string;
  /**
   * Account of the central stack. Set it only in a member account's settings: the app then
   * synthesises forwarders alone (every watched region, the deploy region and us-east-1).
   */
  readonly centralAccount?: string;
  /** Region of the central stack, for a member account's forwarders. @default the deploy region */
  readonly centralRegion?: string;
  /** KMS key of an SSE-KMS encrypted trail bucket (decrypt is granted to the backstop). @default none */
  readonly trailKmsKeyArn?: string;
  /** Dashboard host name (needs certificateArn: an ACM certificate in us-east-1). */
  readonly domainName?: string;
  readonly certificateArn?: string;
  /**
   * Days of CloudTrail event history the backfill reads on the first deployment (1–90; 0: none on
   * deploy, an admin can still run it from the dashboard). @default 7
   */
  readonly backfillDays: number;
  /** Member accounts the backfill reads too. @default none (this account only) */
  readonly backfillMembers?: BackfillMemberSettings;
  /** Alert channels and drift events (Slack, Teams, PagerDuty, webhooks, Security Hub, EventBridge). */
  readonly notifications: NotificationSettings;
}

export const DEFAULT_NOTIFICATIONS: NotificationSettings = {
  eventBus: 'default',
  slack: [],
  teams: [],
  webhooks: [],
  securityHub: false,
};

export const DEFAULT_SETTINGS: TfdriftSettings = {
  stateBuckets: [],
  regions: [],
  alertEmails: [],
  ignorePrincipals: [],
  terraformRoleArns: [],
  retentionDays: 365,
  createTrail: false,
  trailPrefix: '',
  backstopMinutes: 30,
  dashboardUsers: [],
  sourceAccounts: [],
  backfillDays: 7,
  notifications: DEFAULT_NOTIFICATIONS,
};

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

const region = { type: 'string', pattern: '^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\\d$' };
const email = { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' };
const arnGlob = { type: 'string', pattern: '^arn:aws[a-z-]*:' };
// S3 bucket naming rules (3–63 chars, lowercase, digits, dots, hyphens).
const bucket = { type: 'string', pattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$' };
const severity = { enum: [...SEVERITIES] };
const secretArn = {
  type: 'string',
  pattern: '^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\\d{12}:secret:[A-Za-z0-9/_+=.@-]+$',
};
const chatId = (pattern: string) => ({ type: 'string', pattern });
const uuid = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const notifications = {
  type: 'object',
  additionalProperties: false,
  properties: {
    eventBus: {
      anyOf: [
        { const: false },
        // 'default', a bus name (EventBridge's own naming rule) or a bus ARN.
        {
          type: 'string',
          pattern:
            '^(?:[A-Za-z0-9._-]{1,256}|arn:aws[a-z-]*:events:[a-z0-9-]+:\\d{12}:event-bus/[A-Za-z0-9._-]{1,256})$',
        },
      ],
    },
    slack: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['workspaceId', 'channelId'],
        properties: {
          workspaceId: chatId('^[A-Z0-9]{9,11}$'),
          channelId: chatId('^[A-Z0-9]{9,11}$'),
          minSeverity: severity,
        },
      },
    },
    teams: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['tenantId', 'teamId', 'channelId'],
        properties: {
          tenantId: chatId(uuid),
          teamId: chatId(uuid),
          // As in the channel link, URL-encoded (19%3a...%40thread.tacv2) or not.
          channelId: chatId('^19(?::|%3[aA])[A-Za-z0-9_.-]+(?:@|%40)thread\\.(?:tacv2|skype)$'),
          minSeverity: severity,
        },
      },
    },
    pagerduty: {
      type: 'object',
      additionalProperties: false,
      required: ['routingKeySecretArn'],
      properties: { routingKeySecretArn: secretArn, minSeverity: severity },
    },
    webhooks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['url', 'secretArn'],
        properties: {
          url: { type: 'string', pattern: '^https://[^\\s/?#@]+(?:[/?#]\\S*)?$', maxLength: 2048 },
          secretArn,
          minSeverity: severity,
        },
      },
    },
    securityHub: { type: 'boolean' },
  },
} as const;

export const SETTINGS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    config: { type: 'string' },
    stateBuckets: {
      type: 'array',
      items: {
        anyOf: [
          bucket,
          {
            type: 'object',
            additionalProperties: false,
            required: ['bucket'],
            properties: {
              bucket,
              prefixes: { type: 'array', items: { type: 'string', pattern: '^(?!/)' } },
              prefix: { type: 'string' },
              kmsKeyArn: { type: 'string', pattern: '^arn:aws[a-z-]*:kms:' },
            },
          },
        ],
      },
    },
    regions: { type: 'array', items: region },
    alertEmails: {
      type: 'array',
      items: {
        anyOf: [
          email,
          {
            type: 'object',
            additionalProperties: false,
            required: ['address'],
            properties: { address: email, minSeverity: { enum: [...SEVERITIES] } },
          },
        ],
      },
    },
    ignorePrincipals: { type: 'array', items: arnGlob },
    terraformRoleArns: { type: 'array', items: arnGlob },
    retentionDays: { type: 'integer', minimum: 1, maximum: 3650 },
    createTrail: { type: 'boolean' },
    trailBucket: bucket,
    trailPrefix: { type: 'string' },
    backstopMinutes: { type: 'integer', minimum: 5, maximum: 1440 },
    dashboardUsers: { type: 'array', items: email },
    organizationId: { type: 'string', pattern: '^o-[a-z0-9]{10,32}$' },
    sourceAccounts: { type: 'array', items: { type: 'string', pattern: '^\\d{12}$' } },
    authDomainPrefix: { type: 'string', pattern: '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$' },
    centralAccount: { type: 'string', pattern: '^\\d{12}$' },
    centralRegion: region,
    trailKmsKeyArn: { type: 'string', pattern: '^arn:aws[a-z-]*:kms:' },
    domainName: { type: 'string', pattern: '^[a-z0-9.-]+\\.[a-z]{2,}$' },
    certificateArn: { type: 'string', pattern: '^arn:aws[a-z-]*:acm:us-east-1:\\d{12}:certificate/' },
    backfillDays: { type: 'integer', minimum: 0, maximum: 90 },
    backfillMembers: {
      type: 'object',
      additionalProperties: false,
      properties: {
        accounts: { type: 'array', items: { type: 'string', pattern: '^\\d{12}$' } },
        // IAM's role-name characters, no path.
        roleName: { type: 'string', pattern: '^[\\w+=,.@-]{1,64}$' },
        // STS's ExternalId: 2–1224 characters of [\w+=,.@:/-].
        externalId: { type: 'string', pattern: '^[\\w+=,.@:/-]{2,1224}$' },
      },
    },
    notifications,
  },
} as const;

const validate = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(SETTINGS_SCHEMA);

function describe(error: ErrorObject): string {
  const field = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : '(root)';
  if (error.keyword === 'additionalProperties') {
    return `${field}: unknown setting "${String(error.params.additionalProperty)}"`;
  }
  if (error.keyword === 'pattern') {
    const hint = field.endsWith('.url') ? ' (an https:// URL)' : field.endsWith('Arn') ? ' (an ARN)' : '';
    return `${field}: ${JSON.stringify(error.data)} is not a valid value${hint}`;
  }
  if (error.keyword === 'enum') return `${field}: must be one of ${SEVERITIES.join(', ')}`;
  if (error.keyword === 'required') return `${field}: missing "${String(error.params.missingProperty)}"`;
  if (error.keyword === 'const') return `${field}: must be false, "default", a bus name or a bus ARN`;
  return `${field}: ${error.message}`;
}

/** Reads the settings from CDK context values (`tfdrift`, `tfdrift:config`). */
export function settingsFromContext(
  context: { tfdrift?: unknown; configPath?: unknown },
  baseDir = process.cwd(),
): TfdriftSettings {
  let raw: unknown = context.tfdrift ?? {};
  let where = 'context "tfdrift"';
  if (typeof raw === 'string') raw = parseText(raw, where);
  const path = context.configPath ?? (raw as { config?: unknown }).config;
  if (path !== undefined) {
    if (typeof path !== 'string' || path === '')
      throw new SettingsError('tfdrift:config must be a file path');
    where = path;
    let text: string;
    try {
      text = readFileSync(resolve(baseDir, path), 'utf8');
    } catch (error) {
      throw new SettingsError(
        `${path}: cannot read settings file (${(error as NodeJS.ErrnoException).code})`,
      );
    }
    raw = { ...(raw as object), ...(parseText(text, where) as object) };
  }
  return parseSettings(raw, where);
}

function parseText(text: string, where: string): unknown {
  try {
    return parseYaml(text) ?? {};
  } catch (error) {
    throw new SettingsError(`${where}: not valid YAML/JSON: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Validates parsed settings and fills in defaults. Throws SettingsError listing every problem. */
export function parseSettings(input: unknown, where = 'tfdrift settings'): TfdriftSettings {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new SettingsError(`${where}: must be a mapping of settings`);
  }
  if (!validate(input)) {
    // anyOf reports each branch: keep the branch that got furthest (the deeper error), drop the rest.
    const all = (validate.errors ?? []).filter((e) => e.keyword !== 'anyOf');
    const samePath = (e: ErrorObject, keyword: string) =>
      all.some((o) => o.instancePath === e.instancePath && o.keyword === keyword);
    const errors = all.filter(
      (e) =>
        (e.keyword !== 'type' ||
          (!all.some((o) => o.instancePath.startsWith(`${e.instancePath}/`)) && !samePath(e, 'const'))) &&
        (e.keyword !== 'const' || !samePath(e, 'pattern')),
    );
    const lines = [...new Set(errors.map(describe))].slice(0, 10);
    throw new SettingsError(`${where}: invalid settings:\n  - ${lines.join('\n  - ')}`);
  }
  const s = input as Record<string, unknown> & Partial<TfdriftSettings>;
  const settings: TfdriftSettings = {
    ...DEFAULT_SETTINGS,
    ...(s as object),
    stateBuckets: ((s.stateBuckets ?? []) as unknown[]).map(stateBucket),
    alertEmails: ((s.alertEmails ?? []) as unknown[]).map((a) =>
      typeof a === 'string'
        ? { address: a, minSeverity: 'high' as const }
        : { minSeverity: 'high', ...(a as object) },
    ) as AlertEmailSettings[],
    notifications: notificationSettings(s.notifications),
    ...(s.backfillMembers
      ? { backfillMembers: backfillMemberSettings(s.backfillMembers, s.sourceAccounts ?? [], where) }
      : {}),
  };
  delete (settings as { config?: unknown }).config;
  if (settings.createTrail && settings.trailBucket) {
    throw new SettingsError(
      `${where}: trailBucket names an existing trail; it cannot be combined with createTrail`,
    );
  }
  if (settings.trailKmsKeyArn && !settings.trailBucket) {
    throw new SettingsError(
      `${where}: trailKmsKeyArn is the key of an existing trail's bucket: set trailBucket too`,
    );
  }
  if (Boolean(settings.domainName) !== Boolean(settings.certificateArn)) {
    throw new SettingsError(
      `${where}: domainName and certificateArn go together (the certificate must be in us-east-1)`,
    );
  }
  const duplicates = settings.stateBuckets.map((b) => b.bucket).filter((b, i, all) => all.indexOf(b) !== i);
  if (duplicates.length) throw new SettingsError(`${where}: stateBuckets: ${duplicates[0]} is listed twice`);
  return settings;
}

function notificationSettings(raw: unknown): NotificationSettings {
  const n = (raw ?? {}) as Partial<Record<keyof NotificationSettings, unknown>>;
  const withMin = <T>(items: unknown, min: Severity): T[] =>
    ((items ?? []) as object[]).map((item) => ({ minSeverity: min, ...item }) as T);
  return {
    eventBus: (n.eventBus ?? DEFAULT_NOTIFICATIONS.eventBus) as string | false,
    slack: withMin<SlackChannelSettings>(n.slack, 'high'),
    teams: withMin<TeamsChannelSettings>(n.teams, 'high'),
    ...(n.pagerduty
      ? { pagerduty: { minSeverity: 'critical', ...(n.pagerduty as object) } as PagerDutySettings }
      : {}),
    webhooks: withMin<WebhookSettings>(n.webhooks, 'medium'),
    securityHub: n.securityHub === true,
  };
}

/** The role name defaults; the accounts default to sourceAccounts, and there must be some. */
function backfillMemberSettings(
  raw: Partial<BackfillMemberSettings>,
  sourceAccounts: readonly string[],
  where: string,
): BackfillMemberSettings {
  const accounts = [...new Set(raw.accounts ?? sourceAccounts)];
  if (accounts.length === 0) {
    throw new SettingsError(
      `${where}: backfillMembers: no member accounts: list them in backfillMembers.accounts (or sourceAccounts)`,
    );
  }
  return {
    accounts,
    roleName: raw.roleName ?? 'tfdrift-backfill-reader',
    ...(raw.externalId !== undefined ? { externalId: raw.externalId } : {}),
  };
}

function stateBucket(entry: unknown): StateBucketSettings {
  if (typeof entry === 'string') return { bucket: entry, prefixes: [''] };
  const e = entry as { bucket: string; prefixes?: string[]; prefix?: string; kmsKeyArn?: string };
  const prefixes = [...(e.prefixes ?? []), ...(e.prefix !== undefined ? [e.prefix] : [])];
  return { bucket: e.bucket, prefixes: prefixes.length ? prefixes : [''], kmsKeyArn: e.kmsKeyArn };
}

/** The literal part of a prefix glob, before its first wildcard: what ListObjects is asked for. */
export function listPrefix(glob: string): string {
  const wildcard = glob.search(/[*?]/);
  return wildcard < 0 ? glob : glob.slice(0, wildcard);
}

/** IAM object-ARN suffix for a prefix or glob: `env/` → `env/*`, `a/*.tfstate` stays as is. */
export function objectPattern(glob: string): string {
  return /[*?]/.test(glob) ? glob : `${glob}*`;
}

/** A member account's forwarder regions: the watched ones, its deploy region and us-east-1. */
export function memberForwarderRegions(settings: TfdriftSettings, deployRegion: string): string[] {
  return [...new Set([...settings.regions, deployRegion, 'us-east-1'])].sort();
}

/** Regions that need a forwarder: the watched ones plus us-east-1 (global services), minus central. */
export function forwarderRegions(settings: TfdriftSettings, centralRegion: string): string[] {
  return [...new Set([...settings.regions, 'us-east-1'])].filter((r) => r !== centralRegion).sort();
}
