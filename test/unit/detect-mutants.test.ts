// Judgements of the detection engine that a mutation run of lambdas/core/detect.ts found untested
// (npx stryker run --mutate lambdas/core/detect.ts): each test names the behaviour a surviving
// mutant broke and checks it on both sides. Rules are written inline (compileRuleSet, the product's
// own compiler) so each test shows the one rule feature it exercises.

import { describe, expect, it } from 'vitest';
import { normaliseRecord } from '../../lambdas/core/cloudtrail.js';
import { DEFAULT_CONFIG, type DetectConfig } from '../../lambdas/core/config.js';
import {
  type AttributeEffect,
  detectEvent,
  detectEvents,
  quickVerdict,
  summarise,
} from '../../lambdas/core/detect.js';
import type { RuleSpec } from '../../lambdas/core/rule-types.js';
import { buildStateIndex } from '../../lambdas/core/state.js';
import type { Finding, ProcessedEvent } from '../../lambdas/core/types.js';
import {
  ACCOUNT,
  autoScalingCaller,
  findingsOf,
  reasonOf,
  record,
  rulesOf,
  SOURCE,
  widget,
} from '../support/widget-rules.js';
import { type StateResourceInput, stateOf } from './rules/harness.js';

function judge(
  rules: RuleSpec[],
  raw: Record<string, unknown>,
  resources: StateResourceInput[],
  config: DetectConfig = DEFAULT_CONFIG,
): ProcessedEvent {
  const state = buildStateIndex([{ file: 'main.tfstate', text: stateOf(...resources) }]);
  return detectEvent(normaliseRecord(raw), { rules: rulesOf(...rules), state, config });
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
      attributes: [{ attribute: 'size', path: 'requestParameters.size' }],
    },
  ],
};

describe('per-item targets (a template identity with [*])', () => {
  const batch: RuleSpec = {
    id: 'widget-batch',
    eventNames: ['BatchSetSize'],
    change: 'modify',
    severity: 'medium',
    when: { requestParameters: { kind: ['batch'] } },
    targets: [
      {
        types: ['aws_widget'],
        when: { action: ['UPSERT'] },
        identity: [{ template: 'w-{requestParameters.changes[*].name}', by: 'id' }],
        attributes: [{ attribute: 'size', path: 'requestParameters.changes[*].size' }],
      },
    ],
  };
  const changes = [
    { action: 'UPSERT', name: 'a', size: 5 },
    { action: 'DELETE', name: 'b', size: 9 },
    { action: 'UPSERT', name: 'c', size: 3 },
  ];

  it('judges each item with its own identity and value, and skips items the target’s when rejects', () => {
    const result = judge([batch], record('BatchSetSize', { kind: 'batch', changes }), [
      widget('w-a'),
      widget('w-b'),
      widget('w-c', { size: 3 }),
    ]);
    const findings = findingsOf(result);
    // w-a changed 1 → 5; w-b is a DELETE item (skipped, its size 9 is not judged); w-c already 3.
    expect(findings.map((f) => [f.resource.id, f.changes])).toEqual([
      ['w-a', [{ attribute: 'size', expected: 1, actual: 5 }]],
    ]);
    expect(result.restored).toEqual([
      { address: 'aws_widget.w-c', stateFile: 'main.tfstate', attributes: ['size'] },
    ]);
  });

  it('says no-change when every item holds the state’s value, and keeps the rule’s own when', () => {
    const same = judge([batch], record('BatchSetSize', { kind: 'batch', changes }), [
      widget('w-a', { size: 5 }),
      widget('w-c', { size: 3 }),
    ]);
    expect(reasonOf(same)).toBe('no-change');
    expect(same.restored).toHaveLength(2);
    const otherKind = judge([batch], record('BatchSetSize', { kind: 'single', changes }), [widget('w-a')]);
    expect(reasonOf(otherKind)).toBe('no-rule');
  });

  it('says not-in-state when no item names a managed resource, or the list is empty', () => {
    expect(
      reasonOf(judge([batch], record('BatchSetSize', { kind: 'batch', changes }), [widget('w-z')])),
    ).toBe('not-managed');
    expect(
      reasonOf(judge([batch], record('BatchSetSize', { kind: 'batch', changes: [] }), [widget('w-a')])),
    ).toBe('not-in-state');
    expect(reasonOf(judge([batch], record('BatchSetSize', { kind: 'batch' }), [widget('w-a')]))).toBe(
      'not-in-state',
    );
  });
});

describe('two rules on one call and one resource', () => {
  const setColour: RuleSpec = {
    id: 'widget-colour',
    eventNames: ['SetSize'],
    change: 'modify',
    severity: 'high',
    targets: [
      {
        types: ['aws_widget'],
        identity: [{ path: 'requestParameters.id', by: 'id' }],
        attributes: [
          { attribute: 'colour', path: 'requestParameters.colour' },
          { attribute: 'size', path: 'requestParameters.size' },
        ],
      },
    ],
  };
  const deleteToo: RuleSpec = { ...setColour, id: 'widget-gone', severity: 'low', change: 'delete' };

  it('merge into one finding: each attribute once, the higher severity, a summary counting the rest', () => {
    const result = judge([setSize, setColour], record('SetSize', { id: 'w-1', size: 2, colour: 'red' }), [
      widget('w-1', { colour: 'blue' }),
    ]);
    const [finding] = findingsOf(result);
    expect(findingsOf(result)).toHaveLength(1);
    expect(finding.changes).toEqual([
      { attribute: 'size', expected: 1, actual: 2 },
      { attribute: 'colour', expected: 'blue', actual: 'red' },
    ]);
    expect(finding.severity).toBe('high');
    expect(finding.kind).toBe('modified');
    expect(finding.summary).toBe('alice changed size from 1 to 2 on aws_widget.w-1 and 1 more (SetSize)');
  });

  it('a delete judged by either rule makes the merged finding a deletion, keeping the higher severity', () => {
    for (const rules of [
      [setSize, deleteToo],
      [deleteToo, setSize],
    ]) {
      const [finding] = findingsOf(judge(rules, record('SetSize', { id: 'w-1', size: 2 }), [widget('w-1')]));
      expect(finding.kind).toBe('deleted');
      expect(finding.severity).toBe('medium');
      expect(finding.summary).toBe('alice deleted aws_widget.w-1 outside Terraform (SetSize)');
    }
  });

  it('findings on several resources come sorted by state file and address', () => {
    const both: RuleSpec = {
      ...setSize,
      targets: [
        {
          types: ['aws_widget'],
          identity: [{ path: 'requestParameters.ids[*]', by: 'id' }],
          attributes: [{ attribute: 'size', path: 'requestParameters.size' }],
        },
      ],
    };
    const result = judge([both], record('SetSize', { ids: ['w-b', 'w-a'], size: 2 }), [
      widget('w-b'),
      widget('w-a'),
    ]);
    expect(findingsOf(result).map((f) => f.resource.address)).toEqual(['aws_widget.w-a', 'aws_widget.w-b']);
  });
});

