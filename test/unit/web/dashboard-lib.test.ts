// The dashboard's pure helpers: diff, documents, URL state, console links, remediation, live
// filtering, layout and reconnect backoff. The browser suite covers them wired together.

import { describe, expect, it } from 'vitest';
import type { Drift } from '../../../lambdas/core/types.js';
import { cloudTrailLink, resourceConsoleLink, safeRegion } from '../../../web/src/lib/console-links.js';
import { lineDiff } from '../../../web/src/lib/diff.js';
import { asDocument, prettyDocument } from '../../../web/src/lib/json-doc.js';
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH, UNMANAGED_GROUP } from '../../../web/src/lib/layout.js';
import { matchesFilters } from '../../../web/src/lib/live-match.js';
import { remediationFor, shellQuote } from '../../../web/src/lib/remediation.js';
import {
  DEFAULT_STATE,
  driftQuery,
  EMPTY_FILTERS,
  parseHash,
  toHash,
} from '../../../web/src/lib/url-state.js';
import { backoffDelay, socketUrl } from '../../../web/src/live.js';
import type { GraphEdge, GraphNode } from '../../../web/src/types.js';

function drift(patch: Partial<Drift> = {}): Drift {
  return {
    id: 'd-1',
    kind: 'modified',
    severity: 'high',
    ruleId: 'ec2.instance.modify',
    resource: {
      type: 'aws_instance',
      address: 'module.app.aws_instance.web[0]',
      id: 'i-0abc',
      arn: null,
      stateFile: 'prod.tfstate',
    },
    changes: [{ attribute: 'instance_type', expected: 't3.micro', actual: 't3.large' }],
    actor: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::1:assumed-role/Admin/alice',
      name: 'alice',
      accountId: '1',
      sourceIp: null,
      userAgent: null,
    },
    event: {
      id: 'ev-1',
      name: 'ModifyInstanceAttribute',
      source: 'ec2.amazonaws.com',
      time: '2026-01-01T10:00:00Z',
      region: 'eu-west-1',
      account: '1',
    },
    summary: 'alice changed instance_type',
    status: 'open',
    detectedAt: '2026-01-01T10:00:01Z',
    ...patch,
  };
}

describe('lineDiff', () => {
  it('marks removed and added lines around the common ones', () => {
    expect(lineDiff('a\nb\nc', 'a\nx\nc')).toEqual([
      { op: 'same', text: 'a' },
      { op: 'del', text: 'b' },
      { op: 'add', text: 'x' },
      { op: 'same', text: 'c' },
    ]);
    expect(lineDiff('same', 'same')).toEqual([{ op: 'same', text: 'same' }]);
  });

  it('gives up (null) on inputs too large for the quadratic table', () => {
    expect(lineDiff('x\n'.repeat(2000), 'y')).toBeNull();
  });
});

describe('policy documents', () => {
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] };

  it('recognises objects, JSON strings and URL-encoded JSON (as CloudTrail sends IAM policies)', () => {
    expect(asDocument(policy)).toBe(policy);
    expect(asDocument(JSON.stringify(policy))).toEqual(policy);
    expect(asDocument(encodeURIComponent(JSON.stringify(policy)))).toEqual(policy);
    expect(asDocument('t3.micro')).toBeUndefined();
    expect(asDocument('{not json')).toBeUndefined();
  });

  it('pretty-prints with sorted keys so that key order is no difference', () => {
    const reordered = { Statement: [{ Action: 's3:GetObject', Effect: 'Allow' }], Version: '2012-10-17' };
    expect(prettyDocument(policy)).toBe(prettyDocument(reordered));
    expect(prettyDocument(policy).split('\n')[1]).toBe('  "Statement": [');
  });
});

