// Drift events as Security Hub findings. BatchImportFindings creates a finding and updates what a
// finding provider may update (100 findings and 6 MB per call, 240 KB per finding); it ignores
// Workflow on an existing finding, so a status change is also sent as BatchUpdateFindings (the
// customer's own operation, up to 100 findings a call) to move the workflow to NOTIFIED or RESOLVED.

import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { type AsffFinding, type AsffOptions, asffFinding } from '../../core/asff.js';
import { DRIFT_STATUS_CHANGED, type DriftEvent } from '../../core/drift-events.js';
import type { DriftEvents } from '../../ports.js';

export const MAX_FINDINGS_PER_CALL = 100;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The SDK's mutable shape of the same finding. */
function toSdk(f: AsffFinding): AwsSecurityFinding {
  return {
    ...f,
    Types: [...f.Types],
    Resources: f.Resources.map((r) => ({ ...r, Details: { Other: { ...r.Details.Other } } })),
  };
}

export class SecurityHubDriftEvents implements DriftEvents {
  constructor(
    private readonly client: SecurityHubClient,
    private readonly options: AsffOptions,
  ) {}

  async publish(event: DriftEvent): Promise<void> {
    await this.publishAll([event]);
  }

  /** Imports each event's finding, then moves the workflow of those whose status changed. */
  async publishAll(events: readonly DriftEvent[]): Promise<void> {
    const findings = events.map((e) => asffFinding(e, this.options));
    const failures: string[] = [];
    for (const batch of chunks(findings, MAX_FINDINGS_PER_CALL)) {
      const result = await this.client.send(new BatchImportFindingsCommand({ Findings: batch.map(toSdk) }));
      for (const f of result.FailedFindings ?? [])
        failures.push(`${f.Id}: ${f.ErrorCode} ${f.ErrorMessage ?? ''}`.trim());
    }
    const changed = events
      .map((e, i) => ({ event: e, finding: findings[i] }))
      .filter(({ event }) => event['detail-type'] === DRIFT_STATUS_CHANGED);
    // One BatchUpdateFindings per target workflow status (the call sets one status for all).
    const byStatus = new Map<AsffFinding['Workflow']['Status'], AsffFinding[]>();
    for (const { finding } of changed) {
      byStatus.set(finding.Workflow.Status, [...(byStatus.get(finding.Workflow.Status) ?? []), finding]);
    }
    for (const [status, group] of byStatus) {
      for (const batch of chunks(group, MAX_FINDINGS_PER_CALL)) {
        const result = await this.client.send(
          new BatchUpdateFindingsCommand({
            FindingIdentifiers: batch.map((f) => ({ Id: f.Id, ProductArn: f.ProductArn })),
            Workflow: { Status: status },
          }),
        );
        for (const f of result.UnprocessedFindings ?? []) {
          failures.push(`${f.FindingIdentifier?.Id}: ${f.ErrorCode} ${f.ErrorMessage ?? ''}`.trim());
        }
      }
    }
    if (failures.length > 0)
      throw new Error(`Security Hub refused ${failures.length}: ${failures.slice(0, 5).join('; ')}`);
  }
}
