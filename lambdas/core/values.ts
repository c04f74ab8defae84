// Value normalisers: a state value and an event value pass through the same normaliser before they
// are compared, so "5" equals 5, a URL-encoded IAM policy equals the state's JSON, and a tag list
// equals a tag map. Each normaliser is total: it never throws, an odd shape passes through as is.

import {
  ecrReplication,
  present,
  s3Config,
  s3LifecycleLegacy,
  s3ReplicationLegacy,
} from './config-blocks.js';
import { compareText } from './text-order.js';

export type Normaliser = (value: unknown) => unknown;

function unwrapValue(value: unknown): unknown {
  // EC2 attribute events wrap scalars as {"value": x}; a one-element array from a state block too.
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'value' || keys[0] === 'Value')) {
      return (value as Record<string, unknown>)[keys[0]];
    }
  }
  return value;
}

function toStringValue(value: unknown): unknown {
  const v = unwrapValue(value);
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v;
}

function toNumber(value: unknown): unknown {
  const v = unwrapValue(value);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return v ?? null;
}

function toBool(value: unknown): unknown {
  const v = unwrapValue(value);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const lower = v.toLowerCase();
    if (lower === 'true' || lower === 'enabled' || lower === 'on') return true;
    if (lower === 'false' || lower === 'disabled' || lower === 'off' || lower === 'suspended') return false;
  }
  if (typeof v === 'number') return v !== 0;
  return v ?? null;
}

/** Parses JSON text (plain or URL-encoded, as IAM events carry it); objects pass through. */
export function parseDocument(value: unknown): unknown {
  const v = unwrapValue(value);
  if (typeof v !== 'string') return v ?? null;
  const text = v.trim();
  if (text === '') return null;
  for (const candidate of [text, safeDecode(text)]) {
    if (candidate === null) continue;
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next form
    }
  }
  return v;
}

function safeDecode(text: string): string | null {
  if (!text.includes('%')) return null;
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/** Sorts object keys recursively so two documents compare by content. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort())
      out[key] = canonical((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

const IAM_LIST_KEYS = new Set([
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'AWS',
  'Service',
  'Federated',
  'CanonicalUser',
]);

/** IAM policy documents: one Statement or many, one Action or a list — the same policy either way. */
function iamPolicy(value: unknown): unknown {
  const doc = parseDocument(value);
  if (!doc || typeof doc !== 'object') return doc;
  const normalise = (node: unknown, key?: string): unknown => {
    if (Array.isArray(node)) {
      const items = node.map((n) => normalise(n));
      if (key && IAM_LIST_KEYS.has(key)) return [...new Set(items.map(String))].sort();
      return items;
    }
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(node).sort()) {
        let child = (node as Record<string, unknown>)[k];
        if (k === 'Statement' && !Array.isArray(child)) child = [child];
        if (IAM_LIST_KEYS.has(k) && typeof child === 'string') child = [child];
        if (k === 'Principal' && child === '*') child = { AWS: ['*'] };
        out[k] = normalise(child, k);
      }
      if (Array.isArray(out.Statement)) {
        out.Statement = [...out.Statement].sort((a, b) => compareText(JSON.stringify(a), JSON.stringify(b)));
      }
      return out;
    }
    return numericText(node);
  };
  return normalise(doc);
}

/**
 * A number written as text ("3", "0.5") is the number, as at top level: the console and the SDKs
 * write redrive policies and policy conditions either way. Only the canonical form converts, so an
 * account id "012345678901" stays text.
 */
function numericText(node: unknown): unknown {
  if (typeof node !== 'string' || !/^-?\d+(\.\d+)?$/.test(node)) return node;
  const n = Number(node);
  return Number.isFinite(n) && String(n) === node ? n : node;
}

/** JSON documents inside strings, compared by content; numbers and numeric text alike inside. */
function json(value: unknown): unknown {
  const numbers = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(numbers);
    if (node && typeof node === 'object')
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, numbers(v)]));
    return numericText(node);
  };
  return canonical(numbers(parseDocument(value)));
}

function stringSet(value: unknown): unknown {
  const v = unwrapValue(value);
  if (v === null || v === undefined) return [];
  const list = Array.isArray(v) ? v : [v];
  return [...new Set(list.map((x) => String(unwrapValue(x))))].sort();
}

function isKeyValue(value: unknown): boolean {
  return (
    !!value && typeof value === 'object' && !Array.isArray(value) && ('Key' in value || 'TagKey' in value)
  );
}

