// The backfill's event history across accounts: this account's with the function's own credentials,
// and each member account's through a role assumed there with STS (docs/deploy.md, "Member
// accounts"). Every account and region is its own source, paced to LookupEvents' 2 requests a second
// per account and region (cloudtrail-lookup.ts). A source that cannot be read — the role refused
// (AccessDenied on AssumeRole), throttling that outlasts the retries — is recorded with the reason
// and the other sources are still read.

import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import type { EventInput } from '../local/event-files.js';
import { byEventTime, lookupRegionEvents, type RegionLookupOptions } from './cloudtrail-lookup.js';

/** An entry of the history with the account it was read from. */
export type AccountEventInput = EventInput & { readonly account: string };

/** What was read of one account. */
export interface AccountHistory {
  /** The account id, or `this account` for the function's own. */
  readonly account: string;
  /** Regions whose history was read whole. */
  readonly regions: string[];
  /** Entries read (records and entries that were not a record). */
  events: number;
  /** Why a region, or the whole account, was not read (`us-east-1: ...`, `AssumeRole ...: ...`). */
  readonly failures: string[];
}

export interface AccountsLookupOptions extends RegionLookupOptions {
  readonly regions: readonly string[];
  /** Member accounts to read through their role. @default [] */
  readonly memberAccounts?: readonly string[];
  /** The role to assume in a member account (needed with memberAccounts). */
  readonly memberRoleArn?: (account: string) => string;
  /** The `sts:ExternalId` the member roles' trust policy asks for. @default none */
  readonly externalId?: string;
  readonly sts?: STSClient;
  /** A region's client, with an account's credentials (absent: the function's own). */
  readonly cloudTrailClient?: (region: string, credentials?: AssumedCredentials) => CloudTrailClient;
}

export interface AssumedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration?: Date;
}

/** Shown in the logs and the summary for the account the function runs in. */
export const OWN_ACCOUNT = 'this account';
/** The member role's session lasts a run (15 minutes, the shortest STS allows). */
export const SESSION_SECONDS = 900;
export const SESSION_NAME = 'tfdrift-backfill';

const defaultClient = (region: string, credentials?: AssumedCredentials) =>
  new CloudTrailClient({ region, ...(credentials ? { credentials } : {}) });

async function assumeMemberRole(
  options: AccountsLookupOptions,
  account: string,
): Promise<AssumedCredentials> {
  if (!options.sts || !options.memberRoleArn) throw new Error('no STS client or member role configured');
  const roleArn = options.memberRoleArn(account);
  try {
    const answer = await options.sts.send(
      new AssumeRoleCommand({
        RoleArn: roleArn,
        RoleSessionName: SESSION_NAME,
        DurationSeconds: SESSION_SECONDS,
        ...(options.externalId ? { ExternalId: options.externalId } : {}),
      }),
    );
    const c = answer.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken)
      throw new Error('no credentials in the answer');
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      expiration: c.Expiration,
    };
  } catch (error) {
    const e = error as Error;
    throw new Error(
      `AssumeRole ${roleArn}: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}`,
    );
  }
}

async function readAccount(
  options: AccountsLookupOptions,
  history: AccountHistory,
  credentials: AssumedCredentials | undefined,
  into: AccountEventInput[],
): Promise<void> {
  const client = options.cloudTrailClient ?? defaultClient;
  const member = credentials !== undefined;
  for (const region of options.regions) {
    try {
      const found = await lookupRegionEvents(client(region, credentials), {
        ...options,
        origin: (r) => (member ? `cloudtrail:lookup ${history.account} ${r}` : `cloudtrail:lookup ${r}`),
      });
      for (const input of found) into.push({ ...input, account: history.account });
      history.events += found.length;
      history.regions.push(region);
    } catch (error) {
      history.failures.push(`${region}: ${(error as Error).message}`);
    }
  }
}

/**
 * Every write event of the window in every region of this account and of each member account,
 * oldest first, and what was (not) read of each account. Never throws for one account or region.
 */
export async function lookupAccountsHistory(
  options: AccountsLookupOptions,
): Promise<{ inputs: AccountEventInput[]; accounts: AccountHistory[] }> {
  const inputs: AccountEventInput[] = [];
  const own: AccountHistory = { account: OWN_ACCOUNT, regions: [], events: 0, failures: [] };
  await readAccount(options, own, undefined, inputs);
  const accounts = [own];
  for (const account of options.memberAccounts ?? []) {
    const history: AccountHistory = { account, regions: [], events: 0, failures: [] };
    accounts.push(history);
    let credentials: AssumedCredentials;
    try {
      credentials = await assumeMemberRole(options, account);
    } catch (error) {
      history.failures.push((error as Error).message);
      continue;
    }
    await readAccount(options, history, credentials, inputs);
  }
  byEventTime(inputs);
  return { inputs, accounts };
}
