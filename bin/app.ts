// The CDK app (cdk.json "app"): see lib/app.ts for the stacks it creates.
//   npx cdk deploy --all -c tfdrift:config=tfdrift.yaml -c tfdrift:region=eu-west-1

import { App } from 'aws-cdk-lib';
import { addTfdriftStacks, resolveRegion } from '../lib/app.js';
import { settingsFromContext } from '../lib/settings.js';
import { ensureWebDist } from '../lib/web-dist.js';

const app = new App();
const settings = settingsFromContext({
  tfdrift: app.node.tryGetContext('tfdrift'),
  configPath: app.node.tryGetContext('tfdrift:config'),
});
addTfdriftStacks(app, {
  settings,
  account: process.env.CDK_DEFAULT_ACCOUNT,
  region: resolveRegion({ context: app.node.tryGetContext('tfdrift:region'), env: process.env }),
  stackSetForwarder:
    app.node.tryGetContext('tfdrift:stackset') === 'true' ||
    app.node.tryGetContext('tfdrift:stackset') === true,
  webDist: await ensureWebDist(),
});
app.synth();
