// The CDK app (cdk.json "app"): see lib/app.ts for the stacks it creates.
//   npx cdk deploy --all -c tfdrift:config=tfdrift.yaml

import { App } from 'aws-cdk-lib';
import { addTfdriftStacks } from '../lib/app.js';
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
  region: process.env.CDK_DEFAULT_REGION ?? process.env.AWS_REGION ?? 'eu-west-1',
  webDist: await ensureWebDist(),
});
app.synth();
