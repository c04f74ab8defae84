// A synthesized Lambda function run as Lambda runs it: its bundle folder, the handler the template
// names (`index.handler` → index.mjs, export handler), and an environment made only of the
// template's variables plus what Lambda itself sets (region, credentials, function name) and the
// SDK's endpoint variables that point each client at its local stand-in. Nothing of the test
// process's own environment leaks in, so a variable the template forgets fails the cold start.

import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export interface LambdaProcess {
  readonly logicalId: string;
  /** Invokes the handler with `event`; rejects with the function's error (as a failed invocation). */
  invoke<T = unknown>(event: unknown): Promise<T>;
  /** Calls `method` on another export of the bundle (e.g. a verifier's cacheJwks). */
  call(exportName: string, method: string, ...args: unknown[]): Promise<unknown>;
  /** Everything the function logged (stdout and stderr lines). */
  readonly logs: string[];
  stop(): Promise<void>;
}

export class FunctionError extends Error {
  constructor(
    readonly functionId: string,
    readonly errorName: string,
    message: string,
  ) {
    super(`${functionId} failed: ${errorName}: ${message}`);
    this.name = 'FunctionError';
  }
}

const CHILD = join(import.meta.dirname, 'lambda-child.mjs');

/** The file and export Lambda loads for a handler setting such as `index.handler`. */
export function handlerEntry(bundleDir: string, handler: string): { file: string; exportName: string } {
  const dot = handler.lastIndexOf('.');
  const base = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  for (const extension of ['.mjs', '.js', '.cjs']) {
    const file = join(bundleDir, `${base}${extension}`);
    if (existsSync(file)) return { file, exportName };
  }
  throw new Error(`no ${base}.mjs/.js/.cjs in ${bundleDir} for handler ${handler}`);
}

export async function startLambda(options: {
  logicalId: string;
  bundleDir: string;
  handler: string;
  env: Record<string, string>;
}): Promise<LambdaProcess> {
  const { file, exportName } = handlerEntry(options.bundleDir, options.handler);
  const child: ChildProcess = fork(CHILD, [file, exportName], {
    env: options.env,
    execArgv: [],
    cwd: options.bundleDir,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const logs: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split('\n');
      rest = lines.pop() ?? '';
      logs.push(...lines);
    });
  }
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`${options.logicalId} exited during its cold start (${code})`)),
    );
    child.once('message', () => resolve());
  });
  child.on(
    'message',
    (message: { id?: number; result?: unknown; error?: { name: string; message: string } }) => {
      if (message.id === undefined) return;
      const waiting = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) {
        waiting?.reject(new FunctionError(options.logicalId, message.error.name, message.error.message));
      } else {
        waiting?.resolve(message.result);
      }
    },
  );
  child.on('exit', () => {
    for (const [, waiting] of pending) waiting.reject(new Error(`${options.logicalId} exited`));
    pending.clear();
  });
  await ready;
  const request = (body: Record<string, unknown>) =>
    new Promise<unknown>((resolve, reject) => {
      if (!child.connected) return reject(new Error(`${options.logicalId} is stopped`));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, ...body }, (error) => {
        if (!error) return;
        pending.delete(id);
        reject(error);
      });
    });
  return {
    logicalId: options.logicalId,
    logs,
    invoke: <T>(event: unknown) => request({ event }) as Promise<T>,
    call: (exportName, method, ...args) => request({ call: { export: exportName, method, args } }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
