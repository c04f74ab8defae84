import { useState } from 'react';

/**
 * The local server has no sign-in: ask once who is acknowledging and resolving, so that the
 * record says a name rather than "anonymous". Remembered in this browser (localStorage).
 */
export function ActorPrompt({
  initial,
  onDone,
}: {
  readonly initial: string;
  /** The name given, or null when cancelled. */
  readonly onDone: (name: string | null) => void;
}) {
  const [name, setName] = useState(initial);
  return (
    <div className="modal-backdrop">
      <form
        className="modal"
        data-testid="actor-prompt"
        aria-label="Who is acting"
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim()) onDone(name.trim());
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            onDone(null);
          }
        }}
      >
        <h2>Who is acting?</h2>
        <p>Your name or email is recorded with each acknowledge and resolve. This browser remembers it.</p>
        <input
          type="text"
          aria-label="Your name or email"
          autoComplete="email"
          value={name}
          onChange={(event) => setName(event.target.value)}
          // biome-ignore lint/a11y/noAutofocus: the dialog exists to take this one input
          autoFocus
        />
        <div className="buttons">
          <button type="submit" className="primary" disabled={!name.trim()}>
            Continue
          </button>
          <button type="button" onClick={() => onDone(null)}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}
