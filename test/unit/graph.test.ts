import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../lambdas/core/graph.js';
import { buildStateIndex } from '../../lambdas/core/state.js';
import type { Drift, DriftKind, DriftStatus, Severity } from '../../lambdas/core/types.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/tfstate/${name}`, import.meta.url), 'utf8');

function drift(
  n: number,
  kind: DriftKind,
  severity: Severity,
  status: DriftStatus,
  resource: { type: string; address: string | null; id: string | null; stateFile: string | null },
): Drift {
  return {
    id: `d${n}`,
    kind,
    severity,
    status,
    ruleId: 'test',
    resource: { arn: null, ...resource },
    changes: [],
    actor: { type: 'IAMUser', arn: null, name: 'alice', accountId: null, sourceIp: null, userAgent: null },
    event: {
      id: `e${n}`,
      name: 'X',
      source: 'ec2.amazonaws.com',
      time: '2026-01-01T00:00:00Z',
      region: 'us-east-1',
      account: '1',
    },
    summary: 's',
    detectedAt: '2026-01-01T00:00:01Z',
  };
}

describe('buildGraph', () => {
  // Real state from tfdrift-falco (TF 1.13.3): 15 managed resources, one data source.
  const index = buildStateIndex([{ file: 'main.tfstate', text: fixture('tfdrift-falco-detector.tfstate') }]);

  it('has one node per managed instance and edges from dependencies, sorted by id', () => {
    const graph = buildGraph(index, []);
    expect(graph.nodes).toHaveLength(15);
    expect(graph.nodes.map((n) => n.id)).toEqual([...graph.nodes.map((n) => n.id)].sort());
    expect(graph.nodes.find((n) => n.id === 'aws_instance.webserver')).toEqual({
      id: 'aws_instance.webserver',
      address: 'aws_instance.webserver',
      type: 'aws_instance',
      module: null,
      stateFile: 'main.tfstate',
      resourceId: 'i-0cea65ac652556767',
      managed: true,
      drift: { open: 0, severity: null },
    });
    const fromInstance = graph.edges
      .filter((e) => e.source === 'aws_instance.webserver')
      .map((e) => e.target);
    // data.aws_ami.amazon_linux_2023 is not a managed resource: no edge to it.
    expect(fromInstance).toEqual(['aws_security_group.webserver', 'aws_subnet.public', 'aws_vpc.test']);
    expect(graph.edges).toContainEqual({
      id: 'aws_iam_instance_profile.app->aws_iam_role.app',
      source: 'aws_iam_instance_profile.app',
      target: 'aws_iam_role.app',
    });
    expect(graph.edges).toHaveLength(23);
    expect(graph.edges.map((e) => e.id)).toEqual([...graph.edges.map((e) => e.id)].sort());
  });

  it('fans a dependency out to every instance of a counted resource and module', () => {
    const repeated = buildStateIndex([
      { file: 'r.json', text: fixture('inframap-repeated-modules.tfstate.json') },
    ]);
    const graph = buildGraph(repeated, []);
    const ids = new Set(graph.nodes.map((n) => n.id));
    for (const edge of graph.edges) {
      expect(ids.has(edge.source)).toBe(true);
      expect(ids.has(edge.target)).toBe(true);
    }
    expect(graph.edges.map((e) => e.id)).toContain(
      'module.ec2_ubuntu_a[1].aws_instance.this[0]->module.all_sg.aws_security_group.this_name_prefix[0]',
    );
    expect(graph.nodes.find((n) => n.id === 'module.ec2_ubuntu_a[1].aws_instance.this[0]')?.module).toBe(
      'module.ec2_ubuntu_a[1]',
    );
  });

  it('counts open drifts per node with the highest open severity, and adds unmanaged nodes', () => {
    const ref = {
      type: 'aws_security_group',
      address: 'aws_security_group.webserver',
      id: 'sg-00b0bd48f1f5bca5b',
      stateFile: 'main.tfstate',
    };
    const graph = buildGraph(index, [
      drift(1, 'modified', 'medium', 'open', ref),
      drift(2, 'modified', 'critical', 'resolved', ref),
      drift(3, 'modified', 'high', 'open', ref),
      drift(4, 'unmanaged', 'low', 'open', {
        type: 'aws_instance',
        address: null,
        id: 'i-new',
        stateFile: null,
      }),
      drift(5, 'unmanaged', 'high', 'acknowledged', {
        type: 'aws_instance',
        address: null,
        id: 'i-new',
        stateFile: null,
      }),
    ]);
    expect(graph.nodes).toHaveLength(16);
    expect(graph.nodes.find((n) => n.id === 'aws_security_group.webserver')?.drift).toEqual({
      open: 2,
      severity: 'high',
    });
    expect(graph.nodes.find((n) => n.id === 'unmanaged:aws_instance:i-new')).toEqual({
      id: 'unmanaged:aws_instance:i-new',
      address: null,
      type: 'aws_instance',
      module: null,
      stateFile: null,
      resourceId: 'i-new',
      managed: false,
      drift: { open: 1, severity: 'low' },
    });
    expect(graph.nodes.find((n) => n.id === 'aws_vpc.test')?.drift).toEqual({ open: 0, severity: null });
  });

  it('keeps a drifted resource that has left the state visible', () => {
    const gone = {
      type: 'aws_instance',
      address: 'module.old[0].aws_instance.x',
      id: 'i-gone',
      stateFile: 'main.tfstate',
    };
    const graph = buildGraph(index, [drift(1, 'deleted', 'high', 'open', gone)]);
    expect(graph.nodes.find((n) => n.id === 'module.old[0].aws_instance.x')).toMatchObject({
      managed: true,
      module: 'module.old[0]',
      drift: { open: 1, severity: 'high' },
    });
  });

  it('keeps nodes of the same address in two state files apart', () => {
    const text = fixture('tfdrift-falco-detector.tfstate');
    const two = buildStateIndex([
      { file: 'a.tfstate', text },
      { file: 'b.tfstate', text },
    ]);
    const graph = buildGraph(two, []);
    expect(graph.nodes).toHaveLength(30);
    expect(graph.edges).toHaveLength(46);
    expect(graph.edges).toContainEqual({
      id: 'b.tfstate#aws_iam_instance_profile.app->b.tfstate#aws_iam_role.app',
      source: 'b.tfstate#aws_iam_instance_profile.app',
      target: 'b.tfstate#aws_iam_role.app',
    });
  });
});
