// The rule bundle's line index (lazyRuleSet in lambdas/core/rules.ts) on damaged bundles, which a
// mutation run (npx stryker run --mutate lambdas/core/rules.ts) left untested: a rule
// line cut right after its leading keys, and leading keys broken across two lines.

import { describe, expect, it } from 'vitest';
import type { RuleSpec } from '../../lambdas/core/rule-types.js';
import { lazyRuleSet, serialiseRuleBundle } from '../../lambdas/core/rules.js';

const rule = (id: string, eventNames: string[]): RuleSpec => ({
  id,
  eventNames,
  change: 'modify',
  severity: 'low',
  targets: [{ types: ['aws_widget'], identity: [{ path: 'requestParameters.id', by: 'id' }] }],
});

const SOURCE = 'widgets.amazonaws.com';
const bundleLines = () =>
  serialiseRuleBundle([
    {
      file: 'rules/widgets.yaml',
      content: {
        service: 'widgets',
        eventSource: SOURCE,
        rules: [rule('size', ['SetSize']), rule('tag', ['Tag'])],
      },
    },
  ]).split('\n');

describe('a damaged rule bundle', () => {
  it('a rule line cut right after its event names is indexed, and fails only its own events', () => {
    // Prepare: line 3 is the first rule; keep only {"id":…,"eventNames":[…].
    const lines = bundleLines();
    expect(lines[2]).toMatch(/^\{"id":"size","eventNames":\["SetSize"\],/);
    lines[2] = lines[2].slice(0, lines[2].indexOf(']') + 1);

    // Act
    const rules = lazyRuleSet(lines.join('\n'));

    // Assess: the other rule is served; the cut one throws when its event comes.
    expect(rules.forEvent(SOURCE, 'Tag').map((r) => r.id)).toEqual(['tag']);
    expect(() => rules.forEvent(SOURCE, 'SetSize')).toThrowError(
      /^rules\/widgets\.yaml \(bundle line 3\): rule does not parse/,
    );
  });

  it('leading keys broken across two lines are no rule line: the text is read whole, and refused', () => {
    // A line break inside the id (not JSON: the whole text fails as JSON).
    const lines = bundleLines();
    lines[2] = lines[2].replace('{"id":"size"', '{"id":"si\nze"');
    const intact = bundleLines();

    expect(() => lazyRuleSet(lines.join('\n'))).toThrowError(SyntaxError);
    expect(
      lazyRuleSet(intact.join('\n'))
        .forEvent(SOURCE, 'SetSize')
        .map((r) => r.id),
    ).toEqual(['size']);
  });
});
