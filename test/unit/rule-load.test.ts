// Reading a rule file as its author meets it: a good file comes back as written, a broken one is
// refused with the file and the fields named, in one line each, at most five problems at a time.

import { describe, expect, it } from 'vitest';
import { RuleError } from '../../lambdas/core/errors.js';
import { parseRuleFile } from '../../lambdas/core/rule-load.js';

const rule = [
  '  - id: s3-versioning',
  '    eventNames: [PutBucketVersioning]',
  '    change: modify',
  '    severity: low',
  '    targets:',
  '      - types: [aws_s3_bucket_versioning]',
  '        identity:',
  '          - { path: requestParameters.bucketName, by: bucket }',
];
const file = (...lines: string[]) => ['service: s3', 'eventSource: s3.amazonaws.com', ...lines].join('\n');

function refusal(text: string): string {
  try {
    parseRuleFile('rules/s3.yaml', text);
    return '';
  } catch (error) {
    expect(error).toBeInstanceOf(RuleError);
    return (error as Error).message;
  }
}

describe('parseRuleFile', () => {
  it('returns a valid file as written, from YAML or JSON', () => {
    const parsed = parseRuleFile('rules/s3.yaml', file('rules:', ...rule));
    expect(parsed).toEqual({
      service: 's3',
      eventSource: 's3.amazonaws.com',
      rules: [
        {
          id: 's3-versioning',
          eventNames: ['PutBucketVersioning'],
          change: 'modify',
          severity: 'low',
          targets: [
            {
              types: ['aws_s3_bucket_versioning'],
              identity: [{ path: 'requestParameters.bucketName', by: 'bucket' }],
            },
          ],
        },
      ],
    });
    expect(parseRuleFile('rules/s3.json', JSON.stringify(parsed))).toEqual(parsed);
  });

  it('refuses text that is not YAML with the first line of the reason', () => {
    const message = refusal('service: [s3\n  x: :');
    expect(message).toMatch(
      /^rules\/s3\.yaml: not valid YAML: Implicit keys of flow sequence pairs need to be on a single line at line 1, column \d+:$/,
    );
    expect(message).not.toContain('\n');
  });

  it('names the field of each schema problem, the root as (root), and the property that is not allowed', () => {
    expect(refusal(file('colour: red', 'rules:', ...rule))).toBe(
      'rules/s3.yaml: invalid rule file: (root): must NOT have additional properties "colour"',
    );
    expect(
      refusal(file('rules:', ...rule.map((line) => line.replace('by: bucket }', 'by: bucket, extra: 1 }')))),
    ).toBe(
      'rules/s3.yaml: invalid rule file: rules.0.targets.0.identity.0: must NOT have additional properties "extra"',
    );
    expect(
      refusal(file('rules:', ...rule.map((line) => line.replace('severity: low', 'severity: urgent')))),
    ).toMatch(
      /^rules\/s3\.yaml: invalid rule file: rules\.0\.severity: must be equal to one of the allowed values/,
    );
    expect(refusal(file('rules: []'))).toBe(
      'rules/s3.yaml: invalid rule file: rules: must NOT have fewer than 1 items',
    );
  });

  it('lists every problem up to five, joined in one line', () => {
    expect(refusal('service: s3\nrules: []')).toBe(
      "rules/s3.yaml: invalid rule file: (root): must have required property 'eventSource'; rules: must NOT have fewer than 1 items",
    );
    const many = refusal('a: 1\nb: 2\nc: 3\nd: 4\ne: 5\nf: 6\ng: 7\n');
    expect(many.split('; ')).toHaveLength(5);
    expect(many).toBe(
      'rules/s3.yaml: invalid rule file: ' +
        [
          "(root): must have required property 'service'",
          "(root): must have required property 'eventSource'",
          "(root): must have required property 'rules'",
          '(root): must NOT have additional properties "a"',
          '(root): must NOT have additional properties "b"',
        ].join('; '),
    );
  });
});
