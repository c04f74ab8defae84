import { Fragment, type KeyboardEvent, memo, useEffect, useMemo, useRef, useState } from 'react';
import { displayEventName } from '../../../lambdas/core/display.js';
import { actorLabel, attributesLabel, nodeIdOf, resourceLabel, shortTime } from '../lib/format.js';
import type { SortKey } from '../lib/url-state.js';
import type { Drift } from '../types.js';
import { KindBadge, SeverityBadge, StatusBadge } from './Badges.js';

interface Column {
  readonly key: SortKey;
  readonly label: string;
  /** Fixed table layout: a width for short values, none for the column that takes the rest. */
  readonly width?: string;
  /** Shown on a phone too (the rest is in the detail panel). */
  readonly phone?: boolean;
  /** Left out below this table width (the split view on a laptop or a tablet). */
  readonly minTable?: number;
  /** Pixels a percentage width never goes below (the header label stays whole). */
  readonly minWidth?: number;
}

const COLUMNS: readonly Column[] = [
  { key: 'time', label: 'Time (UTC)', width: '122px' },
  { key: 'severity', label: 'Severity', width: '82px', phone: true },
  { key: 'kind', label: 'Kind', width: '88px', minTable: 760 },
  { key: 'address', label: 'Resource', phone: true },
  { key: 'type', label: 'Type', width: '9%', minTable: 1000 },
  { key: 'attribute', label: 'Attribute(s)', width: '11%', minWidth: 110, minTable: 760 },
  { key: 'actor', label: 'Actor', width: '9%', minWidth: 84 },
  { key: 'event', label: 'Event', width: '10%', minTable: 1000 },
  { key: 'status', label: 'Status', width: '104px', phone: true },
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
  /** Rows ticked for bulk triage. */
  readonly checked: ReadonlySet<string>;
  readonly onCheck: (ids: readonly string[], checked: boolean) => void;
  /** A phone: fewer columns. */
  readonly narrow?: boolean;
}

/**
 * A resource address that may wrap after each dot (module, type, name), so that a long one is read
 * whole in the row rather than cut off; a piece longer than the column still breaks anywhere.
 */
function Address({ text }: { readonly text: string }) {
  let offset = 0;
  return (
    <>
      {text.split(/(?<=\.)/).map((piece) => {
        const at = offset;
        offset += piece.length;
        return (
          <Fragment key={at}>
            {at > 0 && <wbr />}
            {piece}
          </Fragment>
        );
      })}
    </>
  );
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
  checked,
  onCheck,
  narrow,
  hidden,
}: {
  readonly drift: Drift;
  readonly isNew: boolean;
  readonly selected: boolean;
  readonly related: boolean;
  readonly onSelect: (drift: Drift) => void;
  readonly checked: boolean;
  readonly onCheck: (ids: readonly string[], checked: boolean) => void;
  readonly narrow: boolean;
  /** Columns left out for want of room. */
  readonly hidden: ReadonlySet<SortKey>;
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
      onKeyDown={(event) => {
        if (event.target === event.currentTarget) onRowKey(event, drift, onSelect);
      }}
    >
      <td className="col-check">
        <input
          type="checkbox"
          aria-label={`Select drift of ${resourceLabel(drift)}`}
          checked={checked}
          onClick={(event) => event.stopPropagation()}
          onChange={(event) => onCheck([drift.id], event.target.checked)}
        />
      </td>
      {!narrow && (
        <td className="col-time" title={drift.event.time}>
          {shortTime(drift.event.time)}
        </td>
      )}
      {narrow && (
        // A phone: the resource, and under it when, what and who (the rest is in the detail).
        <td className="col-address col-stack" title={resourceLabel(drift)}>
          <div className={`mono row-address${drift.resource.address ? '' : ' muted'}`}>
            <Address text={resourceLabel(drift)} />
          </div>
          {/* Each piece whole on a line of its own if need be: the actor is not cut off the end. */}
          <div className="row-meta muted">
            <span>{shortTime(drift.event.time)}</span> · <span>{displayEventName(drift.event.name)}</span> ·{' '}
            <span className="row-actor">{actorLabel(drift)}</span>
          </div>
        </td>
      )}
      <td className="col-severity">
        <SeverityBadge severity={drift.severity} />
      </td>
      {!narrow && !hidden.has('kind') && (
        <td className="col-kind">
          <KindBadge kind={drift.kind} />
        </td>
      )}
      {!narrow && (
        <td
          className={`col-address mono${drift.resource.address ? '' : ' muted'}`}
          title={resourceLabel(drift)}
        >
          <Address text={resourceLabel(drift)} />
        </td>
      )}
      {!narrow && (
        <>
          {!hidden.has('type') && (
            <td className="mono col-type" title={drift.resource.type}>
              {drift.resource.type.replace(/^aws_/, '')}
            </td>
          )}
          {!hidden.has('attribute') && (
            <td className="mono col-attr" title={attributesLabel(drift)}>
              {attributesLabel(drift) || <span className="muted">—</span>}
            </td>
          )}
          <td className="col-actor" title={drift.actor.arn ?? undefined}>
            {actorLabel(drift)}
          </td>
          {!hidden.has('event') && (
            <td className="mono col-event" title={drift.event.name}>
              {displayEventName(drift.event.name)}
            </td>
          )}
        </>
      )}
      <td className="col-status">
        <StatusBadge status={drift.status} />
        {isNew && <span className="new-badge">new</span>}
      </td>
    </tr>
  );
});