describe('identities', () => {
  const byPort = (where?: Record<string, string>): RuleSpec => ({
    id: 'listener-port',
    eventNames: ['SetPort'],
    change: 'modify',
    severity: 'low',
    targets: [
      {
        types: ['aws_listener'],
        identity: [{ path: 'requestParameters.port', by: 'port', ...(where ? { where } : {}) }],
        attributes: [{ attribute: 'protocol', path: 'requestParameters.protocol' }],
      },
    ],
  });
  const listener = (port: number, open: boolean): StateResourceInput => ({
    type: 'aws_listener',
    name: `l${port}_${open ? 'open' : 'closed'}`,
    attributes: { id: `l-${port}-${open}`, port: String(port), open, protocol: 'HTTP' },
  });

  it('a number or boolean in the record identifies like its text (port 443, open: false)', () => {
    const result = judge(
      [byPort({ open: 'requestParameters.open' })],
      record('SetPort', { port: 443, open: false, protocol: 'HTTPS' }),
      [listener(443, true), listener(443, false), listener(80, false)],
    );
    expect(findingsOf(result).map((f) => f.resource.id)).toEqual(['l-443-false']);
  });

  it('every where attribute must hold, and a missing where path drops the identity', () => {
    const rule = byPort({ open: 'requestParameters.open', protocol: 'requestParameters.was' });
    const raw = record('SetPort', { port: 443, open: true, was: 'TCP', protocol: 'HTTPS' });
    expect(reasonOf(judge([rule], raw, [listener(443, true)]))).toBe('not-managed');
    const missing = record('SetPort', { port: 443, protocol: 'HTTPS' });
    expect(
      reasonOf(judge([byPort({ open: 'requestParameters.open' })], missing, [listener(443, true)])),
    ).toBe('not-in-state');
  });

  it('an empty string identifies nothing, and a template with a missing part is no identity', () => {
    expect(reasonOf(judge([setSize], record('SetSize', { id: '', size: 2 }), [widget('')]))).toBe(
      'not-in-state',
    );
    const templated: RuleSpec = {
      ...setSize,
      targets: [
        {
          types: ['aws_widget'],
          identity: [
            { template: '{requestParameters.group}/{requestParameters.name}', by: 'id' },
            { path: 'requestParameters.fallback', by: 'id' },
          ],
          attributes: [{ attribute: 'size', path: 'requestParameters.size' }],
        },
      ],
    };
    const whole = judge([templated], record('SetSize', { group: 'g', name: 'n', size: 2 }), [widget('g/n')]);
    expect(findingsOf(whole)[0].resource.id).toBe('g/n');
    // Without `group` the template is incomplete: the next identity (fallback) is used instead of "/n".
    const partial = judge([templated], record('SetSize', { name: 'n', fallback: '/n', size: 2 }), [
      widget('/n', {}, 'slash'),
      widget('x', {}, 'other'),
    ]);
    expect(findingsOf(partial).map((f) => f.resource.id)).toEqual(['/n']);
    expect(
      reasonOf(judge([templated], record('SetSize', { name: 'n', size: 2 }), [widget('/n', {}, 'slash')])),
    ).toBe('not-in-state');
  });

  it('by type without a path means every resource of the target’s types, and only those', () => {
    const singleton: RuleSpec = {
      ...setSize,
      targets: [
        {
          types: ['aws_widget_settings'],
          identity: [{ by: 'type' }],
          attributes: [{ attribute: 'size', path: 'requestParameters.size' }],
        },
      ],
    };
    const result = judge([singleton], record('SetSize', { size: 2 }), [
      widget('w-1'),
      { type: 'aws_widget_settings', name: 'account', attributes: { id: ACCOUNT, size: 1 } },
    ]);
    expect(findingsOf(result).map((f) => f.resource.type)).toEqual(['aws_widget_settings']);
  });

  it('by arn finds the resource by its ARN, by id by its id, and neither by the other', () => {
    const arnOf = (id: string) => `arn:aws:widgets:us-east-1:${ACCOUNT}:widget/${id}`;
    const byArn: RuleSpec = {
      ...setSize,
      targets: [{ ...setSize.targets[0], identity: [{ path: 'requestParameters.id', by: 'arn' }] }],
    };
    const state = [widget('w-1', { arn: arnOf('w-1') })];
    expect(
      findingsOf(judge([byArn], record('SetSize', { id: arnOf('w-1'), size: 2 }), state))[0].resource.id,
    ).toBe('w-1');
    expect(reasonOf(judge([byArn], record('SetSize', { id: 'w-1', size: 2 }), state))).toBe('not-managed');
    expect(reasonOf(judge([setSize], record('SetSize', { id: arnOf('w-1'), size: 2 }), state))).toBe(
      'not-managed',
    );
  });
});

