// Which AWS calls a deployed function can make, derived from its code: the function's bundle is
// matched byte for byte with a fresh build of each handler (lib/bundling.ts), that build's esbuild
// metafile names the project's own modules it contains, and every `new XxxCommand(` those modules
// hold is an SDK call it can send — when the function or method holding it is reachable from the
// bundle's other code (a class method is kept only if some other module calls `.method(` or a
// reachable one calls `this.method(`; esbuild keeps whole classes, so the connect function's bundle
// holds the broadcast's Query, which it never runs). Only two small tables are kept by hand: the IAM action of each
// SDK command (COMMAND_ACTIONS) and, per adapter module, which environment variable names the
// resource it talks to (MODULE_TARGETS) — a module that sends commands without an entry fails.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { S3Client } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import * as tableDesign from '../../lambdas/adapters/aws/drift-table-design.js';
import { FUNCTION_ENV } from '../../lambdas/handlers/runtime/function-env.js';
import { type StateLocation, stateSources } from '../../lambdas/handlers/runtime/state-sources.js';
import { readTrailLog, trailLogKeys } from '../../lambdas/handlers/runtime/trail-logs.js';
import { combineStateSources } from '../../lambdas/services/combined-state-source.js';
import { esbuildOptions, HANDLERS, type HandlerName, REPO_ROOT } from '../../lib/bundling.js';

export interface HandlerBuild {
  readonly handler: HandlerName;
  /** index.mjs as the build writes it. */
  readonly bundle: string;
  /** The project's own modules in the bundle, relative to the repository (lambdas/...). */
  readonly modules: readonly string[];
}

let builds: Promise<HandlerBuild[]> | undefined;

/** Every handler built in memory with the options the stack's bundling uses (once per process). */
export function handlerBuilds(): Promise<HandlerBuild[]> {
  builds ??= Promise.all(
    HANDLERS.map(async (handler) => {
      const result = await build({
        ...esbuildOptions(handler, join(REPO_ROOT, '.rehearsal-build', handler)),
        write: false,
        metafile: true,
      });
      const bundle = result.outputFiles.find((f) => f.path.endsWith('index.mjs'))?.text ?? '';
      const modules = Object.keys(result.metafile.inputs).filter((p) => p.startsWith('lambdas/'));
      return { handler, bundle, modules };
    }),
  );
  return builds;
}

/** The handler whose build is exactly this bundle folder's index.mjs, if any. */
export async function handlerOfBundle(folder: string): Promise<HandlerBuild | undefined> {
  let text: string;
  try {
    text = readFileSync(join(folder, 'index.mjs'), 'utf8');
  } catch {
    return undefined;
  }
  return (await handlerBuilds()).find((b) => b.bundle === text);
}

export interface SdkCommand {
  readonly module: string;
  /** The package the command class is imported from, e.g. @aws-sdk/client-s3. */
  readonly pkg: string;
  readonly command: string;
  /** The command's argument names an index (DynamoDB Query on a GSI). */
  readonly usesIndex: boolean;
  /** That index's name, when the argument names it through the table design; else any index. */
  readonly index?: string;
}

/**
 * The value of `IndexName: X.y.indexName` when X is (an alias of) an export of the table design
 * module (lambdas/adapters/aws/drift-table-design.ts), which the adapters and the stack share.
 */
function designValue(source: string, expression: string): string | undefined {
  const [root, ...path] = expression.split('.');
  const alias = new RegExp(`\\b(\\w+)\\s+as\\s+${root}\\b`).exec(source)?.[1] ?? root;
  let value: unknown = (tableDesign as Record<string, unknown>)[alias];
  for (const key of path) value = (value as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' ? value : undefined;
}

/** The argument text of the call whose opening parenthesis is at `open`. */
function callArgument(source: string, open: number): string {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    if (source[i] === '(') depth += 1;
    else if (source[i] === ')' && --depth === 0) return source.slice(open + 1, i);
  }
  return source.slice(open + 1);
}

