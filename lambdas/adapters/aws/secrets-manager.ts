// Secrets read at run time from Secrets Manager (a webhook's signing secret): never in the template,
// the environment or a log. A value is cached for a few minutes per container, so a burst of drifts
// costs one GetSecretValue, and a rotated secret is picked up without a redeploy.

import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';

export interface SecretReader {
  /** The secret's current string value. Throws, naming the secret (never its value), when unreadable. */
  value(secretArn: string): Promise<string>;
}

export interface SecretsManagerSecretsOptions {
  /** How long a value is reused. @default 300000 ms (5 minutes) */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export class SecretsManagerSecrets implements SecretReader {
  private readonly cache = new Map<string, { value: Promise<string>; until: number }>();

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly options: SecretsManagerSecretsOptions = {},
  ) {}

  value(secretArn: string): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    const cached = this.cache.get(secretArn);
    if (cached && cached.until > now) return cached.value;
    const value = this.read(secretArn);
    this.cache.set(secretArn, { value, until: now + (this.options.ttlMs ?? 300_000) });
    // A failed read is not cached: the next delivery asks again.
    value.catch(() => this.cache.delete(secretArn));
    return value;
  }

  private async read(secretArn: string): Promise<string> {
    let answer: GetSecretValueCommandOutput;
    try {
      answer = await this.client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    } catch (error) {
      throw new Error(`secret ${secretArn} could not be read: ${(error as Error).name}`);
    }
    const text = answer.SecretString;
    if (!text) throw new Error(`secret ${secretArn} has no string value`);
    return text;
  }
}