describe('resources created outside Terraform', () => {
  const create: RuleSpec = {
    id: 'widget-create',
    eventNames: ['CreateWidget'],
    change: 'modify',
    severity: 'low',
    targets: [
      {
        types: ['aws_widget'],
        change: 'create',
        identity: [{ path: 'responseElements.widgetArn', by: 'arn' }],
      },
    ],
  };
  const arn = `arn:aws:widgets:us-east-1:${ACCOUNT}:widget/w-9`;
  const created = record('CreateWidget', {}, { responseElements: { widgetArn: arn } });

  it('a target that creates (the rule itself modifies) reports an unmanaged resource by its ARN', () => {
    const [finding] = findingsOf(judge([create], created, [widget('w-1')]));
    expect(finding.kind).toBe('unmanaged');
    expect(finding.resource).toEqual({ type: 'aws_widget', address: null, id: null, arn, stateFile: null });
    expect(finding.summary).toBe(
      `alice created aws_widget ${arn}, which no Terraform state manages (CreateWidget)`,
    );
  });

  it('by id it reports the id, and an ignored resource is ignored-resource, not silence', () => {
    const byId: RuleSpec = {
      ...create,
      targets: [
        { types: ['aws_widget'], change: 'create', identity: [{ path: 'requestParameters.name', by: 'id' }] },
      ],
    };
    const raw = record('CreateWidget', { name: 'w-9' });
    const [finding] = findingsOf(judge([byId], raw, []));
    expect(finding.resource).toEqual({
      type: 'aws_widget',
      address: null,
      id: 'w-9',
      arn: null,
      stateFile: null,
    });
    expect(finding.summary).toBe(
      'alice created aws_widget w-9, which no Terraform state manages (CreateWidget)',
    );
    const ignoring = { ...DEFAULT_CONFIG, ignoreResources: ['aws_widget:w-9'] };
    expect(reasonOf(judge([byId], raw, [], ignoring))).toBe('ignored-resource');
    const ignoringArn = { ...DEFAULT_CONFIG, ignoreResources: [`aws_widget:${arn}`] };
    expect(reasonOf(judge([create], created, [], ignoringArn))).toBe('ignored-resource');
    expect(reasonOf(judge([create], created, [], ignoring))).toBe('drift');
  });

  it('a modify rule whose resource is not in state is not-managed, not unmanaged', () => {
    expect(
      reasonOf(judge([{ ...create, targets: [{ ...create.targets[0], change: undefined }] }], created, [])),
    ).toBe('not-managed');
  });
});

describe('tags through the tagging API (types *)', () => {
  const tagAny: RuleSpec = {
    id: 'tag-any',
    eventNames: ['TagResources'],
    change: 'modify',
    severity: 'low',
    targets: [
      {
        types: ['*'],
        identity: [{ path: 'requestParameters.arn', by: 'arn' }],
        attributes: [{ attribute: 'tags', path: 'requestParameters.tags', op: 'merge-map' }],
      },
    ],
  };
  const arn = `arn:aws:widgets:us-east-1:${ACCOUNT}:widget/w-1`;

  it('judges only the resource with tags among those sharing the ARN, against tags_all', () => {
    const result = judge([tagAny], record('TagResources', { arn, tags: { team: 'b', env: 'prod' } }), [
      { type: 'aws_widget_policy', name: 'policy', attributes: { id: 'p', arn } },
      widget('w-1', { arn, tags: { team: 'a' }, tags_all: { team: 'a', env: 'prod' } }),
    ]);
    const findings = findingsOf(result);
    expect(findings.map((f) => f.resource.type)).toEqual(['aws_widget']);
    // env=prod comes from the provider's default_tags (tags_all): no change; team is one.
    expect(findings[0].changes).toEqual([{ attribute: 'tags.team', expected: 'a', actual: 'b' }]);
  });

  it('a rule on every type that sets no tags still finds a resource without tags', () => {
    const any: RuleSpec = {
      ...tagAny,
      targets: [
        { ...tagAny.targets[0], attributes: [{ attribute: 'size', path: 'requestParameters.size' }] },
      ],
    };
    const result = judge([any], record('TagResources', { arn, size: 3 }), [
      { type: 'aws_widget_policy', name: 'policy', attributes: { id: 'p', arn, size: 1 } },
    ]);
    expect(findingsOf(result).map((f) => f.resource.type)).toEqual(['aws_widget_policy']);
  });

  it('an explicit state path or a set op reads tags, not tags_all', () => {
    const explicit: RuleSpec = {
      ...tagAny,
      targets: [
        {
          ...tagAny.targets[0],
          types: ['aws_widget'],
          attributes: [{ attribute: 'tags', state: 'tags', path: 'requestParameters.tags', op: 'merge-map' }],
        },
      ],
    };
    const state = [widget('w-1', { arn, tags: { team: 'a' }, tags_all: { team: 'a', env: 'prod' } })];
    const [finding] = findingsOf(
      judge([explicit], record('TagResources', { arn, tags: { env: 'prod' } }), state),
    );
    expect(finding.changes).toEqual([{ attribute: 'tags.env', expected: null, actual: 'prod' }]);
  });
});

