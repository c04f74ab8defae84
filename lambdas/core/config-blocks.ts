// Whole-configuration calls (S3 PutBucketLifecycle, PutBucketCors, PutBucketReplication, ...; ECR's
// PutReplicationConfiguration, CloudTrail's PutInsightSelectors in camelCase JSON) log
// their XML body as JSON: PascalCase elements, one element as an object and several as a list, an
// empty element as "". The provider's state keeps the same configuration as snake_case block lists
// with every unset field present ("" / null / [] / 0 / false). These normalisers bring both to one
// canonical form so a call that sets the state's configuration compares equal and a changed one
// shows both sides in the provider's attribute names.

import { compareText } from './text-order.js';
import { canonical, tagMap } from './values.js';

/** XML element names whose provider attribute is not their snake_case form. */
const RENAMES: Readonly<Record<string, string>> = {
  // CORS: one element per value in XML, a set attribute in the provider.
  AllowedOrigin: 'allowed_origins',
  AllowedMethod: 'allowed_methods',
  AllowedHeader: 'allowed_headers',
  ExposeHeader: 'expose_headers',
  // Event notifications (aws_s3_bucket_notification queue/topic/lambda_function blocks).
  Queue: 'queue_arn',
  Topic: 'topic_arn',
  CloudFunction: 'lambda_function_arn',
  Event: 'events',
};

/** Set attributes of the provider: one XML element logs as a scalar, the state holds a list. */
const LIST_KEYS = new Set([
  'allowed_origins',
  'allowed_methods',
  'allowed_headers',
  'expose_headers',
  'events',
]);

/**
 * Fields the provider stores as 0 when unset (an unset XML element): object size bounds, CORS max
 * age, replication priority, the legacy abort days; an expiration by date stores `days = 0`.
 */
const ZERO_IS_UNSET = new Set([
  'object_size_greater_than',
  'object_size_less_than',
  'newer_noncurrent_versions',
  'max_age_seconds',
  'priority',
  'abort_incomplete_multipart_upload_days',
  'expiration.days',
  'noncurrent_version_expiration.days',
]);

/** `KMSMasterKeyID` → `kms_master_key_id`, `SSEAlgorithm` → `sse_algorithm`, `id` → `id`. */
export function snakeCase(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Fields that are text even when they read as a number (a tag value "1", a rule id "7", an account). */
const TEXT_KEYS = new Set(['id', 'key', 'value', 'prefix', 'filter_prefix', 'filter_suffix']);

/** A number written as text is the number (XML bodies are text); only the canonical form converts. */
function scalarValue(v: string | number | boolean, key: string): unknown {
  if (v === '' || v === false) return undefined;
  const text = TEXT_KEYS.has(key) || /(_id|_arn|account)$/.test(key);
  const numeric = typeof v === 'string' && !text && /^-?\d+$/.test(v) && String(Number(v)) === v;
  const n = numeric ? Number(v) : v;
  if (n === 0 && ZERO_IS_UNSET.has(key)) return undefined;
  return n;
}

/** Tags of a filter: provider map, XML `[{Key, Value}]`, or one `{Key, Value}` element. */
function filterTags(v: unknown): Record<string, string> | undefined {
  const tags = isObject(v) && 'Key' in v ? tagMap([v]) : tagMap(v);
  return Object.keys(tags).length > 0 ? (canonical(tags) as Record<string, string>) : undefined;
}

/**
 * The canonical form: snake_case keys, unset fields (null, "", [], {}, false, a default 0, the XML
 * namespace) left out, every block a list (XML's one element and the provider's one-block list
 * alike), scalar lists as sorted sets with one value as the value itself. Undefined = unset.
 */
function configValue(
  value: unknown,
  key: string,
  parent: string,
  renames: Readonly<Record<string, string>> = RENAMES,
): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    const inContext = parent && ZERO_IS_UNSET.has(`${parent}.${key}`) ? `${parent}.${key}` : key;
    return scalarValue(value, inContext);
  }
  if (Array.isArray(value)) {
    const items = value
      .map((item) => configValue(item, key, parent, renames))
      .filter((item) => item !== undefined)
      .map((item) => (Array.isArray(item) && item.length === 1 && isObject(item[0]) ? item[0] : item));
    if (items.length === 0) return undefined;
    if (items.every((item) => !isObject(item) && !Array.isArray(item))) {
      const set = [...new Set(items.map((item) => JSON.stringify(item)))].sort().map((s) => JSON.parse(s));
      return set.length === 1 ? set[0] : set;
    }
    return items
      .map((item) => canonical(item))
      .sort((a, b) => compareText(JSON.stringify(a), JSON.stringify(b)));
  }
  if (!isObject(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === 'xmlns') continue;
    // Notification filters: XML `Filter.S3Key.FilterRule[{Name: prefix|suffix, Value}]`, provider
    // `filter_prefix` / `filter_suffix` beside the destination.
    if (k === 'Filter' && isObject(v) && 'S3Key' in v) {
      const s3Key = v.S3Key;
      const rules = isObject(s3Key) ? s3Key.FilterRule : undefined;
      for (const rule of [rules ?? []].flat()) {
        if (!isObject(rule) || typeof rule.Name !== 'string') continue;
        const text = scalarValue(String(rule.Value ?? ''), 'filter_prefix');
        if (text !== undefined) out[`filter_${rule.Name.toLowerCase()}`] = text;
      }
      continue;
    }
    const name = renames[k] ?? (key === 'and' && k === 'Tag' ? 'tags' : snakeCase(k));
    if (name === 'tags') {
      const tags = filterTags(v);
      if (tags) out.tags = tags;
      continue;
    }
    const c = configValue(v, name, key, renames);
    if (c === undefined) continue;
    out[name] = isObject(c) || (LIST_KEYS.has(name) && !Array.isArray(c)) ? [c] : c;
  }
  return Object.keys(out).length > 0 ? canonical(out) : undefined;
}

