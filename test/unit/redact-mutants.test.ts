// Redaction (lambdas/core/redact.ts): the secret-name and setting-name lists and the record scrubber,
// for the behaviours a mutation run found untested (npx stryker run --mutate lambdas/core/redact.ts).

import { describe, expect, it } from 'vitest';
import { isSecretName, isSensitive, scrubSecrets } from '../../lambdas/core/redact.js';

describe('secret names', () => {
  it('names every kind of secret, with or without underscores, in any case', () => {
    const secrets = [
      'password',
      'Passwd',
      'passphrase',
      'client_secret',
      'private_key',
      'privatekey',
      'token',
      'credentials',
      'api_key',
      'ApiKey',
      'key_material',
      'connection_string',
      'auth_string',
      'authstring',
      'sasl_password',
      'ssh_key',
      'master_password',
    ];
    for (const name of secrets) expect([name, isSecretName(name)]).toEqual([name, true]);
  });

  it('lets through the settings about secrets, in snake and camel case', () => {
    const settings = [
      'http_tokens',
      'HttpTokens',
      'minimum_password_length',
      'MinimumPasswordLength',
      'password_reuse_prevention',
      'PasswordReusePrevention',
      'max_password_age',
      'MaxPasswordAge',
      'allow_users_to_change_password',
      'AllowUsersToChangePassword',
      'password_policy',
      'passwordPolicy',
      'password_reset_required',
      'PasswordResetRequired',
      'password_last_used',
      'PasswordLastUsed',
      'temporary_password_validity_days',
      'TemporaryPasswordValidityDays',
      'access_token_validity',
      'AccessTokenValidity',
      'id_token_validity',
      'refresh_token_validity',
      'token_validity_units',
      'TokenValidityUnits',
      'token_version',
      'TokenVersion',
      'secret_id',
      'SecretArn',
      'secret_name',
      'secret_rotation',
      'SecretRotation',
      'no_password_required',
      'NoPasswordRequired',
    ];
    for (const name of settings) expect([name, isSecretName(name)]).toEqual([name, false]);
  });

  it('a secret beside a setting in one path is still a secret', () => {
    expect(isSecretName('password_policy.password')).toBe(true);
    expect(isSecretName('password_policy.minimum_password_length')).toBe(false);
  });

  it('a secret-named attribute is sensitive without being listed; others only when listed', () => {
    expect(isSensitive('password', new Set())).toBe(true);
    expect(isSensitive('user_data', new Set())).toBe(false);
    expect(isSensitive('user_data[0]', new Set(['user_data']))).toBe(true);
  });
});

describe('scrubSecrets', () => {
  it('replaces secret-named values, keeps null and missing ones and idempotency tokens', () => {
    const out = scrubSecrets({ password: 'p', token: null, apiKey: undefined, clientToken: 'c', name: 'n' });
    expect(out).toEqual({
      password: '(sensitive)',
      token: null,
      apiKey: undefined,
      clientToken: 'c',
      name: 'n',
    });
    // A field with no value keeps no value (not a '(sensitive)' that suggests there was one).
    expect(Object.hasOwn(out, 'apiKey')).toBe(true);
    expect(out.apiKey).toBeUndefined();
  });

  it('keeps arrays as arrays while scrubbing inside them', () => {
    expect(scrubSecrets([{ secret: 's' }, 1])).toEqual([{ secret: '(sensitive)' }, 1]);
    expect(Array.isArray(scrubSecrets([1]))).toBe(true);
  });

  it('cuts a value nested deeper than 64 levels, and keeps one at 64', () => {
    const nest = (levels: number) => {
      let v: unknown = 'deep';
      for (let i = 0; i < levels; i++) v = [v];
      return v;
    };
    const innermost = (v: unknown): unknown => (Array.isArray(v) ? innermost(v[0]) : v);
    expect(innermost(scrubSecrets(nest(64)))).toBe('deep');
    expect(innermost(scrubSecrets(nest(65)))).toBe('(sensitive)');
  });

  it('counts depth through objects too', () => {
    const nest = (levels: number) => {
      let v: unknown = 'deep';
      for (let i = 0; i < levels; i++) v = { k: v };
      return v;
    };
    const innermost = (v: unknown): unknown =>
      v && typeof v === 'object' ? innermost((v as { k: unknown }).k) : v;
    expect(innermost(scrubSecrets(nest(64)))).toBe('deep');
    expect(innermost(scrubSecrets(nest(65)))).toBe('(sensitive)');
  });
});
