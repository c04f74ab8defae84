// The CDK app (cdk.json "app"): the central tfdrift stack in the deploy region, plus one forwarder
// stack per other watched region and us-east-1 (where global services' calls arrive).
//   npx cdk deploy --all -c tfdrift:config=tfdrift.yaml

import { Annotations, App } from 'aws-cdk-lib';
import { RegionForwarderStack } from '../lib/constructs/region-forwarder.js';
import { cloudTrailPatterns, deployedRuleSet, ruleBundleProblem } from '../lib/rule-patterns.js';
import { forwarderRegions, settingsFromContext } from '../lib/settings.js';
import { TfdriftStack } from '../lib/tfdrift-stack.js';
import { ensureWebDist } from '../lib/web-dist.js';

const app = new App();
const settings = settingsFromContext({
  tfdrift: app.node.tryGetContext('tfdrift'),
  configPath: app.node.tryGetContext('tfdrift:config'),
});
const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION ?? process.env.AWS_REGION ?? 'eu-west-1';
const ruleSet = deployedRuleSet();
const patterns = cloudTrailPatterns(ruleSet);

const central = new TfdriftStack(app, 'Tfdrift', {
  env: { account, region },
  description: 'tfdrift: real-time Terraform drift detection',
  settings,
  webDist: await ensureWebDist(),
  patterns,
});
const bundleProblem = ruleBundleProblem(ruleSet);
if (bundleProblem) Annotations.of(central).addWarning(bundleProblem);
for (const other of forwarderRegions(settings, region)) {
  new RegionForwarderStack(app, `TfdriftForwarder-${other}`, {
    env: { account, region: other },
    description: `tfdrift: forwards CloudTrail writes from ${other} to ${region}`,
    centralRegion: region,
    centralAccount: settings.centralAccount,
    patterns,
  });
}
app.synth();
