import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StateDocument, StateSource } from '../../lambdas/ports.js';
import { createStateProvider } from '../../lambdas/services/state-provider.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/tfstate/${name}`, import.meta.url), 'utf8');

/** An in-memory source whose documents the test edits between loads; counts its loads. */
class MemorySource implements StateSource {
  readonly description = 'memory';
  loads = 0;

  constructor(
    public documents: StateDocument[],
    public errors: { file: string; message: string }[] = [],
  ) {}

  async load() {
    this.loads++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    return { documents: [...this.documents], errors: [...this.errors] };
  }
}

describe('createStateProvider', () => {
  const sqs = { file: 'sqs.tfstate', text: fixture('driftctl-aws-sqs-queue.tfstate'), version: 'v1' };
  const iam = {
    file: 'iam.tfstate',
    text: fixture('driftctl-aws-iam-role-policy-multiple.tfstate'),
    version: 'v1',
  };

  it('shares one load between concurrent callers and caches the index', async () => {
    const source = new MemorySource([sqs, iam]);
    const provider = createStateProvider(source);
    expect(provider.loadedAt()).toBeNull();
    const [a, b, c] = await Promise.all([provider.current(), provider.reload(), provider.current()]);
    expect(source.loads).toBe(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
    expect(a.resources).toHaveLength(8);
    expect(await provider.current()).toBe(a);
    expect(source.loads).toBe(1);
  });

  it('reparses only documents whose version changed and drops removed ones', async () => {
    const source = new MemorySource(
      [sqs, iam],
      [{ file: 'gone.tfstate', message: 'gone.tfstate: no such file or folder' }],
    );
    const provider = createStateProvider(source);
    const first = await provider.reload();
    expect(first.errors).toEqual([{ file: 'gone.tfstate', message: 'gone.tfstate: no such file or folder' }]);
    const queue = first.byAddress('aws_sqs_queue.foo');

    const edited = JSON.parse(iam.text);
    edited.resources = edited.resources.slice(0, 1);
    source.documents = [sqs, { ...iam, text: JSON.stringify(edited), version: 'v2' }];
    source.errors = [];
    const second = await provider.reload();
    expect(second.byAddress('aws_sqs_queue.foo')).toBe(queue);
    expect(second.resources.filter((r) => r.type === 'aws_iam_role_policy')).toHaveLength(3);
    expect(second.errors).toEqual([]);

    source.documents = [{ ...iam, text: '{not json', version: 'v3' }];
    const third = await provider.reload();
    expect(third.resources).toEqual([]);
    expect(third.errors).toEqual([
      { file: 'iam.tfstate', message: expect.stringMatching(/^iam\.tfstate: not valid JSON/) },
    ]);
  });
});

describe('a stale mark (Terraform wrote to a watched resource)', () => {
  const sqs = { file: 'sqs.tfstate', text: fixture('driftctl-aws-sqs-queue.tfstate'), version: 'v1' };
  const clock = () => {
    let t = Date.parse('2026-03-01T09:00:00Z');
    return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
  };

  it('checks the source at most once per interval, until it sees a new version', async () => {
    // Prepare
    const source = new MemorySource([sqs]);
    const time = clock();
    const provider = createStateProvider(source, { now: time.now, staleRecheckMs: 10_000 });
    const first = await provider.current();
    // Act + Assess: a burst of calls within the interval costs no check.
    for (let i = 0; i < 100; i++) {
      provider.markStale();
      expect(await provider.current()).toBe(first);
    }
    expect(source.loads).toBe(1);
    expect(provider.isStale()).toBe(true);
    // The interval passes: one check, the same version, still stale.
    time.advance(10_000);
    expect(await provider.current()).toBe(first);
    expect(await provider.current()).toBe(first);
    expect(source.loads).toBe(2);
    expect(provider.isStale()).toBe(true);
    // Terraform writes the state: the next due check picks it up and the mark ends.
    source.documents = [{ ...sqs, version: 'v2' }];
    time.advance(10_000);
    const second = await provider.current();
    expect(second).not.toBe(first);
    expect(source.loads).toBe(3);
    expect(provider.isStale()).toBe(false);
    time.advance(60_000);
    expect(await provider.current()).toBe(second);
    expect(source.loads).toBe(3);
  });

  it('never checks again when nothing marked it stale', async () => {
    const source = new MemorySource([sqs]);
    const time = clock();
    const provider = createStateProvider(source, { now: time.now, staleRecheckMs: 10_000 });
    const first = await provider.current();
    time.advance(3_600_000);
    expect(await provider.current()).toBe(first);
    expect(source.loads).toBe(1);
    expect(provider.isStale()).toBe(false);
  });

  it('keeps the state it has when a check fails, and does not retry it on every event', async () => {
    // Prepare
    const source = new MemorySource([sqs]);
    const time = clock();
    const warnings: string[] = [];
    const logger = { info: () => undefined, warn: (m: string) => warnings.push(m), error: () => undefined };
    const provider = createStateProvider(source, { now: time.now, staleRecheckMs: 10_000, logger });
    const first = await provider.current();
    provider.markStale();
    source.load = async () => {
      source.loads++;
      throw new Error('connect ECONNREFUSED');
    };
    time.advance(10_000);
    // Act
    const during = [await provider.current(), await provider.current()];
    // Assess
    expect(during).toEqual([first, first]);
    expect(source.loads).toBe(2);
    expect(warnings).toEqual(['stale state check failed']);
    expect(provider.isStale()).toBe(true);
  });

  it('is not ended by a document that failed to load, and lapses after staleForMs', async () => {
    // Prepare
    const iam = {
      file: 'iam.tfstate',
      text: fixture('driftctl-aws-iam-role-policy-multiple.tfstate'),
      version: 'v1',
    };
    const source = new MemorySource([sqs, iam]);
    const time = clock();
    const provider = createStateProvider(source, {
      now: time.now,
      staleRecheckMs: 1_000,
      staleForMs: 60_000,
    });
    await provider.current();
    provider.markStale();
    // Act + Assess: one document unreadable for a while: still waiting for a new version.
    source.documents = [sqs];
    source.errors = [{ file: 'iam.tfstate', message: 'iam.tfstate: access denied' }];
    time.advance(1_000);
    await provider.current();
    expect(provider.isStale()).toBe(true);
    // No new version within the window: the mark is dropped.
    time.advance(60_001);
    await provider.current();
    expect(provider.isStale()).toBe(false);
    const loads = source.loads;
    time.advance(1_000);
    await provider.current();
    expect(source.loads).toBe(loads);
  });
});
