// One Lambda execution environment: imports a synthesized bundle once (the cold start) and runs its
// handler for each event the parent sends over IPC, one at a time, as a warm container would.
// Plain JavaScript on purpose: the bundle is imported by Node as the Lambda runtime imports it, with
// no loader in between. argv: bundle file, export name of the handler.
import { pathToFileURL } from 'node:url';

const [bundle, exportName] = process.argv.slice(2);
let mod;
let initError;
try {
  mod = await import(pathToFileURL(bundle).href);
  if (typeof mod[exportName] !== 'function') throw new Error(`${bundle} exports no function ${exportName}`);
} catch (error) {
  initError = error;
}
const describe = (error) => ({ name: error?.name ?? 'Error', message: String(error?.message ?? error) });
process.send({ ready: !initError, error: initError && describe(initError) });

let queue = Promise.resolve();
process.on('message', (request) => {
  queue = queue.then(async () => {
    if (initError) return process.send({ id: request.id, error: describe(initError) });
    try {
      const result =
        request.call === undefined
          ? await mod[exportName](request.event, { functionName: process.env.AWS_LAMBDA_FUNCTION_NAME })
          : await mod[request.call.export][request.call.method](...request.call.args);
      process.send({ id: request.id, result: result ?? null });
    } catch (error) {
      process.send({ id: request.id, error: describe(error) });
    }
  });
});
process.on('disconnect', () => process.exit(0));
