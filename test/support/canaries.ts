// Canary strings for the secrets test: unique values planted in state attributes that are sensitive
// (listed in sensitive_attributes) or secret-named, and in secret-named event fields. None may ever
// appear in any output.

import { fixtureJson } from './hostile-fixtures.js';

export const STATE_CANARIES = {
  password: 'CANARY-7f3a-state-password',
  sensitiveEngine: 'CANARY-7f3a-sensitive-engine-version',
  secretArn: 'CANARY-7f3a-master-user-secret',
  accessKeySecret: 'CANARY-7f3a-access-key-secret',
  smtpPassword: 'CANARY-7f3a-smtp-password',
  tagToken: 'CANARY-7f3a-tag-api-token',
} as const;

export const EVENT_CANARIES = {
  masterPassword: 'CANARY-7f3a-event-master-password',
  newPassword: 'CANARY-7f3a-event-new-password',
} as const;

export const ALL_CANARIES: readonly string[] = [
  ...Object.values(STATE_CANARIES),
  ...Object.values(EVENT_CANARIES),
];

/** The parts of every canary that must not leak either (a prefix match is enough to find one). */
export function leakedCanaries(text: string): string[] {
  return ALL_CANARIES.filter((c) => text.includes(c) || text.includes(c.slice(-16)));
}

/** A version 4 state (shaped on test/golden/secrets-never-leave) full of canaries. */
export function canaryState(): string {
  const db = {
    mode: 'managed',
    type: 'aws_db_instance',
    name: 'main',
    provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: [
      {
        schema_version: 2,
        attributes: {
          id: 'db-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
          identifier: 'database-1',
          arn: 'arn:aws:rds:us-east-1:000000000000:db:database-1',
          instance_class: 'db.t2.micro',
          engine_version: STATE_CANARIES.sensitiveEngine,
          deletion_protection: true,
          password: STATE_CANARIES.password,
          master_user_secret: [{ secret_arn: STATE_CANARIES.secretArn, secret_status: 'active' }],
          username: 'postgres',
          tags: { Name: 'db', api_token: STATE_CANARIES.tagToken },
        },
        sensitive_attributes: [
          [{ type: 'get_attr', value: 'password' }],
          [{ type: 'get_attr', value: 'engine_version' }],
        ],
      },
    ],
  };
  const key = {
    mode: 'managed',
    type: 'aws_iam_access_key',
    name: 'ci',
    provider: 'provider["registry.terraform.io/hashicorp/aws"]',
    instances: [
      {
        schema_version: 0,
        attributes: {
          id: 'AKIAEXAMPLECANARY',
          user: 'ci',
          secret: STATE_CANARIES.accessKeySecret,
          ses_smtp_password_v4: STATE_CANARIES.smtpPassword,
          status: 'Active',
        },
        sensitive_attributes: [],
      },
    ],
  };
  return JSON.stringify(
    {
      version: 4,
      terraform_version: '1.9.5',
      serial: 3,
      lineage: 'canary',
      outputs: {},
      resources: [db, key],
    },
    null,
    2,
  );
}

/** Real ModifyDBInstance records (golden secrets-never-leave) carrying event-side canaries, and a key change. */
export function canaryEvents(): Record<string, unknown>[] {
  const golden = fixtureJson('../golden/secrets-never-leave/events.json') as {
    Records: Record<string, unknown>[];
  };
  const [password, settings] = golden.Records;
  return [
    {
      ...password,
      eventID: 'canary-0001',
      requestParameters: {
        dBInstanceIdentifier: 'database-1',
        applyImmediately: true,
        masterUserPassword: EVENT_CANARIES.masterPassword,
      },
    },
    { ...settings, eventID: 'canary-0002' },
    {
      ...settings,
      eventID: 'canary-0003',
      requestParameters: {
        dBInstanceIdentifier: 'database-1',
        engineVersion: '16.1',
        dBInstanceClass: 'db.t3.large',
        newMasterUserPassword: EVENT_CANARIES.newPassword,
      },
    },
    {
      ...settings,
      eventID: 'canary-0004',
      eventSource: 'iam.amazonaws.com',
      eventName: 'UpdateAccessKey',
      requestParameters: { accessKeyId: 'AKIAEXAMPLECANARY', status: 'Inactive', userName: 'ci' },
      responseElements: null,
    },
  ];
}