describe('URL state', () => {
  it('round-trips view, filters, sort and selection through the hash', () => {
    const state = {
      view: 'table' as const,
      filters: { ...EMPTY_FILTERS, status: ['open', 'acknowledged'], severity: ['critical'], q: 'sg & "x"' },
      sort: 'actor' as const,
      order: 'asc' as const,
      drift: 'd-1',
      node: 'module.a.aws_instance.web["k"]',
      page: 3,
    };
    expect(parseHash(toHash(state))).toEqual(state);
    expect(toHash(state)).toContain('page=3');
    expect(toHash(DEFAULT_STATE)).toBe('#');
    expect(parseHash('#view=bogus&sort=nonsense&page=-2')).toEqual(DEFAULT_STATE);
  });

  it('shows open drifts by default, and every status only when asked', () => {
    expect(parseHash('#').filters.status).toEqual(['open']);
    expect(driftQuery(parseHash('#')).status).toBe('open');
    const all = { ...DEFAULT_STATE, filters: { ...DEFAULT_STATE.filters, status: [] } };
    expect(toHash(all)).toBe('#status=any');
    expect(parseHash('#status=any').filters.status).toEqual([]);
    expect(driftQuery(parseHash('#status=any')).status).toBeUndefined();
    expect(parseHash('#status=resolved').filters.status).toEqual(['resolved']);
  });

  it('turns filters into the query of GET /drifts', () => {
    const state = parseHash('#severity=high,critical&kind=deleted&actor=alice&sort=severity');
    expect(driftQuery(state)).toEqual({
      sort: 'severity',
      order: 'desc',
      status: 'open',
      severity: 'high,critical',
      kind: 'deleted',
      actor: 'alice',
    });
  });
});

describe('console links', () => {
  it('builds per-type console URLs with the ids encoded', () => {
    expect(resourceConsoleLink(drift())?.href).toBe(
      'https://eu-west-1.console.aws.amazon.com/ec2/home?region=eu-west-1#InstanceDetails:instanceId=i-0abc',
    );
    const bucket = drift({
      resource: {
        type: 'aws_s3_bucket_policy',
        address: 'aws_s3_bucket_policy.p',
        id: 'my-bucket',
        arn: null,
        stateFile: 'x',
      },
    });
    expect(resourceConsoleLink(bucket)?.href).toBe(
      'https://s3.console.aws.amazon.com/s3/buckets/my-bucket?region=eu-west-1&tab=properties',
    );
  });

  it('never lets event data choose the host or break out of the fragment', () => {
    const hostile = drift({
      event: { ...drift().event, region: 'evil.example.com/x', id: '"><script>x</script>' },
      resource: {
        type: 'aws_unknown_thing',
        address: 'a.b',
        id: 'javascript:alert(1)',
        arn: null,
        stateFile: 'x',
      },
    });
    expect(safeRegion('evil.example.com/x')).toBe('us-east-1');
    const trail = cloudTrailLink(hostile).href;
    expect(
      trail.startsWith('https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/'),
    ).toBe(true);
    expect(trail).toContain('%22%3E%3Cscript%3Ex%3C%2Fscript%3E');
    const search = resourceConsoleLink(hostile)?.href ?? '';
    expect(search.startsWith('https://us-east-1.console.aws.amazon.com/resource-explorer/')).toBe(true);
    expect(search).toContain('javascript%3Aalert(1)');
  });
});

describe('remediation', () => {
  it('targets plan and apply at the address, quoted for the shell', () => {
    const steps = remediationFor(drift());
    expect(steps[0].code).toBe(
      "terraform plan -target='module.app.aws_instance.web[0]'\nterraform apply -target='module.app.aws_instance.web[0]'",
    );
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
  });

  it('offers an import block for unmanaged resources', () => {
    const steps = remediationFor(
      drift({
        kind: 'unmanaged',
        resource: { type: 'aws_s3_bucket', address: null, id: 'tmp-exports', arn: null, stateFile: null },
      }),
    );
    expect(steps[0].code).toBe('import {\n  to = aws_s3_bucket.tmp-exports\n  id = "tmp-exports"\n}');
    expect(steps[1].code).toBe("terraform import 'aws_s3_bucket.tmp-exports' 'tmp-exports'");
  });
});