describe('values compared', () => {
  it('the first state path holding a value is the expected one', () => {
    const fallback: RuleSpec = {
      ...setSize,
      targets: [
        {
          ...setSize.targets[0],
          attributes: [
            { attribute: 'size', state: ['desired_size', 'size'], path: 'requestParameters.size' },
          ],
        },
      ],
    };
    const [withDesired] = findingsOf(
      judge([fallback], record('SetSize', { id: 'w-1', size: 2 }), [widget('w-1', { desired_size: 4 })]),
    );
    expect(withDesired.changes).toEqual([{ attribute: 'size', expected: 4, actual: 2 }]);
    const [without] = findingsOf(
      judge([fallback], record('SetSize', { id: 'w-1', size: 2 }), [widget('w-1')]),
    );
    expect(without.changes).toEqual([{ attribute: 'size', expected: 1, actual: 2 }]);
  });

  it('a path matching several values compares the list; one value compares the value', () => {
    const list: RuleSpec = {
      ...setSize,
      targets: [
        {
          ...setSize.targets[0],
          attributes: [{ attribute: 'ports', path: 'requestParameters.rules[*].port' }],
        },
      ],
    };
    const many = judge([list], record('SetSize', { id: 'w-1', rules: [{ port: 80 }, { port: 443 }] }), [
      widget('w-1', { ports: [80] }),
    ]);
    expect(findingsOf(many)[0].changes).toEqual([{ attribute: 'ports', expected: [80], actual: [80, 443] }]);
    const one = judge([list], record('SetSize', { id: 'w-1', rules: [{ port: 80 }] }), [
      widget('w-1', { ports: 80 }),
    ]);
    expect(reasonOf(one)).toBe('no-change');
  });

  it('a fixed value in the rule is compared when the record has no path for it', () => {
    const stop: RuleSpec = {
      ...setSize,
      eventNames: ['StopWidget'],
      targets: [{ ...setSize.targets[0], attributes: [{ attribute: 'running', value: false }] }],
    };
    const [finding] = findingsOf(
      judge([stop], record('StopWidget', { id: 'w-1' }), [widget('w-1', { running: true })]),
    );
    expect(finding.changes).toEqual([{ attribute: 'running', expected: true, actual: false }]);
    expect(
      reasonOf(judge([stop], record('StopWidget', { id: 'w-1' }), [widget('w-1', { running: false })])),
    ).toBe('no-change');
  });

  it('an attribute the rule marks sensitive is redacted on both sides; the others are not', () => {
    const secret: RuleSpec = {
      ...setSize,
      targets: [
        {
          ...setSize.targets[0],
          attributes: [
            { attribute: 'pin', path: 'requestParameters.pin', sensitive: true },
            { attribute: 'size', path: 'requestParameters.size' },
          ],
        },
      ],
    };
    const [finding] = findingsOf(
      judge([secret], record('SetSize', { id: 'w-1', pin: '1234', size: 2 }), [
        widget('w-1', { pin: '0000' }),
      ]),
    );
    expect(finding.changes).toEqual([
      { attribute: 'pin', expected: '(sensitive)', actual: '(sensitive)' },
      { attribute: 'size', expected: 1, actual: 2 },
    ]);
  });

  it('EC2 DeleteTags naming a value removes the tag only when it has that value', () => {
    const untag: RuleSpec = {
      ...setSize,
      eventNames: ['DeleteTags'],
      targets: [
        {
          ...setSize.targets[0],
          attributes: [{ attribute: 'tags', path: 'requestParameters.tagSet', op: 'remove-keys' }],
        },
      ],
    };
    const state = [widget('w-1', { tags: { team: 'a', env: 'prod', owner: 'ops' } })];
    const tagSet = {
      items: [
        { key: 'team', value: 'a' },
        { key: 'env', value: 'dev' },
        { key: 'owner' },
        { Key: 'none', Value: '' },
      ],
    };
    const [finding] = findingsOf(judge([untag], record('DeleteTags', { id: 'w-1', tagSet }), state));
    // team=a matches: removed. env=dev does not match prod: kept. owner names no value: removed.
    expect(finding.changes).toEqual([
      { attribute: 'tags.team', expected: 'a', actual: null },
      { attribute: 'tags.owner', expected: 'ops', actual: null },
    ]);
    const plain = { tagSet: [{ Key: 'env', Value: 'prod' }] };
    const [direct] = findingsOf(judge([untag], record('DeleteTags', { id: 'w-1', ...plain }), state));
    expect(direct.changes).toEqual([{ attribute: 'tags.env', expected: 'prod', actual: null }]);
  });

  it('removing set items that are not in the state is no drift; removing one that is, is', () => {
    const revoke: RuleSpec = {
      ...setSize,
      eventNames: ['Revoke'],
      targets: [
        {
          ...setSize.targets[0],
          attributes: [{ attribute: 'cidrs', path: 'requestParameters.cidrs', op: 'remove-from-set' }],
        },
      ],
    };
    const state = [widget('w-1', { cidrs: ['10.0.0.0/8', '192.168.0.0/16'] })];
    expect(reasonOf(judge([revoke], record('Revoke', { id: 'w-1', cidrs: ['172.16.0.0/12'] }), state))).toBe(
      'no-change',
    );
    const [finding] = findingsOf(
      judge([revoke], record('Revoke', { id: 'w-1', cidrs: '10.0.0.0/8' }), state),
    );
    expect(finding.changes).toEqual([
      { attribute: 'cidrs', expected: ['10.0.0.0/8', '192.168.0.0/16'], actual: ['192.168.0.0/16'] },
    ]);
    const empty = [widget('w-1', { cidrs: null })];
    const [added] = findingsOf(
      judge(
        [
          {
            ...revoke,
            targets: [
              {
                ...revoke.targets[0],
                attributes: [{ attribute: 'cidrs', path: 'requestParameters.cidrs', op: 'add-to-set' }],
              },
            ],
          },
        ],
        record('Revoke', { id: 'w-1', cidrs: ['10.0.0.0/8'] }),
        empty,
      ),
    );
    expect(added.changes).toEqual([{ attribute: 'cidrs', expected: [], actual: ['10.0.0.0/8'] }]);
  });
});

