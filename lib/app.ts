// The tfdrift CDK app's stacks for one deployment target: the central stack in the deploy region,
// plus one forwarder stack per other watched region and us-east-1 (where global services' calls
// arrive). In a member account (settings.centralAccount names another account) there is no central
// stack: every watched region, the deploy region and us-east-1 get a forwarder to the central account. bin/app.ts (what `cdk deploy` runs) and the deploy rehearsal (test/rehearsal) both build
// the app through this one function, so the rehearsal checks exactly what a deploy would create.

import { Annotations, type App } from 'aws-cdk-lib';
import type { RuleSet } from '../lambdas/core/rules.js';
import { RegionForwarderStack } from './constructs/region-forwarder.js';
import {
  cloudTrailPatterns,
  deployedRuleSet,
  forwarderPatterns,
  ruleBundleProblem,
  stateWritePatterns,
} from './rule-patterns.js';
import { forwarderRegions, memberForwarderRegions, SettingsError, type TfdriftSettings } from './settings.js';
import { TfdriftStack } from './tfdrift-stack.js';

export interface TfdriftAppProps {
  readonly settings: TfdriftSettings;
  /** Account deployed to. @default the CLI's account (environment-agnostic when unknown) */
  readonly account?: string;
  /** Region of the central stack. */
  readonly region: string;
  /** Folder with the built dashboard. */
  readonly webDist: string;
  /** The rule set to deploy. @default rules/ of this repository */
  readonly ruleSet?: RuleSet;
  /**
   * Synthesise only the account- and region-agnostic forwarder `TfdriftForwarder-StackSet`, the
   * template a CloudFormation StackSet deploys to member accounts. @default false
   */
  readonly stackSetForwarder?: boolean;
}

/** Name of the StackSet forwarder stack (and the prefix of its rules' names). */
export const STACKSET_FORWARDER = 'TfdriftForwarder-StackSet';

export interface TfdriftStacks {
  readonly central?: TfdriftStack;
  readonly forwarders: readonly RegionForwarderStack[];
}

/**
 * The central region, said explicitly: `-c tfdrift:region=`, AWS_REGION / AWS_DEFAULT_REGION, or the
 * CDK CLI's CDK_DEFAULT_REGION when it is not us-east-1. The CLI sets CDK_DEFAULT_REGION to
 * us-east-1 when nothing is configured, so that value alone cannot tell a choice from a fallback.
 */
export function resolveRegion(sources: {
  context?: unknown;
  env: Readonly<Record<string, string | undefined>>;
}): string {
  const { env } = sources;
  const chosen =
    (typeof sources.context === 'string' && sources.context) ||
    env.AWS_REGION ||
    env.AWS_DEFAULT_REGION ||
    (env.CDK_DEFAULT_REGION !== 'us-east-1' ? env.CDK_DEFAULT_REGION : undefined);
  if (!chosen) {
    throw new SettingsError(
      'tfdrift: no region configured for the central stack (the CDK CLI would silently use us-east-1). ' +
        'Set one: -c tfdrift:region=eu-west-1, or AWS_REGION, or a region in your AWS profile ' +
        '(us-east-1 from a profile must be confirmed with -c tfdrift:region=us-east-1).',
    );
  }
  if (!/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/.test(chosen))
    throw new SettingsError(`tfdrift: ${JSON.stringify(chosen)} is not an AWS region`);
  return chosen;
}

/** True when the settings make this deployment a member account's forwarders only. */
export function isMemberDeployment(settings: TfdriftSettings, account: string | undefined): boolean {
  return settings.centralAccount !== undefined && settings.centralAccount !== account;
}

export function addTfdriftStacks(app: App, props: TfdriftAppProps): TfdriftStacks {
  const { settings, account, region } = props;
  const ruleSet = props.ruleSet ?? deployedRuleSet();
  const patterns = cloudTrailPatterns(ruleSet);
  const forwarder = (other: string | undefined, centralRegion: string) =>
    new RegionForwarderStack(app, other ? `TfdriftForwarder-${other}` : STACKSET_FORWARDER, {
      env: other ? { account, region: other } : {},
      description: `tfdrift: forwards CloudTrail writes from ${other ?? 'this region'} to ${centralRegion}`,
      centralRegion,
      centralAccount: settings.centralAccount ?? account,
      patterns: forwarderPatterns(patterns),
      extraPatterns: stateWritePatterns(settings.stateBuckets.map((b) => b.bucket)),
      alarmEmails: settings.alertEmails.map((e) => e.address),
    });
  if (props.stackSetForwarder) {
    if (!settings.centralAccount && !account)
      throw new SettingsError(
        'tfdrift: the StackSet forwarder needs centralAccount (or credentials of the central account)',
      );
    return { forwarders: [forwarder(undefined, settings.centralRegion ?? region)] };
  }
  if (isMemberDeployment(settings, account)) {
    const centralRegion = settings.centralRegion ?? region;
    return { forwarders: memberForwarderRegions(settings, region).map((r) => forwarder(r, centralRegion)) };
  }
  const central = new TfdriftStack(app, 'Tfdrift', {
    env: { account, region },
    description: 'tfdrift: real-time Terraform drift detection',
    settings,
    webDist: props.webDist,
    patterns,
  });
  const bundleProblem = ruleBundleProblem(ruleSet);
  if (bundleProblem) Annotations.of(central).addWarning(bundleProblem);
  const forwarders = forwarderRegions(settings, region).map((other) => forwarder(other, region));
  return { central, forwarders };
}
