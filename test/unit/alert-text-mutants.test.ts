// The words of an alert (lambdas/core/alert-text.ts): the character ranges it replaces, lengths, and
// the body's lines for each kind of drift, as a mutation run found untested
// (npx stryker run --mutate lambdas/core/alert-text.ts). Both sides of each boundary are checked.

import { describe, expect, it } from 'vitest';
import { alertText, oneLine } from '../../lambdas/core/alert-text.js';
import type { Drift } from '../../lambdas/core/types.js';

const char = (code: number) => String.fromCodePoint(code);

describe('oneLine', () => {
  it('replaces exactly the unsafe ranges, keeping the characters just outside them', () => {
    const unsafe = [0x00, 0x1f, 0x7f, 0x9f, 0x200b, 0x200f, 0x2028, 0x202e, 0x2066, 0x2069, 0xfeff];
    const safe = [0x20, 0x7e, 0xa0, 0x200a, 0x2010, 0x2027, 0x202f, 0x2065, 0x206a, 0xfefe, 0xff00];
    for (const code of unsafe)
      expect([code.toString(16), oneLine(`a${char(code)}b`)]).toEqual([code.toString(16), 'a?b']);
    for (const code of safe)
      expect([code.toString(16), oneLine(`a${char(code)}b`)]).toEqual([code.toString(16), `a${char(code)}b`]);
  });

  it('shows missing values as null and others as JSON, cut at the limit', () => {
    expect(oneLine(undefined)).toBe('null');
    expect(oneLine(null)).toBe('null');
    expect(oneLine({ a: 1 })).toBe('{"a":1}');
    expect(oneLine('x'.repeat(10), 10)).toBe('x'.repeat(10));
    expect(oneLine('x'.repeat(11), 10)).toBe('xxxxxxx...');
  });
});

function drift(extra: Partial<Drift> = {}, resource: Partial<Drift['resource']> = {}): Drift {
  return {
    id: 'd-1',
    kind: 'modified',
    severity: 'high',
    status: 'open',
    ruleId: 'rule-1',
    resource: {
      type: 'aws_widget',
      address: 'aws_widget.w',
      id: 'w-1',
      arn: null,
      stateFile: 'main.tfstate',
      ...resource,
    },
    changes: [{ attribute: 'size', expected: 'small', actual: 5 }],
    actor: {
      type: 'IAMUser',
      arn: 'arn:aws:iam::1:user/alice',
      name: 'alice',
      accountId: '1',
      sourceIp: '203.0.113.9',
      userAgent: 'aws-cli/2',
    },
    event: {
      id: 'e-1',
      name: 'SetSize20150331',
      source: 'widgets.amazonaws.com',
      time: 't',
      region: 'eu-west-1',
      account: '1',
    },
    summary: 'alice changed size',
    detectedAt: 't',
    ...extra,
  };
}

describe('alertText', () => {
  it('writes the modified drift’s lines: resource with id, state, quoted text values, who, call', () => {
    const { subject, body } = alertText(drift(), 'https://x/d-1');
    expect(subject).toBe('[HIGH] tfdrift: modified aws_widget.w by alice');
    expect(body).toBe(
      [
        'HIGH drift (modified): alice changed size',
        '',
        'Resource:  aws_widget.w (aws_widget, w-1)',
        'State:     main.tfstate',
        'Changes:',
        '  size: expected "small", actual 5',
        'Who:       alice (IAMUser arn:aws:iam::1:user/alice)',
        '           from 203.0.113.9 via aws-cli/2',
        'When:      t',
        'Call:      SetSize (widgets.amazonaws.com, eu-west-1, account 1)',
        'Event id:  e-1',
        'Rule:      rule-1',
        'Drift id:  d-1',
        'Open:      https://x/d-1',
        '',
      ].join('\n'),
    );
  });

  it('an unmanaged or deleted drift says so; a resource without address or ids is named by type', () => {
    const unmanaged = alertText(
      drift(
        {
          kind: 'unmanaged',
          changes: [],
          actor: { ...drift().actor, name: null, arn: null, sourceIp: null, userAgent: null },
        },
        {
          address: null,
          id: null,
          stateFile: null,
        },
      ),
    );
    expect(unmanaged.subject).toBe('[HIGH] tfdrift: unmanaged aws_widget (unknown id) by unknown principal');
    expect(unmanaged.body).toContain(
      '\nResource:  aws_widget (unknown id) (aws_widget)\n           not in any Terraform state\nWho:       unknown principal (IAMUser)\nWhen:',
    );
    expect(unmanaged.body).not.toContain('State:');
    expect(unmanaged.body).not.toContain('Open:');
    const deleted = alertText(drift({ kind: 'deleted', changes: [] }));
    expect(deleted.body).toContain('State:     main.tfstate\n           deleted outside Terraform\nWho:');
    expect(deleted.body).not.toContain('not in any Terraform state');
    const byArn = alertText(drift({ kind: 'unmanaged' }, { address: null, id: null, arn: 'arn:w' }));
    expect(byArn.body).toContain('Resource:  aws_widget arn:w (aws_widget)\n');
  });

  it('keeps the subject printable ASCII under 100 characters', () => {
    const long = alertText(drift({}, { address: `aws_widget.${'w'.repeat(120)}` }));
    expect(long.subject).toHaveLength(99);
    expect(long.subject.endsWith('...')).toBe(true);
    const exact = alertText(
      drift(
        {},
        { address: `aws_widget.${'w'.repeat(99 - '[HIGH] tfdrift: modified aws_widget. by alice'.length)}` },
      ),
    );
    expect(exact.subject).toHaveLength(99);
    expect(exact.subject.endsWith('w by alice')).toBe(true);
    expect(alertText(drift({}, { address: 'aws_widget.é' })).subject).toBe(
      '[HIGH] tfdrift: modified aws_widget.? by alice',
    );
  });
});

it('names a resource’s id beside its address only when it has both', () => {
  const created = alertText(
    drift({ kind: 'unmanaged', changes: [] }, { address: null, id: 'w-9', stateFile: null }),
  );
  expect(created.body).toContain('\nResource:  aws_widget w-9 (aws_widget)\n');
});
