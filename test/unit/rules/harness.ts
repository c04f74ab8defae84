// Shared test harness for rule tests: one CloudTrail record + a state → findings, through the same
// path the product uses (normalise → detect with the repo's rule set).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRulesFromDir } from '../../../lambdas/adapters/local/rule-files.js';
import { normaliseRecord } from '../../../lambdas/core/cloudtrail.js';
import { DEFAULT_CONFIG, type DetectConfig } from '../../../lambdas/core/config.js';
import { detectEvent } from '../../../lambdas/core/detect.js';
import type { RuleSet } from '../../../lambdas/core/rules.js';
import { buildStateIndex } from '../../../lambdas/core/state.js';
import type { Finding, ProcessedEvent } from '../../../lambdas/core/types.js';

let rules: RuleSet | undefined;
export function repoRules(): RuleSet {
  rules ??= loadRulesFromDir();
  return rules;
}

/** A record from test/fixtures/rules (records written from AWS documentation shapes). */
export function fixtureRecord(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/rules', path), 'utf8'));
}

export interface StateResourceInput {
  type: string;
  name?: string;
  module?: string;
  attributes: Record<string, unknown>;
  sensitive?: string[];
}

/** A minimal format-4 state holding the given resources (one instance each). */
export function stateOf(...resources: StateResourceInput[]): string {
  return JSON.stringify({
    version: 4,
    terraform_version: '1.9.0',
    serial: 1,
    lineage: 'test',
    outputs: {},
    resources: resources.map((r, i) => ({
      ...(r.module ? { module: r.module } : {}),
      mode: 'managed',
      type: r.type,
      name: r.name ?? `r${i}`,
      provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      instances: [
        {
          schema_version: 0,
          attributes: r.attributes,
          sensitive_attributes: (r.sensitive ?? []).map((name) => [{ type: 'get_attr', value: name }]),
        },
      ],
    })),
  });
}

export function run(
  record: Record<string, unknown>,
  stateText: string,
  config: DetectConfig = DEFAULT_CONFIG,
): ProcessedEvent {
  const state = buildStateIndex([{ file: 'test.tfstate', text: stateText }]);
  return detectEvent(normaliseRecord(record), { rules: repoRules(), state, config });
}

export function findings(
  record: Record<string, unknown>,
  stateText: string,
  config?: DetectConfig,
): Finding[] {
  const result = run(record, stateText, config);
  return result.outcome.result === 'drift' ? [...result.outcome.findings] : [];
}

/** The same record as a failed call. */
export function asFailed(record: Record<string, unknown>): Record<string, unknown> {
  return { ...record, errorCode: 'AccessDenied', errorMessage: 'User is not authorized' };
}

/** The same record as made by Terraform's AWS provider. */
export function asTerraform(record: Record<string, unknown>): Record<string, unknown> {
  return {
    ...record,
    userAgent:
      'APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.70.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 os/linux',
  };
}
