// Judgements of lambdas/core/detect.ts that a mutation run left untested
// (npx stryker run --mutate lambdas/core/detect.ts): the scan's fold-only mode, attributes a
// dedicated resource takes over (splitInto), per-item targets' other identities, and inputs a
// hand-written rule or a damaged state can bring. Each test checks both sides of the value.

import { describe, expect, it } from 'vitest';
import { normaliseRecord } from '../../lambdas/core/cloudtrail.js';
import { DEFAULT_CONFIG, type DetectConfig } from '../../lambdas/core/config.js';
import {
  type AttributeEffect,
  type DetectContext,
  detectEvent,
  netFindingId,
} from '../../lambdas/core/detect.js';
import type { RuleSpec } from '../../lambdas/core/rule-types.js';
import { buildStateIndex } from '../../lambdas/core/state.js';
import type { ProcessedEvent } from '../../lambdas/core/types.js';
import { autoScalingCaller, findingsOf, reasonOf, record, rulesOf, widget } from '../support/widget-rules.js';
import { type StateResourceInput, stateOf } from './rules/harness.js';

function context(
  rules: RuleSpec[],
  resources: StateResourceInput[],
  options: { config?: DetectConfig; foldOnly?: boolean } = {},
): DetectContext {
  const state = buildStateIndex([{ file: 'main.tfstate', text: stateOf(...resources) }]);
  return {
    rules: rulesOf(...rules),
    state,
    config: options.config ?? DEFAULT_CONFIG,
    foldOnly: options.foldOnly,
  };
}

function judge(
  rules: RuleSpec[],
  raw: Record<string, unknown>,
  resources: StateResourceInput[],
  options: { config?: DetectConfig; foldOnly?: boolean } = {},
  effects?: AttributeEffect[],
): ProcessedEvent {
  return detectEvent(normaliseRecord(raw), context(rules, resources, options), effects);
}

const setSize: RuleSpec = {
  id: 'widget-size',
  eventNames: ['SetSize'],
  change: 'modify',
  severity: 'medium',
  targets: [
    {
      types: ['aws_widget'],
      identity: [{ path: 'requestParameters.id', by: 'id' }],
      attributes: [
        { attribute: 'size', path: 'requestParameters.size' },
        { attribute: 'colour', path: 'requestParameters.colour' },
      ],
    },
  ],
};
const setColour: RuleSpec = {
  ...setSize,
  id: 'widget-colour',
  severity: 'high',
  targets: [
    { ...setSize.targets[0], attributes: [{ attribute: 'colour', path: 'requestParameters.colour' }] },
  ],
};

describe('fold-only detection (what a net scan reads)', () => {
  const call = record('SetSize', { id: 'w-1', size: 2, colour: 'red' });
  const state = [widget('w-1', { colour: 'blue' })];

  it('leaves id and summary empty, also when two rules merge on one resource', () => {
    const [folded] = findingsOf(judge([setSize, setColour], call, state, { foldOnly: true }));
    const [full] = findingsOf(judge([setSize, setColour], call, state));

    expect([folded.id, folded.summary]).toEqual(['', '']);
    expect(full.id).toMatch(/^d-/);
    expect(full.summary).toBe('alice changed size from 1 to 2 on aws_widget.w-1 and 1 more (SetSize)');
    // What the fold reads is the same either way.
    expect([folded.kind, folded.severity, folded.ruleId, folded.resource, folded.changes]).toEqual([
      full.kind,
      full.severity,
      full.ruleId,
      full.resource,
      full.changes,
    ]);
  });

  it('leaves them empty for a single rule’s finding too', () => {
    const [folded] = findingsOf(judge([setSize], call, state, { foldOnly: true }));
    const [full] = findingsOf(judge([setSize], call, state, { foldOnly: false }));
    expect([folded.id, folded.summary]).toEqual(['', '']);
    expect(full.id).not.toBe('');
    expect(full.summary).toContain('alice changed size from 1 to 2');
  });
});