describe('verdicts around the rules', () => {
  it('an ignored event glob matches the name alone or source:name', () => {
    const raw = record('SetSize', { id: 'w-1', size: 2 });
    const state = [widget('w-1')];
    expect(
      reasonOf(judge([setSize], raw, state, { ...DEFAULT_CONFIG, ignoreEvents: [`${SOURCE}:Set*`] })),
    ).toBe('ignored-event');
    expect(
      reasonOf(
        judge([setSize], raw, state, { ...DEFAULT_CONFIG, ignoreEvents: ['other.amazonaws.com:Set*'] }),
      ),
    ).toBe('drift');
  });

  it('a Terraform call marks a state write only when a rule covers the call', () => {
    const tf = { userAgent: 'APN/1.0 HashiCorp/1.0 Terraform/1.9.0 (+https://www.terraform.io)' };
    expect(judge([setSize], record('SetSize', { id: 'w-1', size: 2 }, tf), [widget('w-1')]).stateWrite).toBe(
      true,
    );
    const uncovered = judge([setSize], record('Other', { id: 'w-1' }, tf), [widget('w-1')]);
    expect(reasonOf(uncovered)).toBe('terraform');
    expect(uncovered.stateWrite).toBeUndefined();
  });

  it('names the actor by ARN when it has no name, and says so in the summary', () => {
    const raw = record(
      'SetSize',
      { id: 'w-1', size: 2 },
      {
        userIdentity: { type: 'AWSService', arn: 'arn:aws:iam::111122223333:root' },
      },
    );
    // An AWS service call without invokedBy has no name: the ARN stands in.
    const result = judge([setSize], raw, [widget('w-1')]);
    expect(result.actor).toBe('arn:aws:iam::111122223333:root');
    const nameless = judge(
      [setSize],
      record('SetSize', { id: 'w-1', size: 2 }, { userIdentity: { type: 'Unknown' } }),
      [widget('w-1')],
    );
    expect(nameless.actor).toBeNull();
    expect(findingsOf(nameless)[0].summary).toBe(
      'unknown principal changed size from 1 to 2 on aws_widget.w-1 (SetSize)',
    );
  });

  it('a call made by an AWS service itself is service-driven, named by the service', () => {
    const byService = record(
      'SetSize',
      { id: 'w-1', size: 2 },
      {
        userIdentity: { type: 'AWSService', invokedBy: 'autoscaling.amazonaws.com' },
      },
    );
    const [finding] = findingsOf(judge([setSize], byService, [widget('w-1')]));
    expect(finding.serviceDriven).toBe(true);
    expect(finding.severity).toBe('low');
    expect(finding.summary).toContain('[service-driven: autoscaling.amazonaws.com]');
    const unnamed = record('SetSize', { id: 'w-1', size: 2 }, { userIdentity: { type: 'AWSService' } });
    expect(findingsOf(judge([setSize], unnamed, [widget('w-1')]))[0].summary).toContain(
      '[service-driven: AWS service]',
    );
    const ignoring = { ...DEFAULT_CONFIG, serviceChanges: 'ignore' as const };
    const ignored = judge([setSize], byService, [widget('w-1')], ignoring);
    expect(ignored.outcome).toEqual({
      result: 'ignored',
      reason: 'service-driven',
      detail: 'autoscaling.amazonaws.com',
    });
    const person = judge([setSize], record('SetSize', { id: 'w-1', size: 2 }), [widget('w-1')], ignoring);
    expect(findingsOf(person)[0].serviceDriven).toBeUndefined();
  });

  it('a broken rule’s errors are joined, and detectEvents collects them beside the findings', () => {
    const broken = (id: string): RuleSpec => ({
      ...setSize,
      id,
    });
    const rules = rulesOf(broken('one'), broken('two'));
    const throwing = {
      ...rules,
      forEvent: () =>
        rules.rules.map((r) => ({
          ...r,
          get targets(): never {
            throw new Error('boom');
          },
        })),
    };
    const state = buildStateIndex([{ file: 'main.tfstate', text: stateOf(widget('w-1')) }]);
    const ctx = { rules: throwing, state, config: DEFAULT_CONFIG };
    const bad = normaliseRecord(record('SetSize', { id: 'w-1', size: 2 }));
    const good = normaliseRecord(record('SetSize', { id: 'w-1', size: 2 }, { eventID: 'evt-good' }));
    expect(detectEvent(bad, ctx).outcome).toEqual({
      result: 'error',
      error: 'rule one: boom; rule two: boom',
    });
    const goodCtx = { rules: rulesOf(setSize), state, config: DEFAULT_CONFIG };
    const mixed = detectEvents([good, bad], {
      ...goodCtx,
      rules: { ...goodCtx.rules, forEvent: (s, n) => (n === 'SetSize' ? goodCtx.rules.forEvent(s, n) : []) },
    });
    expect(mixed.findings.map((f) => f.event.id)).toEqual(['evt-good', 'evt-SetSize']);
    const errors = detectEvents([good, bad], ctx);
    expect(errors.findings).toEqual([]);
    expect(errors.errors).toEqual([
      { eventId: 'evt-good', message: 'rule one: boom; rule two: boom' },
      { eventId: 'evt-SetSize', message: 'rule one: boom; rule two: boom' },
    ]);
    expect(errors.processed).toHaveLength(2);
  });
});

describe('summaries', () => {
  const resource = { type: 'aws_widget', address: null, id: null, arn: null, stateFile: null };

  it('shortens long values to 60 characters and shows a missing value as null', () => {
    const long = 'x'.repeat(61);
    const sixty = 'y'.repeat(60);
    const text = summarise(
      'modified',
      { ...resource, id: 'w-1' },
      [{ attribute: 'a', expected: sixty, actual: long }],
      null,
    );
    expect(text).toBe(
      `unknown principal changed a from ${sixty} to ${'x'.repeat(57)}... on aws_widget w-1 ()`,
    );
    expect(summarise('modified', resource, [{ attribute: 'a', expected: undefined, actual: 1 }], null)).toBe(
      'unknown principal changed a from null to 1 on aws_widget ()',
    );
  });

  it('a merged summary names the earlier finding’s actor and call', () => {
    const previous = {
      actor: {
        type: 'IAMUser',
        arn: 'arn:aws:iam::1:user/bob',
        name: null,
        accountId: null,
        sourceIp: null,
        userAgent: null,
      },
      event: { id: 'e', name: 'PutThing', source: SOURCE, time: '', region: '', account: '' },
    } as unknown as Finding;
    expect(summarise('modified', { ...resource, address: 'aws_widget.a' }, [], null, previous)).toBe(
      'arn:aws:iam::1:user/bob changed aws_widget.a outside Terraform (PutThing)',
    );
    expect(summarise('unmanaged', { ...resource, arn: 'arn:x' }, [], null)).toBe(
      'unknown principal created aws_widget arn:x, which no Terraform state manages ()',
    );
  });
});

