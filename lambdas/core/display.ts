// How people read values: API-versioned event names without their version suffix, and
// security-group rule atoms (tcp|22|22|cidr:0.0.0.0/0, the form the engine compares) as words.
// Display only: the JSON contract keeps the raw values.

/** UpdateFunctionConfiguration20150331v2 → UpdateFunctionConfiguration; TagResource2020_05_31 → TagResource. */
export function displayEventName(name: string): string {
  const bare = name.replace(/(?:\d{8}(?:v\d+)?|\d{4}_\d{2}_\d{2})$/, '');
  return bare === '' ? name : bare;
}

const RULE_ATOM = /^(-1|[a-z0-9]+)\|(-?\d+)\|(-?\d+)\|(cidr|sg|pl):(.+)$/;
const SOURCE_WORD: Record<string, string> = { cidr: '', sg: 'security group ', pl: 'prefix list ' };

/** One rule atom as words ("tcp 22 from 0.0.0.0/0"); null when the text is not one. */
export function ruleAtomText(atom: string): string | null {
  const m = RULE_ATOM.exec(atom);
  if (!m) return null;
  const [, protocol, from, to, kind, source] = m;
  const where = `from ${SOURCE_WORD[kind]}${source}`;
  if (protocol === '-1') return `all traffic ${where}`;
  if (protocol === 'icmp' || protocol === 'icmpv6') return `${protocol} ${where}`;
  const ports = from === to ? from : from === '0' && to === '65535' ? 'all ports' : `${from}-${to}`;
  return `${protocol} ${ports} ${where}`;
}

/**
 * A value as a person reads it: a list of security-group rule atoms becomes "tcp 22 from
 * 0.0.0.0/0, udp 53 from 10.0.0.0/8" ("none" when empty); anything else is returned unchanged.
 */
export function displayValue(value: unknown): unknown {
  if (typeof value === 'string') return ruleAtomText(value) ?? value;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && RULE_ATOM.test(v))) return value;
  return value.length === 0 ? value : value.map((v) => ruleAtomText(v as string)).join(', ');
}

/**
 * A value for a side-by-side or line diff: a list of security-group rule atoms becomes the list of
 * their readable texts (one per line in a diff), a single atom its text; anything else unchanged.
 */
export function displayItems(value: unknown): unknown {
  if (typeof value === 'string') return ruleAtomText(value) ?? value;
  if (!Array.isArray(value) || value.length === 0) return value;
  if (!value.every((v) => typeof v === 'string' && RULE_ATOM.test(v))) return value;
  return value.map((v) => ruleAtomText(v as string));
}