interface Declaration {
  readonly name: string;
  readonly member: boolean;
  readonly start: number;
  end: number;
}

/** Top-level functions and class methods of a module, with the text range of each. */
function declarations(source: string): Declaration[] {
  const found: Declaration[] = [];
  const pattern =
    /^(?:(?:export\s+)?(?:async\s+)?function\s+(\w+)|(?:export\s+)?const\s+(\w+)\s*=\s*(?:async\s*)?\(| {2}(?:(?:private|public|protected|static|readonly|async|get|set)\s+)*\*?\s*(\w+)\s*(?:<[^>]*>)?\()/gm;
  for (const m of source.matchAll(pattern)) {
    const name = m[1] ?? m[2] ?? m[3];
    if (['if', 'for', 'while', 'switch', 'catch', 'return', 'constructor'].includes(name)) continue;
    found.push({ name, member: m[3] !== undefined, start: m.index ?? 0, end: source.length });
  }
  for (let i = 0; i < found.length - 1; i++) found[i].end = found[i + 1].start;
  return found;
}

/**
 * The code without its block comments and whole-line comments: a method named in a comment
 * ("DynamoDriftStore.recount() counts…") is not a call. Lengths are kept, so offsets still match.
 */
export function withoutComments(source: string): string {
  const blank = (text: string) => text.replace(/[^\n]/g, ' ');
  return source.replace(/\/\*[\s\S]*?\*\//g, blank).replace(/^[ \t]*\/\/.*$/gm, blank);
}

/** Every SDK command a module constructs, with the package it comes from. */
export function sdkCommands(module: string, bundleModules: readonly string[] = [module]): SdkCommand[] {
  const source = withoutComments(readFileSync(join(REPO_ROOT, module), 'utf8'));
  const others = bundleModules
    .filter((m) => m !== module)
    .map((m) => withoutComments(readFileSync(join(REPO_ROOT, m), 'utf8')))
    .join('\n');
  const decls = declarations(source);
  // Reachable: called from another module of the bundle, or from a reachable declaration here.
  const reachable = new Set<Declaration>();
  const calledIn = (text: string, d: Declaration) =>
    d.member ? new RegExp(`\\.${d.name}\\(`).test(text) : new RegExp(`\\b${d.name}\\b`).test(text);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of decls) {
      if (reachable.has(d)) continue;
      const callers = [others, ...[...reachable].map((r) => source.slice(r.start, r.end))];
      if (callers.some((text) => calledIn(text, d))) {
        reachable.add(d);
        grew = true;
      }
    }
  }
  const origin = new Map<string, string>();
  for (const [, names, pkg] of source.matchAll(
    /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(@aws-sdk\/[^']+)'/g,
  )) {
    for (const name of names.split(',')) {
      const local = name
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .pop();
      if (local) origin.set(local, pkg);
    }
  }
  const found: SdkCommand[] = [];
  for (const match of source.matchAll(/new\s+(\w+Command)\s*\(/g)) {
    const command = match[1];
    const pkg = origin.get(command);
    if (!pkg) continue; // not an AWS SDK command (e.g. commander's Command)
    const at = match.index ?? 0;
    const holder = decls.find((d) => d.start <= at && at < d.end);
    if (holder && !reachable.has(holder)) continue; // e.g. DynamoConnections.list in ws-connect
    const argument = callArgument(source, at + match[0].length - 1);
    const indexExpression = /\bIndexName\s*:\s*([\w.]+)/.exec(argument)?.[1];
    found.push({
      module,
      pkg,
      command,
      usesIndex: indexExpression !== undefined,
      index: indexExpression ? designValue(source, indexExpression) : undefined,
    });
  }
  return found;
}

/**
 * The IAM action each SDK command needs (Service Authorization Reference, "Actions defined by" each
 * service; S3's ListObjectsV2 is authorised as s3:ListBucket, lib-dynamodb's commands as the
 * DynamoDB operation they send, PostToConnection as execute-api:ManageConnections).
 */
export const COMMAND_ACTIONS: Record<string, string> = {
  '@aws-sdk/client-s3:GetObjectCommand': 's3:GetObject',
  '@aws-sdk/client-s3:ListObjectsV2Command': 's3:ListBucket',
  '@aws-sdk/client-s3:PutObjectCommand': 's3:PutObject',
  '@aws-sdk/client-sns:PublishCommand': 'sns:Publish',
  '@aws-sdk/lib-dynamodb:GetCommand': 'dynamodb:GetItem',
  '@aws-sdk/lib-dynamodb:PutCommand': 'dynamodb:PutItem',
  '@aws-sdk/lib-dynamodb:UpdateCommand': 'dynamodb:UpdateItem',
  '@aws-sdk/lib-dynamodb:DeleteCommand': 'dynamodb:DeleteItem',
  '@aws-sdk/lib-dynamodb:QueryCommand': 'dynamodb:Query',
  '@aws-sdk/lib-dynamodb:ScanCommand': 'dynamodb:Scan',
  '@aws-sdk/lib-dynamodb:BatchGetCommand': 'dynamodb:BatchGetItem',
  '@aws-sdk/lib-dynamodb:BatchWriteCommand': 'dynamodb:BatchWriteItem',
  '@aws-sdk/client-dynamodb:GetItemCommand': 'dynamodb:GetItem',
  '@aws-sdk/client-dynamodb:PutItemCommand': 'dynamodb:PutItem',
  '@aws-sdk/client-dynamodb:UpdateItemCommand': 'dynamodb:UpdateItem',
  '@aws-sdk/client-dynamodb:DeleteItemCommand': 'dynamodb:DeleteItem',
  '@aws-sdk/client-dynamodb:QueryCommand': 'dynamodb:Query',
  '@aws-sdk/client-dynamodb:ScanCommand': 'dynamodb:Scan',
  '@aws-sdk/client-apigatewaymanagementapi:PostToConnectionCommand': 'execute-api:ManageConnections',
  '@aws-sdk/client-apigatewaymanagementapi:DeleteConnectionCommand': 'execute-api:ManageConnections',
  '@aws-sdk/client-eventbridge:PutEventsCommand': 'events:PutEvents',
  '@aws-sdk/client-securityhub:BatchImportFindingsCommand': 'securityhub:BatchImportFindings',
  '@aws-sdk/client-securityhub:BatchUpdateFindingsCommand': 'securityhub:BatchUpdateFindings',
  '@aws-sdk/client-secrets-manager:GetSecretValueCommand': 'secretsmanager:GetSecretValue',
  '@aws-sdk/client-cloudtrail:LookupEventsCommand': 'cloudtrail:LookupEvents',
  '@aws-sdk/client-lambda:InvokeCommand': 'lambda:InvokeFunction',
  '@aws-sdk/client-sts:AssumeRoleCommand': 'sts:AssumeRole',
};

export function actionOf(command: SdkCommand): string {
  const action = COMMAND_ACTIONS[`${command.pkg}:${command.command}`];
  if (!action) {
    throw new Error(
      `${command.module} sends ${command.command} (${command.pkg}): add its IAM action to COMMAND_ACTIONS`,
    );
  }
  return action;
}

/** How a module's resource is named in the function's environment. */
export type ModuleTarget =
  | { readonly kind: 'table'; readonly env: string }
  | { readonly kind: 'topic'; readonly env: string }
  | { readonly kind: 'state'; readonly env: string }
  | { readonly kind: 'trail'; readonly env: string }
  | { readonly kind: 'connections'; readonly env: string }
  /** A bus by name; unset when the stack deploys no drift bus (the function then sends nothing). */
  | { readonly kind: 'bus'; readonly env: string; readonly optional: true }
  /** A JSON list of `{ topicArn }`. */
  | { readonly kind: 'topics'; readonly env: string }
  /** A JSON list of `{ secretArn }`. */
  | { readonly kind: 'secrets'; readonly env: string }
  /** The account's own Security Hub (product `<account>/default` and the hub), from the event. */
  | { readonly kind: 'security-hub'; readonly env?: undefined }
  /** CloudTrail event history of a comma-separated list of regions (no resource-level permission). */
  | { readonly kind: 'event-history'; readonly env: string }
  /** A Lambda function by name, invoked asynchronously. */
  | { readonly kind: 'function'; readonly env: string }
  /**
   * A role in each of a comma-separated list of member accounts (BACKFILL_MEMBER_ROLE_ARN names it);
   * unset when the stack reads no member account (the function then assumes none).
   */
  | { readonly kind: 'member-roles'; readonly env: string; readonly optional: true };

/** Per adapter module: the variable its runtime wiring passes it (lambdas/handlers/runtime, handlers). */
const FUNCTION_ENV_MODULE = 'lambdas/handlers/runtime/function-env.ts';

export const MODULE_TARGETS: Record<string, ModuleTarget> = {
  'lambdas/adapters/aws/dynamo-drift-store.ts': { kind: 'table', env: 'DRIFTS_TABLE' },
  'lambdas/adapters/aws/dynamo-event-log.ts': { kind: 'table', env: 'EVENTS_TABLE' },
  'lambdas/adapters/aws/dynamo-connections.ts': { kind: 'table', env: 'CONNECTIONS_TABLE' },
  'lambdas/adapters/aws/sns-notifier.ts': { kind: 'topic', env: 'TOPIC_ARN' },
  'lambdas/adapters/aws/s3-state-source.ts': { kind: 'state', env: 'STATE_SOURCES' },
  'lambdas/handlers/runtime/trail-logs.ts': { kind: 'trail', env: 'TRAIL_BUCKET' },
  'lambdas/adapters/aws/apigw-sender.ts': { kind: 'connections', env: 'WS_ENDPOINT' },
  'lambdas/adapters/aws/eventbridge-drift-events.ts': { kind: 'bus', env: 'DRIFT_EVENT_BUS', optional: true },
  'lambdas/handlers/chat-delivery.ts': { kind: 'topics', env: 'CHAT_TOPICS' },
  'lambdas/adapters/aws/secrets-manager.ts': { kind: 'secrets', env: 'WEBHOOKS' },
  'lambdas/adapters/aws/security-hub-findings.ts': { kind: 'security-hub' },
  'lambdas/adapters/aws/cloudtrail-lookup.ts': { kind: 'event-history', env: 'BACKFILL_REGIONS' },
  'lambdas/adapters/aws/backfill-invoker.ts': { kind: 'function', env: 'BACKFILL_FUNCTION' },
  'lambdas/adapters/aws/cloudtrail-lookup-accounts.ts': {
    kind: 'member-roles',
    env: 'BACKFILL_MEMBER_ACCOUNTS',
    optional: true,
  },
  'lambdas/handlers/backfill.ts': { kind: 'topic', env: 'TOPIC_ARN' },
};

/**
 * The target of a module's commands in one function; the variable must be one the function's own
 * code reads (so the table above cannot name a variable nothing passes to the module).
 */
export function targetOf(module: string, handler: string, bundleModules: readonly string[]): ModuleTarget {
  const target = MODULE_TARGETS[module];
  if (!target) {
    throw new Error(
      `${module} (in the ${handler} function) sends AWS SDK commands: name the variable of its resource in MODULE_TARGETS`,
    );
  }
  if (target.env === undefined) return target;
  // By name, or through the names module the stack shares (which itself names every variable).
  const key = Object.entries(FUNCTION_ENV).find(([, name]) => name === target.env)?.[0];
  const reads = bundleModules
    .filter((m) => m !== FUNCTION_ENV_MODULE)
    .some((m) => {
      const text = readFileSync(join(REPO_ROOT, m), 'utf8');
      return text.includes(`'${target.env}'`) || (key !== undefined && text.includes(`FUNCTION_ENV.${key}`));
    });
  if (!reads)
    throw new Error(`the ${handler} function's code never reads ${target.env} (MODULE_TARGETS of ${module})`);
  return target;
}

export interface RecordedRequest {
  readonly command: string;
  readonly input: Record<string, unknown>;
}

/** An S3 client that answers from made-up keys and records what the code asked for. */
function recordingS3(answer: (command: string, input: Record<string, unknown>) => unknown): {
  client: S3Client;
  requests: RecordedRequest[];
} {
  const requests: RecordedRequest[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      requests.push({ command: command.constructor.name, input: command.input });
      return answer(command.constructor.name, command.input);
    },
  } as unknown as S3Client;
  return { client, requests };
}

const body = (bytes: Uint8Array) => ({
  Body: {
    transformToString: async () => Buffer.from(bytes).toString('utf8'),
    transformToByteArray: async () => bytes,
  },
  ETag: '"0"',
});

/**
 * The S3 requests the state reader sends for STATE_SOURCES: the reader's own code runs against a
 * bucket that holds, under every prefix it lists, a few plausible state keys.
 */
export async function stateRequests(locations: readonly StateLocation[]): Promise<RecordedRequest[]> {
  const heads = new Map<string, string[]>();
  for (const { bucket, prefixes } of locations) {
    heads.set(
      bucket,
      prefixes.map((p) => p.slice(0, p.search(/[*?]/) < 0 ? p.length : p.search(/[*?]/))),
    );
  }
  const tails = ['terraform.tfstate', 'team-a.tfstate', 'team-a/terraform.tfstate', 'team-a/app.tfstate'];
  const { client, requests } = recordingS3((command, input) => {
    if (command === 'GetObjectCommand') return body(Buffer.from('{"version":4,"serial":1,"resources":[]}'));
    const prefix = String(input.Prefix ?? '');
    const under =
      prefix === 'env:/'
        ? (heads.get(String(input.Bucket)) ?? []).flatMap((h) => tails.map((t) => `env:/staging/${h}${t}`))
        : [prefix, ...tails.map((t) => `${prefix}${t}`)].filter((k) => k.endsWith('.tfstate'));
    return { Contents: under.map((Key) => ({ Key })), IsTruncated: false };
  });
  await combineStateSources(stateSources(client, locations)).load();
  return requests;
}

/** The trail layout the backstop reads from its environment (lambdas/handlers/backstop.ts). */
export function trailLayout(env: Record<string, string>) {
  return {
    prefix: env.TRAIL_PREFIX ?? '',
    accounts: (env.TRAIL_ACCOUNTS ?? '').split(','),
    regions: (env.TRAIL_REGIONS ?? '').split(','),
    organizationId: env.TRAIL_ORGANIZATION_ID || undefined,
  };
}

/** A member account the organisation trail's listing discovers (beyond the configured ones). */
export const DISCOVERED_MEMBER = '333333333333';

/**
 * The S3 requests one backstop run sends: the backstop's own listing and reading code runs against a
 * trail bucket holding one log file per account, region and day.
 */
export async function trailRequests(env: Record<string, string>): Promise<RecordedRequest[]> {
  const bucket = env.TRAIL_BUCKET;
  const { client, requests } = recordingS3((command, input) => {
    if (command === 'GetObjectCommand') return body(gzipSync(JSON.stringify({ Records: [] })));
    const prefix = String(input.Prefix ?? '');
    if (input.Delimiter) return { CommonPrefixes: [{ Prefix: `${prefix}${DISCOVERED_MEMBER}/` }] };
    const day = /(\d{12})\/CloudTrail\/([^/]+)\/(\d{4})\/(\d{2})\/(\d{2})\/$/.exec(prefix);
    if (!day) return { Contents: [] };
    const [, account, region, y, m, d] = day;
    return { Contents: [{ Key: `${prefix}${account}_CloudTrail_${region}_${y}${m}${d}T1205Z_r3h.json.gz` }] };
  });
  const to = new Date('2026-01-15T12:30:00Z');
  const from = new Date(to.getTime() - 75 * 60_000);
  for (const key of await trailLogKeys(client, bucket, trailLayout(env), from, to)) {
    await readTrailLog(client, bucket, key);
  }
  return requests;
}