describe('scope: where a call acted', () => {
  const arnIn = (region: string, account = ACCOUNT) => `arn:aws:widgets:${region}:${account}:widget/w-1`;
  const remote = [widget('w-1', { arn: arnIn('eu-west-1') })];
  const judgeAt = (raw: Record<string, unknown>, rule: RuleSpec = setSize) =>
    reasonOf(judge([rule], raw, remote));
  const sizeCall = (extra: Record<string, unknown> = {}, request: Record<string, unknown> = {}) =>
    record('SetSize', { id: 'w-1', size: 2, ...request }, extra);

  it('a global service’s call is scoped by account only, whatever region it is logged in', () => {
    const globals = [
      'iam.amazonaws.com',
      'sts.amazonaws.com',
      'route53.amazonaws.com',
      'route53domains.amazonaws.com',
      'cloudfront.amazonaws.com',
      'organizations.amazonaws.com',
      'shield.amazonaws.com',
      'waf.amazonaws.com',
      'globalaccelerator.amazonaws.com',
      'budgets.amazonaws.com',
      'account.amazonaws.com',
    ];
    for (const eventSource of globals) {
      const rule = { ...setSize, eventSource };
      expect([eventSource, judgeAt(sizeCall({ eventSource }), rule)]).toEqual([eventSource, 'drift']);
    }
    expect(judgeAt(sizeCall())).toBe('not-managed');
    expect(judgeAt(sizeCall({ awsRegion: 'eu-west-1' }))).toBe('drift');
  });

  it('only a well-formed region or account id excludes a resource', () => {
    // Not region names: they tell nothing, so the resource stays in scope.
    for (const awsRegion of ['1us-east-1', 'us-east-1x', 'us-east'])
      expect([awsRegion, judgeAt(sizeCall({ awsRegion }))]).toEqual([awsRegion, 'drift']);
    // Region names, other than the resource's: out of scope.
    for (const awsRegion of ['us-gov-west-1', 'ap-southeast-10'])
      expect([awsRegion, judgeAt(sizeCall({ awsRegion }))]).toEqual([awsRegion, 'not-managed']);
    const here = { awsRegion: 'eu-west-1' };
    for (const recipientAccountId of ['4444555566661', 'x444455556666', 444455556666])
      expect([recipientAccountId, judgeAt(sizeCall({ ...here, recipientAccountId }))]).toEqual([
        recipientAccountId,
        'drift',
      ]);
    expect(judgeAt(sizeCall({ ...here, recipientAccountId: '444455556666' }))).toBe('not-managed');
  });

  it('a call that names the resource’s own ARN acted on it, wherever it was logged', () => {
    const arn = arnIn('eu-west-1');
    expect(judgeAt(sizeCall({ resources: [{ ARN: 'arn:other' }, { ARN: arn }] }))).toBe('drift');
    expect(judgeAt(sizeCall({}, { target: { list: [null, 7, arn] } }))).toBe('drift');
    expect(
      judgeAt(sizeCall({ resources: [{ ARN: 'arn:other' }] }, { target: { list: [null, 'arn:x'] } })),
    ).toBe('not-managed');
    // A resource without an ARN cannot be named so.
    const noArn = [widget('w-1', { region: 'eu-west-1' })];
    expect(reasonOf(judge([setSize], sizeCall({ resources: [{ ARN: arn }] }), noArn))).toBe('not-managed');
  });

  it('an identity by ARN needs no scope check, even when the ARN came from the response', () => {
    const fromResponse: RuleSpec = {
      ...setSize,
      targets: [{ ...setSize.targets[0], identity: [{ path: 'responseElements.widgetArn', by: 'arn' }] }],
    };
    const raw = sizeCall({ responseElements: { widgetArn: arnIn('eu-west-1') } });
    expect(judgeAt(raw, fromResponse)).toBe('drift');
  });
});

describe('service-driven changes of scaled resources', () => {
  const scaled = (id = 'w-1') => record('SetSize', { id, size: 2 }, autoScalingCaller);
  const web = widget('w-1', { name: 'web' });

  it('a scaling configuration of any kind in the same state file makes the service’s resize expected', () => {
    const types = [
      'aws_appautoscaling_target',
      'aws_appautoscaling_policy',
      'aws_appautoscaling_scheduled_action',
      'aws_autoscaling_policy',
      'aws_autoscaling_schedule',
    ];
    for (const type of types) {
      const scaling = { type, name: 'scale', attributes: { id: 'p', autoscaling_group_name: 'web' } };
      expect([type, reasonOf(judge([setSize], scaled(), [web, scaling]))]).toEqual([type, 'service-driven']);
    }
    // Not a scaling type, another group, or no configuration: the resize is reported (low, labelled).
    const attachment = {
      type: 'aws_autoscaling_attachment',
      name: 'a',
      attributes: { id: 'a', autoscaling_group_name: 'web' },
    };
    const otherGroup = {
      type: 'aws_autoscaling_policy',
      name: 'p',
      attributes: { id: 'p', autoscaling_group_name: 'api' },
    };
    for (const extra of [[attachment], [otherGroup], []]) {
      const [finding] = findingsOf(judge([setSize], scaled(), [web, ...extra]));
      expect(finding.serviceDriven).toBe(true);
      expect(finding.severity).toBe('low');
    }
  });

  it('an Application Auto Scaling target names the resource in its resource_id', () => {
    const target = (resourceId: string) => ({
      type: 'aws_appautoscaling_target',
      name: 't',
      attributes: { id: resourceId, resource_id: resourceId },
    });
    expect(reasonOf(judge([setSize], scaled(), [web, target('service/cluster/web')]))).toBe('service-driven');
    expect(reasonOf(judge([setSize], scaled(), [web, target('service/cluster/api')]))).toBe('drift');
    // The last segment of an id with a path (cluster/svc) is the name a target uses.
    const svc = widget('cluster/svc', {}, 'svc');
    expect(reasonOf(judge([setSize], scaled('cluster/svc'), [svc, target('service/other/svc')]))).toBe(
      'service-driven',
    );
  });

  it('only a modification is excused: a deletion by the service is still reported', () => {
    const gone: RuleSpec = { ...setSize, change: 'delete' };
    const scaling = {
      type: 'aws_autoscaling_policy',
      name: 'p',
      attributes: { id: 'p', autoscaling_group_name: 'web' },
    };
    const [finding] = findingsOf(judge([gone], scaled(), [web, scaling]));
    expect(finding.kind).toBe('deleted');
    expect(finding.changes).toEqual([]);
  });

  it('a scaling configuration in another state file does not excuse the change', () => {
    const state = buildStateIndex([
      { file: 'app.tfstate', text: stateOf(web) },
      {
        file: 'scaling.tfstate',
        text: stateOf({
          type: 'aws_autoscaling_policy',
          name: 'p',
          attributes: { id: 'p', autoscaling_group_name: 'web' },
        }),
      },
    ]);
    const result = detectEvent(normaliseRecord(scaled()), {
      rules: rulesOf(setSize),
      state,
      config: DEFAULT_CONFIG,
    });
    expect(reasonOf(result)).toBe('drift');
  });

  it('keeps the effects of earlier calls as they were when a later call is service-driven', () => {
    const state = buildStateIndex([{ file: 'main.tfstate', text: stateOf(web) }]);
    const ctx = { rules: rulesOf(setSize), state, config: DEFAULT_CONFIG };
    const effects: AttributeEffect[] = [];
    detectEvent(normaliseRecord(record('SetSize', { id: 'w-1', size: 5 })), ctx, effects);
    detectEvent(normaliseRecord(scaled()), ctx, effects);
    expect(effects.map((e) => [e.severity, e.serviceDriven ?? false, e.op === 'set' && e.actual])).toEqual([
      ['medium', false, 5],
      ['low', true, 2],
    ]);
  });
});

