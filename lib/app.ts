// The tfdrift CDK app's stacks for one deployment target: the central stack in the deploy region,
// plus one forwarder stack per other watched region and us-east-1 (where global services' calls
// arrive). bin/app.ts (what `cdk deploy` runs) and the deploy rehearsal (test/rehearsal) both build
// the app through this one function, so the rehearsal checks exactly what a deploy would create.

import { Annotations, type App } from 'aws-cdk-lib';
import type { RuleSet } from '../lambdas/core/rules.js';
import { RegionForwarderStack } from './constructs/region-forwarder.js';
import { cloudTrailPatterns, deployedRuleSet, ruleBundleProblem } from './rule-patterns.js';
import { forwarderRegions, type TfdriftSettings } from './settings.js';
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
}

export interface TfdriftStacks {
  readonly central?: TfdriftStack;
  readonly forwarders: readonly RegionForwarderStack[];
}

export function addTfdriftStacks(app: App, props: TfdriftAppProps): TfdriftStacks {
  const { settings, account, region } = props;
  const ruleSet = props.ruleSet ?? deployedRuleSet();
  const patterns = cloudTrailPatterns(ruleSet);
  const central = new TfdriftStack(app, 'Tfdrift', {
    env: { account, region },
    description: 'tfdrift: real-time Terraform drift detection',
    settings,
    webDist: props.webDist,
    patterns,
  });
  const bundleProblem = ruleBundleProblem(ruleSet);
  if (bundleProblem) Annotations.of(central).addWarning(bundleProblem);
  const forwarders = forwarderRegions(settings, region).map(
    (other) =>
      new RegionForwarderStack(app, `TfdriftForwarder-${other}`, {
        env: { account, region: other },
        description: `tfdrift: forwards CloudTrail writes from ${other} to ${region}`,
        centralRegion: region,
        centralAccount: settings.centralAccount,
        patterns,
      }),
  );
  return { central, forwarders };
}
