// The net-drift fold (lambdas/core/net.ts) on the inputs it is given — each event's findings and
// attribute effects — for the behaviours a mutation run found untested
// (npx stryker run --mutate lambdas/core/net.ts). Each test checks the value on both sides.

import { describe, expect, it } from 'vitest';
import { normaliseRecord } from '../../lambdas/core/cloudtrail.js';
import type { AttributeEffect } from '../../lambdas/core/detect.js';
import { netFindingId } from '../../lambdas/core/detect.js';
import { type DetectedEvent, foldNetDrift, NetFold } from '../../lambdas/core/net.js';
import { buildStateIndex } from '../../lambdas/core/state.js';
import type { Finding, Severity } from '../../lambdas/core/types.js';
import { stateOf } from './rules/harness.js';

const state = buildStateIndex([
  { file: 'main.tfstate', text: stateOf({ type: 'aws_widget', name: 'w', attributes: { id: 'w-1' } }) },
]);
const managed: Finding['resource'] = {
  type: 'aws_widget',
  address: 'aws_widget.w',
  id: 'w-1',
  arn: null,
  stateFile: 'main.tfstate',
};

/** A call at minute `n` by `user` (an IAM user; a service-linked role when `user` starts with svc:). */
function call(n: number, user = 'alice', request: Record<string, unknown> = {}) {
  const time = `2026-01-01T00:${String(n).padStart(2, '0')}:00Z`;
  return normaliseRecord({
    eventID: `e-${n}`,
    eventTime: time,
    eventSource: 'widgets.amazonaws.com',
    eventName: n % 2 === 0 ? 'SetSize' : 'SetColour',
    awsRegion: 'us-east-1',
    userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/${user}`, userName: user },
    requestParameters: request,
  });
}

const setEffect = (
  attribute: string,
  expected: unknown,
  actual: unknown,
  extra: Partial<AttributeEffect> = {},
): AttributeEffect =>
  ({
    op: 'set',
    resource: managed,
    ruleId: 'rule-set',
    severity: 'medium',
    attribute,
    expected,
    actual,
    same: JSON.stringify(expected) === JSON.stringify(actual),
    ...extra,
  }) as AttributeEffect;

const itemsEffect = (
  op: 'add' | 'remove',
  expected: unknown[],
  items: unknown[],
  sensitive = false,
): AttributeEffect => ({
  op,
  resource: managed,
  ruleId: 'rule-items',
  severity: 'high',
  attribute: 'rules',
  expected,
  items,
  sensitive,
});

function finding(
  kind: Finding['kind'],
  resource: Finding['resource'],
  extra: Partial<Finding> = {},
): Finding {
  return {
    id: 'per-event',
    kind,
    severity: 'medium',
    ruleId: `rule-${kind}`,
    resource,
    changes: [],
    actor: { type: 'IAMUser', arn: null, name: null, accountId: null, sourceIp: null, userAgent: null },
    event: { id: 'x', name: 'X', source: 's', time: '', region: '', account: '' },
    summary: '',
    ...extra,
  };
}

const detected = (
  n: number,
  effects: AttributeEffect[],
  findings: Finding[] = [],
  user = 'alice',
  request: Record<string, unknown> = {},
): DetectedEvent => ({ event: call(n, user, request), effects, findings });

describe('foldNetDrift', () => {
  it('folds the last value set in time order, whatever order the events come in', () => {
    const events = [
      detected(3, [setEffect('size', 1, 3)]),
      detected(1, [setEffect('size', 1, 2)]),
      detected(2, [setEffect('size', 1, 1)]),
    ];
    const [net] = foldNetDrift(events, state);
    expect(net.changes).toEqual([{ attribute: 'size', expected: 1, actual: 3 }]);
    expect(net.events?.map((e) => e.id)).toEqual(['e-1', 'e-2', 'e-3']);
    expect(net.summary).toBe('alice changed size from 1 to 3 on aws_widget.w (3 events, last SetColour)');
    // Set back last: no drift.
    expect(foldNetDrift([events[2], events[1]], state)).toEqual([]);
  });

  it('takes the highest severity of the events and the last event’s rule', () => {
    const severities: Severity[] = ['low', 'critical', 'medium'];
    const events = severities.map((severity, i) =>
      detected(i + 1, [setEffect('size', 1, i + 2, { severity, ruleId: `rule-${severity}` })]),
    );
    const [net] = foldNetDrift(events, state);
    expect(net.severity).toBe('critical');
    expect(net.ruleId).toBe('rule-medium');
    const [lowOnly] = foldNetDrift(
      [
        detected(1, [setEffect('size', 1, 2, { severity: 'low' })]),
        detected(2, [setEffect('size', 1, 3, { severity: 'low' })]),
      ],
      state,
    );
    expect(lowOnly.severity).toBe('low');
  });

  it('is service-driven only when every event was, and says so only then', () => {
    const service = (n: number) => detected(n, [setEffect('size', 1, n + 1, { serviceDriven: true })]);
    const person = (n: number) => detected(n, [setEffect('size', 1, n + 1)]);
    expect(foldNetDrift([service(1), service(2)], state)[0].serviceDriven).toBe(true);
    expect(foldNetDrift([service(1), person(2)], state)[0].serviceDriven).toBeUndefined();
    expect(foldNetDrift([person(1), service(2)], state)[0].serviceDriven).toBeUndefined();
    const gone = (n: number, serviceDriven?: boolean) =>
      detected(n, [], [finding('deleted', managed, serviceDriven ? { serviceDriven } : {})]);
    expect(foldNetDrift([gone(1, true)], state)[0].serviceDriven).toBe(true);
    expect(foldNetDrift([gone(1, true), gone(2)], state)[0].serviceDriven).toBeUndefined();
  });

  it('folds set items: added then removed is nothing; the rest is sorted, state first', () => {
    const add = detected(1, [itemsEffect('add', ['b', 'a'], ['d', 'c'])]);
    const removeOne = detected(2, [itemsEffect('remove', ['b', 'a', 'd', 'c'], ['d'])]);
    const [net] = foldNetDrift([add, removeOne], state);
    expect(net.changes).toEqual([{ attribute: 'rules', expected: ['a', 'b'], actual: ['a', 'b', 'c'] }]);
    const removeBoth = detected(2, [itemsEffect('remove', ['a', 'b', 'c', 'd'], ['c', 'd'])]);
    expect(foldNetDrift([add, removeBoth], state)).toEqual([]);
    // Same count, different items: still drift.
    const swap = detected(1, [itemsEffect('add', ['a'], ['b'])]);
    const dropA = detected(2, [itemsEffect('remove', ['a', 'b'], ['a'])]);
    expect(foldNetDrift([swap, dropA], state)[0].changes).toEqual([
      { attribute: 'rules', expected: ['a'], actual: ['b'] },
    ]);
  });

  it('hides secret set items on both sides', () => {
    const [net] = foldNetDrift([detected(1, [itemsEffect('add', ['k1'], ['k2'], true)])], state);
    expect(net.changes).toEqual([{ attribute: 'rules', expected: '(sensitive)', actual: '(sensitive)' }]);
    expect(net.summary).toBe(
      'alice changed rules from (sensitive) to (sensitive) on aws_widget.w (SetColour)',
    );
  });

  it('a set after items replaces the value; items after a set start from the items’ state', () => {
    const [net] = foldNetDrift(
      [
        detected(1, [itemsEffect('add', ['a'], ['b'])]),
        detected(2, [{ ...setEffect('rules', ['a'], ['z']) }]),
      ],
      state,
    );
    expect(net.changes).toEqual([{ attribute: 'rules', expected: ['a'], actual: ['z'] }]);
  });

  it('folds value-less findings per resource and kind; value changes only from effects', () => {
    const unmanaged: Finding['resource'] = {
      type: 'aws_widget',
      address: null,
      id: 'w-9',
      arn: null,
      stateFile: null,
    };
    const byArn: Finding['resource'] = {
      type: 'aws_widget',
      address: null,
      id: null,
      arn: 'arn:w-8',
      stateFile: null,
    };
    const modifiedWithChange = finding('modified', managed, {
      changes: [{ attribute: 'size', expected: 1, actual: 2 }],
    });
    const findings = foldNetDrift(
      [
        detected(1, [], [finding('unmanaged', unmanaged), finding('unmanaged', byArn), modifiedWithChange]),
        detected(
          2,
          [],
          [finding('unmanaged', unmanaged, { severity: 'high' }), finding('modified', managed)],
          'bob',
        ),
      ],
      state,
    );
    expect(
      findings.map((f) => [f.kind, f.resource.id ?? f.resource.arn, f.events?.length, f.changes]),
    ).toEqual([
      ['unmanaged', 'w-9', 2, []],
      ['unmanaged', 'arn:w-8', 1, []],
      ['modified', 'w-1', 1, []],
    ]);
    expect(findings[0].summary).toBe(
      'alice, bob created aws_widget w-9, which no Terraform state manages (2 events, last SetSize)',
    );
    expect(findings[0].severity).toBe('high');
    expect(findings[1].summary).toBe(
      'alice created aws_widget arn:w-8, which no Terraform state manages (SetColour)',
    );
    expect(findings[2].summary).toBe('bob changed aws_widget.w outside Terraform (SetSize)');
    expect(findings[2].id).not.toBe(findings[0].id);
  });

  it('keeps resources of two state files apart', () => {
    const other = { ...managed, stateFile: 'other.tfstate' };
    const findings = foldNetDrift(
      [detected(1, [setEffect('size', 1, 2)]), detected(2, [setEffect('size', 1, 1, { resource: other })])],
      state,
    );
    expect(findings.map((f) => f.resource.stateFile)).toEqual(['main.tfstate']);
  });

  it('names distinct actors once, at most three by name, then a count', () => {
    const users = ['ann', 'ben', 'cat', 'dan', 'ann'];
    const events = users.map((user, i) => detected(i + 1, [setEffect('size', 1, i + 2)], [], user));
    const [net] = foldNetDrift(events, state);
    expect(net.actors?.map((a) => a.name)).toEqual(['ann', 'ben', 'cat', 'dan']);
    expect(net.summary.startsWith('ann, ben, cat and 1 more changed size')).toBe(true);
    const [three] = foldNetDrift(events.slice(0, 3), state);
    expect(three.summary.startsWith('ann, ben, cat changed size')).toBe(true);
  });

  it('tells actors apart by type, ARN and name together', () => {
    const nameless = (n: number, arn: string) => ({
      ...detected(n, [setEffect('size', 1, n + 1)]),
      event: { ...call(n), actor: { ...call(n).actor, name: null, arn } },
    });
    const [net] = foldNetDrift([nameless(1, 'arn:a'), nameless(2, 'arn:b'), nameless(3, 'arn:a')], state);
    expect(net.actors?.map((a) => a.arn)).toEqual(['arn:a', 'arn:b']);
    expect(net.summary.startsWith('arn:a, arn:b changed size')).toBe(true);
    const anonymous = {
      ...detected(1, [setEffect('size', 1, 2)]),
      event: { ...call(1), actor: { ...call(1).actor, name: null, arn: null } },
    };
    expect(foldNetDrift([anonymous], state)[0].summary.startsWith('unknown principal changed')).toBe(true);
  });

  it('counts a call once per group, but two calls sharing an eventID with different requests twice', () => {
    const twice = detected(1, [setEffect('size', 1, 2), setEffect('size', 1, 2)]);
    expect(foldNetDrift([twice], state)[0].events).toHaveLength(1);
    const a = detected(1, [setEffect('size', 1, 2)], [], 'alice', { size: 2 });
    const b = detected(1, [setEffect('size', 1, 3)], [], 'alice', { size: 3 });
    expect(foldNetDrift([a, b], state)[0].events).toHaveLength(2);
  });

  it('shortens long values and shows a missing one as null', () => {
    const long = 'v'.repeat(61);
    const [net] = foldNetDrift([detected(1, [setEffect('policy', 'p'.repeat(60), long)])], state);
    expect(net.summary).toBe(
      `alice changed policy from ${'p'.repeat(60)} to ${'v'.repeat(57)}... on aws_widget.w (SetColour)`,
    );
    const [missing] = foldNetDrift([detected(1, [setEffect('policy', undefined, 'x')])], state);
    expect(missing.summary).toBe('alice changed policy from null to x on aws_widget.w (SetColour)');
  });
});

describe('NetFold (foldNetDrift as events arrive)', () => {
  it('keeps only events with effects or value-less findings, and folds them like foldNetDrift', () => {
    const fold = new NetFold(7);
    const valueChange = finding('modified', managed, {
      changes: [{ attribute: 'size', expected: 1, actual: 2 }],
    });
    fold.add(call(1), [valueChange], []);
    expect(fold.size).toBe(0);
    fold.add(call(2), [], [setEffect('size', 1, 2)]);
    expect(fold.size).toBe(1);
    fold.add(call(3), [finding('deleted', managed)], []);
    expect(fold.size).toBe(2);
    const all = [detected(2, [setEffect('size', 1, 2)]), detected(3, [], [finding('deleted', managed)])];
    const strip = (findings: Finding[]) =>
      findings.map(({ id, kind, changes, summary }) => ({ id, kind, changes, summary }));
    expect(strip(fold.findings(state))).toEqual(strip(foldNetDrift(all, state)));
  });

  it('counts the same call added twice once, whatever the seed', () => {
    for (const seed of [1, 2]) {
      const fold = new NetFold(seed);
      fold.add(call(1), [], [setEffect('size', 1, 2)]);
      fold.add(call(1), [], [setEffect('size', 1, 2)]);
      fold.add(call(1, 'alice', { other: true }), [], [setEffect('size', 1, 3)]);
      const [net] = fold.findings(state);
      expect(net.events).toHaveLength(2);
      expect(net.changes).toEqual([{ attribute: 'size', expected: 1, actual: 3 }]);
    }
  });

  it('reports a resource as the earliest call named it, even when a call added before names it with more fields', () => {
    const fold = new NetFold(3);
    const unmanaged: Finding['resource'] = {
      type: 'aws_widget',
      address: null,
      id: 'w-9',
      arn: null,
      stateFile: null,
    };
    // Added out of time order: the earlier call's resource is the one reported.
    fold.add(call(2), [finding('unmanaged', { ...unmanaged, arn: 'arn:w-9' })], []);
    fold.add(call(1), [finding('unmanaged', unmanaged)], []);
    const [net] = fold.findings(state);
    expect(net.resource).toEqual(unmanaged);
    expect(net.events).toHaveLength(2);
  });
});

describe('what the fold keeps once', () => {
  const bobActor = { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/bob', name: 'bob' };
  const byBob = (n: number, actor: Record<string, unknown>): DetectedEvent => {
    const event = call(n, 'bob');
    return {
      event: { ...event, actor: actor as unknown as typeof event.actor },
      effects: [setEffect('size', 1, n)],
      findings: [],
    };
  };

  it('gives the last event its own actor when an earlier one has the same fields and more', () => {
    // Prepare: the same principal, IP and agent; the earlier actor also names whom it acted for.
    const more = { ...bobActor, sourceIp: '10.0.0.1', userAgent: 'cli', onBehalfOf: 'u-1' };
    const fewer = { ...bobActor, sourceIp: '10.0.0.1', userAgent: 'cli' };

    // Act
    const [last] = foldNetDrift([byBob(1, more), byBob(2, fewer)], state);
    const [first] = foldNetDrift([byBob(2, more), byBob(1, fewer)], state);

    // Assess
    expect(JSON.stringify(last.actor)).toBe(JSON.stringify(fewer));
    expect(JSON.stringify(first.actor)).toBe(JSON.stringify(more));
  });

  it('gives the last event its own actor when an earlier one lists the same fields in another order', () => {
    // Prepare: one actor's fields, written in two orders (the report writes them as they are).
    const ordered = { ...bobActor, sourceIp: '10.0.0.1', userAgent: 'cli' };
    const reordered = { userAgent: 'cli', sourceIp: '10.0.0.1', ...bobActor };

    // Act
    const [last] = foldNetDrift([byBob(1, ordered), byBob(2, reordered)], state);
    const [first] = foldNetDrift([byBob(2, ordered), byBob(1, reordered)], state);

    // Assess
    expect(JSON.stringify(last.actor)).toBe(JSON.stringify(reordered));
    expect(JSON.stringify(first.actor)).toBe(JSON.stringify(ordered));
  });

  it('folds two references with the same fields as one resource', () => {
    // Prepare: the second call names the managed resource through a copy of its reference.
    const copy = { ...managed };

    // Act
    const findings = foldNetDrift(
      [detected(1, [setEffect('size', 1, 2)]), detected(2, [setEffect('size', 1, 3, { resource: copy })])],
      state,
    );

    // Assess: one finding, both events, the last value.
    expect(findings).toHaveLength(1);
    expect(findings[0].changes).toEqual([{ attribute: 'size', expected: 1, actual: 3 }]);
    expect(findings[0].events?.map((e) => e.id)).toEqual(['e-1', 'e-2']);
    expect(findings[0].resource).toEqual(managed);
  });

  it('keeps a value-less change and a deletion of one resource apart', () => {
    // Act
    const findings = foldNetDrift(
      [detected(1, [], [finding('modified', managed)]), detected(2, [], [finding('deleted', managed)])],
      state,
    );

    // Assess
    expect(findings.map((f) => [f.kind, f.events?.map((e) => e.id)])).toEqual([
      ['modified', ['e-1']],
      ['deleted', ['e-2']],
    ]);
  });
});

describe('more folds', () => {
  it('removing one of the state’s set items is drift', () => {
    const [net] = foldNetDrift([detected(1, [itemsEffect('remove', ['a', 'b'], ['b'])])], state);
    expect(net.changes).toEqual([{ attribute: 'rules', expected: ['a', 'b'], actual: ['a'] }]);
  });

  it('a deleted resource folds into one finding with the id of its resource and kind', () => {
    const [net] = foldNetDrift(
      [detected(1, [], [finding('deleted', managed)]), detected(2, [], [finding('deleted', managed)], 'bob')],
      state,
    );
    expect(net.summary).toBe('alice, bob deleted aws_widget.w outside Terraform (2 events, last SetSize)');
    expect(net.id).toBe(netFindingId(state, managed, 'deleted', ''));
    expect(net.id).not.toBe(netFindingId(state, managed, 'modified', ''));
  });

  it('a created resource known by neither id nor ARN is named by its type alone', () => {
    const bare: Finding['resource'] = {
      type: 'aws_widget',
      address: null,
      id: null,
      arn: null,
      stateFile: null,
    };
    const [net] = foldNetDrift([detected(1, [], [finding('unmanaged', bare)])], state);
    expect(net.summary).toBe('alice created aws_widget, which no Terraform state manages (SetColour)');
  });

  it('two sessions of one role are two actors', () => {
    const session = (n: number, name: string) => ({
      ...detected(n, [setEffect('size', 1, n + 1)]),
      event: {
        ...call(n),
        actor: { ...call(n).actor, type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/r', name },
      },
    });
    const [net] = foldNetDrift([session(1, 'ann'), session(2, 'ben'), session(3, 'ann')], state);
    expect(net.actors?.map((a) => a.name)).toEqual(['ann', 'ben']);
  });
});

it('NetFold reports the id the earliest call saw, when a later-added call saw another', () => {
  const fold = new NetFold(5);
  fold.add(call(2), [finding('deleted', { ...managed, id: 'w-new' })], []);
  fold.add(call(1), [finding('deleted', managed)], []);
  const [net] = fold.findings(state);
  expect(net.resource.id).toBe('w-1');
  expect(net.events).toHaveLength(2);
});
