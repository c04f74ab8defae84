import type { DriftKind, DriftStatus, Severity } from '../types.js';

export function SeverityBadge({ severity }: { readonly severity: Severity }) {
  return <span className={`badge sev sev-${severity}`}>{severity}</span>;
}

export function StatusBadge({ status }: { readonly status: DriftStatus }) {
  return <span className={`badge status status-${status}`}>{status}</span>;
}

export function KindBadge({ kind }: { readonly kind: DriftKind }) {
  return <span className={`kind kind-${kind}`}>{kind}</span>;
}
