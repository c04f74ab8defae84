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
