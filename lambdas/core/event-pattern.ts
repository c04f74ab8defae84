// An Amazon EventBridge event-pattern matcher, so that tests and the local mode filter events exactly
// as the bus would. Semantics follow the EventBridge user guide ("Event patterns", "Content
// filtering", "Arrays", "Null values"): every field named in the pattern must match (AND), the values
// listed for a field are alternatives (OR), and when the event holds an array any element may match.
// No library does this in JavaScript (DESIGN.md §7), hence this small one.

/** One alternative in a field's list: an exact value or an operator object such as {"prefix": "us-"}. */
export type PatternLeaf = string | number | boolean | null | { readonly [operator: string]: unknown };

/** A pattern: field names mapped to a list of alternatives or to a nested pattern; `$or` holds patterns. */
export interface EventPattern {
  readonly [field: string]: readonly PatternLeaf[] | EventPattern;
}

/** True when `event` matches `pattern`. Never throws: an invalid part of a pattern matches nothing. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return matchObject(pattern, event);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matchObject(pattern: EventPattern, node: unknown): boolean {
  const obj = isObject(node) ? node : undefined;
  for (const key in pattern) {
    const spec = pattern[key];
    if (key === '$or') {
      if (
        !Array.isArray(spec) ||
        !spec.some((alt) => isObject(alt) && matchObject(alt as EventPattern, node))
      ) {
        return false;
      }
      continue;
    }
    const value = obj === undefined ? undefined : Object.hasOwn(obj, key) ? obj[key] : undefined;
    if (Array.isArray(spec)) {
      if (!matchField(spec, value)) return false;
    } else if (isObject(spec)) {
      if (!matchNested(spec as EventPattern, value)) return false;
    } else {
      return false;
    }
  }
  return true;
}

// A nested pattern applies to an object, or to any object element of an array (array consistency:
// all of the sub-pattern's fields must match within the same element). A missing or non-object
// value is matched as an empty object, so `exists: false` underneath still holds.
function matchNested(pattern: EventPattern, value: unknown): boolean {
  if (Array.isArray(value)) {
    let sawObject = false;
    for (const item of value) {
      if (isObject(item)) {
        sawObject = true;
        if (matchObject(pattern, item)) return true;
      }
    }
    return sawObject ? false : matchObject(pattern, undefined);
  }
  return matchObject(pattern, isObject(value) ? value : undefined);
}

type Leaf = string | number | boolean | null;

// The leaf values at a field: a scalar, the scalars of an array (nested arrays flattened), or none
// (absent, or an object: exists matching only works on leaf nodes).
function leavesOf(value: unknown, out: Leaf[] = []): Leaf[] {
  if (value === undefined || isObject(value)) return out;
  if (Array.isArray(value)) {
    for (const item of value) leavesOf(item, out);
    return out;
  }
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  ) {
    out.push(value);
  }
  return out;
}

function matchField(alternatives: readonly unknown[], value: unknown): boolean {
  const leaves = leavesOf(value);
  for (const alt of alternatives) {
    if (isObject(alt) && 'exists' in alt) {
      if (alt.exists === true && leaves.length > 0) return true;
      if (alt.exists === false && leaves.length === 0) return true;
      continue;
    }
    for (const leaf of leaves) if (matchLeaf(alt, leaf)) return true;
  }
  return false;
}

function matchLeaf(alt: unknown, leaf: Leaf): boolean {
  if (!isObject(alt)) return alt === leaf;
  const keys = Object.keys(alt);
  if (keys.length !== 1) return false;
  const op = keys[0];
  const arg = alt[op];
  switch (op) {
    case 'prefix':
      return typeof leaf === 'string' && affix(arg, leaf, 'prefix');
    case 'suffix':
      return typeof leaf === 'string' && affix(arg, leaf, 'suffix');
    case 'equals-ignore-case':
      return typeof leaf === 'string' && typeof arg === 'string' && leaf.toLowerCase() === arg.toLowerCase();
    case 'wildcard':
      return typeof leaf === 'string' && typeof arg === 'string' && wildcardMatch(arg, leaf);
    case 'anything-but':
      return anythingBut(arg, leaf);
    case 'numeric':
      return typeof leaf === 'number' && Array.isArray(arg) && numericMatch(arg, leaf);
    case 'cidr':
      return typeof leaf === 'string' && typeof arg === 'string' && cidrMatch(arg, leaf);
    default:
      return false;
  }
}

// prefix/suffix take a string or {"equals-ignore-case": string}.
function affix(arg: unknown, value: string, kind: 'prefix' | 'suffix'): boolean {
  let needle: string;
  let text = value;
  if (typeof arg === 'string') needle = arg;
  else if (isObject(arg) && typeof arg['equals-ignore-case'] === 'string') {
    needle = arg['equals-ignore-case'].toLowerCase();
    text = value.toLowerCase();
  } else return false;
  return kind === 'prefix' ? text.startsWith(needle) : text.endsWith(needle);
}

function anythingBut(arg: unknown, leaf: Leaf): boolean {
  if (Array.isArray(arg)) return !arg.some((v) => v === leaf);
  if (!isObject(arg)) return arg !== leaf;
  if (typeof leaf !== 'string') return false;
  const keys = Object.keys(arg);
  if (keys.length !== 1) return false;
  const inner = arg[keys[0]];
  const list = Array.isArray(inner) ? inner : [inner];
  if (!list.every((v) => typeof v === 'string')) return false;
  switch (keys[0]) {
    case 'prefix':
      return !list.some((p) => leaf.startsWith(p));
    case 'suffix':
      return !list.some((s) => leaf.endsWith(s));
    case 'equals-ignore-case': {
      const lower = leaf.toLowerCase();
      return !list.some((v) => v.toLowerCase() === lower);
    }
    case 'wildcard':
      return !list.some((w) => wildcardMatch(w, leaf));
    default:
      return false;
  }
}

/** `*` matches any run of characters (including none); `\*` is a literal star, `\\` a backslash. */
export function wildcardMatch(pattern: string, value: string): boolean {
  const parts = splitWildcard(pattern);
  if (parts.length === 1) return value === parts[0];
  const first = parts[0];
  const last = parts[parts.length - 1];
  if (value.length < first.length + last.length) return false;
  if (!value.startsWith(first) || !value.endsWith(last)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = value.indexOf(parts[i], at);
    if (found < 0 || found + parts[i].length > end) return false;
    at = found + parts[i].length;
  }
  return true;
}

