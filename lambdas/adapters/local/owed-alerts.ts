// The alert ledger of the one process that owns a data folder (the local server). An alert is owed
// for each drift this process creates, and claiming it takes it; a failed alert is owed again, so a
// redelivery retries it. A redelivered event whose drift already exists owes nothing. Only alerts
// not yet sent are held, so memory stays flat, and no alert costs a write: DynamoDB's claim and
// settle (DynamoDriftStore's ledger, which concurrent Lambdas need) took a third of the local
// server's CPU per drift (bench/live-latency.ts under /usr/bin/time).

import type { Drift } from '../../core/types.js';
import type { AlertLedger, SequencedDriftStore } from '../../ports.js';

export class OwedAlerts implements AlertLedger {
  private readonly owed = new Set<string>();

  /** The same store, whose writes of new drifts each owe an alert. */
  owing(store: SequencedDriftStore): SequencedDriftStore {
    const putNew = async (drift: Drift) => {
      const seq = await store.putNew(drift);
      if (seq !== null) this.owed.add(drift.id);
      return seq;
    };
    return {
      putNew,
      putIfAbsent: async (drift) => (await putNew(drift)) !== null,
      changeStatus: (id, change) => store.changeStatus(id, change),
      setStatus: (id, change) => store.setStatus(id, change),
      get: (id) => store.get(id),
      query: (q) => store.query(q),
      history: (key) => store.history(key),
      listOpen: () => store.listOpen(),
    };
  }

  async claimAlert(id: string, _at?: string): Promise<boolean> {
    return this.owed.delete(id);
  }

  async settleAlert(id: string, sent: boolean): Promise<void> {
    if (!sent) this.owed.add(id);
  }
}
