import { useState } from 'react';
import { ApiError } from '../api.js';

/** The API's default and bounds for `days` (docs/api.md: `POST /backfill`; CloudTrail keeps 90). */
const DEFAULT_DAYS = 7;
const MAX_DAYS = 90;

type Phase =
  | { readonly name: 'closed' }
  | { readonly name: 'asking' }
  | { readonly name: 'sending'; readonly days: number }
  | { readonly name: 'started'; readonly days: number }
  | { readonly name: 'failed'; readonly message: string };

function validDays(text: string): number | null {
  const days = Number(text);
  return /^\d+$/.test(text.trim()) && days >= 1 && days <= MAX_DAYS ? days : null;
}

function failure(err: unknown): string {
  if (err instanceof ApiError) return `HTTP ${err.status}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * An admin's "read CloudTrail history again" (docs/deploy.md, "Drift from before the install"):
 * choose the days, confirm, and see whether the API started it (202) or why not.
 */
export function BackfillControl({ start }: { readonly start: (days: number) => Promise<unknown> }) {
  const [phase, setPhase] = useState<Phase>({ name: 'closed' });
  const [daysText, setDaysText] = useState(String(DEFAULT_DAYS));
  const days = validDays(daysText);
  const close = () => setPhase({ name: 'closed' });
  const submit = async () => {
    if (days === null) return;
    setPhase({ name: 'sending', days });
    try {
      await start(days);
      setPhase({ name: 'started', days });
    } catch (err) {
      setPhase({ name: 'failed', message: failure(err) });
    }
  };

  return (
    <>
      <button type="button" onClick={() => setPhase({ name: 'asking' })} data-testid="backfill-open">
        Backfill
      </button>
      {phase.name !== 'closed' && (
        <div className="modal-backdrop">
          <form
            className="modal"
            data-testid="backfill-dialog"
            aria-label="Backfill from CloudTrail history"
            onSubmit={(event) => {
              event.preventDefault();
              void submit();
            }}
            onKeyDown={(event) => {
              if (event.key === 'Escape' && phase.name !== 'sending') {
                event.stopPropagation();
                close();
              }
            }}
          >
            <h2>Backfill from CloudTrail history</h2>
            <p>
              Reads the CloudTrail event history of the last days (write events, every watched region) and
              reports drift made then that still stands, in one summary mail.
            </p>
            <label className="backfill-days">
              Days (1–{MAX_DAYS})
              <input
                type="number"
                min={1}
                max={MAX_DAYS}
                step={1}
                value={daysText}
                disabled={phase.name === 'sending'}
                onChange={(event) => setDaysText(event.target.value)}
                data-testid="backfill-days"
                // biome-ignore lint/a11y/noAutofocus: the dialog exists to take this one input
                autoFocus
              />
            </label>
            {phase.name === 'started' && (
              <p className="backfill-started" role="status" data-testid="backfill-result">
                Backfill of {phase.days} day{phase.days === 1 ? '' : 's'} started. The summary mail follows
                when it is done.
              </p>
            )}
            {phase.name === 'failed' && (
              <p className="error-banner" role="alert" data-testid="backfill-error">
                Backfill not started: {phase.message}
              </p>
            )}
            <div className="buttons">
              {phase.name !== 'started' && (
                <button
                  type="submit"
                  className="primary"
                  disabled={days === null || phase.name === 'sending'}
                  data-testid="backfill-start"
                >
                  {phase.name === 'sending'
                    ? 'Starting…'
                    : days === null
                      ? 'Start backfill'
                      : `Start backfill of ${days} day${days === 1 ? '' : 's'}`}
                </button>
              )}
              <button type="button" onClick={close} disabled={phase.name === 'sending'}>
                {phase.name === 'started' ? 'Close' : 'Cancel'}
              </button>
            </div>
          </form>
        </div>
      )}
    </>
  );
}
