// Alerts on one machine: the alert text, printed to the console (stdout by default).

import pc from 'picocolors';
import { alertText } from '../../core/alert-text.js';
import { driftLink } from '../../core/drift-events.js';
import type { Drift } from '../../core/types.js';
import type { Notifier } from '../../ports.js';

export interface ConsoleNotifierOptions {
  /** Dashboard base URL, e.g. http://127.0.0.1:8080 (the alert links to /#drift=ID). */
  readonly baseUrl?: string | (() => string);
  readonly out?: NodeJS.WritableStream;
  readonly color?: boolean;
}

export class ConsoleNotifier implements Notifier {
  constructor(private readonly options: ConsoleNotifierOptions = {}) {}

  async notify(drift: Drift): Promise<void> {
    const { baseUrl } = this.options;
    const base = typeof baseUrl === 'function' ? baseUrl() : baseUrl;
    const link = base ? driftLink(base, drift.id) : undefined;
    const { subject, body } = alertText(drift, link);
    const colors = pc.createColors(this.options.color ?? false);
    const paint = drift.severity === 'critical' || drift.severity === 'high' ? colors.red : colors.yellow;
    (this.options.out ?? process.stdout).write(`${paint(colors.bold(subject))}\n${body}\n`);
  }
}
