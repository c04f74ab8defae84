// The CDK app (cdk.json "app"): see lib/app.ts for the stacks it creates.
//   npx cdk deploy --all -c tfdrift:config=tfdrift.yaml -c tfdrift:region=eu-west-1
// A member account's StackSet forwarder template: add -c tfdrift:stackset=true (docs/deploy.md).

import { App } from 'aws-cdk-lib';
import { addTfdriftStacks, resolveRegion } from '../lib/app.js';
import { SettingsError, settingsFromContext } from '../lib/settings.js';
import { ensureWebDist } from '../lib/web-dist.js';

const app = new App();
try {
  const settings = settingsFromContext({
    tfdrift: app.node.tryGetContext('tfdrift'),
    configPath: app.node.tryGetContext('tfdrift:config'),
  });
  const region = resolveRegion({ context: app.node.tryGetContext('tfdrift:region'), env: process.env });
  const stackSet = app.node.tryGetContext('tfdrift:stackset');
  addTfdriftStacks(app, {
    settings,
    account: process.env.CDK_DEFAULT_ACCOUNT,
    region,
    stackSetForwarder: stackSet === true || stackSet === 'true',
    webDist: await ensureWebDist(),
  });
} catch (error) {
  // A settings mistake is the operator's to fix: say what is wrong, without a stack trace.
  if (!(error instanceof SettingsError)) throw error;
  console.error(error.message);
  process.exit(1);
}
app.synth();