/** Tags as a map, from any of: {k: v}, [{key,value}], [{Key,Value}], {items: [...]}, [{TagKey,TagValue}]. */
export function tagMap(value: unknown): Record<string, string> {
  if (value === null || value === undefined) return {};
  let v = value;
  if (!Array.isArray(v) && typeof v === 'object') {
    const obj = v as Record<string, unknown>;
    if (Array.isArray(obj.items)) v = obj.items;
    else if (Array.isArray(obj.Tag)) v = obj.Tag;
    else if (Array.isArray(obj.tags)) v = obj.tags;
    else if (Array.isArray(obj.Tags)) v = obj.Tags;
    // S3 logs a one-tag TagSet as {"Tag": {"Key": k, "Value": v}} (XML turned JSON), not a list.
    else if (isKeyValue(obj.Tag)) v = [obj.Tag];
  }
  const out: Record<string, string> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      if (!item || typeof item !== 'object') continue;
      const t = item as Record<string, unknown>;
      // name/value and parameterName/parameterValue: DB/cache parameter and ECS setting lists.
      const key = t.key ?? t.Key ?? t.TagKey ?? t.tagKey ?? t.parameterName ?? t.name;
      const val = t.value ?? t.Value ?? t.TagValue ?? t.tagValue ?? t.parameterValue ?? '';
      if (key !== undefined && key !== null) out[String(key)] = String(val ?? '');
    }
    return out;
  }
  if (v && typeof v === 'object') {
    for (const [key, val] of Object.entries(v)) out[key] = String(val ?? '');
  }
  return out;
}

/** Tag keys from [{key}], [{Key}], ["k"], {items: [...]} or a tag map. */
export function tagKeys(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  let v = value;
  if (!Array.isArray(v) && typeof v === 'object') {
    const obj = v as Record<string, unknown>;
    v = obj.items ?? obj.TagKeys ?? obj.tagKeys ?? obj.Keys ?? Object.keys(obj);
  }
  const list = Array.isArray(v) ? v : [v];
  return list
    .map((item) => {
      if (item && typeof item === 'object') {
        const t = item as Record<string, unknown>;
        return t.key ?? t.Key ?? t.TagKey;
      }
      return item;
    })
    .filter((k) => k !== undefined && k !== null)
    .map(String);
}

function cidr(value: unknown): unknown {
  const v = toStringValue(value);
  return typeof v === 'string' ? v.trim().toLowerCase() : v;
}

