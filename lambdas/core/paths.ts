// A tiny path language for rules: `requestParameters.tagSet.items[*].key`, `versioning[0].enabled`.
// `[*]` fans out over an array; `[n]` picks one element; `[field=value]` keeps the array elements
// (or the object) whose `field` equals `value` as text, for key/value lists such as ELBv2
// `attributes[key=deletion_protection.enabled].value` (dots inside brackets do not split the path);
// a missing step yields nothing.

type Step =
  | { kind: 'key'; key: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; field: string; value: string };

const compiled = new Map<string, Step[]>();

export function parsePath(path: string): Step[] {
  const cached = compiled.get(path);
  if (cached) return cached;
  const steps: Step[] = [];
  // Split on dots outside brackets, so a filter value may hold dots.
  const parts = path.split(/\.(?![^[]*\])/);
  for (const part of parts) {
    const match = /^([^[\]]*)((?:\[(?:\*|\d+|[A-Za-z_][\w-]*=[^\]]+)\])*)$/.exec(part);
    if (!match) throw new Error(`invalid path "${path}" at "${part}"`);
    if (match[1]) steps.push({ kind: 'key', key: match[1] });
    for (const bracket of match[2].match(/\[[^\]]+\]/g) ?? []) {
      const inner = bracket.slice(1, -1);
      const eq = inner.indexOf('=');
      if (eq > 0) steps.push({ kind: 'filter', field: inner.slice(0, eq), value: inner.slice(eq + 1) });
      else steps.push(inner === '*' ? { kind: 'all' } : { kind: 'index', index: Number(inner) });
    }
  }
  if (steps.length === 0) throw new Error(`empty path "${path}"`);
  compiled.set(path, steps);
  return steps;
}

/** Every value the path reaches (empty when none). `undefined` is never returned; `null` is. */
export function valuesAt(root: unknown, path: string): unknown[] {
  let current: unknown[] = [root];
  for (const step of parsePath(path)) {
    const next: unknown[] = [];
    for (const value of current) {
      if (step.kind === 'key') {
        if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
          const child = (value as Record<string, unknown>)[step.key];
          if (child !== undefined) next.push(child);
        }
      } else if (step.kind === 'filter') {
        for (const item of Array.isArray(value) ? value : [value])
          if (fieldIs(item, step.field, step.value)) next.push(item);
      } else if (Array.isArray(value)) {
        if (step.kind === 'all') next.push(...value.filter((v) => v !== undefined));
        else if (value[step.index] !== undefined) next.push(value[step.index]);
      }
    }
    current = next;
    if (current.length === 0) return current;
  }
  return current;
}

function fieldIs(item: unknown, field: string, value: string): boolean {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return false;
  const v = (item as Record<string, unknown>)[field];
  return (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && String(v) === value;
}

/** The single value at a path without fan-out, or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  const values = valuesAt(root, path);
  return values.length === 0 ? undefined : values[0];
}
