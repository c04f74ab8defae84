// `tfdrift scan --color` on a terminal that shows colour: the table is coloured when asked and
// plain by default. The colour library decides once, when it is loaded, whether the terminal can
// show colour (picocolors reads FORCE_COLOR then), so this file says so before it loads the scan.

import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';

const forced = process.env.FORCE_COLOR;
process.env.FORCE_COLOR = '1';
const { default: pc } = await import('picocolors');
const { EXIT_DRIFT, runScan } = await import('../../lambdas/local/scan.js');
// Decided: the files run after this one in the same process see the environment they had.
if (forced === undefined) delete process.env.FORCE_COLOR;
else process.env.FORCE_COLOR = forced;

const SAMPLE = join(import.meta.dirname, '../../examples/scan');

async function table(color: boolean | undefined) {
  let text = '';
  const stdout = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  const code = await runScan({
    state: [join(SAMPLE, 'state')],
    events: [join(SAMPLE, 'events.json')],
    stdout,
    stderr: new Writable({ write: (_c, _e, done) => done() }),
    ...(color === undefined ? {} : { color }),
  });
  return { code, text };
}

describe('the table in colour', () => {
  it('is coloured with --color and plain without it', async () => {
    // The colour library must be in colour mode here, or this test would prove nothing.
    expect(pc.isColorSupported).toBe(true);

    const coloured = await table(true);
    const plain = await table(undefined);
    const off = await table(false);

    expect(coloured.code).toBe(EXIT_DRIFT);
    // The header line is bold (ESC [1m), the severities coloured.
    expect(coloured.text).toContain('\x1b[1mSEVERITY');
    expect(plain.text).not.toContain('\x1b[');
    expect(off.text).not.toContain('\x1b[');
    expect(plain.text).toMatch(/^SEVERITY\s+KIND\s+RESOURCE/m);
  });
});