export function DriftTable(props: DriftTableProps) {
  const { rows, newIds, selectedId, selectedNode, sort, order, loading, onSort, onSelect } = props;
  const { checked, onCheck } = props;
  const narrow = props.narrow ?? false;
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(Number.POSITIVE_INFINITY);
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    // Rounded to 10 px so that a resize re-renders the rows only when it matters.
    const observer = new ResizeObserver(() => setWidth(Math.round(element.clientWidth / 10) * 10));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  // A phone: the resource first (with time, event and actor under it), then severity and status.
  const columns = narrow
    ? [COLUMNS[3], ...COLUMNS.filter((column) => column.phone && column.key !== 'address')]
    : COLUMNS.filter((column) => !(column.minTable && width < column.minTable));
  const hiddenKeys = useMemo(
    () =>
      new Set(
        COLUMNS.filter((column) =>
          narrow ? !column.phone : !!column.minTable && width < column.minTable,
        ).map((column) => column.key),
      ),
    [narrow, width],
  );
  const allChecked = rows.length > 0 && rows.every((row) => checked.has(row.id));
  const someChecked = !allChecked && rows.some((row) => checked.has(row.id));
  return (
    <div className="table-scroll" id="drift-table" tabIndex={-1} ref={scroller}>
      <table className={`drift-table${narrow ? ' narrow' : ''}`} aria-busy={loading} aria-label="Drifts">
        <colgroup>
          <col style={{ width: '34px' }} />
          {columns.map((column) => {
            let colWidth = narrow && column.key !== 'address' ? '76px' : column.width;
            if (!narrow && column.minWidth && colWidth?.endsWith('%') && Number.isFinite(width))
              colWidth = `${Math.max(column.minWidth, (Number.parseFloat(colWidth) / 100) * width)}px`;
            return <col key={column.key} style={colWidth ? { width: colWidth } : undefined} />;
          })}
        </colgroup>
        <thead>
          <tr>
            <th className="col-check">
              <input
                type="checkbox"
                aria-label="Select every drift on this page"
                data-testid="check-page"
                checked={allChecked}
                ref={(box) => {
                  if (box) box.indeterminate = someChecked;
                }}
                disabled={rows.length === 0}
                onChange={(event) =>
                  onCheck(
                    rows.map((row) => row.id),
                    event.target.checked,
                  )
                }
              />
            </th>
            {columns.map((column) => {
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
              checked={checked.has(drift.id)}
              onCheck={onCheck}
              narrow={narrow}
              hidden={hiddenKeys}
            />
          ))}
        </tbody>
      </table>
      {!loading && rows.length === 0 && <div className="empty">No drift matches these filters.</div>}
      {loading && rows.length === 0 && <div className="empty">Loading…</div>}
    </div>
  );
}
