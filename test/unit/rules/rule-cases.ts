// Table-driven rule tests: each case is one record + one state + the finding it must give. Every case
// also runs as a failed call and as Terraform's own call (both must give nothing), and a file's table
// must name every rule of its rule file. Records written from AWS documentation shapes live in
// test/fixtures/rules/<service>/events.doc-shaped.json: each entry holds the call's eventName,
// requestParameters / responseElements as the page shows them and the page's address; the common
// CloudTrail envelope (an IAM user calling through the AWS CLI) is added here.

import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect, it } from 'vitest';
import { type EventPattern, matchesPattern } from '../../../lambdas/core/event-pattern.js';
import { valueAt } from '../../../lambdas/core/paths.js';
import { eventPatterns } from '../../../lambdas/core/rules.js';
import { type Finding, SENSITIVE, type Severity } from '../../../lambdas/core/types.js';
import { NORMALISERS, sameValue, tagMap } from '../../../lambdas/core/values.js';
import {
  asFailed,
  CORPUS,
  positiveAndNegatives,
  repoRules,
  run,
  type StateResourceInput,
  stateOf,
} from './harness.js';

let patterns: EventPattern[] | undefined;

/** True when a generated pattern matches the record as EventBridge delivers it. */
function deliveredByPatterns(record: Record<string, unknown>): boolean {
  patterns ??= eventPatterns(repoRules());
  // Panther's test records carry `errorCode: ""` on success; CloudTrail omits the field.
  const { errorCode, ...rest } = record;
  const detail = errorCode === '' ? rest : record;
  const envelope = { 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.test', detail };
  return patterns.some((p) => matchesPattern(p, envelope));
}

export interface RuleCase {
  /** Expected rule id; also the test's name with `label`. */
  readonly rule: string;
  readonly label?: string;
  readonly record: Record<string, unknown>;
  readonly state: StateResourceInput[];
  readonly kind: Finding['kind'];
  readonly severity: Severity;
  /** Expected resource type (defaults to the first state resource's type, or required for unmanaged). */
  readonly type?: string;
  /** Expected resource types when one record touches several resources (sorted). */
  readonly types?: string[];
  /**
   * Expected changes: attribute → actual value (from the event). Exactly these attributes change;
   * `[]` = none expected.
   */
  readonly changes?: Record<string, unknown> | [];
  /**
   * Expected state side, attribute → value, where it is not the case state's own value at that
   * attribute path (a value read from another attribute, a normalised set). Every other change's
   * `expected` must equal the case state's value at its path (`tags.K` reads `tags_all` first).
   */
  readonly expected?: Record<string, unknown>;
  /** How many findings (default 1). */
  readonly count?: number;
  /** A state in which the same record changes nothing (must be ignored as `no-change`). */
  readonly unchanged?: StateResourceInput[];
}

interface DocEntry {
  readonly doc: string;
  readonly eventName: string;
  readonly eventSource?: string;
  readonly requestParameters?: unknown;
  readonly responseElements?: unknown;
  readonly userIdentity?: unknown;
}

const FIXTURES = join(import.meta.dirname, '../../fixtures/rules');

/**
 * Records from the corpus (test/fixtures/corpus/cloudtrail), read from their copies in
 * test/fixtures/rules/<service>/corpus/<source folder>__<file name> (licences in test/fixtures/SOURCES.md).
 */
export function corpusCopy(service: string): (corpusPath: string) => Record<string, unknown> {
  return (corpusPath) => {
    const file = join(FIXTURES, service, 'corpus', `${corpusPath.split('/')[0]}__${basename(corpusPath)}`);
    if (!existsSync(file))
      throw new Error(`copy ${join(CORPUS, corpusPath)} to ${file} (and add its licence line)`);
    return JSON.parse(readFileSync(file, 'utf8'));
  };
}

/** The doc-shaped records of one service, by entry name, as full CloudTrail records. */
export function docRecords(service: string, eventSource: string): Record<string, Record<string, unknown>> {
  const file = join(FIXTURES, service, 'events.doc-shaped.json');
  const entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, DocEntry | string>;
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, entry] of Object.entries(entries)) {
    if (typeof entry === 'string') continue; // the file's note
    if (!entry.doc?.startsWith('https://'))
      throw new Error(`${file}: entry ${name} names no documentation page`);
    out[name] = envelope(name, entry, eventSource);
  }
  return out;
}

