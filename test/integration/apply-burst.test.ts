// A `terraform apply` as warm detect function instances meet it: many calls made by Terraform, then
// one state write. Each instance is the runtime the detect handler builds from its environment
// (DynamoDB on dynalite, the state on s3rver, SNS mocked at the SDK boundary); S3 reads and
// re-evaluations are counted at the SDK and store boundaries.

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDriftStore } from '../../lambdas/adapters/aws/dynamo-drift-store.js';
import { createDetectorRuntime, type DetectorRuntime } from '../../lambdas/handlers/runtime/detector.js';
import {
  bridgeEvent,
  fixtureJson,
  fixtureText,
  type HandlerWorld,
  startHandlerWorld,
} from './handlers-env.js';

const TERRAFORM_UA =
  'APN/1.0 HashiCorp/1.0 Terraform/1.9.5 (+https://www.terraform.io) terraform-provider-aws/5.70.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.32.2 os/linux lang/go#1.23.1 md/GOOS#linux md/GOARCH#amd64 api/s3#1.61.2';
const CALLS = 60;
const RECHECK_MS = 1000;

const sns = mockClient(SNSClient);
let world: HandlerWorld;
const suspend = fixtureJson('live/s3-suspend-versioning.json');

beforeAll(async () => {
  world = await startHandlerWorld();
}, 60_000);
afterAll(async () => {
  sns.restore();
  await world?.stop();
});
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  // Each test starts from the fixture's state (versioning Enabled).
  return world.putState(fixtureText('tfstate/tfdrift-falco-detector.tfstate'));
});

/** A record of the fixture's bucket with its own id and time. */
function call(id: string, fields: Record<string, unknown> = {}) {
  return bridgeEvent({ ...suspend, eventID: id, ...fields }, `bridge-${id}`);
}

/** The state after Terraform codified the hand-made change: versioning Suspended. */
function suspendedState(): string {
  const state = JSON.parse(fixtureText('tfstate/tfdrift-falco-detector.tfstate')) as {
    serial: number;
    resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[];
  };
  state.serial += 1;
  const versioning = state.resources.find((r) => r.type === 'aws_s3_bucket_versioning');
  if (!versioning) throw new Error('fixture lacks aws_s3_bucket_versioning');
  versioning.instances[0].attributes.versioning_configuration = [{ mfa_delete: '', status: 'Suspended' }];
  return JSON.stringify(state);
}

/** Counts GetObject requests (and those that downloaded the object) and re-evaluations. */
function counters() {
  const send = vi.spyOn(S3Client.prototype, 'send');
  const listOpen = vi.spyOn(DynamoDriftStore.prototype, 'listOpen');
  return {
    async take() {
      const gets = send.mock.calls.flatMap(([command], i) =>
        command instanceof GetObjectCommand ? [send.mock.settledResults[i]] : [],
      );
      const counts = {
        gets: gets.length,
        downloads: gets.filter((r) => r?.type === 'fulfilled').length,
        reevaluations: listOpen.mock.calls.length,
      };
      send.mockClear();
      listOpen.mockClear();
      return counts;
    },
    restore() {
      send.mockRestore();
      listOpen.mockRestore();
    },
  };
}

function instance(): DetectorRuntime {
  return createDetectorRuntime({ ...process.env, STATE_RECHECK_SECONDS: String(RECHECK_MS / 1000) });
}

const quietly = async <T>(work: () => Promise<T>): Promise<T> => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    return await work();
  } finally {
    log.mockRestore();
  }
};

describe('a terraform apply through warm detect instances', () => {
  it('reads no state per Terraform call, re-evaluates once per state write, each instance downloads it once', async () => {
    await quietly(async () => {
      // Prepare: two warm instances that have seen a state write; a hand-made change is a drift.
      const instances = [instance(), instance()];
      for (const runtime of instances) await runtime.detect.reloadState();
      const made = await instances[0].detect.handle([call('burst-hand-made')]);
      expect(made.created).toBe(1);
      const count = counters();
      try {
        // Act 1: the apply's calls, spread over the instances.
        const started = performance.now();
        for (let i = 0; i < CALLS; i++)
          await instances[i % 2].detect.handle([call(`burst-terraform-${i}`, { userAgent: TERRAFORM_UA })]);
        const elapsed = performance.now() - started;
        const burst = await count.take();
        // Assess 1: no download, no re-evaluation; a conditional check per instance per interval at most.
        expect(burst.downloads).toBe(0);
        expect(burst.reevaluations).toBe(0);
        expect(burst.gets).toBeLessThanOrEqual(2 * (1 + Math.floor(elapsed / RECHECK_MS)));
        expect(burst.gets).toBeLessThan(CALLS / 2);

        // Act 2: Terraform writes the state; S3's Object Created reaches one instance.
        await world.putState(suspendedState());
        const resolved = await instances[0].detect.reloadState();
        const written = await count.take();
        // Assess 2: one download, one re-evaluation, the drift resolved.
        expect(resolved.map((d) => d.event.id)).toEqual(['burst-hand-made']);
        expect(written).toEqual({ gets: 1, downloads: 1, reevaluations: 1 });

        // Act 3: the other instance, marked stale by the apply, meets events after its interval.
        await new Promise((resolve) => setTimeout(resolve, RECHECK_MS + 50));
        for (let k = 0; k < 3; k++) await instances[1].detect.handle([call(`burst-after-${k}`)]);
        const after = await count.take();
        // Assess 3: it downloads the new state once and leaves re-evaluation to the notification.
        expect(after).toEqual({ gets: 1, downloads: 1, reevaluations: 0 });
        expect(instances[1].state.isStale()).toBe(false);
        const index = await instances[1].state.current();
        const versioning = index.resources.find((r) => r.type === 'aws_s3_bucket_versioning');
        expect(versioning?.attributes.versioning_configuration).toEqual([
          { mfa_delete: '', status: 'Suspended' },
        ]);
      } finally {
        count.restore();
      }
    });
  }, 60_000);

  it('without state-write notifications, the check a Terraform call asked for re-evaluates once', async () => {
    await quietly(async () => {
      // Prepare: an instance that never received an Object Created event, and an open drift.
      const runtime = instance();
      const made = await runtime.detect.handle([call('fallback-hand-made')]);
      expect(made.created).toBe(1);
      await runtime.detect.handle([call('fallback-terraform', { userAgent: TERRAFORM_UA })]);
      expect(runtime.state.isStale()).toBe(true);
      await world.putState(suspendedState());
      const count = counters();
      try {
        // Act
        await new Promise((resolve) => setTimeout(resolve, RECHECK_MS + 50));
        await runtime.detect.handle([call('fallback-after-1')]);
        await runtime.detect.handle([call('fallback-after-2')]);
        const counts = await count.take();
        // Assess
        expect(counts).toEqual({ gets: 1, downloads: 1, reevaluations: 1 });
        const open = await runtime.store.listOpen();
        expect(open.map((d) => d.event.id)).not.toContain('fallback-hand-made');
      } finally {
        count.restore();
      }
    });
  }, 60_000);
});
