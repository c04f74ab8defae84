// The resource graph (lambdas/core/graph.ts): behaviours a mutation run found untested
// (npx stryker run --mutate lambdas/core/graph.ts). Both sides of each value are checked.

import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../lambdas/core/graph.js';
import { buildStateIndex } from '../../lambdas/core/state.js';
import type { Drift, DriftKind, Severity } from '../../lambdas/core/types.js';

/** A state whose blocks are given in this (unsorted) order, each instance with its dependencies. */
const index = buildStateIndex([
  {
    file: 'main.tfstate',
    text: JSON.stringify({
      version: 4,
      lineage: 'l',
      resources: [
        {
          mode: 'managed',
          type: 'aws_z',
          name: 'web',
          instances: [{ attributes: { id: 'z' }, dependencies: ['aws_x.a', 'data.aws_ami.x'] }],
        },
        {
          mode: 'managed',
          type: 'aws_x',
          name: 'a',
          instances: [
            { index_key: 0, attributes: { id: 'x0' }, dependencies: ['aws_x.a'] },
            { index_key: 1, attributes: { id: 'x1' } },
          ],
        },
      ],
    }),
  },
]);

function drift(n: number, kind: DriftKind, severity: Severity, resource: Partial<Drift['resource']>): Drift {
  return {
    id: `d${n}`,
    kind,
    severity,
    status: 'open',
    ruleId: 'r',
    resource: { type: 'aws_x', address: null, id: null, arn: null, stateFile: null, ...resource },
    changes: [],
    actor: { type: 'IAMUser', arn: null, name: 'alice', accountId: null, sourceIp: null, userAgent: null },
    event: { id: `e${n}`, name: 'X', source: 's', time: 't', region: 'r', account: '1' },
    summary: 's',
    detectedAt: 't',
  };
}

describe('buildGraph', () => {
  it('fans a dependency out to every instance, never to the resource itself, sorted by id', () => {
    const graph = buildGraph(index, []);
    expect(graph.nodes.map((n) => n.id)).toEqual(['aws_x.a[0]', 'aws_x.a[1]', 'aws_z.web']);
    expect(graph.edges.map((e) => e.id)).toEqual([
      'aws_x.a[0]->aws_x.a[1]',
      'aws_z.web->aws_x.a[0]',
      'aws_z.web->aws_x.a[1]',
    ]);
  });

  it('a drift without an address is an unmanaged node, whatever its kind', () => {
    const graph = buildGraph(index, [
      drift(1, 'deleted', 'low', { id: 'x9' }),
      drift(2, 'unmanaged', 'low', { arn: 'arn:x8' }),
    ]);
    const extra = graph.nodes.filter((n) => !n.managed).map((n) => [n.id, n.resourceId]);
    expect(extra).toEqual([
      ['unmanaged:aws_x:arn:x8', 'arn:x8'],
      ['unmanaged:aws_x:x9', 'x9'],
    ]);
    const onManaged = buildGraph(index, [
      drift(3, 'modified', 'low', { address: 'aws_x.a[0]', stateFile: 'main.tfstate' }),
    ]);
    expect(onManaged.nodes.filter((n) => !n.managed)).toEqual([]);
  });

  it('an unmanaged drift that names an address is still unmanaged', () => {
    const graph = buildGraph(index, [drift(1, 'unmanaged', 'low', { id: 'x7', address: 'aws_x.new' })]);
    expect(graph.nodes.find((n) => n.id === 'unmanaged:aws_x:x7')?.managed).toBe(false);
    expect(graph.nodes.some((n) => n.id === 'aws_x.new')).toBe(false);
  });

  it('keeps a drift of a state file the index does not hold, under its address', () => {
    const graph = buildGraph(index, [
      drift(1, 'modified', 'high', { address: 'module.a.aws_x.b', stateFile: 'gone.tfstate' }),
    ]);
    expect(graph.nodes.find((n) => n.id === 'module.a.aws_x.b')).toMatchObject({
      managed: true,
      module: 'module.a',
      stateFile: 'gone.tfstate',
      drift: { open: 1, severity: 'high' },
    });
  });

  it('a node’s severity is its highest open drift’s, starting from the first', () => {
    const on = { address: 'aws_z.web', stateFile: 'main.tfstate' };
    const node = (drifts: Drift[]) =>
      buildGraph(index, drifts).nodes.find((n) => n.id === 'aws_z.web')?.drift;
    expect(node([drift(1, 'modified', 'low', on)])).toEqual({ open: 1, severity: 'low' });
    expect(
      node([
        drift(1, 'modified', 'low', on),
        drift(2, 'modified', 'high', on),
        drift(3, 'modified', 'medium', on),
      ]),
    ).toEqual({
      open: 3,
      severity: 'high',
    });
  });

  it('reads the module path of an address with every kind of instance key', () => {
    const moduleOf = (address: string) =>
      buildGraph(index, [drift(1, 'deleted', 'low', { address, stateFile: 'gone.tfstate' })]).nodes.find(
        (n) => n.id === address,
      )?.module;
    expect(moduleOf('module.a["blue \\"x\\""].module.b[12].aws_x.y')).toBe(
      'module.a["blue \\"x\\""].module.b[12]',
    );
    expect(moduleOf('module.a.module.b.aws_x.y')).toBe('module.a.module.b');
    expect(moduleOf('aws_x.y')).toBeNull();
  });
});