// The literal pieces between unescaped stars.
function splitWildcard(pattern: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) {
      current += pattern[++i];
    } else if (ch === '*') {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

const NUMERIC_OPS = new Set(['<', '<=', '=', '>', '>=']);

function numericMatch(args: readonly unknown[], value: number): boolean {
  if (args.length === 0 || args.length % 2 !== 0) return false;
  for (let i = 0; i < args.length; i += 2) {
    const op = args[i];
    const bound = args[i + 1];
    if (typeof op !== 'string' || !NUMERIC_OPS.has(op) || typeof bound !== 'number') return false;
    const ok =
      op === '<'
        ? value < bound
        : op === '<='
          ? value <= bound
          : op === '='
            ? value === bound
            : op === '>'
              ? value > bound
              : value >= bound;
    if (!ok) return false;
  }
  return true;
}

// ---- CIDR (IPv4 and IPv6) ----

/** The address as 4 (IPv4) or 16 (IPv6) bytes, or null when it is not an IP address. */
export function parseIp(text: string): number[] | null {
  return text.includes(':') ? parseIpv6(text) : parseIpv4(text);
}

function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    bytes.push(n);
  }
  return bytes;
}

function parseIpv6(text: string): number[] | null {
  let head = text;
  let tail: number[] = [];
  // An embedded IPv4 tail (::ffff:10.0.0.1) stands for the last two groups.
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) > 0) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return null;
    tail = v4;
    head = text.slice(0, text[lastColon - 1] === ':' ? lastColon + 1 : lastColon);
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const left = groups(halves[0]);
  const right = halves.length === 2 ? groups(halves[1]) : [];
  if (!left || !right) return null;
  const wanted = tail.length > 0 ? 6 : 8;
  let words: number[];
  if (halves.length === 2) {
    const fill = wanted - left.length - right.length;
    if (fill < 1) return null;
    words = [...left, ...new Array<number>(fill).fill(0), ...right];
  } else {
    words = left;
  }
  if (words.length !== wanted) return null;
  const bytes: number[] = [];
  for (const w of words) bytes.push(w >> 8, w & 0xff);
  return [...bytes, ...tail];
}

/** The network bytes and prefix length of "addr/len", or null when invalid. */
export function parseCidr(text: string): { bytes: number[]; bits: number } | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const bytes = parseIp(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (!bytes || !/^\d{1,3}$/.test(lenText)) return null;
  const bits = Number(lenText);
  if (bits > bytes.length * 8) return null;
  return { bytes, bits };
}

function cidrMatch(cidr: string, value: string): boolean {
  const net = parseCidr(cidr);
  const ip = parseIp(value);
  if (!net || !ip || ip.length !== net.bytes.length) return false;
  let bits = net.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip[i] & mask) !== (net.bytes[i] & mask)) return false;
  }
  return true;
}

// ---- validation ----

/** EventBridge's numeric range (documented limit). */
const NUMERIC_LIMIT = 5e9;

/** Problems with a pattern, each naming where it is (e.g. `detail.state[0]`); empty when valid. */
export function validatePattern(pattern: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(pattern)) {
    problems.push('pattern must be a JSON object');
    return problems;
  }
  validateObject(pattern, '', problems);
  return problems;
}

