// The local server's alert ledger: one alert per drift this process creates, a failed one owed again.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDriftStore } from '../../lambdas/adapters/aws/dynamo-drift-store.js';
import { type LocalDynamo, startLocalDynamo } from '../../lambdas/adapters/local/dynalite.js';
import { OwedAlerts } from '../../lambdas/adapters/local/owed-alerts.js';
import { sampleDrift } from '../support/drift-samples.js';

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await startLocalDynamo();
});
afterAll(async () => {
  await dynamo?.close();
});

describe('OwedAlerts', () => {
  it('owes one alert for each drift the store creates, none for a redelivery, and again after a failure', async () => {
    const alerts = new OwedAlerts();
    const drifts = alerts.owing(new DynamoDriftStore(dynamo.doc));
    const at = '2026-01-01T00:00:00Z';
    const first = sampleDrift(101);
    const second = sampleDrift(102);

    expect(await drifts.putNew(first)).toEqual(expect.any(Number));
    expect(await drifts.putIfAbsent(second)).toBe(true);
    expect(await alerts.claimAlert(first.id, at)).toBe(true);
    expect(await alerts.claimAlert(first.id, at)).toBe(false); // claimed once

    await alerts.settleAlert(first.id, false); // the alert failed: owed again
    expect(await drifts.putNew(first)).toBeNull(); // its redelivery writes nothing
    expect(await alerts.claimAlert(first.id, at)).toBe(true);
    await alerts.settleAlert(first.id, true);
    expect(await alerts.claimAlert(first.id, at)).toBe(false);

    expect(await drifts.putIfAbsent(second)).toBe(false); // a redelivery owes nothing more
    expect(await alerts.claimAlert(second.id, at)).toBe(true);
    expect(await alerts.claimAlert(second.id, at)).toBe(false);
    expect(await alerts.claimAlert('never-written', at)).toBe(false);
  });
});
