// CloudTrail input: find the records in whatever arrived (bare record, S3 log file, EventBridge
// envelope, arrays of these) and normalise each into a CloudTrailEvent with its actor.
// Every string here is attacker-controlled: we only copy it, never interpret it as markup or code.

import { InputError } from './errors.js';
import { stableHash } from './hash.js';
import type { Actor, CallChannel, CloudTrailEvent } from './types.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string (numbers coerced), else null: optional fields of the wrong type become null. */
function str(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/** A value shortened for an error message (it may be long or hostile; it is only ever text). */
function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  return `${typeof value} ${String(value)}`;
}

// ---- finding the records ----

/** One record found in a document, or why a part of the document is not one. */
export type Extracted = { readonly record: Json } | { readonly error: string };

/** Why `raw` cannot be a CloudTrail record, or null when it can. */
export function recordProblem(raw: unknown): string | null {
  if (!isObject(raw)) return `expected a JSON object, got ${show(raw)}`;
  const named = insightOf(raw) ?? raw;
  const name = named.eventName;
  const source = named.eventSource;
  if (name === undefined && source === undefined) return 'missing eventName/eventSource';
  if (name === undefined) return 'missing eventName';
  if (source === undefined) return 'missing eventSource';
  if (typeof name !== 'string' || name === '')
    return `eventName must be a non-empty string, got ${show(name)}`;
  if (typeof source !== 'string' || source === '')
    return `eventSource must be a non-empty string, got ${show(source)}`;
  if (source.startsWith('aws:')) {
    return `eventSource ${show(source)} is an AWS event notification (S3/SQS/SNS/...), not a CloudTrail record`;
  }
  return null;
}

// A CloudTrail Insights record names the call it is about inside insightDetails. It observes a call
// rate and changes nothing, so it is normalised as read-only.
function insightOf(raw: Json): Json | null {
  return raw.eventType === 'AwsCloudTrailInsight' &&
    raw.eventName === undefined &&
    isObject(raw.insightDetails)
    ? raw.insightDetails
    : null;
}

function problemMessage(raw: unknown, problem: string): string {
  const id = isObject(raw) ? str(raw.eventID) : null;
  return `not a CloudTrail record${id ? ` (eventID ${show(id)})` : ''}: ${problem}`;
}

// An EventBridge / CloudWatch Events envelope: {"detail-type": ..., "source": ..., "detail": {...}}.
function isEnvelope(doc: Json): boolean {
  return 'detail' in doc && (typeof doc['detail-type'] === 'string' || typeof doc.source === 'string');
}

const MAX_DEPTH = 16;

/**
 * Every record in `doc`, each part judged on its own: a bad record in a log file becomes one error
 * item and the others still come through. `where` prefixes positions in messages.
 */
export function extractEach(doc: unknown, where = '', depth = 0): Extracted[] {
  const at = (suffix: string) => (where ? `${where}${suffix}` : suffix.replace(/^\./, ''));
  const prefix = where ? `${where}: ` : '';
  if (depth > MAX_DEPTH) return [{ error: `${prefix}nested too deeply to be CloudTrail input` }];
  if (Array.isArray(doc)) {
    const out: Extracted[] = [];
    doc.forEach((item, i) => {
      for (const x of extractEach(item, at(`[${i}]`), depth + 1)) out.push(x);
    });
    return out;
  }
  if (isObject(doc)) {
    if (Array.isArray(doc.Records) && doc.eventName === undefined) {
      return doc.Records.map((record, i) => {
        const problem = recordProblem(record);
        return problem
          ? { error: `${at(`.Records[${i}]`)}: ${problemMessage(record, problem)}` }
          : { record: record as Json };
      });
    }
    // A CloudTrail digest file (delivered beside the logs) lists log files and holds no events.
    if (doc.eventName === undefined && 'digestStartTime' in doc && 'logFiles' in doc) return [];
    if (doc.eventName === undefined && doc.eventSource === undefined && isEnvelope(doc)) {
      const problem = recordProblem(doc.detail);
      if (problem) {
        const kind =
          typeof doc['detail-type'] === 'string' ? ` (detail-type ${show(doc['detail-type'])})` : '';
        return [
          {
            error: `${prefix}EventBridge event${kind} does not carry a CloudTrail record in detail: ${problem}`,
          },
        ];
      }
      return [{ record: doc.detail as Json }];
    }
  }
  const problem = recordProblem(doc);
  return problem ? [{ error: `${prefix}${problemMessage(doc, problem)}` }] : [{ record: doc as Json }];
}

/**
 * The records in a bare record, a `{"Records":[...]}` log file, an EventBridge "AWS API Call via
 * CloudTrail" envelope, or an array of these. Throws InputError naming the first part that is none.
 */