describe('the id of a net finding', () => {
  const resources = [widget('w-1'), widget('w-2')];
  const index = (file: string, lineage = 'lin-1') =>
    buildStateIndex([
      { file, text: stateOf(...resources).replace('"lineage":"test"', `"lineage":"${lineage}"`) },
    ]);
  const refOf = (state: ReturnType<typeof index>, i: number) => {
    const r = state.resources[i];
    return { type: r.type, address: r.address, id: r.id, arn: r.arn, stateFile: r.stateFile };
  };

  it('depends on the resource, the kind and the attribute, and on the state’s lineage, not its path', () => {
    const here = index('./main.tfstate');
    const there = index('s3://bucket/main.tfstate');
    const other = index('./main.tfstate', 'lin-2');
    const id = netFindingId(here, refOf(here, 0), 'modified', 'size');

    expect(id).toMatch(/^n-[0-9a-f]+$/);
    expect(netFindingId(there, refOf(there, 0), 'modified', 'size')).toBe(id);
    expect(netFindingId(here, refOf(here, 0), 'modified', 'size')).toBe(id);
    const others = [
      netFindingId(other, refOf(other, 0), 'modified', 'size'),
      netFindingId(here, refOf(here, 1), 'modified', 'size'),
      netFindingId(here, refOf(here, 0), 'deleted', 'size'),
      netFindingId(here, refOf(here, 0), 'modified', 'colour'),
    ];
    expect(new Set([id, ...others]).size).toBe(5);
  });
});

describe('attributes a dedicated resource takes over (splitInto)', () => {
  const setPolicy: RuleSpec = {
    id: 'widget-policy',
    eventNames: ['SetPolicy'],
    change: 'modify',
    severity: 'high',
    targets: [
      {
        types: ['aws_widget'],
        identity: [{ path: 'requestParameters.id', by: 'id' }],
        attributes: [
          {
            attribute: 'policy',
            path: 'requestParameters.policy',
            splitInto: {
              types: ['aws_widget_policy'],
              identity: [
                { path: 'requestParameters.policyName', by: 'name' },
                { path: 'requestParameters.id', by: 'widget' },
              ],
            },
          },
        ],
      },
    ],
  };
  const parent = widget('w-1', { policy: 'old' });
  const split = {
    type: 'aws_widget_policy',
    name: 'p',
    attributes: { id: 'p-1', widget: 'w-1', name: 'pol' },
  };

  it('is reported on the parent without a split resource in state, and held by one', () => {
    // The call names the widget only: the split resource is looked up by it.
    const noSplit = judge([setPolicy], record('SetPolicy', { id: 'w-1', policy: 'new' }), [parent]);
    expect(findingsOf(noSplit)[0].changes).toEqual([{ attribute: 'policy', expected: 'old', actual: 'new' }]);
    const held = judge([setPolicy], record('SetPolicy', { id: 'w-1', policy: 'new' }), [parent, split]);
    expect(reasonOf(held)).toBe('no-change');
  });

  it('is held by the split resource when any of its identities finds it', () => {
    // The policy name is given but names no resource; the widget id finds the split one.
    const call = record('SetPolicy', { id: 'w-1', policyName: 'other', policy: 'new' });
    expect(reasonOf(judge([setPolicy], call, [parent, split]))).toBe('no-change');
    expect(findingsOf(judge([setPolicy], call, [parent]))[0].changes).toHaveLength(1);
  });

  it('is reported on the parent when the call gives none of the split resource’s identities', () => {
    const bare: RuleSpec = {
      ...setPolicy,
      targets: [
        {
          ...setPolicy.targets[0],
          attributes: [
            {
              attribute: 'policy',
              path: 'requestParameters.policy',
              splitInto: {
                types: ['aws_widget_policy'],
                identity: [{ path: 'requestParameters.policyName', by: 'name' }],
              },
            },
          ],
        },
      ],
    };
    const call = record('SetPolicy', { id: 'w-1', policy: 'new' });
    expect(findingsOf(judge([bare], call, [parent, split]))[0].changes).toEqual([
      { attribute: 'policy', expected: 'old', actual: 'new' },
    ]);
    const named = record('SetPolicy', { id: 'w-1', policyName: 'pol', policy: 'new' });
    expect(reasonOf(judge([bare], named, [parent, split]))).toBe('no-change');
  });
});