describe('rule options', () => {
  it('a configured severity override replaces the rule’s severity and its escalations', () => {
    const escalating: RuleSpec = {
      ...setSize,
      escalate: [{ severity: 'critical', when: { requestParameters: { size: [{ numeric: ['>', 100] }] } } }],
    };
    const big = record('SetSize', { id: 'w-1', size: 500 });
    expect(findingsOf(judge([escalating], big, [widget('w-1')]))[0].severity).toBe('critical');
    const overridden = { ...DEFAULT_CONFIG, severityOverrides: { 'widget-size': 'low' as const } };
    expect(findingsOf(judge([escalating], big, [widget('w-1')], overridden))[0].severity).toBe('low');
    const otherRule = { ...DEFAULT_CONFIG, severityOverrides: { other: 'low' as const } };
    expect(findingsOf(judge([escalating], big, [widget('w-1')], otherRule))[0].severity).toBe('critical');
  });

  it('a rule with a creating target among others reports unmanaged only for what no target finds', () => {
    const twoTargets: RuleSpec = {
      id: 'widget-create-2',
      eventNames: ['CreateWidget'],
      change: 'modify',
      severity: 'low',
      targets: [
        { types: ['aws_widget_group'], identity: [{ path: 'requestParameters.group', by: 'id' }] },
        { types: ['aws_widget'], change: 'create', identity: [{ path: 'requestParameters.name', by: 'id' }] },
      ],
    };
    const [finding] = findingsOf(judge([twoTargets], record('CreateWidget', { name: 'w-9' }), []));
    expect(finding.kind).toBe('unmanaged');
    expect(finding.changes).toEqual([]);
    expect(finding.resource.id).toBe('w-9');
  });

  it('per-item targets pin [*] in identity paths and keep the target’s own change kind', () => {
    const batchDelete: RuleSpec = {
      id: 'widget-batch-delete',
      eventNames: ['BatchDelete'],
      change: 'modify',
      severity: 'medium',
      targets: [
        {
          types: ['aws_widget'],
          change: 'delete',
          identity: [
            { template: '{requestParameters.items[*].missing}', by: 'id' },
            { path: 'requestParameters.items[*].id', by: 'id' },
          ],
        },
      ],
    };
    const findings = findingsOf(
      judge([batchDelete], record('BatchDelete', { items: [{ id: 'w-2' }, { id: 'w-1' }] }), [
        widget('w-1'),
        widget('w-2'),
      ]),
    );
    expect(findings.map((f) => [f.kind, f.resource.id])).toEqual([
      ['deleted', 'w-1'],
      ['deleted', 'w-2'],
    ]);
  });

  it('by type with a path applies only when the record has that path', () => {
    const typed: RuleSpec = {
      ...setSize,
      targets: [
        {
          types: ['aws_widget'],
          identity: [{ path: 'requestParameters.account', by: 'type' }],
          attributes: [{ attribute: 'size', path: 'requestParameters.size' }],
        },
      ],
    };
    expect(reasonOf(judge([typed], record('SetSize', { account: ACCOUNT, size: 2 }), [widget('w-1')]))).toBe(
      'drift',
    );
    expect(reasonOf(judge([typed], record('SetSize', { size: 2 }), [widget('w-1')]))).toBe('not-in-state');
  });

  it('by type on a target of every type (*) names no resource, and is no error', () => {
    const anyType: RuleSpec = {
      ...setSize,
      targets: [
        {
          types: ['*'],
          identity: [{ by: 'type' }],
          attributes: [{ attribute: 'size', path: 'requestParameters.size' }],
        },
      ],
    };
    expect(reasonOf(judge([anyType], record('SetSize', { size: 2 }), [widget('w-1')]))).toBe('not-managed');
  });

  it('a delete of any type (*) without attributes finds the resource by ARN', () => {
    const arn = `arn:aws:widgets:us-east-1:${ACCOUNT}:widget/w-1`;
    const anyDelete: RuleSpec = {
      ...setSize,
      change: 'delete',
      targets: [{ types: ['*'], identity: [{ path: 'requestParameters.arn', by: 'arn' }] }],
    };
    const [finding] = findingsOf(judge([anyDelete], record('SetSize', { arn }), [widget('w-1', { arn })]));
    expect(finding.kind).toBe('deleted');
  });

  it('tags through the tagging API with other attributes too still skip resources without tags', () => {
    const arn = `arn:aws:widgets:us-east-1:${ACCOUNT}:widget/w-1`;
    const tagAndSize: RuleSpec = {
      ...setSize,
      targets: [
        {
          types: ['*'],
          identity: [{ path: 'requestParameters.arn', by: 'arn' }],
          attributes: [
            { attribute: 'size', path: 'requestParameters.size' },
            { attribute: 'tags', path: 'requestParameters.tags', op: 'merge-map' },
          ],
        },
      ],
    };
    const result = judge([tagAndSize], record('SetSize', { arn, size: 2, tags: { team: 'b' } }), [
      { type: 'aws_widget_policy', name: 'policy', attributes: { id: 'p', arn, size: 1 } },
      widget('w-1', { arn, tags_all: { team: 'a' } }),
    ]);
    expect(findingsOf(result).map((f) => [f.resource.type, f.changes.length])).toEqual([['aws_widget', 2]]);
  });

  it('a map op on another attribute than tags reads that attribute, not tags_all', () => {
    const labels: RuleSpec = {
      ...setSize,
      targets: [
        {
          ...setSize.targets[0],
          attributes: [{ attribute: 'labels', path: 'requestParameters.labels', op: 'merge-map' }],
        },
      ],
    };
    const [finding] = findingsOf(
      judge([labels], record('SetSize', { id: 'w-1', labels: { env: 'prod' } }), [
        widget('w-1', { labels: { env: 'dev' }, tags_all: { env: 'prod' } }),
      ]),
    );
    expect(finding.changes).toEqual([{ attribute: 'labels.env', expected: 'dev', actual: 'prod' }]);
  });

  it('a drift that sets nothing back carries no restored list', () => {
    const result = judge([setSize], record('SetSize', { id: 'w-1', size: 2 }), [widget('w-1')]);
    expect(reasonOf(result)).toBe('drift');
    expect('restored' in result).toBe(false);
  });
});

