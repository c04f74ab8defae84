// The caching state provider (lambdas/services/state-provider.ts) behaviours a mutation run found
// untested (npx stryker run --mutate lambdas/services/state-provider.ts): what each load logs, the
// parse cache across a removed and re-added file, load errors, the stale mark's edges and the
// check time of a caller that joins a load in flight.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StateDocument, StateSource } from '../../lambdas/ports.js';
import { createStateProvider } from '../../lambdas/services/state-provider.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/tfstate/${name}`, import.meta.url), 'utf8');
const sqs: StateDocument = {
  file: 'sqs.tfstate',
  text: fixture('driftctl-aws-sqs-queue.tfstate'),
  version: 'v1',
};
const iam: StateDocument = {
  file: 'iam.tfstate',
  text: fixture('driftctl-aws-iam-role-policy-multiple.tfstate'),
  version: 'v1',
};

/** A source whose documents and errors the test sets; a gate, when set, holds each load until opened. */
class TestSource implements StateSource {
  readonly description = 'test source';
  loads = 0;
  gate: Promise<void> | null = null;
  fail: Error | null = null;
  constructor(
    public documents: StateDocument[],
    public errors: { file: string; message: string }[] = [],
  ) {}
  async load() {
    this.loads++;
    if (this.gate) await this.gate;
    if (this.fail) throw this.fail;
    return { documents: [...this.documents], errors: [...this.errors] };
  }
}

function recorder() {
  const lines: string[] = [];
  const log = (level: string) => (m: string, f?: object) =>
    void lines.push(`${level} ${m} ${JSON.stringify(f ?? {})}`);
  return { lines, logger: { info: log('info'), warn: log('warn'), error: log('error') } };
}

function clock() {
  let t = Date.parse('2026-03-01T09:00:00Z');
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}

describe('each load', () => {
  it('logs the source, files, resources, errors and how many documents it parsed again', async () => {
    const source = new TestSource([sqs, iam], [{ file: 'gone.tfstate', message: 'gone.tfstate: not found' }]);
    const { lines, logger } = recorder();
    const provider = createStateProvider(source, { logger });
    await provider.reload();
    source.documents = [sqs, { ...iam, version: 'v2' }];
    await provider.reload();
    expect(lines.filter((l) => l.startsWith('info'))).toEqual([
      'info state loaded {"source":"test source","files":2,"resources":8,"errors":1,"reparsed":2}',
      'info state loaded {"source":"test source","files":2,"resources":8,"errors":1,"reparsed":1}',
    ]);
    // Each index built names the problems it has.
    expect(lines.filter((l) => l.startsWith('warn'))).toEqual([
      'warn state problem {"file":"gone.tfstate","message":"gone.tfstate: not found"}',
      'warn state problem {"file":"gone.tfstate","message":"gone.tfstate: not found"}',
    ]);
  });

  it('parses a file again when it comes back after a load without it', async () => {
    const source = new TestSource([sqs, iam]);
    const { lines, logger } = recorder();
    const provider = createStateProvider(source, { logger });
    await provider.reload();
    source.documents = [sqs];
    await provider.reload();
    source.documents = [sqs, iam];
    const back = await provider.reload();
    expect(back.resources).toHaveLength(8);
    expect(lines.map((l) => JSON.parse(l.slice(l.indexOf('{'))).reparsed)).toEqual([2, 0, 1]);
  });

  it('tells what the current index could not load, without loading', async () => {
    const source = new TestSource([sqs], [{ file: 'x.tfstate', message: 'x.tfstate: access denied' }]);
    const provider = createStateProvider(source);
    expect(provider.loadErrors()).toEqual([]);
    expect(source.loads).toBe(0);
    await provider.reload();
    expect(provider.loadErrors()).toEqual([{ file: 'x.tfstate', message: 'x.tfstate: access denied' }]);
  });
});

describe('the stale mark', () => {
  it('is checked after the interval given, not the default', async () => {
    const source = new TestSource([sqs]);
    const time = clock();
    const provider = createStateProvider(source, { now: time.now, staleRecheckMs: 500 });
    await provider.current();
    provider.markStale();
    time.advance(499);
    await provider.current();
    expect(source.loads).toBe(1);
    time.advance(1);
    await provider.current();
    expect(source.loads).toBe(2);
  });

  it('checks every 10 s by default', async () => {
    const source = new TestSource([sqs]);
    const time = clock();
    const provider = createStateProvider(source, { now: time.now });
    await provider.current();
    provider.markStale();
    time.advance(9_999);
    await provider.current();
    expect(source.loads).toBe(1);
    time.advance(1);
    await provider.current();
    expect(source.loads).toBe(2);
  });

  it('ends when any one document has a new version', async () => {
    const source = new TestSource([sqs, iam]);
    const time = clock();
    const provider = createStateProvider(source, { now: time.now, staleRecheckMs: 1_000 });
    await provider.current();
    provider.markStale();
    source.documents = [sqs, { ...iam, version: 'v2' }];
    time.advance(1_000);
    await provider.current();
    expect(provider.isStale()).toBe(false);
  });

  it('still holds at the very end of its window, and lapses just after', async () => {
    const source = new TestSource([sqs]);
    const time = clock();
    const provider = createStateProvider(source, { now: time.now, staleRecheckMs: 1_000, staleForMs: 5_000 });
    await provider.current();
    provider.markStale();
    time.advance(5_000);
    await provider.current();
    expect([source.loads, provider.isStale()]).toEqual([2, true]);
    time.advance(1_000);
    await provider.current();
    expect([source.loads, provider.isStale()]).toEqual([3, false]);
  });

  it('keeps the state when a check fails, also without a logger', async () => {
    const source = new TestSource([sqs]);
    const time = clock();
    const provider = createStateProvider(source, { now: time.now, staleRecheckMs: 1_000 });
    const first = await provider.current();
    provider.markStale();
    source.fail = new Error('connect ECONNREFUSED');
    time.advance(1_000);
    expect(await provider.current()).toBe(first);
    // With a logger, the failure is logged with its reason.
    const { lines, logger } = recorder();
    const logged = createStateProvider(source, { now: time.now, staleRecheckMs: 1_000, logger });
    source.fail = null;
    await logged.current();
    logged.markStale();
    source.fail = new Error('connect ECONNREFUSED');
    time.advance(1_000);
    await logged.current();
    expect(lines.filter((l) => l.startsWith('warn'))).toEqual([
      'warn stale state check failed {"error":"connect ECONNREFUSED"}',
    ]);
  });

  it('counts its check interval from when a load started, not from a caller that joined it', async () => {
    const source = new TestSource([sqs]);
    const time = clock();
    const provider = createStateProvider(source, { now: time.now, staleRecheckMs: 10_000 });
    await provider.current();
    provider.markStale();
    // A check starts and takes 6 s; a second caller joins it 6 s in.
    let open: () => void = () => undefined;
    source.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    time.advance(10_000);
    const check = provider.current();
    time.advance(6_000);
    const joined = provider.reload();
    open();
    await Promise.all([check, joined]);
    source.gate = null;
    expect(source.loads).toBe(2);
    // 10 s after the check started (4 s after the join): due.
    time.advance(4_000);
    await provider.current();
    expect(source.loads).toBe(3);
  });
});