describe('per-item targets with other identities', () => {
  const changes = [
    { name: 'a', size: 5 },
    { name: 'c', size: 7 },
  ];
  /** BatchSetSize setting each changed widget's size, found by the identities given. */
  const batchRule = (identity: NonNullable<RuleSpec['targets']>[number]['identity']): RuleSpec => ({
    id: 'widget-batch',
    eventNames: ['BatchSetSize'],
    change: 'modify',
    severity: 'medium',
    targets: [
      {
        types: ['aws_widget'],
        identity,
        attributes: [{ attribute: 'size', path: 'requestParameters.changes[*].size' }],
      },
    ],
  });

  it('finds the [*] template after an ordinary one the call cannot fill', () => {
    const batch = batchRule([
      { template: 'w-{requestParameters.id}', by: 'id' },
      { template: 'w-{requestParameters.changes[*].name}', by: 'id' },
    ]);
    const findings = findingsOf(
      judge([batch], record('BatchSetSize', { changes }), [widget('w-a'), widget('w-c')]),
    );
    expect(findings.map((f) => [f.resource.id, f.changes[0].actual])).toEqual([
      ['w-a', 5],
      ['w-c', 7],
    ]);
  });

  it('pins a path identity to its item too', () => {
    // The template names no widget in state; the path identity of each item finds that item's.
    const batch = batchRule([
      { template: 'w-{requestParameters.changes[*].name}', by: 'id' },
      { path: 'requestParameters.changes[*].name', by: 'id' },
    ]);
    const findings = findingsOf(
      judge([batch], record('BatchSetSize', { changes }), [widget('a'), widget('c')]),
    );
    expect(findings.map((f) => [f.resource.id, f.changes])).toEqual([
      ['a', [{ attribute: 'size', expected: 1, actual: 5 }]],
      ['c', [{ attribute: 'size', expected: 1, actual: 7 }]],
    ]);
  });

  it('a template with a literal [*] outside its paths is an ordinary identity', () => {
    const literal: RuleSpec = {
      ...setSize,
      targets: [{ ...setSize.targets[0], identity: [{ template: 'w[*]-{requestParameters.id}', by: 'id' }] }],
    };
    const call = record('SetSize', { id: 'a', size: 4 });
    expect(findingsOf(judge([literal], call, [widget('w[*]-a')]))[0].changes).toEqual([
      { attribute: 'size', expected: 1, actual: 4 },
    ]);
    expect(reasonOf(judge([literal], call, [widget('w-a')]))).toBe('not-managed');
  });
});