/** Blocks of a configuration (state block list or the call's XML element) in canonical form. */
export function s3Config(value: unknown): unknown {
  return configBlocks(value, RENAMES);
}

function configBlocks(value: unknown, renames: Readonly<Record<string, string>>): unknown {
  const c = configValue(value, '', '', renames);
  if (c === undefined) return null;
  return isObject(c) ? [c] : c;
}

/**
 * ECR's registry replication (PutReplicationConfiguration, camelCase JSON with plural list names)
 * against `aws_ecr_replication_configuration.replication_configuration`.
 */
export function ecrReplication(value: unknown): unknown {
  return configBlocks(value, {
    rules: 'rule',
    destinations: 'destination',
    repositoryFilters: 'repository_filter',
  });
}

const list = (v: unknown): unknown[] => (v === undefined || v === null || v === '' ? [] : [v].flat());
const field = (v: unknown, key: string): unknown => (isObject(v) ? v[key] : undefined);
const hasXmlKeys = (v: unknown): boolean =>
  list(v).some((item) => isObject(item) && Object.keys(item).some((k) => /^[A-Z]/.test(k)));

/**
 * Lifecycle rules of provider v3's inline `aws_s3_bucket.lifecycle_rule` (enabled flag, prefix and
 * tags flat on the rule, `days` for noncurrent versions) from the call's `LifecycleConfiguration.Rule`;
 * the state's blocks pass through. Both in s3Config's canonical form.
 */
export function s3LifecycleLegacy(value: unknown): unknown {
  if (!hasXmlKeys(value)) return s3Config(value);
  const rules = list(value).map((rule) => {
    const filter = field(rule, 'Filter');
    const and = field(filter, 'And');
    return {
      id: field(rule, 'ID'),
      prefix: field(rule, 'Prefix') ?? field(filter, 'Prefix') ?? field(and, 'Prefix'),
      enabled: field(rule, 'Status') === 'Enabled',
      tags: filterTags(field(filter, 'Tag') ?? field(and, 'Tag')),
      abort_incomplete_multipart_upload_days: field(
        field(rule, 'AbortIncompleteMultipartUpload'),
        'DaysAfterInitiation',
      ),
      expiration: list(field(rule, 'Expiration')).map((e) => ({
        date: field(e, 'Date'),
        days: field(e, 'Days'),
        expired_object_delete_marker: field(e, 'ExpiredObjectDeleteMarker'),
      })),
      transition: list(field(rule, 'Transition')).map((t) => ({
        date: field(t, 'Date'),
        days: field(t, 'Days'),
        storage_class: field(t, 'StorageClass'),
      })),
      noncurrent_version_expiration: list(field(rule, 'NoncurrentVersionExpiration')).map((e) => ({
        days: field(e, 'NoncurrentDays'),
      })),
      noncurrent_version_transition: list(field(rule, 'NoncurrentVersionTransition')).map((t) => ({
        days: field(t, 'NoncurrentDays'),
        storage_class: field(t, 'StorageClass'),
      })),
    };
  });
  return s3Config(rules);
}

/**
 * Provider v3's inline `aws_s3_bucket.replication_configuration` (`[{role, rules}]`, rules with
 * `delete_marker_replication_status`, destination `account_id` and `replica_kms_key_id`) from the
 * call's whole `ReplicationConfiguration`; the state's block passes through.
 */
export function s3ReplicationLegacy(value: unknown): unknown {
  if (!isObject(value) || !('Rule' in value || 'Role' in value)) return s3Config(value);
  const rules = list(value.Rule).map((rule) => {
    const filter = field(rule, 'Filter');
    const and = field(filter, 'And');
    const destination = field(rule, 'Destination');
    const sse = field(field(rule, 'SourceSelectionCriteria'), 'SseKmsEncryptedObjects');
    return {
      id: field(rule, 'ID'),
      priority: field(rule, 'Priority'),
      prefix: field(rule, 'Prefix'),
      status: field(rule, 'Status'),
      delete_marker_replication_status: field(field(rule, 'DeleteMarkerReplication'), 'Status'),
      filter:
        filter === undefined || filter === ''
          ? []
          : [
              {
                prefix: field(filter, 'Prefix') ?? field(and, 'Prefix'),
                tags: filterTags(field(filter, 'Tag') ?? field(and, 'Tag')),
              },
            ],
      destination: list(destination).map((d) => ({
        bucket: field(d, 'Bucket'),
        storage_class: field(d, 'StorageClass'),
        account_id: field(d, 'Account'),
        replica_kms_key_id: field(field(d, 'EncryptionConfiguration'), 'ReplicaKmsKeyID'),
        access_control_translation: list(field(d, 'AccessControlTranslation')).map((a) => ({
          owner: field(a, 'Owner'),
        })),
      })),
      source_selection_criteria: sse
        ? [{ sse_kms_encrypted_objects: [{ enabled: field(sse, 'Status') === 'Enabled' }] }]
        : [],
    };
  });
  return s3Config([{ role: value.Role, rules }]);
}

/** True when the element is present (`<EventBridgeConfiguration/>` logs as "" or {}); state booleans as is. */
export function present(value: unknown): unknown {
  if (typeof value === 'boolean') return value;
  return value !== null && value !== undefined;
}
