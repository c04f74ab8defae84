// What counts as a secret: real secrets are always redacted; settings about secrets are not.

import { describe, expect, it } from 'vitest';
import { isSecretName, isSensitive, scrubSecrets } from '../../lambdas/core/redact.js';

describe('redaction', () => {
  it.each([
    'password',
    'master_password',
    'auth_token',
    'secret',
    'secret_string',
    'private_key',
    'ses_smtp_password_v4',
    'environment[0].variables.API_KEY',
    'client_secret',
    'tls_private_key_pem',
  ])('treats %s as a secret', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    'instance_type',
    'metadata_options[0].http_tokens',
    'minimum_password_length',
    'password_policy[0].require_symbols',
    'global_endpoint_token_version',
    'no_password_required',
    'secret_id',
    'recovery_window_in_days',
  ])('shows the setting %s', (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  it('redacts what the state lists in sensitive_attributes, by root attribute', () => {
    expect(isSensitive('user_data', new Set(['user_data']))).toBe(true);
    expect(isSensitive('connection[0].host', new Set(['connection']))).toBe(true);
    expect(isSensitive('instance_type', new Set(['user_data']))).toBe(false);
  });

  it('scrubs secret-named fields of a raw CloudTrail record at any depth, keeping identifiers', () => {
    const raw = {
      eventName: 'ModifyDBInstance',
      requestParameters: {
        dBInstanceIdentifier: 'db1',
        masterUserPassword: 'hunter2',
        nested: [{ authToken: 'abc' }],
      },
      responseElements: { secretId: 'prod/db' },
    };
    const scrubbed = scrubSecrets(raw);
    expect(JSON.stringify(scrubbed)).not.toContain('hunter2');
    expect(JSON.stringify(scrubbed)).not.toContain('"abc"');
    expect(scrubbed.requestParameters.dBInstanceIdentifier).toBe('db1');
    expect(scrubbed.responseElements.secretId).toBe('prod/db');
    expect(raw.requestParameters.masterUserPassword).toBe('hunter2');
  });
});
