import { useEffect, useRef, useState } from 'react';
import { DRIFT_KINDS, DRIFT_STATUSES, SEVERITIES_WORST_FIRST } from '../../../lambdas/core/types.js';
import { DEFAULT_FILTERS, type Filters } from '../lib/url-state.js';

type TextKey = 'q' | 'actor' | 'from' | 'to';

const RANGES = [
  { id: 'any', label: 'Any time', hours: 0 },
  { id: '1h', label: 'Last hour', hours: 1 },
  { id: '24h', label: 'Last 24 hours', hours: 24 },
  { id: '7d', label: 'Last 7 days', hours: 24 * 7 },
  { id: '30d', label: 'Last 30 days', hours: 24 * 30 },
  { id: 'custom', label: 'Custom range…', hours: 0 },
];

/** The value format of <input type="datetime-local">: local time, minutes. */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

interface FilterBarProps {
  readonly filters: Filters;
  readonly types: readonly string[];
  readonly onChange: (filters: Filters, replace?: boolean) => void;
}

function Toggles({
  name,
  options,
  selected,
  onToggle,
}: {
  readonly name: string;
  readonly options: readonly string[];
  readonly selected: readonly string[];
  readonly onToggle: (value: string) => void;
}) {
  return (
    <fieldset className="toggles" aria-label={name}>
      <legend>{name}</legend>
      {options.map((option) => (
        <button
          type="button"
          key={option}
          className={`toggle toggle-${option}`}
          aria-pressed={selected.includes(option)}
          onClick={() => onToggle(option)}
        >
          {option}
        </button>
      ))}
    </fieldset>
  );
}

export function FilterBar({ filters, types, onChange }: FilterBarProps) {
  // Text boxes edit a local copy and reach the URL (and the server) after a pause in typing.
  const [text, setText] = useState<Record<TextKey, string>>(filters);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => {
    setText({ q: filters.q, actor: filters.actor, from: filters.from, to: filters.to });
  }, [filters.q, filters.actor, filters.from, filters.to]);
  useEffect(() => () => clearTimeout(pending.current ?? undefined), []);

  const editText = (key: TextKey, value: string) => {
    const next = { ...text, [key]: value };
    setText(next);
    clearTimeout(pending.current ?? undefined);
    pending.current = setTimeout(
      () => onChange({ ...filters, ...next }, true),
      key === 'q' || key === 'actor' ? 300 : 0,
    );
  };
  const [range, setRange] = useState(filters.from || filters.to ? 'custom' : 'any');
  useEffect(() => {
    if (!filters.from && !filters.to) setRange((current) => (current === 'custom' ? current : 'any'));
  }, [filters.from, filters.to]);
  const chooseRange = (id: string) => {
    setRange(id);
    const preset = RANGES.find((item) => item.id === id);
    if (id === 'custom' || !preset) return;
    const from = preset.hours ? localInputValue(new Date(Date.now() - preset.hours * 3_600_000)) : '';
    onChange({ ...filters, from, to: '' });
  };
  const toggle = (key: 'status' | 'severity' | 'kind', value: string) => {
    const current = filters[key];
    onChange({
      ...filters,
      [key]: current.includes(value) ? current.filter((item) => item !== value) : [...current, value],
    });
  };
  const active = JSON.stringify({ ...filters, ...text }) !== JSON.stringify(DEFAULT_FILTERS);

  return (
    <div className="filterbar">
      <div className="filter-row">
        <input
          type="search"
          className="search"
          placeholder="Search drifts (address, attribute, actor, event…)"
          aria-label="Free text search"
          value={text.q}
          onChange={(event) => editText('q', event.target.value)}
        />
        <input
          type="text"
          placeholder="Actor"
          aria-label="Actor"
          value={text.actor}
          onChange={(event) => editText('actor', event.target.value)}
        />
        <select
          aria-label="Resource type"
          value={filters.type[0] ?? ''}
          onChange={(event) => onChange({ ...filters, type: event.target.value ? [event.target.value] : [] })}
        >
          <option value="">All types</option>
          {[...new Set([...types, ...filters.type])].map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
        <select aria-label="Time range" value={range} onChange={(event) => chooseRange(event.target.value)}>
          {RANGES.map((item) => (
            <option key={item.id} value={item.id}>
              {item.label}
            </option>
          ))}
        </select>
        {range === 'custom' && (
          <>
            <input
              type="datetime-local"
              aria-label="From time"
              title="From (local time)"
              value={text.from}
              onChange={(event) => editText('from', event.target.value)}
            />
            <input
              type="datetime-local"
              aria-label="To time"
              title="To (local time)"
              value={text.to}
              onChange={(event) => editText('to', event.target.value)}
            />
          </>
        )}
      </div>
      <div className="filter-row">
        <Toggles
          name="Status"
          options={DRIFT_STATUSES}
          selected={filters.status}
          onToggle={(v) => toggle('status', v)}
        />
        <Toggles
          name="Severity"
          options={SEVERITIES_WORST_FIRST}
          selected={filters.severity}
          onToggle={(v) => toggle('severity', v)}
        />
        <Toggles
          name="Kind"
          options={DRIFT_KINDS}
          selected={filters.kind}
          onToggle={(v) => toggle('kind', v)}
        />
        {filters.resource && (
          <span className="chip" data-testid="resource-filter">
            resource: {filters.resource}
            <button
              type="button"
              className="chip-clear"
              aria-label="Clear resource filter"
              onClick={() => onChange({ ...filters, resource: '' })}
            >
              ×
            </button>
          </span>
        )}
        {active && (
          <button type="button" className="link-button" onClick={() => onChange(DEFAULT_FILTERS)}>
            Clear filters
          </button>
        )}
      </div>
    </div>
  );
}
