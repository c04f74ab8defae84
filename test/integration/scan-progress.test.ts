// `tfdrift scan` on a terminal: the progress line on stderr is redrawn at most every 100 ms (a
// scan of a million events must not spend its time writing to the terminal), and a scan that
// read nothing leaves the terminal untouched. Only Date is faked: the scan's reads stay real.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EventInput } from '../../lambdas/adapters/local/event-files.js';
import { EXIT_CLEAN, EXIT_DRIFT, runScan } from '../../lambdas/local/scan.js';
import { terminalSink, textSink } from '../support/text-sink.js';

const SAMPLE = join(import.meta.dirname, '../../examples/scan');
const [MODIFY] = JSON.parse(readFileSync(join(SAMPLE, 'events.json'), 'utf8')).Records as Record<
  string,
  unknown
>[];

afterEach(() => {
  vi.useRealTimers();
});

/** One drifting call per batch; the clock is set to `at[k]` ms just before batch k is handed over. */
function batchesAt(start: number, at: number[]): AsyncIterable<EventInput[]> {
  return (async function* () {
    for (const [k, ms] of at.entries()) {
      vi.setSystemTime(start + ms);
      yield [
        {
          ok: true,
          origin: 'history',
          record: { ...MODIFY, eventID: `evt-${k}`, eventTime: `2024-03-01T00:00:0${k}Z` },
        },
      ];
    }
  })();
}

describe('progress on a terminal', () => {
  it('redraws the line after the first batch, then only once 100 ms have passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.UTC(2026, 0, 1);
    const tty = terminalSink();

    const code = await runScan({
      state: [join(SAMPLE, 'state')],
      events: [],
      moreEvents: batchesAt(start, [0, 50, 99, 100, 150, 199, 250]),
      mode: 'per-event',
      format: 'json',
      stdout: textSink().stream,
      stderr: tty.stream,
    });

    expect(code).toBe(EXIT_DRIFT);
    expect(tty.text()).toBe(
      '\r\x1b[2Kscanning: 1 events, 1 findings' +
        '\r\x1b[2Kscanning: 4 events, 4 findings' +
        '\r\x1b[2Kscanning: 7 events, 7 findings' +
        '\r\x1b[2K',
    );
  });

  it('writes nothing on a terminal when there was nothing to read', async () => {
    const tty = terminalSink();

    const code = await runScan({
      state: [join(SAMPLE, 'state')],
      events: [],
      format: 'json',
      stdout: textSink().stream,
      stderr: tty.stream,
    });

    expect(code).toBe(EXIT_CLEAN);
    expect(tty.text()).toBe('');
  });
});
