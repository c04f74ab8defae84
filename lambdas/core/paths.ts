// A tiny path language for rules: `requestParameters.tagSet.items[*].key`, `versioning[0].enabled`.
// `[*]` fans out over an array; `[n]` picks one element; a missing step yields nothing.

type Step = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'all' };

const compiled = new Map<string, Step[]>();

export function parsePath(path: string): Step[] {
  const cached = compiled.get(path);
  if (cached) return cached;
  const steps: Step[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[(?:\*|\d+)\])*)$/.exec(part);
    if (!match) throw new Error(`invalid path "${path}" at "${part}"`);
    if (match[1]) steps.push({ kind: 'key', key: match[1] });
    for (const bracket of match[2].match(/\[(\*|\d+)\]/g) ?? []) {
      const inner = bracket.slice(1, -1);
      steps.push(inner === '*' ? { kind: 'all' } : { kind: 'index', index: Number(inner) });
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

/** The single value at a path without fan-out, or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  const values = valuesAt(root, path);
  return values.length === 0 ? undefined : values[0];
}
