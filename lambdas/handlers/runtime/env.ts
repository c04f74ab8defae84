// Lambda configuration comes from environment variables set by the stack; a missing one fails the
// cold start at once (with the variable's name) instead of the first request much later.

export class MissingEnvError extends Error {
  override readonly name = 'MissingEnvError';
}

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '')
    throw new MissingEnvError(`environment variable ${name} is not set`);
  return value;
}

export function jsonEnv<T>(name: string, env: NodeJS.ProcessEnv = process.env): T {
  const text = requireEnv(name, env);
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new MissingEnvError(`environment variable ${name} is not valid JSON: ${(error as Error).message}`);
  }
}

export function numberEnv(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new MissingEnvError(`environment variable ${name} must be a number`);
  return value;
}

/** A variable the stack sets only when a feature is deployed: undefined when unset or empty. */
export function optionalEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}
