// The environment variables the stack (lib/) sets on the functions and the handlers read: one name
// for both sides, as drift-table-design.ts is for the tables' keys. A plain module (no imports), so
// the CDK app can import it without loading any handler.

export const FUNCTION_ENV = {
  driftsTable: 'DRIFTS_TABLE',
  eventsTable: 'EVENTS_TABLE',
  connectionsTable: 'CONNECTIONS_TABLE',
  topicArn: 'TOPIC_ARN',
  /** JSON: [{bucket, prefixes}] (handlers/runtime/state-sources.ts). */
  stateSources: 'STATE_SOURCES',
  /** JSON: the detect settings (core/config.ts). */
  detectConfig: 'DETECT_CONFIG',
  retentionDays: 'RETENTION_DAYS',
  /** After Terraform's own calls, how often a warm function checks S3 for the state (seconds). */
  stateRecheckSeconds: 'STATE_RECHECK_SECONDS',
  metricsNamespace: 'METRICS_NAMESPACE',
  dashboardUrl: 'DASHBOARD_URL',
  /** The Cognito group allowed to POST /events. */
  adminGroup: 'ADMIN_GROUP',
  wsEndpoint: 'WS_ENDPOINT',
  userPoolId: 'USER_POOL_ID',
  userPoolClientId: 'USER_POOL_CLIENT_ID',
  trailBucket: 'TRAIL_BUCKET',
  trailPrefix: 'TRAIL_PREFIX',
  trailAccounts: 'TRAIL_ACCOUNTS',
  trailRegions: 'TRAIL_REGIONS',
  trailOrganizationId: 'TRAIL_ORGANIZATION_ID',
  backstopWindowMinutes: 'BACKSTOP_WINDOW_MINUTES',
  /** The bus drift events go to (lib/constructs/drift-channels.ts); unset: none are sent. */
  driftEventBus: 'DRIFT_EVENT_BUS',
  /** The backfill function POST /api/v1/backfill starts. */
  backfillFunction: 'BACKFILL_FUNCTION',
  /** Comma-separated regions whose CloudTrail event history the backfill reads. */
  backfillRegions: 'BACKFILL_REGIONS',
  backfillDays: 'BACKFILL_DAYS',
  /** Comma-separated member accounts the backfill reads through their role; unset: none. */
  backfillMemberAccounts: 'BACKFILL_MEMBER_ACCOUNTS',
  /** The member role's ARN with MEMBER_ACCOUNT_PLACEHOLDER in place of the account id. */
  backfillMemberRoleArn: 'BACKFILL_MEMBER_ROLE_ARN',
  /** The `sts:ExternalId` the member roles' trust policy asks for; unset: none. */
  backfillExternalId: 'BACKFILL_EXTERNAL_ID',
  /** JSON: [{url, secretArn, minSeverity}] (the webhook-delivery function). */
  webhooks: 'WEBHOOKS',
  /** Seconds a webhook receiver may take to answer (not set by the stack: 10). */
  webhookTimeoutSeconds: 'WEBHOOK_TIMEOUT_SECONDS',
  /** JSON: [{topicArn, minSeverity}] (the chat-delivery function). */
  chatTopics: 'CHAT_TOPICS',
} as const;

/** Stands for the account id in BACKFILL_MEMBER_ROLE_ARN (one ARN for every member account). */
export const MEMBER_ACCOUNT_PLACEHOLDER = '{account}';
