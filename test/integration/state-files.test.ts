import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStateFiles, watchStateFiles } from '../../lambdas/adapters/local/state-files.js';
import { createStateProvider } from '../../lambdas/services/state-provider.js';

const fixtures = new URL('../fixtures/tfstate/', import.meta.url).pathname;

describe('LocalStateFiles', () => {
  let root: string;
  const put = (relative: string, fixture: string) => {
    const target = path.join(root, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    copyFileSync(path.join(fixtures, fixture), target);
    return target;
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'tfdrift-states-'));
    put('network/terraform.tfstate', 'tfdrift-falco-detector.tfstate');
    put('terraform.tfstate.d/dev/terraform.tfstate', 'driftctl-aws-sqs-queue.tfstate');
    put('exports/db.tfstate.json', 'handwritten-aws-db-instance-provider-v5.tfstate');
    // Not state: backend settings, backups, other JSON.
    put('network/.terraform/terraform.tfstate', 'driftctl-aws-sqs-queue.tfstate');
    put('network/terraform.tfstate.backup', 'driftctl-aws-sqs-queue.tfstate');
    put('exports/notes.json', 'driftctl-aws-sqs-queue.tfstate');
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds state files recursively and reports a missing path without throwing', async () => {
    const missing = path.join(root, 'nope.tfstate');
    const { documents, errors } = await new LocalStateFiles([root, missing]).load();
    expect(documents.map((d) => path.relative(root, d.file))).toEqual([
      'exports/db.tfstate.json',
      'network/terraform.tfstate',
      'terraform.tfstate.d/dev/terraform.tfstate',
    ]);
    expect(documents[0].version).toMatch(/^\d+(\.\d+)?:\d+$/);
    expect(errors).toEqual([{ file: missing, message: `${missing}: no such file or folder` }]);
  });

  it('reads a file named explicitly whatever its name, and says when a folder has no state', async () => {
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    const { documents, errors } = await new LocalStateFiles([
      path.join(root, 'exports/notes.json'),
      empty,
    ]).load();
    expect(documents).toHaveLength(1);
    expect(errors[0].message).toBe(`${empty}: no *.tfstate or *.tfstate.json files in this folder`);
  });

  it('feeds a provider that reparses only changed files and knows workspaces', async () => {
    const provider = createStateProvider(new LocalStateFiles([root]));
    const first = await provider.current();
    expect(first.errors).toEqual([]);
    expect(first.files.find((f) => f.file.includes('terraform.tfstate.d'))?.workspace).toBe('dev');
    const queue = first.byAddress('aws_sqs_queue.foo');
    expect(await provider.reload()).toBe(first);

    const network = path.join(root, 'network/terraform.tfstate');
    const state = JSON.parse(readFileSync(network, 'utf8'));
    state.resources = state.resources.filter((r: { type: string }) => r.type !== 'aws_instance');
    writeFileSync(network, JSON.stringify(state));
    utimesSync(network, new Date(), new Date(Date.now() + 5_000));
    const second = await provider.reload();
    expect(second).not.toBe(first);
    expect(second.byAddress('aws_instance.webserver')).toBeUndefined();
    // The unchanged file was not parsed again: the very same resource object.
    expect(second.byAddress('aws_sqs_queue.foo')).toBe(queue);
    expect(provider.loadedAt()).toBeInstanceOf(Date);
  });

  it('watches a folder and calls back once per burst of writes', async () => {
    const calls: string[][] = [];
    const stop = watchStateFiles([root], (changed) => calls.push(changed), 100);
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const target = path.join(root, 'terraform.tfstate.d/dev/terraform.tfstate');
      writeFileSync(target, readFileSync(target, 'utf8'));
      writeFileSync(path.join(root, 'network/ignored.txt'), 'x');
      writeFileSync(target, readFileSync(target, 'utf8'));
      await waitFor(() => calls.length > 0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // One burst, one call (a second only if the machine stalls past the debounce).
      expect(calls.length).toBeLessThanOrEqual(2);
      expect(new Set(calls.flat())).toEqual(new Set([target]));
    } finally {
      stop();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
