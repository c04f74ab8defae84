// Structured logs: one JSON object per line, which CloudWatch Logs Insights can query by field.

import type { Logger } from '../../ports.js';

export function jsonLogger(
  fields: Record<string, unknown> = {},
  write = (line: string) => console.log(line),
): Logger {
  const log = (level: string) => (message: string, extra?: Record<string, unknown>) =>
    write(JSON.stringify({ level, message, ...fields, ...extra, time: new Date().toISOString() }));
  return { info: log('info'), warn: log('warn'), error: log('error') };
}
