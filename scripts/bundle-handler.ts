// Builds one Lambda handler's asset: `tsx scripts/bundle-handler.ts <handler> <outdir>`.
// The stack runs it as the local bundling step of each function (lib/bundling.ts).

import { bundleHandler, HANDLERS, isHandlerName } from '../lib/bundling.js';

const [handler, outdir] = process.argv.slice(2);
if (!handler || !outdir || !isHandlerName(handler)) {
  console.error(`usage: bundle-handler <${HANDLERS.join('|')}> <outdir>`);
  process.exit(2);
}
await bundleHandler(handler, outdir);
