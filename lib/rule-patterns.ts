// The rule set the stack deploys and the EventBridge patterns generated from it. The rule files
// (rules/*.yaml) are the source; rules/rules.json is their compiled form the Lambdas import.
// ruleBundleProblem() tells when the two disagree, so a stale bundle is reported at synth.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRulesFromDir } from '../lambdas/adapters/local/rule-files.js';
import type { EventPattern } from '../lambdas/core/event-pattern.js';
import type { RuleFile } from '../lambdas/core/rule-types.js';
import { compileRuleSet, eventPatterns, type RuleSet } from '../lambdas/core/rules.js';
import { REPO_ROOT } from './bundling.js';

export const RULES_DIR = join(REPO_ROOT, 'rules');

export function deployedRuleSet(rulesDir = RULES_DIR): RuleSet {
  return loadRulesFromDir(rulesDir);
}

/** Why rules/rules.json does not match the rule files, or null when it does. */
export function ruleBundleProblem(ruleSet: RuleSet, rulesDir = RULES_DIR): string | null {
  const bundle = join(rulesDir, 'rules.json');
  if (!existsSync(bundle)) return 'rules/rules.json is missing: run npm run rules:build';
  const bundled = compileRuleSet(
    JSON.parse(readFileSync(bundle, 'utf8')) as { file: string; content: RuleFile }[],
  );
  const ids = (set: RuleSet) => JSON.stringify(set.rules.map((r) => [r.id, r.eventSource, r.eventNames]));
  return ids(bundled) === ids(ruleSet) ? null : 'rules/rules.json is stale: run npm run rules:build';
}

/**
 * Size budget of one pattern: EventBridge allows 2,048 characters; 1,900 leaves room for a rule file
 * that adds a few event names without a new rule appearing.
 */
export const PATTERN_BUDGET_CHARS = 1900;

/**
 * AWS service events only: PutEvents refuses a `source` starting with "aws.", so no account allowed
 * on the bus can forge a CloudTrail event. A prefix, not a list of `aws.<service>` names: the source
 * of a CloudTrail event is not always its eventSource's first label, and a wrong name would lose events.
 */
export const AWS_SOURCE: EventPattern = { source: [{ prefix: 'aws.' }] };

function cloudTrailPattern(sources: readonly string[], names: readonly string[]): EventPattern {
  return {
    ...AWS_SOURCE,
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: { eventSource: [...sources], eventName: [...names], errorCode: [{ exists: false }] },
  };
}

/**
 * EventBridge patterns for the CloudTrail writes the rules handle: the core's per-service patterns
 * (cut to the budget), pinned to AWS sources and packed several services to a pattern so the rule
 * count stays small. A packed pattern also matches a service's call named like another packed
 * service's: the detector's rules drop those, at the cost of an invocation.
 */
export function cloudTrailPatterns(
  ruleSet: RuleSet = deployedRuleSet(),
  budget = PATTERN_BUDGET_CHARS,
): EventPattern[] {
  const pinSize = JSON.stringify(AWS_SOURCE).length - 1;
  const perService = eventPatterns(ruleSet, budget - pinSize).map((p) => {
    const detail = p.detail as { eventSource: string[]; eventName: string[] };
    return { sources: detail.eventSource, names: detail.eventName };
  });
  const size = (sources: Iterable<string>, names: Iterable<string>) =>
    JSON.stringify(cloudTrailPattern([...sources], [...names])).length;
  // First fit, largest first: each service part goes into the first pattern it still fits.
  perService.sort((a, b) => size(b.sources, b.names) - size(a.sources, a.names));
  const bins: { sources: Set<string>; names: Set<string> }[] = [];
  for (const part of perService) {
    const bin = bins.find(
      (b) => size(new Set([...b.sources, ...part.sources]), new Set([...b.names, ...part.names])) <= budget,
    );
    if (bin) {
      for (const s of part.sources) bin.sources.add(s);
      for (const n of part.names) bin.names.add(n);
    } else bins.push({ sources: new Set(part.sources), names: new Set(part.names) });
  }
  return bins.map((b) => cloudTrailPattern([...b.sources].sort(), [...b.names].sort()));
}

/**
 * What a forwarder sends on to the central bus: every successful CloudTrail write of the services the
 * patterns name, without their event-name lists (the central rules apply those). This keeps a
 * forwarder's template a few kilobytes, so it deploys without CDK bootstrap and fits a StackSet,
 * at the price of forwarding a service's writes no rule handles (billed as events put on a bus).
 */
export function forwarderPatterns(
  patterns: readonly EventPattern[],
  budget = PATTERN_BUDGET_CHARS,
): EventPattern[] {
  const sources = new Set<string>();
  for (const pattern of patterns) {
    const detail = pattern.detail as { eventSource?: string[] } | undefined;
    for (const source of detail?.eventSource ?? []) sources.add(source);
  }
  const build = (list: string[]): EventPattern => ({
    ...AWS_SOURCE,
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: { eventSource: list, errorCode: [{ exists: false }] },
  });
  const out: EventPattern[] = [];
  let chunk: string[] = [];
  for (const source of [...sources].sort()) {
    if (chunk.length > 0 && JSON.stringify(build([...chunk, source])).length > budget) {
      out.push(build(chunk));
      chunk = [];
    }
    chunk.push(source);
  }
  if (chunk.length > 0) out.push(build(chunk));
  return out;
}

/** S3 "Object Created" events (EventBridge notifications) of Terraform state in the given buckets. */
export function stateWritePatterns(buckets: readonly string[]): EventPattern[] {
  if (buckets.length === 0) return [];
  return [
    {
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { bucket: { name: [...buckets] }, object: { key: [{ suffix: '.tfstate' }] } },
    },
  ];
}
