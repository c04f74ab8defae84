// Recognise JSON documents (IAM and bucket policies, ...) among attribute values and pretty-print
// them with sorted keys, so that two documents that differ only in key order diff as equal.

function tryParse(text: string): unknown {
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    return undefined;
  }
}

/** The document inside a value, or undefined when it is not one (policies often arrive URL-encoded). */
export function asDocument(value: unknown): object | undefined {
  if (value !== null && typeof value === 'object') return value;
  if (typeof value !== 'string') return undefined;
  let parsed = tryParse(value);
  if (parsed === undefined && /^%7B|^%5B/i.test(value.trim())) {
    try {
      parsed = tryParse(decodeURIComponent(value));
    } catch {
      parsed = undefined;
    }
  }
  return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

export function prettyDocument(doc: object): string {
  return JSON.stringify(sortKeys(doc), null, 2);
}

/** A scalar value as one readable line; documents and lists as pretty JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value, null, 2);
  return String(value);
}
