// How values read (lambdas/core/display.ts): behaviours a mutation run found untested
// (npx stryker run --mutate lambdas/core/display.ts). Both sides of each value are checked.

import { describe, expect, it } from 'vitest';
import { displayEventName, displayItems, displayValue, ruleAtomText } from '../../lambdas/core/display.js';

describe('displayEventName', () => {
  it('drops a version suffix only at the end, and keeps a name that is only a version', () => {
    expect(displayEventName('UpdateFunctionConfiguration20150331v2')).toBe('UpdateFunctionConfiguration');
    expect(displayEventName('UpdateFunctionConfiguration20150331v12')).toBe('UpdateFunctionConfiguration');
    expect(displayEventName('Get20150331Thing')).toBe('Get20150331Thing');
    expect(displayEventName('20150331')).toBe('20150331');
  });
});

describe('rule atoms', () => {
  it('reads protocols, ports and sources as words', () => {
    expect(ruleAtomText('icmp|-1|-1|cidr:0.0.0.0/0')).toBe('icmp from 0.0.0.0/0');
    expect(ruleAtomText('icmpv6|-1|-1|cidr:::/0')).toBe('icmpv6 from ::/0');
    expect(ruleAtomText('tcp|0|65535|sg:sg-1')).toBe('tcp all ports from security group sg-1');
    expect(ruleAtomText('tcp|0|80|cidr:10.0.0.0/8')).toBe('tcp 0-80 from 10.0.0.0/8');
    expect(ruleAtomText('udp|53|65535|pl:pl-1')).toBe('udp 53-65535 from prefix list pl-1');
    expect(ruleAtomText('-1|0|0|cidr:0.0.0.0/0')).toBe('all traffic from 0.0.0.0/0');
    expect(ruleAtomText('x tcp|22|22|cidr:0.0.0.0/0')).toBeNull();
    expect(ruleAtomText('tcp|22|22|cidr:0.0.0.0/0\nnext')).toBeNull();
  });

  it('a list reads as one line only when every item is an atom; an empty list stays a list', () => {
    expect(displayValue(['tcp|22|22|cidr:0.0.0.0/0', 'udp|53|53|cidr:10.0.0.0/8'])).toBe(
      'tcp 22 from 0.0.0.0/0, udp 53 from 10.0.0.0/8',
    );
    expect(displayValue(['tcp|22|22|cidr:0.0.0.0/0', 'other'])).toEqual([
      'tcp|22|22|cidr:0.0.0.0/0',
      'other',
    ]);
    expect(displayValue(['tcp|22|22|cidr:0.0.0.0/0', 5])).toEqual(['tcp|22|22|cidr:0.0.0.0/0', 5]);
    expect(displayValue([])).toEqual([]);
    expect(displayValue('tcp|22|22|cidr:0.0.0.0/0')).toBe('tcp 22 from 0.0.0.0/0');
    expect(displayValue('plain')).toBe('plain');
    expect(displayValue(7)).toBe(7);
  });

  it('a list for a diff becomes one text per atom, only when all are atoms', () => {
    expect(displayItems(['tcp|22|22|cidr:0.0.0.0/0'])).toEqual(['tcp 22 from 0.0.0.0/0']);
    expect(displayItems(['tcp|22|22|cidr:0.0.0.0/0', 5])).toEqual(['tcp|22|22|cidr:0.0.0.0/0', 5]);
    expect(displayItems([])).toEqual([]);
    expect(displayItems('plain')).toBe('plain');
    expect(displayItems({ a: 1 })).toEqual({ a: 1 });
  });
});

describe('lists that only look like atoms', () => {
  it('leaves a list holding a list of one atom unchanged (only text items are atoms)', () => {
    const nested = [['tcp|22|22|cidr:0.0.0.0/0']];
    expect(displayValue(nested)).toBe(nested);
    expect(displayItems(nested)).toBe(nested);
    expect(displayValue(['tcp|22|22|cidr:0.0.0.0/0'])).toBe('tcp 22 from 0.0.0.0/0');
    expect(displayItems(['tcp|22|22|cidr:0.0.0.0/0'])).toEqual(['tcp 22 from 0.0.0.0/0']);
  });
});
