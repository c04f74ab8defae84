// A writable stream that keeps what is written: a command's stdout or stderr, in tests.

import { Writable } from 'node:stream';

export function textSink(): { stream: Writable; writes: string[]; text: () => string } {
  const writes: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      writes.push(String(chunk));
      done();
    },
  });
  return { stream, writes, text: () => writes.join('') };
}

/** A textSink that says it is a terminal (isTTY), as stderr is when a person runs the command. */
export function terminalSink(): { stream: Writable & { isTTY: true }; writes: string[]; text: () => string } {
  const sink = textSink();
  return { ...sink, stream: Object.assign(sink.stream, { isTTY: true as const }) };
}