describe('inputs a hand-written rule or a damaged state can bring', () => {
  it('an empty identity value is dropped before its transform, so no transform invents one', () => {
    // `present` reads a missing value as false: an empty flag must not find the widget whose flag is false.
    const byFlag: RuleSpec = {
      ...setSize,
      targets: [
        {
          ...setSize.targets[0],
          identity: [{ path: 'requestParameters.flag', by: 'enabled', transform: 'present' }],
        },
      ],
    };
    const flagged = [widget('w-1', { enabled: false })];
    expect(reasonOf(judge([byFlag], record('SetSize', { flag: '', size: 4 }), flagged))).toBe('not-in-state');
    // A flag that is there reads as true and finds the widget whose flag is true.
    const on = [widget('w-1', { enabled: true })];
    expect(findingsOf(judge([byFlag], record('SetSize', { flag: 'yes', size: 4 }), on))).toHaveLength(1);
  });

  it('a tags_all that is not a map is not read as the tags', () => {
    const tagRule: RuleSpec = {
      id: 'widget-tags',
      eventNames: ['TagWidget'],
      change: 'modify',
      severity: 'low',
      targets: [
        {
          types: ['aws_widget'],
          identity: [{ path: 'requestParameters.id', by: 'id' }],
          attributes: [{ attribute: 'tags', path: 'requestParameters.tags', op: 'merge-map' }],
        },
      ],
    };
    const call = record('TagWidget', { id: 'w-1', tags: { team: 'a' } });
    // tags_all a string (damaged): tags is read, where team is already a.
    expect(
      reasonOf(judge([tagRule], call, [widget('w-1', { tags: { team: 'a' }, tags_all: 'broken' })])),
    ).toBe('no-change');
    // tags_all a map: it is read (team b there).
    expect(
      findingsOf(judge([tagRule], call, [widget('w-1', { tags: { team: 'a' }, tags_all: { team: 'b' } })]))[0]
        .changes,
    ).toEqual([{ attribute: 'tags.team', expected: 'b', actual: 'a' }]);
  });

  it('ignores an attribute named by address.attribute on that resource only', () => {
    const config = { ...DEFAULT_CONFIG, ignoreAttributes: ['aws_widget.big.size'] };
    const state = [widget('w-1', {}, 'big'), widget('w-2', {}, 'small')];
    expect(reasonOf(judge([setSize], record('SetSize', { id: 'w-1', size: 4 }), state, { config }))).toBe(
      'ignored-attribute',
    );
    expect(
      findingsOf(judge([setSize], record('SetSize', { id: 'w-2', size: 4 }), state, { config }))[0].changes,
    ).toEqual([{ attribute: 'size', expected: 1, actual: 4 }]);
  });

  it('the effect of setting a sensitive attribute is redacted on both sides, and says whether it changed', () => {
    const effects: AttributeEffect[] = [];
    judge(
      [setSize],
      record('SetSize', { id: 'w-1', size: 4, colour: 'red' }),
      [{ ...widget('w-1', { colour: 'red' }), sensitive: ['size'] }],
      {},
      effects,
    );
    expect(
      effects.map((e) => (e.op === 'set' ? [e.op, e.attribute, e.expected, e.actual, e.same] : [e.op])),
    ).toEqual([
      ['set', 'size', '(sensitive)', '(sensitive)', false],
      ['set', 'colour', 'red', 'red', true],
    ]);
  });

  it('a scaling policy with an empty group name does not excuse a resource without a name', () => {
    const scaled = record('SetSize', { id: 'w-1', size: 2 }, autoScalingCaller);
    const policy = (group: string) => ({
      type: 'aws_autoscaling_policy',
      name: 'p',
      attributes: { id: 'p', autoscaling_group_name: group },
    });
    const nameless = widget('w-1', { name: '' });
    const [finding] = findingsOf(judge([setSize], scaled, [nameless, policy('')]));
    expect([finding.serviceDriven, finding.severity]).toEqual([true, 'low']);
    // The policy of the widget's own group (its id) does excuse it.
    expect(reasonOf(judge([setSize], scaled, [nameless, policy('w-1')]))).toBe('service-driven');
  });
  it('a create rule for an account-level singleton (identity by type) names what no state holds by *', () => {
    const enable: RuleSpec = {
      id: 'widget-detector',
      eventNames: ['CreateDetector'],
      change: 'create',
      severity: 'high',
      targets: [{ types: ['aws_widget_detector'], identity: [{ by: 'type' }] }],
    };
    const call = record('CreateDetector', {});
    const [finding] = findingsOf(judge([enable], call, [widget('w-1')]));
    expect([finding.kind, finding.resource.id, finding.resource.arn]).toEqual(['unmanaged', '*', null]);
    expect(finding.summary).toBe(
      'alice created aws_widget_detector *, which no Terraform state manages (CreateDetector)',
    );
    const held = { type: 'aws_widget_detector', name: 'd', attributes: { id: 'det-1' } };
    expect(findingsOf(judge([enable], call, [held]))[0].kind).toBe('modified');
  });
});