export function extractRecords(doc: unknown): unknown[] {
  const records: unknown[] = [];
  for (const item of extractEach(doc)) {
    if ('error' in item) throw new InputError(item.error);
    records.push(item.record);
  }
  return records;
}

// ---- normalising one record ----

/** Normalises one record. Throws InputError when it cannot be a CloudTrail event. Keeps `raw` as is. */
export function normaliseRecord(raw: unknown): CloudTrailEvent {
  const problem = recordProblem(raw);
  if (problem) throw new InputError(problemMessage(raw, problem));
  const r = raw as Json;
  const insight = insightOf(r);
  const named = insight ?? r;
  const name = named.eventName as string;
  const actor = normaliseActor(r);
  return {
    id: str(r.eventID) ?? `synthetic-${stableHash(JSON.stringify(r))}`,
    source: named.eventSource as string,
    name,
    time: str(r.eventTime) ?? '',
    region: str(r.awsRegion) ?? '',
    account: str(r.recipientAccountId) ?? actor.accountId ?? '',
    readOnly: insight !== null || readOnlyOf(r.readOnly, name),
    errorCode: str(r.errorCode),
    errorMessage: str(r.errorMessage),
    eventType: str(r.eventType) ?? '',
    eventVersion: str(r.eventVersion),
    actor,
    request: isObject(r.requestParameters) ? r.requestParameters : null,
    response: isObject(r.responseElements) ? r.responseElements : null,
    raw: r,
  };
}

function readOnlyOf(field: unknown, name: string): boolean {
  if (typeof field === 'boolean') return field;
  if (typeof field === 'string') {
    const lower = field.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
  }
  return isReadOnlyName(name);
}

// Verbs whose calls read and change nothing. A verb counts only as a whole word ("Get" in
// "GetObject", not in "Getaway"). Anything else (incl. ConsoleLogin, AssumeRole) is left to the rules.
const READ_VERBS = [
  'Get',
  'Describe',
  'List',
  'Head',
  'Lookup',
  'Search',
  'Scan',
  'Query',
  'BatchGet',
  'BatchDescribe',
  'Check',
  'Test',
  'Preview',
  'Estimate',
  'Validate',
  'Verify',
  'Select',
  'Download',
  'View',
  'Decrypt',
  'Encrypt',
  'ReEncrypt',
  'GenerateDataKey',
  'GenerateMac',
  'GenerateRandom',
];
const READ_VERB_RE = new RegExp(`^(?:${READ_VERBS.join('|')})(?:[A-Z0-9]|$)`);
const READ_EXACT = new Set(['Sign']);

/** Read-only inferred from the event name, for records without a `readOnly` field. */
export function isReadOnlyName(name: string): boolean {
  return READ_VERB_RE.test(name) || READ_EXACT.has(name);
}

// ---- who made the call ----

const lastSegment = (arn: string | null): string | null => {
  if (!arn) return null;
  const slash = arn.lastIndexOf('/');
  return slash >= 0 && slash < arn.length - 1 ? arn.slice(slash + 1) : null;
};

/** arn:aws:sts::123:assumed-role/Role/session → { role: "Role", session: "session", account: "123" }. */
function parseAssumedRoleArn(
  arn: string | null,
): { role: string; session: string; partition: string; account: string } | null {
  const m = arn ? /^arn:([^:]+):sts::(\d*):assumed-role\/(.+)\/([^/]+)$/.exec(arn) : null;
  return m ? { partition: m[1], account: m[2], role: m[3].split('/').pop() as string, session: m[4] } : null;
}

function userAgentOf(value: unknown): string | null {
  if (Array.isArray(value)) return str(value.filter((v) => typeof v === 'string').join(' '));
  return str(value);
}

