// Secrets in state never leave the core: values of sensitive or secret-named attributes are replaced
// by "(sensitive)" before a finding is built, and secret-named fields are scrubbed from raw events.

import { SENSITIVE } from './types.js';

const SECRET_NAME =
  /(password|passwd|passphrase|secret|private_?key|token|credential|api_?key|key_material|connection_string|auth_?string|sasl|ssh_key)/i;

// Names that match SECRET_NAME but hold settings about secrets, not secrets: IMDSv2's `http_tokens`
// ("required"/"optional"), password policies (lengths, ages, reuse), token lifetimes, and the
// names/ARNs of Secrets Manager secrets. Showing their values is what makes the drift useful. Only
// the secret word needs clearing: `access_token_validity` is shown once `token_validity` is gone.
const NOT_SECRET_NAMES =
  /http_?tokens|minimum_?password_?length|password_?reuse_?prevention|max_?password_?age|allow_?users_?to_?change_?password|password_?policy|password_?reset_?required|password_?last_?used|temporary_?password_?validity_?days|token_?validity|token_?version|secret_?(id|arn|name)|secret_?rotation|no_?password_?required/gi;

/** True when an attribute path (any segment) names a secret. */
export function isSecretName(attributePath: string): boolean {
  return SECRET_NAME.test(attributePath.replace(NOT_SECRET_NAMES, ''));
}

/** True when the attribute is listed in the resource's sensitive set or is secret-named. */
export function isSensitive(attributePath: string, sensitive: ReadonlySet<string>): boolean {
  if (isSecretName(attributePath)) return true;
  const root = attributePath.split(/[.[]/)[0];
  return sensitive.has(root);
}

/** A copy of a CloudTrail record (or any JSON) with secret-named fields' values replaced. */
export function scrubSecrets<T>(value: T, depth = 0): T {
  if (depth > 64) return SENSITIVE as T;
  if (Array.isArray(value)) return value.map((v) => scrubSecrets(v, depth + 1)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const secret = v !== null && v !== undefined && isSecretName(k) && !IDENTITY_FIELDS.has(k);
      out[k] = secret ? SENSITIVE : scrubSecrets(v, depth + 1);
    }
    return out as T;
  }
  return value;
}

// CloudTrail fields whose names look secret but hold identifiers: an idempotency token (a secret's id,
// ARN and name are cleared by NOT_SECRET_NAMES already).
const IDENTITY_FIELDS = new Set(['clientToken']);
