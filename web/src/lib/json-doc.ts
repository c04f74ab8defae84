// Recognise JSON documents (IAM and bucket policies, ...) among attribute values and pretty-print
// them with sorted keys, so that two documents that differ only in key order diff as equal.

/** What JSON.parse makes of a text, URL-decoded first when it starts so (policies often arrive
 * URL-encoded: %7B is {, %5B is [); undefined when it is no JSON. */
function tryParse(text: string): unknown {
  try {
    return JSON.parse(/^%7B|^%5B/i.test(text) ? decodeURIComponent(text) : text);
  } catch {
    return undefined;
  }
}

/** The document inside a value (an object, or text holding one), or undefined when it is not one. */
export function asDocument(value: unknown): object | undefined {
  const parsed = typeof value === 'string' ? tryParse(value.trim()) : value;
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
  // Values come from JSON: null, numbers and booleans print as JSON.stringify writes them.
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}