describe('effects for net drift', () => {
  const twoAttributes: RuleSpec = {
    ...setSize,
    targets: [
      {
        ...setSize.targets[0],
        attributes: [
          { attribute: 'size', path: 'requestParameters.size' },
          { attribute: 'colour', path: 'requestParameters.colour' },
          { attribute: 'cidrs', path: 'requestParameters.add', op: 'add-to-set' },
          { attribute: 'ports', path: 'requestParameters.drop', op: 'remove-from-set' },
        ],
      },
    ],
  };
  const effectsOf = (config: DetectConfig) => {
    const state = buildStateIndex([
      { file: 'main.tfstate', text: stateOf(widget('w-1', { colour: 'red', cidrs: [], ports: [80] })) },
    ]);
    const effects: AttributeEffect[] = [];
    const raw = record('SetSize', { id: 'w-1', size: 2, colour: 'blue', add: ['10.0.0.0/8'], drop: [80] });
    detectEvent(normaliseRecord(raw), { rules: rulesOf(twoAttributes), state, config }, effects);
    return effects.map((e) => [e.attribute, e.op]);
  };

  it('records every attribute the call set, with add and remove for set items', () => {
    expect(effectsOf(DEFAULT_CONFIG)).toEqual([
      ['size', 'set'],
      ['colour', 'set'],
      ['cidrs', 'add'],
      ['ports', 'remove'],
    ]);
  });

  it('leaves out the attributes the config ignores, values and sets alike', () => {
    const ignoring = { ...DEFAULT_CONFIG, ignoreAttributes: ['aws_widget.colour', 'aws_widget.cidrs'] };
    expect(effectsOf(ignoring)).toEqual([
      ['size', 'set'],
      ['ports', 'remove'],
    ]);
  });
});

describe('EC2 DeleteTags values', () => {
  const untag: RuleSpec = {
    ...setSize,
    eventNames: ['DeleteTags'],
    targets: [
      {
        ...setSize.targets[0],
        attributes: [{ attribute: 'tags', path: 'requestParameters.tagSet', op: 'remove-keys' }],
      },
    ],
  };
  const state = [widget('w-1', { tags: { env: 'prod', owner: 'ops' } })];

  it('a plain list naming another value keeps the tag; an empty value removes it whatever it is', () => {
    const tagSet = [{ Key: 'env', Value: 'dev' }, null, { Key: 'owner', Value: '' }];
    const [finding] = findingsOf(judge([untag], record('DeleteTags', { id: 'w-1', tagSet }), state));
    expect(finding.changes).toEqual([{ attribute: 'tags.owner', expected: 'ops', actual: null }]);
  });
});

describe('finding ids', () => {
  it('two state files without a lineage keep their findings apart by file', () => {
    const bare = JSON.stringify({ ...JSON.parse(stateOf(widget('w-1'))), lineage: undefined });
    const state = buildStateIndex([
      { file: 'a.tfstate', text: bare },
      { file: 'b.tfstate', text: bare },
    ]);
    const result = detectEvent(normaliseRecord(record('SetSize', { id: 'w-1', size: 2 })), {
      rules: rulesOf(setSize),
      state,
      config: DEFAULT_CONFIG,
    });
    const ids = findingsOf(result).map((f) => f.id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
  });
});

describe('quick verdicts and batches', () => {
  it('readOnly "false" as a string is not read-only; "TRUE" is', () => {
    expect(quickVerdict({ readOnly: 'false' })).toBeNull();
    expect(quickVerdict({ readOnly: 'TRUE' })).toBe('read-only');
  });

  it('detectEvents counts an ignored event as neither finding nor error', () => {
    const state = buildStateIndex([{ file: 'main.tfstate', text: stateOf(widget('w-1')) }]);
    const ctx = { rules: rulesOf(setSize), state, config: DEFAULT_CONFIG };
    const events = [
      record('SetSize', { id: 'w-1', size: 1 }),
      record('SetSize', { id: 'w-1', size: 3 }, { eventID: 'e2' }),
    ];
    const result = detectEvents(events.map(normaliseRecord), ctx);
    expect(result.errors).toEqual([]);
    expect(result.findings.map((f) => f.event.id)).toEqual(['e2']);
    expect(result.processed.map(reasonOf)).toEqual(['no-change', 'drift']);
  });
});

describe('provider default tags (tags_all) for every map operation', () => {
  const mapRule = (op: 'replace-map' | 'remove-keys'): RuleSpec => ({
    ...setSize,
    eventNames: ['Tag'],
    targets: [
      { ...setSize.targets[0], attributes: [{ attribute: 'tags', path: 'requestParameters.tags', op }] },
    ],
  });
  const state = [widget('w-1', { tags: { team: 'a' }, tags_all: { team: 'a', env: 'prod' } })];

  it('a whole new map (replace-map) that drops a default tag is a change of that tag', () => {
    const [finding] = findingsOf(
      judge([mapRule('replace-map')], record('Tag', { id: 'w-1', tags: { team: 'a' } }), state),
    );
    expect(finding.changes).toEqual([{ attribute: 'tags.env', expected: 'prod', actual: null }]);
  });

  it('removing a default tag (remove-keys) is a change; removing an unknown one is none', () => {
    const [finding] = findingsOf(
      judge([mapRule('remove-keys')], record('Tag', { id: 'w-1', tags: ['env'] }), state),
    );
    expect(finding.changes).toEqual([{ attribute: 'tags.env', expected: 'prod', actual: null }]);
    expect(
      reasonOf(judge([mapRule('remove-keys')], record('Tag', { id: 'w-1', tags: ['owner'] }), state)),
    ).toBe('no-change');
  });

  it('a removal list that is null or an object without items removes nothing and is no error', () => {
    for (const tags of [null, {}]) {
      const result = judge([mapRule('remove-keys')], record('Tag', { id: 'w-1', tags }), state);
      expect([JSON.stringify(tags), reasonOf(result)]).toEqual([JSON.stringify(tags), 'no-change']);
    }
  });
});

it('a service-driven change of a resource without an id is still judged', () => {
  const byName: RuleSpec = {
    ...setSize,
    targets: [{ ...setSize.targets[0], identity: [{ path: 'requestParameters.name', by: 'name' }] }],
  };
  const service = record(
    'SetSize',
    { name: 'web', size: 2 },
    { userIdentity: { type: 'AWSService', invokedBy: 'ecs.amazonaws.com' } },
  );
  const [finding] = findingsOf(
    judge([byName], service, [{ type: 'aws_widget', name: 'web', attributes: { name: 'web', size: 1 } }]),
  );
  expect(finding.serviceDriven).toBe(true);
  expect(finding.resource.id).toBeNull();
});
