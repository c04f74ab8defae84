import { useEffect, useState } from 'react';
import type { ServerHealth } from '../health.js';
import { formatTime, relativeTime } from '../lib/format.js';
import { applyTheme, storedTheme, type Theme } from '../lib/preferences.js';
import type { ViewMode } from '../lib/url-state.js';
import type { LiveStatus } from '../live.js';
import { SEVERITY_ORDER, type Severity, type Summary } from '../types.js';
import { BackfillControl } from './BackfillControl.js';

const LIVE_LABEL: Record<LiveStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline — retrying',
};

const VIEWS: { readonly id: ViewMode; readonly label: string }[] = [
  { id: 'split', label: 'Split' },
  { id: 'graph', label: 'Graph' },
  { id: 'table', label: 'Table' },
];

interface HeaderProps {
  readonly summary: Summary | null;
  readonly live: LiveStatus;
  /** What /health says; null when unknown. */
  readonly health?: ServerHealth | null;
  readonly view: ViewMode;
  readonly onView: (view: ViewMode) => void;
  readonly onSeverity: (severity: Severity) => void;
  /** Shown when signed in through Cognito. */
  readonly onSignOut?: () => void;
  /** Starts a backfill of that many days; the control is shown only with it (AWS admins). */
  readonly onBackfill?: (days: number) => Promise<unknown>;
  /** A phone: no split view (the table, or the graph on demand). */
  readonly narrow?: boolean;
}

export function Header({
  summary,
  live,
  health,
  view,
  onView,
  onSeverity,
  onSignOut,
  onBackfill,
  narrow,
}: HeaderProps) {
  // Re-render now and then so "2 min ago" stays true.
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  const openTotal = summary ? SEVERITY_ORDER.reduce((sum, s) => sum + (summary.open[s] ?? 0), 0) : 0;

  return (
    <header className="topbar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          ◆
        </span>
        tfdrift
      </div>
      <div className="summary">
        <span className="summary-total">
          <strong data-testid="open-total">{openTotal}</strong> open
        </span>
        {SEVERITY_ORDER.map((severity) => (
          <button
            type="button"
            key={severity}
            className={`summary-chip sev-${severity}`}
            title={`Show open ${severity} drifts`}
            onClick={() => onSeverity(severity)}
            data-testid={`summary-${severity}`}
          >
            <span className="dot" aria-hidden="true" />
            {summary?.open[severity] ?? 0} {severity}
          </button>
        ))}
        <span className="summary-last" title={formatTime(summary?.lastEventTime)}>
          last event {relativeTime(summary?.lastEventTime)}
        </span>
      </div>
      <div className="topbar-right">
        {health?.status === 'degraded' && <DegradedNotice problems={health.problems} />}
        <span className={`live live-${live}`} role="status" data-testid="live-status">
          <span className="dot" aria-hidden="true" />
          {LIVE_LABEL[live]}
        </span>
        <fieldset className="segmented" data-testid="view-switch">
          <legend className="sr-only">View</legend>
          {VIEWS.filter((item) => !narrow || item.id !== 'split').map((item) => {
            // On a phone the split view is the table.
            const shown = narrow && view === 'split' ? 'table' : view;
            return (
              <button
                type="button"
                key={item.id}
                aria-pressed={shown === item.id}
                className={shown === item.id ? 'active' : ''}
                onClick={() => onView(item.id)}
              >
                {item.label}
              </button>
            );
          })}
        </fieldset>
        <ThemeSelect />
        {onBackfill && <BackfillControl start={onBackfill} />}
        {onSignOut && (
          <button type="button" onClick={onSignOut} data-testid="sign-out">
            Sign out
          </button>
        )}
      </div>
    </header>
  );
}

const THEMES: { readonly id: Theme; readonly label: string }[] = [
  { id: 'system', label: 'Auto (OS)' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
];

/** Light or dark beside the OS default; remembered in this browser. */
function ThemeSelect() {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  return (
    <select
      className="theme-select"
      aria-label="Colour theme"
      data-testid="theme"
      value={theme}
      onChange={(event) => {
        const next = event.target.value as Theme;
        applyTheme(next);
        setTheme(next);
      }}
    >
      {THEMES.map((item) => (
        <option key={item.id} value={item.id}>
          {item.label}
        </option>
      ))}
    </select>
  );
}

/** The server is up but not whole (a state file that does not load, a failing store): say why. */
function DegradedNotice({ problems }: { readonly problems: readonly string[] }) {
  // Problems that name what failed ("state FILE: …") before summaries ("no state file loaded").
  const ordered = [...problems.filter((p) => p.includes(': ')), ...problems.filter((p) => !p.includes(': '))];
  // The header has room for a file's name, not its folders: the full text is in the tooltip.
  const reason = (ordered[0] ?? 'the server reports a problem (see /health)').replace(
    /\S*\/(?=[^/\s]+)/g,
    '',
  );
  const others = problems.length > 1 ? ` (+${problems.length - 1} more)` : '';
  return (
    <span className="health-degraded" role="alert" data-testid="server-health" title={ordered.join('\n')}>
      <span className="health-dot" aria-hidden="true" />
      <strong>Degraded</strong>
      <span className="health-reason" data-testid="server-health-reason">
        {reason}
        {others}
      </span>
    </span>
  );
}
