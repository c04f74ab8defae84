// Tokens for the API. In AWS: Cognito hosted UI, implicit grant (the id token comes back in the
// URL fragment, so the page needs no extra connect-src). Locally: `#token=...` in the URL or a
// token typed into the prompt; both are kept in sessionStorage only.

import type { CognitoAuth } from './types.js';

const TOKEN_KEY = 'tfdrift.token';
const RETURN_KEY = 'tfdrift.return';
const STATE_KEY = 'tfdrift.oauthState';

function claims(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const value = JSON.parse(json);
    return value && typeof value === 'object' ? value : null;
  } catch {
    return null;
  }
}

function expired(token: string): boolean {
  const exp = claims(token)?.exp;
  return typeof exp === 'number' && exp * 1000 < Date.now() + 30_000;
}

export function getToken(): string | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  if (token.split('.').length === 3 && expired(token)) {
    sessionStorage.removeItem(TOKEN_KEY);
    return null;
  }
  return token;
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** Who to record as `by` when acknowledging: the signed-in user's email or name, if known. */
export function currentUser(): string | undefined {
  const token = getToken();
  const value = token ? claims(token) : null;
  const name = value?.email ?? value?.['cognito:username'];
  return typeof name === 'string' ? name : undefined;
}

/**
 * Take a token out of the URL fragment (`#token=` locally, `#id_token=` from Cognito) and put
 * back the view the user had before signing in. Runs once, before the app reads its URL state.
 */
export function takeTokenFromUrl(): void {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const local = params.get('token');
  const idToken = params.get('id_token');
  if (!local && !idToken) return;
  let hash: string;
  if (idToken) {
    const expected = sessionStorage.getItem(STATE_KEY);
    sessionStorage.removeItem(STATE_KEY);
    if (expected && params.get('state') === expected) setToken(idToken);
    hash = sessionStorage.getItem(RETURN_KEY) ?? '';
    sessionStorage.removeItem(RETURN_KEY);
  } else {
    setToken(local);
    params.delete('token');
    hash = params.toString() ? `#${params}` : '';
  }
  history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
}

function cognitoHost(auth: CognitoAuth): string {
  const domain = auth.domain.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  return domain.includes('.') ? domain : `${domain}.auth.${auth.region}.amazoncognito.com`;
}

export function cognitoLoginUrl(auth: CognitoAuth, state: string): string {
  const params = new URLSearchParams({
    client_id: auth.clientId,
    response_type: 'token',
    scope: 'openid email profile',
    redirect_uri: `${location.origin}${location.pathname}`,
    state,
  });
  return `https://${cognitoHost(auth)}/oauth2/authorize?${params}`;
}

export function startCognitoLogin(auth: CognitoAuth): void {
  const state = crypto.randomUUID();
  sessionStorage.setItem(STATE_KEY, state);
  sessionStorage.setItem(RETURN_KEY, location.hash);
  location.assign(cognitoLoginUrl(auth, state));
}
