// Backfill: drift made before tfdrift watched. Reads CloudTrail event history (LookupEvents, write
// events only, the last N days: 7 by default, at most the 90 CloudTrail keeps) in every watched region
// of this account and, through a role assumed there, of each configured member account, paced to
// LookupEvents' 2 requests a second per account and region, and feeds the records to the detect
// service oldest first. An account or region that cannot be read is recorded by name and the rest
// are still read; the run then ends in error naming them (after the summary), so the function's
// Errors alarm tells an operator. Drifts it finds are marked `backfilled` and alerted in one summary
// (one SNS publish), not one mail each; an event the live path already saw (same eventID) makes no
// second drift. Runs once on the stack's first deployment (a rule on its CREATE_COMPLETE) and when
// an admin asks from the dashboard (POST /api/v1/backfill).

import { PublishCommand } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { MAX_LOOKUP_DAYS } from '../adapters/aws/cloudtrail-lookup.js';
import { lookupAccountsHistory, OWN_ACCOUNT } from '../adapters/aws/cloudtrail-lookup-accounts.js';
import { backfillSummary } from '../core/backfill-summary.js';
import type { Finding } from '../core/types.js';
import { snsClient } from './runtime/clients.js';
import { createDetectorRuntime } from './runtime/detector.js';
import { numberEnv, optionalEnv, requireEnv } from './runtime/env.js';
import { FUNCTION_ENV, MEMBER_ACCOUNT_PLACEHOLDER } from './runtime/function-env.js';

const runtime = createDetectorRuntime();
const regions = requireEnv(FUNCTION_ENV.backfillRegions)
  .split(',')
  .filter((r) => r !== '');
const defaultDays = numberEnv(FUNCTION_ENV.backfillDays, 7);
const topicArn = requireEnv(FUNCTION_ENV.topicArn);
const memberAccounts = (optionalEnv(FUNCTION_ENV.backfillMemberAccounts) ?? '')
  .split(',')
  .filter((a) => a !== '');
const memberRoleTemplate = memberAccounts.length ? requireEnv(FUNCTION_ENV.backfillMemberRoleArn) : '';
const memberRoleArn = (account: string) => memberRoleTemplate.split(MEMBER_ACCOUNT_PLACEHOLDER).join(account);
const externalId = optionalEnv(FUNCTION_ENV.backfillExternalId);
const sns = snsClient();
const sts = memberAccounts.length ? new STSClient({}) : undefined;

export interface BackfillRequest {
  /** Days of history to read. @default BACKFILL_DAYS (7) */
  readonly days?: unknown;
  /** Who or what asked (logged). */
  readonly reason?: unknown;
}

/** What a run read of one account and found in it. */
export interface AccountResult {
  /** The member account's id, or `this account`. */
  readonly account: string;
  /** Regions read whole. */
  readonly regions: readonly string[];
  readonly events: number;
  readonly created: number;
  /** Why a region or the whole account was not read; empty when all was read. */
  readonly failures: readonly string[];
}

export interface BackfillResult {
  readonly days: number;
  readonly regions: readonly string[];
  readonly events: number;
  readonly created: number;
  readonly errors: number;
  readonly summarised: boolean;
  readonly accounts: readonly AccountResult[];
}

/** A run that read what it could but not every account or region; `result` says what. */
export class BackfillIncompleteError extends Error {
  override readonly name = 'BackfillIncompleteError';
  constructor(readonly result: BackfillResult) {
    const unread = result.accounts
      .filter((a) => a.failures.length > 0)
      .map((a) => `${a.account} (${a.failures.join('; ')})`);
    super(`backfill: not everything was read: ${unread.join('; ')}`);
  }
}

/** Whole days from 1 to 90; anything else is refused with the reason. */
export function backfillDays(value: unknown, fallback: number): number {
  const days = value === undefined || value === null ? fallback : value;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_LOOKUP_DAYS) {
    throw new Error(
      `backfill: days must be a whole number from 1 to ${MAX_LOOKUP_DAYS}, got ${JSON.stringify(days)}`,
    );
  }
  return days;
}

/** Records handed to the detect service at a time. */
const BATCH_SIZE = 500;

export async function handler(request: BackfillRequest = {}): Promise<BackfillResult> {
  const days = backfillDays(request.days, defaultDays);
  const end = new Date();
  const window = { start: new Date(end.getTime() - days * 86_400_000), end };
  runtime.logger.info('backfill started', {
    days,
    regions,
    memberAccounts,
    reason: String(request.reason ?? 'asked'),
  });
  const history = await lookupAccountsHistory({
    window,
    regions,
    memberAccounts,
    memberRoleArn,
    externalId,
    sts,
  });
  for (const account of history.accounts) {
    for (const failure of account.failures)
      runtime.logger.error('history not read', { account: account.account, failure });
  }
  let events = 0;
  let errors = 0;
  const created: Finding[] = [];
  /** Drifts found per account (the account the record was read from). */
  const createdIn = new Map<string, number>();
  for (let i = 0; i < history.inputs.length; i += BATCH_SIZE) {
    const batch = history.inputs.slice(i, i + BATCH_SIZE);
    const accountOf = new Map<unknown, string>();
    const records = batch.flatMap((input) => {
      if (!input.ok) {
        runtime.logger.warn('history event not read', { origin: input.origin, error: input.error });
        return [];
      }
      accountOf.set(input.record.eventID, input.account);
      return [input.record];
    });
    errors += batch.length - records.length;
    events += records.length;
    const result = await runtime.detect.handle(records, { backfill: true });
    errors += result.errors.length;
    for (const finding of result.createdFindings ?? []) {
      const account = accountOf.get(finding.event.id) ?? OWN_ACCOUNT;
      createdIn.set(account, (createdIn.get(account) ?? 0) + 1);
      created.push(finding);
    }
  }
  runtime.events.take();
  const read = [
    ...regions,
    ...history.accounts
      .filter((a) => a.account !== OWN_ACCOUNT && a.regions.length > 0)
      .map((a) => `account ${a.account}`),
  ];
  const summary = backfillSummary(created, { days, regions: read, events, errors }, runtime.dashboardUrl);
  if (summary) {
    await sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Subject: summary.subject,
        Message: summary.body,
        MessageAttributes: {
          severity: { DataType: 'String', StringValue: summary.severity },
          kind: { DataType: 'String', StringValue: 'backfill' },
        },
      }),
    );
  }
  const result: BackfillResult = {
    days,
    regions,
    events,
    created: created.length,
    errors,
    summarised: summary !== null,
    accounts: history.accounts.map((a) => ({
      account: a.account,
      regions: a.regions,
      events: a.events,
      created: createdIn.get(a.account) ?? 0,
      failures: a.failures,
    })),
  };
  runtime.logger.info('backfill done', { ...result });
  if (result.accounts.some((a) => a.failures.length > 0)) throw new BackfillIncompleteError(result);
  return result;
}
