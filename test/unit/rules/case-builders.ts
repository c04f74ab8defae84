// One-line builders for the common shapes of rule cases (see rule-cases.ts): a call that creates a
// resource no state holds, one that deletes a managed resource, one that changes its attributes.

import type { StateResourceInput } from './harness.js';
import type { RuleCase } from './rule-cases.js';

type Severity = RuleCase['severity'];
type Record_ = Record<string, unknown>;

/** A state resource; `id` is required because the index looks resources up by it. */
export const res = (type: string, id: string, extra: Record_ = {}): StateResourceInput => ({
  type,
  attributes: { id, ...extra },
});

export const created = (
  rule: string,
  record: Record_,
  type: string,
  severity: Severity = 'low',
  label?: string,
): RuleCase => ({
  rule,
  ...(label ? { label } : {}),
  record,
  state: [],
  kind: 'unmanaged',
  type,
  severity,
});

export const deleted = (
  rule: string,
  record: Record_,
  resource: StateResourceInput,
  severity: Severity = 'medium',
  label?: string,
): RuleCase => ({
  rule,
  ...(label ? { label } : {}),
  record,
  state: [resource],
  kind: 'deleted',
  severity,
});

/** `changes` maps attribute → new value (`[]` = the event proves a change but names no value). */
export const modified = (
  rule: string,
  record: Record_,
  resource: StateResourceInput,
  severity: Severity,
  changes: Record_ | [],
  unchanged?: StateResourceInput,
  label?: string,
): RuleCase => ({
  rule,
  ...(label ? { label } : {}),
  record,
  state: [resource],
  kind: 'modified',
  severity,
  changes,
  ...(unchanged ? { unchanged: [unchanged] } : {}),
});