function envelope(name: string, entry: DocEntry, eventSource: string): Record<string, unknown> {
  return {
    eventVersion: '1.09',
    userIdentity: entry.userIdentity ?? {
      type: 'IAMUser',
      principalId: 'AIDACKCEVSQ6C2EXAMPLE',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      userName: 'alice',
    },
    eventTime: '2026-01-15T10:00:00Z',
    eventSource: entry.eventSource ?? eventSource,
    eventName: entry.eventName,
    awsRegion: 'us-east-1',
    sourceIPAddress: '198.51.100.7',
    userAgent: 'aws-cli/2.15.0 md/awscrt#0.19.19 ua/2.0 os/linux#6.5 md/arch#x86_64 lang/python#3.11.6',
    requestParameters: entry.requestParameters ?? null,
    responseElements: entry.responseElements ?? null,
    requestID: `req-${name}`,
    eventID: `doc-${eventSource.split('.')[0]}-${name}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '111122223333',
    eventCategory: 'Management',
  };
}

/**
 * The case's state placed where the record's call was made: hand-written state ARNs carry a
 * placeholder account and region, and a call only ever changes a resource in its own account and
 * region (scope.test.ts holds the cases where they differ). ARNs of global resources keep their
 * empty region; AWS-owned ARNs (account `aws`) are left alone.
 */
export function placedAt(
  record: Record<string, unknown>,
  resources: readonly StateResourceInput[],
): StateResourceInput[] {
  const account = typeof record.recipientAccountId === 'string' ? record.recipientAccountId : undefined;
  const region = typeof record.awsRegion === 'string' ? record.awsRegion : undefined;
  const text = JSON.stringify(record);
  const place = (arn: unknown): unknown => {
    // An ARN the record names is where the call was made already.
    if (typeof arn !== 'string' || text.includes(arn)) return arn;
    const parts = arn.split(':');
    if (parts.length < 6 || parts[0] !== 'arn' || !/^\d{12}$/.test(parts[4])) return arn;
    if (account) parts[4] = account;
    if (region && parts[3] !== '') parts[3] = region;
    return parts.join(':');
  };
  return resources.map((r) => ({
    ...r,
    attributes: {
      ...r.attributes,
      ...('arn' in r.attributes ? { arn: place(r.attributes.arn) } : {}),
      ...(typeof r.attributes.region === 'string' && region ? { region } : {}),
    },
  }));
}

/** The case's state resource a finding names (stateOf names them r0, r1, ... unless named). */
function caseResource(
  state: readonly StateResourceInput[],
  finding: Finding,
): StateResourceInput | undefined {
  return state.find((r, i) => finding.resource.address?.endsWith(`${r.type}.${r.name ?? `r${i}`}`));
}

/** The case state's own value at a change's attribute path; `tags.K` reads `tags_all` first. */
function stateSide(resource: StateResourceInput | undefined, attribute: string): unknown {
  if (!resource) return undefined;
  const tag = /^tags\.(.+)$/.exec(attribute);
  const tagsAll = resource.attributes.tags_all as Record<string, unknown> | undefined;
  if (tag && tagsAll && typeof tagsAll === 'object') return tagsAll[tag[1]] ?? null;
  if (tag) return (resource.attributes.tags as Record<string, unknown> | undefined)?.[tag[1]] ?? null;
  const direct = valueAt(resource.attributes, attribute);
  if (direct !== undefined) return direct;
  // `parameter.NAME`, `setting.NAME`, `tag.KEY`: one key of a map or of a name/value block list.
  const dot = attribute.indexOf('.');
  const list = dot > 0 ? valueAt(resource.attributes, attribute.slice(0, dot)) : undefined;
  return list === undefined ? null : (tagMap(list)[attribute.slice(dot + 1)] ?? null);
}

// The normalisers rules compare with: a reported value is the state's value in one of these forms.
const SAME_UNDER = [
  'raw',
  'string',
  'bool',
  'enabled',
  'json',
  'iam-policy',
  'string-set',
  'ec2-permissions',
  'arn-name',
  's3-config',
  's3-lifecycle-legacy',
  's3-replication-legacy',
];

/** The reported state side is the case state's value, as one of the rules' normalisers shows it. */
function looseEqual(reported: unknown, state: unknown): boolean {
  // A secret is reported as (sensitive): the state must hold it.
  if (reported === SENSITIVE) return state !== null && state !== undefined;
  const scalar = (v: unknown) => v === null || v === undefined || typeof v !== 'object';
  if (scalar(reported) && scalar(state) && String(reported ?? null) === String(state ?? null)) return true;
  return SAME_UNDER.some((name) => {
    const normalise = NORMALISERS[name];
    const normalised = normalise(state ?? null);
    // The reported side is normalised already (a set of rule atoms); or both normalise alike.
    return sameValue(reported ?? null, normalised) || sameValue(normalise(reported ?? null), normalised);
  });
}

/** Registers the cases of one rule file, plus the check that every rule of the file has one. */
export function ruleCases(ruleFile: string, cases: readonly RuleCase[]): void {
  it.each(cases.map((c) => [`${c.rule}${c.label ? ` (${c.label})` : ''}`, c] as const))('%s', (_, c) => {
    const stateText = stateOf(...placedAt(c.record, c.state));
    const { positive, failed, terraform } = positiveAndNegatives(c.record, stateText);
    expect(positive, JSON.stringify(run(c.record, stateText).outcome)).toHaveLength(c.count ?? 1);
    for (const finding of positive) {
      expect(finding.ruleId).toBe(c.rule);
      expect(finding.kind).toBe(c.kind);
      expect(finding.severity).toBe(c.severity);
      if (!c.types) expect(finding.resource.type).toBe(c.type ?? c.state[0]?.type);
      if (Array.isArray(c.changes)) expect(finding.changes).toEqual([]);
      else if (c.changes) {
        const actual = Object.fromEntries(finding.changes.map((ch) => [ch.attribute, ch.actual]));
        // Both sides of every change, and no change the case does not name.
        expect(Object.keys(actual).sort()).toEqual(Object.keys(c.changes).sort());
        expect(actual).toMatchObject(c.changes);
        const resource = caseResource(c.state, finding);
        for (const change of finding.changes) {
          const want =
            c.expected && change.attribute in c.expected
              ? c.expected[change.attribute]
              : stateSide(resource, change.attribute);
          expect(
            looseEqual(change.expected, want),
            `${change.attribute}: expected side ${JSON.stringify(change.expected)}, the case state holds ${JSON.stringify(want)}`,
          ).toBe(true);
        }
      }
    }
    if (c.types) expect(positive.map((f) => f.resource.type).sort()).toEqual(c.types);
    expect(failed.outcome).toMatchObject({ result: 'ignored', reason: 'failed-call' });
    expect(terraform.outcome).toMatchObject({ result: 'ignored', reason: 'terraform' });
    // The EventBridge patterns generated from the rules deliver the call, and drop its failed form.
    expect(deliveredByPatterns(c.record), 'no generated EventBridge pattern matches').toBe(true);
    expect(deliveredByPatterns(asFailed(c.record)), 'a pattern matches the failed call').toBe(false);
    if (c.unchanged) {
      expect(run(c.record, stateOf(...placedAt(c.record, c.unchanged))).outcome).toMatchObject({
        result: 'ignored',
        reason: 'no-change',
      });
    }
  });

  it(`has a case for every rule in ${ruleFile}`, () => {
    const ids = repoRules()
      .rules.filter((r) => r.file.replace(/\\/g, '/').endsWith(ruleFile))
      .map((r) => r.id);
    expect(ids.length).toBeGreaterThan(0);
    const covered = new Set(cases.map((c) => c.rule));
    expect(ids.filter((id) => !covered.has(id))).toEqual([]);
  });
}
