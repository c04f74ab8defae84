// Errors the core raises for bad input. Each message names the file/field/event and says what to do.

/** An input (event, log file, request body) that is not what it claims to be. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** A state file that cannot be used (invalid JSON, unsupported version, ...). */
export class StateError extends Error {
  override readonly name = 'StateError';
}

/** A rule file that does not follow the rule format. */
export class RuleError extends Error {
  override readonly name = 'RuleError';
}

/** A configuration (ignore file, settings) that does not follow its format. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * The message of an error met while reading one record: V8's "Maximum call stack size exceeded"
 * (a record nested tens of thousands of levels deep, which only a hostile sender makes) is said in
 * the user's terms.
 */
export function recordErrorMessage(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message))
    return 'not a CloudTrail record: nested too deeply to read';
  return error instanceof Error ? error.message : String(error);
}