function lower(value: unknown): unknown {
  const v = toStringValue(value);
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function upper(value: unknown): unknown {
  const v = toStringValue(value);
  return typeof v === 'string' ? v.toUpperCase() : v;
}

/** Last segment of an ARN or path: arn:aws:iam::1:policy/a/b → b. */
export function arnName(value: unknown): unknown {
  const v = toStringValue(value);
  if (typeof v !== 'string') return v;
  const afterColon = v.startsWith('arn:') ? v.split(':').slice(5).join(':') : v;
  const parts = afterColon.split(/[/:]/);
  return parts[parts.length - 1] || v;
}

/**
 * A Lambda function reference as `name[:qualifier]`, from any form the API takes: a name, a name
 * with a version or alias (`orders:prod`), a partial ARN (`123456789012:function:orders:3`) or a full
 * ARN, qualified or not (`arn:aws:lambda:r:a:function:orders:prod`).
 */
export function lambdaQualifiedName(value: unknown): unknown {
  const v = toStringValue(value);
  if (typeof v !== 'string') return v;
  const parts = v.split(':');
  const at = v.startsWith('arn:') ? 6 : parts[1] === 'function' ? 2 : 0;
  return parts.slice(at, at + 2).join(':') || v;
}

/** The function name alone (what `aws_lambda_function.function_name` holds) from any of those forms. */
export function lambdaFunctionName(value: unknown): unknown {
  const ref = lambdaQualifiedName(value);
  return typeof ref === 'string' ? ref.split(':')[0] : ref;
}

/** The function name when the reference names no version or alias, else null (names no function). */
export function lambdaUnqualifiedName(value: unknown): unknown {
  const ref = lambdaQualifiedName(value);
  return typeof ref === 'string' && ref.includes(':') ? null : ref;
}

/**
 * A log group name from a `logGroupIdentifier` or a tagging `resourceArn` (name or
 * `arn:aws:logs:r:a:log-group:NAME[:*]`; names hold `/`, so not arn-name). An ARN of anything but a
 * log group is null: it names no log group.
 */
export function logGroupName(value: unknown): unknown {
  const v = toStringValue(value);
  if (typeof v !== 'string' || !v.startsWith('arn:')) return v;
  const match = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(:\*)?$/.exec(v);
  return match ? match[1] : null;
}

/** A state block list of one element ([{...}]) compares as the element. */
function single(value: unknown): unknown {
  if (Array.isArray(value) && value.length === 1) return canonical(value[0]);
  return canonical(value ?? null);
}

const PROTOCOLS: Record<string, string> = { all: '-1', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

/**
 * Security group rules as atomic strings `protocol|from|to|source`, one per source, from either
 * CloudTrail `ipPermissions` ({items:[{ipProtocol, fromPort, ipRanges:{items:[{cidrIp}]}, ...}]})
 * or state blocks ([{protocol, from_port, cidr_blocks, security_groups, self, ...}]).
 */
export function ec2Permissions(value: unknown): string[] {
  const itemsOf = (v: unknown): unknown[] => {
    if (Array.isArray(v)) return v;
    if (v && typeof v === 'object' && Array.isArray((v as Record<string, unknown>).items)) {
      return (v as { items: unknown[] }).items;
    }
    // An empty object is CloudTrail's empty list (`"groups": {}`), not one item.
    return v && typeof v === 'object' && Object.keys(v).length > 0 ? [v] : [];
  };
  const field = (r: unknown, key: string): string | undefined => {
    const v = r && typeof r === 'object' ? (r as Record<string, unknown>)[key] : undefined;
    return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  };
  const atoms = new Set<string>();
  for (const raw of itemsOf(value)) {
    if (!raw || typeof raw !== 'object') continue;
    const p = raw as Record<string, unknown>;
    const protocolText = String(p.ipProtocol ?? p.protocol ?? p.ip_protocol ?? '-1').toLowerCase();
    const protocol = PROTOCOLS[protocolText] ?? protocolText;
    const allPorts = protocol === '-1';
    const from = allPorts ? 0 : Number(p.fromPort ?? p.from_port ?? 0);
    const to = allPorts ? 0 : Number(p.toPort ?? p.to_port ?? 0);
    const prefix = `${protocol}|${from}|${to}|`;
    const sources: string[] = [];
    const push = (kind: string, value: string | undefined) => {
      if (value !== undefined) sources.push(`${kind}:${value}`);
    };
    for (const r of itemsOf(p.ipRanges)) push('cidr', field(r, 'cidrIp'));
    for (const r of itemsOf(p.ipv6Ranges)) push('cidr', field(r, 'cidrIpv6')?.toLowerCase());
    for (const r of itemsOf(p.groups)) push('sg', field(r, 'groupId'));
    for (const r of itemsOf(p.prefixListIds)) push('pl', field(r, 'prefixListId'));
    for (const c of itemsOf(p.cidr_blocks)) sources.push(`cidr:${c}`);
    for (const c of itemsOf(p.ipv6_cidr_blocks)) sources.push(`cidr:${String(c).toLowerCase()}`);
    for (const g of itemsOf(p.security_groups)) sources.push(`sg:${g}`);
    for (const l of itemsOf(p.prefix_list_ids)) sources.push(`pl:${l}`);
    // Legacy single-rule form (AuthorizeSecurityGroupIngress with top-level cidrIp).
    if (typeof p.cidrIp === 'string') sources.push(`cidr:${p.cidrIp}`);
    if (typeof p.cidrIpv6 === 'string') sources.push(`cidr:${p.cidrIpv6.toLowerCase()}`);
    if (p.self === true) sources.push('self');
    if (typeof p.cidr_ipv4 === 'string') sources.push(`cidr:${p.cidr_ipv4}`);
    if (typeof p.cidr_ipv6 === 'string') sources.push(`cidr:${p.cidr_ipv6.toLowerCase()}`);
    if (typeof p.referenced_security_group_id === 'string')
      sources.push(`sg:${p.referenced_security_group_id}`);
    if (typeof p.prefix_list_id === 'string') sources.push(`pl:${p.prefix_list_id}`);
    for (const source of sources) atoms.add(prefix + source);
  }
  return [...atoms].sort();
}

/** A one-element list (S3 logs headers as `["private"]`) as its element, then as `string`. */
function scalar(value: unknown): unknown {
  const v = Array.isArray(value) && value.length === 1 ? value[0] : value;
  return toStringValue(v);
}

/**
 * A feature flag where "not set" means off: true / "Enabled" / "true" → true; false, "Disabled",
 * "Suspended", "" and null → false (state keeps "" for an unset S3 MFA delete, events send "Disabled").
 */
function enabled(value: unknown): unknown {
  const v = toBool(scalar(value));
  if (v === true) return true;
  if (v === false || v === null || v === '') return false;
  return v;
}

const ROUTE53_TYPES = 'A|AAAA|CAA|CNAME|DS|HTTPS|MX|NAPTR|NS|PTR|SOA|SPF|SRV|SSHFP|SVCB|TLSA|TXT';
const ROUTE53_NAME_END = new RegExp(`\\.(_(?:${ROUTE53_TYPES})(?:_.*)?)$`);

/**
 * A Route 53 record id as provider v5 stores it (`ZONEID_NAME_TYPE[_SETIDENTIFIER]`) from one built
 * from a CloudTrail change: no `/hostedzone/` prefix, no trailing dot on the name.
 */
export function route53RecordId(value: unknown): unknown {
  const v = toStringValue(value);
  if (typeof v !== 'string') return v;
  return v.replace(/^\/?hostedzone\//, '').replace(ROUTE53_NAME_END, '$1');
}

/** A DNS name compared without case or the trailing root dot (`Example.com.` = `example.com`). */
export function dnsName(value: unknown): unknown {
  const v = toStringValue(value);
  return typeof v === 'string' ? v.toLowerCase().replace(/\.$/, '') : v;
}

/**
 * Route 53 record values as a sorted set, from CloudTrail `resourceRecords` ([{value}]) or state
 * `records` (strings); TXT values compare without their surrounding quotes.
 */
export function dnsValues(value: unknown): unknown {
  const list = stringSet(value);
  if (!Array.isArray(list)) return list;
  return [...new Set(list.map((x) => String(x).replace(/^"(.*)"$/s, '$1')))].sort();
}

/** A comma-separated list ("subnet-a,subnet-b", Auto Scaling's VPCZoneIdentifier) or a list, as a sorted set. */
function commaSet(value: unknown): unknown {
  const v = unwrapValue(value);
  if (typeof v === 'string')
    return stringSet(
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    );
  return stringSet(v);
}

/**
 * The resource part of an ARN, after its type: `arn:aws:ecs:r:a:task-definition/api:41` → `api:41`
 * (compare with a configured `api:41`); a non-ARN passes through.
 */
export function arnResource(value: unknown): unknown {
  const v = toStringValue(value);
  if (typeof v !== 'string' || !v.startsWith('arn:')) return v;
  const resource = v.split(':').slice(5).join(':');
  const cut = resource.search(/[/:]/);
  return cut < 0 ? resource : resource.slice(cut + 1);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** CloudTrail's Java-style dates, in UTC: `Jan 1, 2021 8:00:00 PM` (some services log 24-hour hours with PM). */
const TRAIL_DATE = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?: (AM|PM))?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

/** True when the month (0-based) of that year has the day: Date.UTC and Date.parse roll Feb 30 into March. */
function isCalendarDay(year: number, monthIndex: number, day: number): boolean {
  const lastOfMonth = new Date(0);
  lastOfMonth.setUTCFullYear(year, monthIndex + 1, 0);
  return day >= 1 && day <= lastOfMonth.getUTCDate();
}

/**
 * A point in time as an ISO instant (`2021-01-01T20:00:00.000Z`), from the provider's RFC 3339 text
 * or CloudTrail's `Jan 1, 2021 8:00:00 PM`, so that one instant written two ways compares equal.
 * Anything else, an impossible date or time among it, passes through as text.
 */
export function instant(value: unknown): unknown {
  const v = toStringValue(value);
  if (typeof v !== 'string') return v;
  const trail = TRAIL_DATE.exec(v);
  if (trail) {
    const [, month, day, year, hour, minute, second, half] = trail;
    const monthIndex = MONTHS.indexOf(month);
    let h = Number(hour);
    if (monthIndex < 0 || h > 23 || Number(minute) > 59 || Number(second) > 59) return v;
    if (!isCalendarDay(Number(year), monthIndex, Number(day))) return v;
    if (half && h <= 12) h = (h % 12) + (half === 'PM' ? 12 : 0);
    return new Date(
      Date.UTC(Number(year), monthIndex, Number(day), h, Number(minute), Number(second)),
    ).toISOString();
  }
  if (!ISO_DATE.test(v)) return v;
  if (!isCalendarDay(Number(v.slice(0, 4)), Number(v.slice(5, 7)) - 1, Number(v.slice(8, 10)))) return v;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? v : new Date(ms).toISOString();
}

export const NORMALISERS: Readonly<Record<string, Normaliser>> = {
  string: toStringValue,
  number: toNumber,
  bool: toBool,
  lower,
  upper,
  json,
  'iam-policy': iamPolicy,
  'string-set': stringSet,
  'comma-set': commaSet,
  'tag-map': tagMap,
  'tag-keys': tagKeys,
  cidr,
  'arn-name': arnName,
  'lambda-function-name': lambdaFunctionName,
  'lambda-qualified-name': lambdaQualifiedName,
  'lambda-unqualified-name': lambdaUnqualifiedName,
  'log-group-name': logGroupName,
  'arn-resource': arnResource,
  instant,
  single,
  'ec2-permissions': ec2Permissions,
  'route53-record-id': route53RecordId,
  'dns-name': dnsName,
  'dns-values': dnsValues,
  scalar,
  enabled,
  's3-config': s3Config,
  config: s3Config,
  'ecr-replication': ecrReplication,
  's3-lifecycle-legacy': s3LifecycleLegacy,
  's3-replication-legacy': s3ReplicationLegacy,
  present,
  raw: (v) => canonical(v ?? null),
};

/** Deep equality of normalised values (objects compared by content, key order ignored). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}