function validateObject(pattern: Record<string, unknown>, path: string, problems: string[]): void {
  const keys = Object.keys(pattern);
  if (keys.length === 0) problems.push(`${path || 'pattern'}: empty objects are not allowed`);
  for (const key of keys) {
    const here = path ? `${path}.${key}` : key;
    const spec = pattern[key];
    if (key === '$or') {
      if (!Array.isArray(spec) || spec.length < 2) {
        problems.push(`${here}: must be an array of at least two patterns`);
        continue;
      }
      spec.forEach((alt, i) => {
        if (!isObject(alt)) problems.push(`${here}[${i}]: must be an object`);
        else validateObject(alt, `${here}[${i}]`, problems);
      });
    } else if (Array.isArray(spec)) {
      if (spec.length === 0) problems.push(`${here}: empty arrays are not allowed`);
      for (const [i, alt] of spec.entries()) validateLeaf(alt, `${here}[${i}]`, problems);
    } else if (isObject(spec)) {
      validateObject(spec, here, problems);
    } else {
      problems.push(`${here}: must be an array of values or a nested object, got ${describe(spec)}`);
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `string ${JSON.stringify(value)}` : typeof value;
}

const isString = (v: unknown): v is string => typeof v === 'string';

function validateLeaf(alt: unknown, here: string, problems: string[]): void {
  if (alt === null || ['string', 'number', 'boolean'].includes(typeof alt)) return;
  if (!isObject(alt)) {
    problems.push(`${here}: must be a string, number, boolean, null or an operator object`);
    return;
  }
  const keys = Object.keys(alt);
  if (keys.length !== 1) {
    problems.push(`${here}: an operator object must have exactly one key, got ${keys.length}`);
    return;
  }
  const op = keys[0];
  const arg = alt[op];
  const bad = (why: string) => problems.push(`${here}: ${op} ${why}`);
  switch (op) {
    case 'prefix':
    case 'suffix':
      if (!isString(arg) && !(isObject(arg) && isIgnoreCase(arg))) {
        bad('needs a string or {"equals-ignore-case": string}');
      }
      return;
    case 'equals-ignore-case':
      if (!isString(arg)) bad('needs a string');
      return;
    case 'wildcard':
      if (!isString(arg)) bad('needs a string');
      else if (/(^|[^\\])\*\*/.test(arg)) bad('may not contain consecutive * characters');
      return;
    case 'exists':
      if (typeof arg !== 'boolean') bad('needs true or false');
      return;
    case 'cidr':
      if (!isString(arg) || !parseCidr(arg)) bad(`needs an IPv4 or IPv6 CIDR block such as "10.0.0.0/24"`);
      return;
    case 'numeric':
      validateNumeric(arg, bad);
      return;
    case 'anything-but':
      validateAnythingBut(arg, bad);
      return;
    default:
      problems.push(`${here}: unknown operator "${op}"`);
  }
}

function isIgnoreCase(arg: Record<string, unknown>): boolean {
  return Object.keys(arg).length === 1 && isString(arg['equals-ignore-case']);
}

function validateNumeric(arg: unknown, bad: (why: string) => void): void {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0 || arg.length > 4) {
    bad('needs one or two [operator, number] pairs, e.g. [">", 0, "<=", 5]');
    return;
  }
  for (let i = 0; i < arg.length; i += 2) {
    if (!isString(arg[i]) || !NUMERIC_OPS.has(arg[i])) {
      bad(`operator ${JSON.stringify(arg[i])} is not one of < <= = > >=`);
      return;
    }
    const n = arg[i + 1];
    if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > NUMERIC_LIMIT) {
      bad(`bound ${JSON.stringify(n)} must be a number between -5e9 and 5e9`);
      return;
    }
  }
  if (arg.length === 4) {
    const [lo, , hi] = arg as string[];
    if (!(lo === '>' || lo === '>=') || !(hi === '<' || hi === '<=')) {
      bad('range must be a lower bound (> or >=) followed by an upper bound (< or <=)');
    } else if ((arg[1] as number) >= (arg[3] as number)) {
      bad('range lower bound must be below its upper bound');
    }
  }
}

function validateAnythingBut(arg: unknown, bad: (why: string) => void): void {
  if (isString(arg) || typeof arg === 'number') return;
  if (Array.isArray(arg)) {
    if (arg.length === 0) bad('needs a non-empty list');
    else if (!arg.every(isString) && !arg.every((v) => typeof v === 'number')) {
      bad('list must hold only strings or only numbers');
    }
    return;
  }
  if (isObject(arg)) {
    const keys = Object.keys(arg);
    const inner = arg[keys[0]];
    if (keys.length !== 1) bad('object must have exactly one key');
    else if (keys[0] === 'prefix' || keys[0] === 'suffix') {
      if (!isString(inner)) bad(`${keys[0]} needs a single string`);
    } else if (keys[0] === 'equals-ignore-case' || keys[0] === 'wildcard') {
      const list = Array.isArray(inner) ? inner : [inner];
      if (list.length === 0 || !list.every(isString)) bad(`${keys[0]} needs a string or a list of strings`);
    } else bad(`does not support "${keys[0]}"`);
    return;
  }
  bad('needs a string, a number, a list, or {prefix|suffix|equals-ignore-case|wildcard}');
}
