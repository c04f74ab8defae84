import { useState } from 'react';

/** Locally, a server bound beyond loopback wants a token: ask once, keep it for the session. */
export function TokenPrompt({ onSubmit }: { readonly onSubmit: (token: string) => void }) {
  const [token, setToken] = useState('');
  return (
    <div className="modal-backdrop">
      <form
        className="modal"
        onSubmit={(event) => {
          event.preventDefault();
          if (token.trim()) onSubmit(token.trim());
        }}
      >
        <h2>Access token required</h2>
        <p>This tfdrift server asks for a token. It is kept in this browser tab only.</p>
        <input
          type="password"
          aria-label="Access token"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          // biome-ignore lint/a11y/noAutofocus: the dialog exists to take this one input
          autoFocus
        />
        <button type="submit" className="primary">
          Continue
        </button>
      </form>
    </div>
  );
}
