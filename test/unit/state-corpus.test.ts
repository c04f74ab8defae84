// Every state file of the corpus (test/fixtures/corpus/tfstate/INDEX.tsv): it either indexes with
// the instance count and resource types the INDEX and an independent count predict, or it is rejected
// with the error a person can act on. The format version decides, not terraform_version: the
// corpus's version-4 files claiming Terraform 0.10.26, "invalid" or 999.0.0 (driftctl's
// unsupported_version/invalid_version, terraform's v4-future) are readable version 4 and index;
// refusing them would turn every event on their resources into a false "unmanaged" alert.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { StateError } from '../../lambdas/core/errors.js';
import { buildStateIndex, parseStateDocument } from '../../lambdas/core/state.js';

const corpus = fileURLToPath(new URL('../fixtures/corpus/tfstate/', import.meta.url));

interface Row {
  path: string;
  version: string;
  terraformVersion: string;
  blocks: number;
  types: string[];
}

const rows: Row[] = readFileSync(`${corpus}INDEX.tsv`, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [path, version, terraformVersion, blocks, types] = line.split('\t');
    return {
      path,
      version,
      terraformVersion,
      blocks: Number(blocks || 0),
      types: types ? types.split(',') : [],
    };
  });

/** Files whose content breaks an assumption the simple count makes, with what is expected instead. */
const DUPLICATE_ADDRESSES: Record<string, number> = {
  // Two instances of aws_instance.app without index keys: the first is kept, one warning.
  'tfdrift-falco/pkg/terraform/testdata/multiple_instances.tfstate': 1,
};

/** Managed instances counted straight from the JSON, the way a person would count them. */
function countInstances(text: string): { instances: number; blocks: number; types: Set<string> } {
  const state = JSON.parse(text) as {
    resources: { mode: string; type: string; instances: { deposed?: string }[] }[];
  };
  let instances = 0;
  const types = new Set<string>();
  for (const block of state.resources) {
    if (block.mode !== 'managed') continue;
    const current = block.instances.filter((i) => i.deposed === undefined);
    instances += current.length;
    if (current.length > 0) types.add(block.type);
  }
  return { instances, blocks: state.resources.length, types };
}

describe('tfstate corpus', () => {
  it('lists every kind of file the brief names', () => {
    expect(rows.length).toBe(235);
    expect(rows.filter((r) => r.version === '4').length).toBe(216);
    expect(rows.filter((r) => r.version === 'INVALID_JSON').length).toBe(2);
  });

  describe.each(rows)('$path', (row) => {
    const text = readFileSync(corpus + row.path, 'utf8');

    if (row.version === 'INVALID_JSON') {
      it('is rejected as invalid JSON with where the error is', () => {
        expect(() => parseStateDocument(text, row.path)).toThrowError(StateError);
        expect(() => parseStateDocument(text, row.path)).toThrowError(
          new RegExp(`^${escapeRegExp(row.path)}: not valid JSON \\(.+; line \\d+, column \\d+\\)$`),
        );
      });
      return;
    }

    if (row.version !== '4') {
      it(`is rejected as format version ${row.version} with how to upgrade`, () => {
        expect(() => parseStateDocument(text, row.path)).toThrowError(
          `${row.path}: state format version ${row.version} is not supported; run \`terraform state pull\``,
        );
      });
      return;
    }

    it('indexes every managed instance under a unique address', () => {
      const expected = countInstances(text);
      expect(expected.blocks).toBe(row.blocks);
      const managedTypes = new Set(row.types.filter((t) => !t.startsWith('data.')));
      for (const type of expected.types) expect(managedTypes.has(type)).toBe(true);

      const index = buildStateIndex([{ file: row.path, text }]);
      const duplicates = DUPLICATE_ADDRESSES[row.path];
      expect(index.resources.length).toBe(duplicates ?? expected.instances);
      expect(index.errors.length).toBe(duplicates === undefined ? 0 : expected.instances - duplicates);
      expect(new Set(index.resources.map((r) => r.type))).toEqual(expected.types);
      expect(index.files).toEqual([
        expect.objectContaining({ file: row.path, resourceCount: index.resources.length }),
      ]);
      expect(index.files[0].terraformVersion).toBe(row.terraformVersion || null);

      for (const resource of index.resources) {
        expect(resource.address).toMatch(ADDRESS);
        expect(index.byAddress(resource.address)).toBe(resource);
        if (resource.id !== null) expect(index.byId(resource.id)).toContain(resource);
        if (resource.arn !== null) expect(index.byArn(resource.arn)).toContain(resource);
        expect(resource.stateFile).toBe(row.path);
      }
    });
  });

  it('indexes the whole corpus at once, one error per rejected file', () => {
    const all = buildStateIndex(
      rows.map((r) => ({ file: r.path, text: readFileSync(corpus + r.path, 'utf8') })),
    );
    const rejected = rows.filter((r) => r.version !== '4').length;
    expect(all.files.length).toBe(216);
    expect(all.errors.length).toBe(rejected + 1);
    expect(all.errors.filter((e) => e.message.includes('duplicate address'))).toHaveLength(1);
  });
});

const KEY = String.raw`\[(?:\d+|"(?:[^"\\]|\\.)*")\]`;
const ADDRESS = new RegExp(`^(?:module\\.[\\w-]+(?:${KEY})?\\.)*[a-z0-9_]+\\.[\\w-]+(?:${KEY})?$`);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
