import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { loadConfig } from './api.js';
import {
  completeSignIn,
  enableCognito,
  freshToken,
  isSignInCallback,
  startCognitoLogin,
  takeTokenFromUrl,
} from './auth.js';
import { App } from './components/App.js';

async function start(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) throw new Error('#root missing from index.html');
  takeTokenFromUrl();
  try {
    const config = await loadConfig();
    if (config.auth?.type === 'cognito') {
      enableCognito(config.auth);
      // Back from the hosted UI: exchange the code. A refusal is shown, not retried in a loop.
      if (isSignInCallback()) await completeSignIn(config.auth);
      if (!(await freshToken())) {
        await startCognitoLogin(config.auth);
        return;
      }
    }
    createRoot(root).render(
      <StrictMode>
        <App config={config} />
      </StrictMode>,
    );
  } catch (err) {
    // Text only: the message may quote a server response.
    root.textContent = `tfdrift could not start: ${err instanceof Error ? err.message : String(err)}`;
    root.className = 'fatal';
  }
}

start();