describe('live rows against the current filters', () => {
  it('admits a drift only when every filter matches', () => {
    const d = drift();
    expect(matchesFilters(d, EMPTY_FILTERS)).toBe(true);
    expect(matchesFilters(d, { ...EMPTY_FILTERS, severity: ['high'], status: ['open'] })).toBe(true);
    expect(matchesFilters(d, { ...EMPTY_FILTERS, severity: ['low'] })).toBe(false);
    expect(matchesFilters(d, { ...EMPTY_FILTERS, q: 'INSTANCE_TYPE' })).toBe(true);
    expect(matchesFilters(d, { ...EMPTY_FILTERS, q: 'bucket' })).toBe(false);
    expect(matchesFilters(d, { ...EMPTY_FILTERS, resource: 'i-0abc' })).toBe(true);
    expect(matchesFilters(d, { ...EMPTY_FILTERS, from: '2026-01-02T00:00' })).toBe(false);
  });
});

describe('graph layout', () => {
  function graph(size: number): { nodes: GraphNode[]; edges: GraphEdge[] } {
    const nodes: GraphNode[] = [];
    const edges: GraphEdge[] = [];
    for (let i = 0; i < size; i++) {
      const module = i % 10 === 0 ? null : `module.m${i % 7}`;
      const address = `${module ? `${module}.` : ''}aws_instance.r${i}`;
      nodes.push({
        id: address,
        address,
        type: 'aws_instance',
        module,
        stateFile: `s${i % 3}.tfstate`,
        resourceId: `i-${i}`,
        managed: true,
        drift: { open: 0, severity: null },
      });
      const target = nodes[i - 7];
      if (target && i % 2) edges.push({ id: `${address}->${target.id}`, source: address, target: target.id });
    }
    nodes.push({
      id: 'unmanaged:aws_s3_bucket:x',
      address: null,
      type: 'aws_s3_bucket',
      module: null,
      stateFile: null,
      resourceId: 'x',
      managed: false,
      drift: { open: 1, severity: 'medium' },
    });
    return { nodes, edges };
  }

  it('groups by state file and module, puts unmanaged resources first, and overlaps nothing', () => {
    const { nodes, edges } = graph(300);
    const layout = layoutGraph(nodes, edges);
    expect(layout.groups[0].id).toBe(UNMANAGED_GROUP);
    expect(layout.nodes.size).toBe(nodes.length);
    const boxes = [...layout.centres.values()].map((c) => ({
      x: c.x - NODE_WIDTH / 2,
      y: c.y - NODE_HEIGHT / 2,
    }));
    const overlapping = boxes.some((a, i) =>
      boxes.some((b, j) => j > i && Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT),
    );
    expect(overlapping).toBe(false);
    for (const group of layout.groups) {
      for (let k = 0; k < layout.groups.length; k++) {
        const other = layout.groups[k];
        if (other === group) continue;
        const apart =
          group.position.x + group.width <= other.position.x ||
          other.position.x + other.width <= group.position.x ||
          group.position.y + group.height <= other.position.y ||
          other.position.y + other.height <= group.position.y;
        expect(apart).toBe(true);
      }
    }
  });

  it('lays out 2,000 resources in well under a second', () => {
    const { nodes, edges } = graph(2000);
    const started = performance.now();
    const layout = layoutGraph(nodes, edges);
    const elapsed = performance.now() - started;
    expect(layout.nodes.size).toBe(2001);
    expect(elapsed).toBeLessThan(3000);
  });
});

describe('live feed connection', () => {
  it('resumes from the last cursor and carries the token on the WebSocket URL', () => {
    expect(socketUrl('/ws', 'c-42', 'tok en', 'https://dash.example.com/app/')).toBe(
      'wss://dash.example.com/ws?since=c-42&token=tok+en',
    );
    expect(socketUrl('wss://abc.execute-api.eu-west-1.amazonaws.com/prod', null, null, 'https://x/')).toBe(
      'wss://abc.execute-api.eu-west-1.amazonaws.com/prod',
    );
  });

  it('backs off exponentially with jitter, capped at 30 s', () => {
    expect(backoffDelay(0, 0)).toBe(250);
    expect(backoffDelay(0, 1)).toBe(500);
    expect(backoffDelay(3, 1)).toBe(4000);
    expect(backoffDelay(20, 1)).toBe(30_000);
  });
});