/** Who made the call, from userIdentity and the request context of a record. */
export function normaliseActor(record: Json): Actor {
  const ui = isObject(record.userIdentity) ? record.userIdentity : {};
  const type = typeof ui.type === 'string' && ui.type !== '' ? ui.type : 'Unknown';
  const arn = str(ui.arn);
  const accountId = str(ui.accountId);
  const sourceIp = str(record.sourceIPAddress);
  const userAgent = userAgentOf(record.userAgent);
  const invokedBy = str(ui.invokedBy);
  const onBehalfOf = isObject(ui.onBehalfOf) ? str(ui.onBehalfOf.userId) : null;
  const userName = str(ui.userName);
  const context = isObject(ui.sessionContext) ? ui.sessionContext : {};
  const issuer = isObject(context.sessionIssuer) ? context.sessionIssuer : {};

  let name: string | null;
  let roleArn: string | null = null;
  let sso = false;
  switch (type) {
    case 'IAMUser':
      name = userName ?? lastSegment(arn);
      break;
    case 'AssumedRole': {
      const parsed = parseAssumedRoleArn(arn);
      const principal = str(ui.principalId);
      name =
        parsed?.session ?? (principal?.includes(':') ? principal.slice(principal.indexOf(':') + 1) : null);
      roleArn =
        str(issuer.arn) ??
        (parsed ? `arn:${parsed.partition}:iam::${parsed.account}:role/${parsed.role}` : null);
      const roleName = str(issuer.userName) ?? parsed?.role ?? lastSegment(roleArn);
      sso = roleName?.startsWith('AWSReservedSSO_') === true;
      break;
    }
    case 'Root':
      name = 'root';
      break;
    case 'FederatedUser':
      name = lastSegment(arn) ?? str(issuer.userName) ?? userName;
      break;
    case 'AWSService':
      name = invokedBy;
      break;
    case 'AWSAccount':
      name = accountId ?? str(ui.principalId);
      break;
    case 'IdentityCenterUser':
      name = userName ?? onBehalfOf ?? str(ui.principalId);
      break;
    default:
      name = userName ?? lastSegment(arn) ?? invokedBy ?? str(ui.principalId);
  }
  return {
    type,
    arn,
    name,
    accountId,
    sourceIp,
    userAgent,
    roleArn,
    sso,
    channel: callChannel(record, type, userAgent, sourceIp, invokedBy),
    invokedBy,
    onBehalfOf,
  };
}

// Product tokens ("Terraform/1.5.7", "terraform-provider-aws/5.31.0", "OpenTofu/1.6.0") that only
// Terraform, its providers and OpenTofu send. A token must stand alone (start, space, bracket) and
// carry a version, so "terraform-wrapper-script" or "my-terraform/1" written by a person do not count.
const TERRAFORM_UA_RE =
  /(?:^|[\s[(;,])(?:terraform\/\d|opentofu\/\d|tofu\/\d|terraform-provider-[a-z0-9_-]+\/(?:\d|dev\b))/i;

/** True when the user agent is Terraform's or OpenTofu's (their AWS providers). */
export function isTerraformUserAgent(ua: string | null | undefined): boolean {
  return typeof ua === 'string' && TERRAFORM_UA_RE.test(ua);
}

const TOKEN_START = String.raw`(?:^|[\s[(;,])`;
const CLI_RE = new RegExp(`${TOKEN_START}(?:aws-cli|aws-shell|awspowershell|aws-powershell)[/.]`, 'i');
const SDK_RE = new RegExp(
  `${TOKEN_START}(?:aws-sdk-[a-z0-9._-]+|aws-sdk|boto3|botocore|awssdk[a-z0-9._-]*|aws-chalice)/`,
  'i',
);
const CONSOLE_UA_RE =
  /(?:console|signin)\.(?:[a-z0-9-]+\.)*amazonaws\.com|console\.aws\.amazon\.com|^AWS [A-Za-z0-9 ]*Console\b/i;

function callChannel(
  record: Json,
  type: string,
  ua: string | null,
  sourceIp: string | null,
  invokedBy: string | null,
): CallChannel {
  if (isTerraformUserAgent(ua)) return 'terraform';
  const fromConsole = record.sessionCredentialFromConsole;
  const eventType = typeof record.eventType === 'string' ? record.eventType.toLowerCase() : '';
  if (
    (ua !== null && CONSOLE_UA_RE.test(ua)) ||
    fromConsole === true ||
    fromConsole === 'true' ||
    eventType === 'awsconsolesignin' ||
    eventType === 'awsconsoleaction'
  ) {
    return 'console';
  }
  if (type === 'AWSService' || (sourceIp !== null && /\.amazonaws\.com$/i.test(sourceIp))) return 'service';
  if (ua !== null && CLI_RE.test(ua)) return 'cli';
  if (ua !== null && SDK_RE.test(ua)) return 'sdk';
  if (invokedBy !== null) return 'service';
  return 'unknown';
}

/**
 * What makes a record the same event. The request is compared only for calls that can drift: most
 * of a trail is reads and failures, whose duplicates only change a count, and serialising every
 * request would cost the scan a third of its time.
 */
export function eventDuplicateKey(
  record: Record<string, unknown>,
  eventId: string,
  canDrift: boolean,
): string {
  const key = `${eventId}\u0000${String(record.eventTime)}\u0000${String(record.eventSource)}\u0000${String(record.eventName)}\u0000${String(record.errorCode)}`;
  return canDrift ? `${key}\u0000${JSON.stringify(record.requestParameters ?? null)}` : key;
}
