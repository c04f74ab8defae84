import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { displayEventName } from '../../../lambdas/core/display.js';
import type { Api } from '../api.js';
import { queryKeys, updateCachedDetail } from '../data/drift-queries.js';
import { describeError } from '../data/query-client.js';
import { cloudTrailLink, resourceConsoleLink } from '../lib/console-links.js';
import { formatTime, resourceLabel } from '../lib/format.js';
import { remediationFor } from '../lib/remediation.js';
import type { Drift, DriftDetail } from '../types.js';
import { KindBadge, SeverityBadge, StatusBadge } from './Badges.js';
import { ValueDiff } from './ValueDiff.js';

interface DetailPanelProps {
  readonly api: Api;
  readonly id: string;
  readonly consoleRegion?: string;
  readonly onClose: () => void;
  readonly onSelect: (drift: Drift) => void;
  readonly onChanged: (drift: Drift) => void;
  /** Who is acting: asks once locally; undefined lets the server decide; null means cancelled. */
  readonly actingAs: () => Promise<string | undefined | null>;
}

function Field({ label, value }: { readonly label: string; readonly value: string | null | undefined }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className={value ? '' : 'muted'}>{value || '—'}</dd>
    </>
  );
}

function StatusActions({
  drift,
  api,
  onChanged,
  actingAs,
}: {
  readonly drift: Drift;
  readonly api: Api;
  readonly onChanged: (drift: Drift) => void;
  readonly actingAs: () => Promise<string | undefined | null>;
}) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (action: 'acknowledge' | 'resolve') => {
    const by = await actingAs();
    if (by === null) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await api.changeStatus(drift.id, action, {
        by,
        comment: comment.trim() || undefined,
      });
      onChanged(updated);
      setComment('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="status-actions">
      <textarea
        aria-label="Comment"
        placeholder="Comment (optional): why, ticket, who is on it…"
        value={comment}
        rows={2}
        onChange={(event) => setComment(event.target.value)}
      />
      <div className="buttons">
        <button
          type="button"
          className="primary"
          disabled={busy || drift.status !== 'open'}
          onClick={() => act('acknowledge')}
        >
          Acknowledge
        </button>
        <button type="button" disabled={busy || drift.status === 'resolved'} onClick={() => act('resolve')}>
          Resolve
        </button>
      </div>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

export function DetailPanel({
  api,
  id,
  consoleRegion,
  onClose,
  onSelect,
  onChanged,
  actingAs,
}: DetailPanelProps) {
  const client = useQueryClient();
  // Status changes made here or pushed live (someone else acknowledged it) update this cache entry.
  const detail = useQuery({ queryKey: queryKeys.detail(id), queryFn: () => api.drift(id) });
  const drift = detail.data ?? null;
  const error = detail.error ? describeError(detail.error) : null;
  const panel = useRef<HTMLElement>(null);

  useEffect(() => {
    panel.current?.focus();
  }, []);

  const changed = (updated: Drift) => {
    updateCachedDetail(client, updated);
    onChanged(updated);
  };

  return (
    <aside className="detail" aria-label="Drift detail" ref={panel} tabIndex={-1} data-testid="detail">
      <div className="detail-head">
        <h2>{drift ? resourceLabel(drift) : 'Drift'}</h2>
        <button type="button" className="close" aria-label="Close detail (Escape)" onClick={onClose}>
          ×
        </button>
      </div>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
      {!drift && !error && <div className="empty">Loading…</div>}
      {drift && (
        <DetailBody
          drift={drift}
          api={api}
          consoleRegion={consoleRegion}
          onSelect={onSelect}
          onChanged={changed}
          actingAs={actingAs}
        />
      )}
    </aside>
  );
}

function DetailBody({
  drift,
  api,
  consoleRegion,
  onSelect,
  onChanged,
  actingAs,
}: {
  readonly drift: DriftDetail;
  readonly api: Api;
  readonly consoleRegion?: string;
  readonly onSelect: (drift: Drift) => void;
  readonly onChanged: (drift: Drift) => void;
  readonly actingAs: () => Promise<string | undefined | null>;
}) {
  const consoleLink = resourceConsoleLink(drift, consoleRegion);
  const trailLink = cloudTrailLink(drift, consoleRegion);
  const { actor } = drift;
  const history = (drift.history ?? []).filter((other) => other.id !== drift.id);
  return (
    <div className="detail-body">
      <div className="detail-badges">
        <SeverityBadge severity={drift.severity} />
        <KindBadge kind={drift.kind} />
        <StatusBadge status={drift.status} />
        <span className="mono muted">{drift.resource.type}</span>
      </div>
      <p className="detail-summary">{drift.summary}</p>
      {drift.statusChangedAt && (
        <p className="muted status-note" data-testid="status-note">
          {drift.status} {drift.statusChangedBy ? `by ${drift.statusChangedBy} ` : ''}at{' '}
          {formatTime(drift.statusChangedAt)}
          {drift.statusComment ? ` — “${drift.statusComment}”` : ''}
        </p>
      )}
      <StatusActions drift={drift} api={api} onChanged={onChanged} actingAs={actingAs} />

      <section>
        <h3>What changed</h3>
        {drift.changes.length === 0 && (
          <p className="muted">
            {drift.kind === 'deleted'
              ? 'The resource was deleted.'
              : drift.kind === 'unmanaged'
                ? 'A resource that no Terraform state knows about was created.'
                : 'The event shows the resource changed, but not which value.'}
          </p>
        )}
        {drift.changes.map((change) => (
          <div className="change" key={change.attribute} data-testid="change">
            <div className="change-attr mono">{change.attribute}</div>
            <ValueDiff expected={change.expected} actual={change.actual} />
          </div>
        ))}
      </section>

      <section>
        <h3>Who, when, where</h3>
        <dl className="facts">
          <Field label="Person / principal" value={actor.name} />
          <Field label="Identity type" value={`${actor.type}${actor.sso ? ' (SSO)' : ''}`} />
          <Field label="Principal ARN" value={actor.arn} />
          <Field label="Role" value={actor.roleArn} />
          <Field label="Account" value={actor.accountId ?? drift.event.account} />
          <Field label="Source IP" value={actor.sourceIp} />
          <Field label="User agent" value={actor.userAgent} />
          <Field label="Channel" value={actor.channel} />
          <Field label="Invoked by" value={actor.invokedBy} />
          <Field label="Event" value={`${displayEventName(drift.event.name)} (${drift.event.source})`} />
          <Field label="Event time" value={formatTime(drift.event.time)} />
          <Field label="Detected" value={formatTime(drift.detectedAt)} />
          <Field label="Region" value={drift.event.region} />
          <Field label="Resource id" value={drift.resource.id} />
          <Field label="Resource ARN" value={drift.resource.arn} />
          <Field label="State file" value={drift.resource.stateFile} />
          <Field label="Rule" value={drift.ruleId} />
        </dl>
        <div className="links">
          {consoleLink && (
            <a href={consoleLink.href} target="_blank" rel="noopener noreferrer">
              {consoleLink.label} ↗
            </a>
          )}
          <a href={trailLink.href} target="_blank" rel="noopener noreferrer">
            {trailLink.label} ↗
          </a>
        </div>
      </section>

      <section>
        <h3>Suggested remediation</h3>
        {remediationFor(drift).map((step) => (
          <div className="remedy" key={step.title}>
            <div className="remedy-title">{step.title}</div>
            {step.code && <pre className="code">{step.code}</pre>}
            {step.text && <p className="muted">{step.text}</p>}
          </div>
        ))}
      </section>

      {history.length > 0 && (
        <section>
          <h3>Other drifts of this resource</h3>
          <ul className="history">
            {history.map((other) => (
              <li key={other.id}>
                <button type="button" className="link-button" onClick={() => onSelect(other)}>
                  {formatTime(other.event.time)} · {displayEventName(other.event.name)} · {other.status}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      <section>
        <details className="raw">
          <summary>Raw CloudTrail event</summary>
          <pre data-testid="raw-event">
            {drift.rawEvent ? JSON.stringify(drift.rawEvent, null, 2) : 'Not stored for this drift.'}
          </pre>
        </details>
      </section>
    </div>
  );
}
