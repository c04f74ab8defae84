// Detector configuration: who and what to ignore (in the spirit of driftctl's .driftignore).

import { ConfigError } from './errors.js';
import { SEVERITIES, type Severity } from './types.js';

export interface DetectConfig {
  /** Principal ARN globs whose calls are never drift (e.g. a break-glass automation role). */
  readonly ignorePrincipals: readonly string[];
  /** Principal ARN globs of Terraform's own CI roles: their calls are Terraform's, never drift. */
  readonly terraformPrincipals: readonly string[];
  /** Resource address globs (`module.legacy.*`), type globs (`aws_cloudwatch_log_group`) or `type:id`. */
  readonly ignoreResources: readonly string[];
  /** Attribute globs as `type.attribute` or `address.attribute` (`aws_instance.tags.LastScan`). */
  readonly ignoreAttributes: readonly string[];
  /** Event name globs (`ModifyInstanceAttribute`) or `source:name`. */
  readonly ignoreEvents: readonly string[];
  /** Per-rule severity overrides. */
  readonly severityOverrides: Readonly<Record<string, Severity>>;
  /**
   * Changes AWS services make through service-linked roles (Auto Scaling, Application Auto Scaling):
   * `low` is no drift when Terraform manages the scaling configuration of the resource, else a low
   * finding labelled service-driven; `ignore` never reports them; `report` treats them as anyone's.
   * @default 'low'
   */
  readonly serviceChanges?: ServiceChanges;
}

export type ServiceChanges = 'low' | 'ignore' | 'report';
const SERVICE_CHANGES: readonly ServiceChanges[] = ['low', 'ignore', 'report'];

export const DEFAULT_CONFIG: DetectConfig = {
  ignorePrincipals: [],
  terraformPrincipals: [],
  ignoreResources: [],
  ignoreAttributes: [],
  ignoreEvents: [],
  severityOverrides: {},
};

const globCache = new Map<string, RegExp>();

/** `*` matches any run of characters, `?` one character; everything else is literal. */
export function globMatch(glob: string, value: string): boolean {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.+()|[\]{}]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 's');
    globCache.set(glob, re);
  }
  return re.test(value);
}

export function anyGlob(
  globs: readonly string[],
  ...values: (string | null | undefined)[]
): string | undefined {
  for (const glob of globs) {
    for (const value of values) if (value && globMatch(glob, value)) return glob;
  }
  return undefined;
}

function stringList(input: Record<string, unknown>, field: string, where: string): string[] {
  const value = input[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new ConfigError(`${where}: "${field}" must be a list of strings`);
  }
  return value as string[];
}

/**
 * Builds a config from a parsed YAML/JSON object:
 * `{ignore: {principals, resources, attributes, events}, terraformPrincipals, severity: {ruleId: level}}`.
 */
export function parseConfig(input: unknown, where = 'config'): DetectConfig {
  if (input === null || input === undefined) return DEFAULT_CONFIG;
  if (typeof input !== 'object' || Array.isArray(input)) throw new ConfigError(`${where}: must be a mapping`);
  const root = input as Record<string, unknown>;
  const known = new Set(['ignore', 'terraformPrincipals', 'severity', 'serviceChanges']);
  for (const field of Object.keys(root)) {
    if (!known.has(field)) {
      throw new ConfigError(`${where}: unknown field "${field}" (known: ${[...known].join(', ')})`);
    }
  }
  const ignore = (root.ignore ?? {}) as Record<string, unknown>;
  if (typeof ignore !== 'object' || Array.isArray(ignore)) {
    throw new ConfigError(`${where}: "ignore" must be a mapping`);
  }
  const ignoreKnown = new Set(['principals', 'resources', 'attributes', 'events']);
  for (const field of Object.keys(ignore)) {
    if (!ignoreKnown.has(field)) {
      throw new ConfigError(
        `${where}: unknown field "ignore.${field}" (known: ${[...ignoreKnown].join(', ')})`,
      );
    }
  }
  const severity = (root.severity ?? {}) as Record<string, unknown>;
  if (typeof severity !== 'object' || Array.isArray(severity)) {
    throw new ConfigError(`${where}: "severity" must map rule ids to levels`);
  }
  for (const [rule, level] of Object.entries(severity)) {
    if (!SEVERITIES.includes(level as Severity)) {
      throw new ConfigError(`${where}: severity of "${rule}" must be one of ${SEVERITIES.join(', ')}`);
    }
  }
  const serviceChanges = root.serviceChanges;
  if (serviceChanges !== undefined && !SERVICE_CHANGES.includes(serviceChanges as ServiceChanges)) {
    throw new ConfigError(`${where}: "serviceChanges" must be one of ${SERVICE_CHANGES.join(', ')}`);
  }
  return {
    ...(serviceChanges ? { serviceChanges: serviceChanges as ServiceChanges } : {}),
    ignorePrincipals: stringList(ignore, 'principals', `${where}: ignore`),
    terraformPrincipals: stringList(root, 'terraformPrincipals', where),
    ignoreResources: stringList(ignore, 'resources', `${where}: ignore`),
    ignoreAttributes: stringList(ignore, 'attributes', `${where}: ignore`),
    ignoreEvents: stringList(ignore, 'events', `${where}: ignore`),
    severityOverrides: severity as Record<string, Severity>,
  };
}

/** Adds command-line principals to a config. */
export function withIgnoredPrincipals(config: DetectConfig, principals: readonly string[]): DetectConfig {
  if (principals.length === 0) return config;
  return { ...config, ignorePrincipals: [...config.ignorePrincipals, ...principals] };
}
