// A `terraform apply` as the detect function meets it: 500 API calls made by the Terraform AWS
// provider (its user agent), then one state write (S3 "Object Created"), delivered through the
// detect handler itself — its clients from the environment, DynamoDB on dynalite, the state on
// s3rver, SNS mocked at the SDK boundary — to INSTANCES warm function instances in turn (each a
// fresh import of the handler module, as Lambda runs one per container). S3 requests and
// re-evaluations are counted at the SDK and store boundaries.
// Target: no state read per Terraform call; per state write, at most one state download (200) per
// instance (conditional GETs otherwise) and one re-evaluation.
// Prints one JSON object.

import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDriftStore } from '../lambdas/adapters/aws/dynamo-drift-store.js';
import {
  bridgeEvent,
  fixtureJson,
  fixtureText,
  objectCreatedEvent,
  STATE_BUCKET,
  STATE_KEY,
  startHandlerWorld,
} from '../test/integration/handlers-env.js';

const CALLS = Number(process.env.BENCH_APPLY_CALLS ?? 500);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 2);
const TERRAFORM_UA =
  'APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.70.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 os/linux lang/go#1.23.1 md/GOOS#linux md/GOARCH#amd64 api/s3#1.61.2';
const S3_CALLS = [
  'PutBucketVersioning',
  'PutBucketPolicy',
  'PutBucketEncryption',
  'PutBucketPublicAccessBlock',
  'PutBucketTagging',
];

type Handler = (event: unknown) => Promise<unknown>;

interface Counts {
  list: number;
  get: number;
  downloaded: number;
  notModified: number;
  reevaluations: number;
}
const zero = (): Counts => ({ list: 0, get: 0, downloaded: 0, notModified: 0, reevaluations: 0 });
let counts = zero();
const take = () => {
  const taken = counts;
  counts = zero();
  return taken;
};

// Counting at the SDK boundary: every S3 request the function instances send.
const send = S3Client.prototype.send as (this: S3Client, command: unknown) => Promise<unknown>;
S3Client.prototype.send = async function (this: S3Client, command: unknown) {
  if (command instanceof ListObjectsV2Command) counts.list += 1;
  if (!(command instanceof GetObjectCommand)) return send.call(this, command);
  counts.get += 1;
  try {
    const response = await send.call(this, command);
    counts.downloaded += 1;
    return response;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 304)
      counts.notModified += 1;
    throw error;
  }
} as typeof S3Client.prototype.send;
// Re-evaluation reads the open drifts first: one listOpen per re-evaluation.
const listOpen = DynamoDriftStore.prototype.listOpen;
DynamoDriftStore.prototype.listOpen = function (this: DynamoDriftStore) {
  counts.reevaluations += 1;
  return listOpen.call(this);
};

const world = await startHandlerWorld();
const sns = mockClient(SNSClient);
sns.on(PublishCommand).resolves({ MessageId: 'bench' });
const silence = console.log;
console.log = () => undefined; // the handler's metric and log lines
try {
  const instances: Handler[] = [];
  for (let i = 0; i < INSTANCES; i++) {
    const module = (await import(`../lambdas/handlers/detect.ts?instance=${i}`)) as { handler: Handler };
    instances.push(module.handler);
  }
  const suspend = fixtureJson('live/s3-suspend-versioning.json');
  const record = (i: number, fields: Record<string, unknown>) => ({
    ...suspend,
    eventID: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    eventTime: new Date(Date.parse('2024-01-15T11:00:00Z') + i * 1000).toISOString().replace('.000', ''),
    ...fields,
  });
  // Warm instances: each has loaded state, seen a hand-made change, and handled an earlier state write.
  for (const [i, handler] of instances.entries()) {
    await handler(bridgeEvent(record(900_000 + i, {}), `warm-${i}`));
    await handler(objectCreatedEvent(STATE_BUCKET, STATE_KEY));
  }
  take();

  // The apply: Terraform's own calls, spread over the instances as Lambda spreads them.
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) {
    const event = record(i, { userAgent: TERRAFORM_UA, eventName: S3_CALLS[i % S3_CALLS.length] });
    await instances[i % INSTANCES](bridgeEvent(event, `apply-${i}`));
  }
  const burstMs = performance.now() - started;
  const burst = take();

  // Terraform writes the state (versioning now Suspended, as the hand-made change left it): one
  // Object Created event to one instance, then a hand-made call on every instance.
  const state = JSON.parse(fixtureText('tfstate/tfdrift-falco-detector.tfstate')) as {
    serial: number;
    resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[];
  };
  state.serial += 1;
  const versioning = state.resources.find((r) => r.type === 'aws_s3_bucket_versioning');
  if (versioning)
    versioning.instances[0].attributes.versioning_configuration = [{ mfa_delete: '', status: 'Suspended' }];
  await world.putState(JSON.stringify(state));
  const written = (await instances[0](objectCreatedEvent(STATE_BUCKET, STATE_KEY))) as { resolved?: number };
  for (const [i, handler] of instances.entries())
    for (let k = 0; k < 3; k++)
      await handler(bridgeEvent(record(800_000 + i * 10 + k, {}), `after-${i}-${k}`));
  const afterWrite = take();

  console.log = silence;
  console.log(
    JSON.stringify({
      terraformCalls: CALLS,
      instances: INSTANCES,
      burstMs: Math.round(burstMs),
      burst,
      stateWrite: { ...afterWrite, resolvedDrifts: written.resolved ?? 0 },
      perTerraformCall: {
        s3Gets: Number((burst.get / CALLS).toFixed(3)),
        downloads: Number((burst.downloaded / CALLS).toFixed(3)),
        reevaluations: Number((burst.reevaluations / CALLS).toFixed(3)),
      },
      perStateWrite: {
        downloadsPerInstance: Number(((burst.downloaded + afterWrite.downloaded) / INSTANCES).toFixed(2)),
        reevaluations: burst.reevaluations + afterWrite.reevaluations,
      },
      pass:
        burst.reevaluations === 0 &&
        burst.downloaded === 0 &&
        afterWrite.downloaded <= INSTANCES &&
        afterWrite.reevaluations === 1,
    }),
  );
} finally {
  console.log = silence;
  sns.restore();
  await world.stop();
}
