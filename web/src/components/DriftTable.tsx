import { type KeyboardEvent, memo } from 'react';
import { actorLabel, attributesLabel, nodeIdOf, resourceLabel, shortTime } from '../lib/format.js';
import type { SortKey } from '../lib/url-state.js';
import type { Drift } from '../types.js';
import { KindBadge, SeverityBadge, StatusBadge } from './Badges.js';

const COLUMNS: { readonly key: SortKey; readonly label: string }[] = [
  { key: 'time', label: 'Time (UTC)' },
  { key: 'severity', label: 'Severity' },
  { key: 'kind', label: 'Kind' },
  { key: 'address', label: 'Resource' },
  { key: 'type', label: 'Type' },
  { key: 'attribute', label: 'Attribute(s)' },
  { key: 'actor', label: 'Actor' },
  { key: 'event', label: 'Event' },
  { key: 'status', label: 'Status' },
];

interface DriftTableProps {
  readonly rows: readonly Drift[];
  readonly newIds: ReadonlySet<string>;
  readonly selectedId: string | null;
  readonly selectedNode: string | null;
  readonly sort: SortKey;
  readonly order: 'asc' | 'desc';
  readonly loading: boolean;
  readonly onSort: (sort: SortKey, order: 'asc' | 'desc') => void;
  readonly onSelect: (drift: Drift) => void;
}

/** Arrow keys move between rows; Enter opens the detail. */
function onRowKey(event: KeyboardEvent<HTMLTableRowElement>, drift: Drift, onSelect: (d: Drift) => void) {
  const row = event.currentTarget;
  if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    onSelect(drift);
  } else if (event.key === 'ArrowDown') {
    event.preventDefault();
    (row.nextElementSibling as HTMLElement | null)?.focus();
  } else if (event.key === 'ArrowUp') {
    event.preventDefault();
    (row.previousElementSibling as HTMLElement | null)?.focus();
  }
}

const Row = memo(function Row({
  drift,
  isNew,
  selected,
  related,
  onSelect,
}: {
  readonly drift: Drift;
  readonly isNew: boolean;
  readonly selected: boolean;
  readonly related: boolean;
  readonly onSelect: (drift: Drift) => void;
}) {
  const classes = ['drift-row', `row-sev-${drift.severity}`];
  if (isNew) classes.push('is-new');
  if (selected) classes.push('is-selected');
  if (related) classes.push('is-related');
  return (
    <tr
      className={classes.join(' ')}
      tabIndex={0}
      aria-selected={selected}
      data-drift-id={drift.id}
      onClick={() => onSelect(drift)}
      onKeyDown={(event) => onRowKey(event, drift, onSelect)}
    >
      <td className="col-time" title={drift.event.time}>
        {shortTime(drift.event.time)}
      </td>
      <td>
        <SeverityBadge severity={drift.severity} />
      </td>
      <td>
        <KindBadge kind={drift.kind} />
      </td>
      <td
        className={`col-address mono${drift.resource.address ? '' : ' muted'}`}
        title={resourceLabel(drift)}
      >
        {resourceLabel(drift)}
      </td>
      <td className="mono col-type" title={drift.resource.type}>
        {drift.resource.type.replace(/^aws_/, '')}
      </td>
      <td className="mono col-attr" title={attributesLabel(drift)}>
        {attributesLabel(drift) || <span className="muted">—</span>}
      </td>
      <td className="col-actor" title={drift.actor.arn ?? undefined}>
        {actorLabel(drift)}
      </td>
      <td className="mono col-event" title={drift.event.name}>
        {drift.event.name}
      </td>
      <td>
        <StatusBadge status={drift.status} />
        {isNew && <span className="new-badge">new</span>}
      </td>
    </tr>
  );
});

export function DriftTable(props: DriftTableProps) {
  const { rows, newIds, selectedId, selectedNode, sort, order, loading, onSort, onSelect } = props;
  return (
    <div className="table-scroll">
      <table className="drift-table" aria-busy={loading}>
        <thead>
          <tr>
            {COLUMNS.map((column) => {
              const active = sort === column.key;
              return (
                <th
                  key={column.key}
                  aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}
                >
                  <button
                    type="button"
                    className={`sort${active ? ' active' : ''}`}
                    data-sort={column.key}
                    onClick={() => onSort(column.key, active && order === 'desc' ? 'asc' : 'desc')}
                  >
                    {column.label}
                    {active && (
                      <span className="sort-mark" aria-hidden="true">
                        {order === 'asc' ? '▲' : '▼'}
                      </span>
                    )}
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((drift) => (
            <Row
              key={drift.id}
              drift={drift}
              isNew={newIds.has(drift.id)}
              selected={drift.id === selectedId}
              related={selectedNode !== null && drift.id !== selectedId && nodeIdOf(drift) === selectedNode}
              onSelect={onSelect}
            />
          ))}
        </tbody>
      </table>
      {!loading && rows.length === 0 && <div className="empty">No drift matches these filters.</div>}
      {loading && rows.length === 0 && <div className="empty">Loading…</div>}
    </div>
  );
}
