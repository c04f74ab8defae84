// Tokens for the API and the live feed.
//
// In AWS: Cognito's hosted UI with the authorization-code grant and PKCE (S256), the only flow the
// stack's app client allows (no client secret: a browser cannot keep one), through oauth4webapi.
// The code is exchanged at the hosted UI domain's /oauth2/token (the site's CSP connect-src allows
// that host); the refresh token renews the ID token before it expires, on a timer and on demand
// before every request and WebSocket connect.
//
// Locally (`tfdrift serve`): `#token=...` in the URL or a token typed into the prompt.
//
// Everything is kept in sessionStorage: this tab only, gone when it closes. The refresh token is
// kept there too, so a reload does not bounce through the hosted UI; the site's CSP (no inline or
// foreign script) is what keeps other code from reading it.
//
// Which token is sent: the ID token. Both checks accept it:
// - the HTTP API's JWT authorizer validates `aud` against its audience (the app client id) and, only
//   when a token has no `aud`, `client_id`: "aud or client_id – Must match one of the audience
//   entries that's configured for the authorizer. API Gateway validates client_id only if aud is
//   not present." (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html)
//   A Cognito ID token has aud = client id; an access token has client_id (accepted too, but it
//   carries no email, which the API records as who acknowledged a drift).
// - the WebSocket authorizer's CognitoJwtVerifier (tokenUse null, clientId) checks `aud` of ID tokens
//   and `client_id` of access tokens.

import * as oauth from 'oauth4webapi';
import type { CognitoAuth } from './types.js';

const TOKEN_KEY = 'tfdrift.token';
const REFRESH_KEY = 'tfdrift.refresh';
const PENDING_KEY = 'tfdrift.signin';

/** Refresh when the token has less than this left (and never send one with less than this). */
const REFRESH_MARGIN_MS = 60_000;
/** The timer's shortest wait, for a token that is already within the margin when it is loaded. */
const MIN_TIMER_MS = 1_000;

let cognito: CognitoAuth | null = null;
let refreshing: Promise<string | null> | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

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

/** Milliseconds until the token expires; Infinity for an opaque (local) token. */
function msLeft(token: string): number {
  if (token.split('.').length !== 3) return Number.POSITIVE_INFINITY;
  const exp = claims(token)?.exp;
  return typeof exp === 'number' ? exp * 1000 - Date.now() : Number.POSITIVE_INFINITY;
}

/** The current token, or null when there is none or it has expired. Does not refresh. */
export function getToken(): string | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  return msLeft(token) > 0 ? token : null;
}

/** Sets the local token, or with null forgets every token (ID and refresh). */
export function setToken(token: string | null): void {
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    return;
  }
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(REFRESH_KEY);
  if (timer) clearTimeout(timer);
  timer = null;
}

/** Who to record as `by` when acknowledging: the signed-in user's email or name, if known. */
export function currentUser(): string | undefined {
  const token = getToken();
  const value = token ? claims(token) : null;
  const name = value?.email ?? value?.['cognito:username'];
  return typeof name === 'string' ? name : undefined;
}

/** The signed-in user's Cognito groups (the token's `cognito:groups` claim); none locally. */
export function currentGroups(): string[] {
  const token = getToken();
  const groups = token ? claims(token)?.['cognito:groups'] : undefined;
  return Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : [];
}

/**
 * Take a local token out of the URL fragment (`#token=`) and keep the rest of the fragment (the
 * view). Runs once, before the app reads its URL state.
 */
export function takeTokenFromUrl(): void {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const local = params.get('token');
  if (!local) return;
  setToken(local);
  params.delete('token');
  const hash = params.toString() ? `#${params}` : '';
  history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
}

// --- Cognito

/** The hosted UI's origin: `domain` is a host name (https) or, for a local stand-in, an origin. */
function hostedUiOrigin(auth: CognitoAuth): string {
  const domain = auth.domain.replace(/\/+$/, '');
  if (/^https?:\/\//.test(domain)) return new URL(domain).origin;
  return `https://${domain.includes('.') ? domain : `${domain}.auth.${auth.region}.amazoncognito.com`}`;
}

/** Cognito's endpoints, from the config alone (Cognito's discovery document lives on another host). */
function server(auth: CognitoAuth): oauth.AuthorizationServer {
  const ui = hostedUiOrigin(auth);
  return {
    issuer: `https://cognito-idp.${auth.region}.amazonaws.com/${auth.userPoolId}`,
    authorization_endpoint: `${ui}/oauth2/authorize`,
    token_endpoint: `${ui}/oauth2/token`,
    end_session_endpoint: `${ui}/logout`,
  };
}

/** Plain http only for a hosted UI stand-in on this machine. */
function requestOptions(auth: CognitoAuth): oauth.TokenEndpointRequestOptions {
  const { protocol, hostname } = new URL(hostedUiOrigin(auth));
  const loopback = hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  return protocol === 'http:' && loopback ? { [oauth.allowInsecureRequests]: true } : {};
}

/** The app client's callback URL: the site's root (lib/constructs/dashboard-site.ts). */
function redirectUri(): string {
  return `${location.origin}/`;
}

interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  /** The view (URL fragment) to put back after signing in. */
  readonly hash: string;
}

/** Several requests refused at once each ask to sign in: only the first may (one state, one verifier). */
let signingIn = false;

export async function startCognitoLogin(auth: CognitoAuth): Promise<void> {
  if (signingIn) return;
  signingIn = true;
  const verifier = oauth.generateRandomCodeVerifier();
  const pending: PendingSignIn = { state: oauth.generateRandomState(), verifier, hash: location.hash };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(server(auth).authorization_endpoint as string);
  url.search = new URLSearchParams({
    client_id: auth.clientId,
    response_type: 'code',
    scope: 'openid email profile',
    redirect_uri: redirectUri(),
    state: pending.state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** Does this URL carry the hosted UI's answer (`?code=&state=` or `?error=`)? */
export function isSignInCallback(): boolean {
  const query = new URLSearchParams(location.search);
  return query.has('state') && (query.has('code') || query.has('error'));
}

/**
 * Finish signing in on return from the hosted UI: check the state, exchange the code (with the
 * PKCE verifier) for tokens, and put back the view the user had. Throws with the reason when the
 * hosted UI refused or the exchange fails.
 */
export async function completeSignIn(auth: CognitoAuth): Promise<void> {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const callback = new URL(location.href);
  let pending: PendingSignIn | null = null;
  try {
    pending = raw ? (JSON.parse(raw) as PendingSignIn) : null;
  } catch {
    // Unreadable: treated as no sign-in under way.
  }
  // Whatever happens, the code and state leave the address bar (and the history).
  history.replaceState(null, '', `${location.pathname}${pending?.hash ?? ''}`);
  const refused = callback.searchParams.get('error');
  if (refused) {
    // Text only, and short: it comes from the URL.
    const reason = callback.searchParams.get('error_description');
    throw new Error(
      `sign-in refused by Cognito: ${refused.slice(0, 64)}${reason ? ` (${reason.slice(0, 200)})` : ''}`,
    );
  }
  if (!pending) throw new Error('sign-in: this tab did not start a sign-in (or it was already used)');
  const as = server(auth);
  const client: oauth.Client = { client_id: auth.clientId };
  const params = oauth.validateAuthResponse(as, client, callback, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    redirectUri(),
    pending.verifier,
    requestOptions(auth),
  );
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { requireIdToken: true });
  keep(result);
}

function keep(result: oauth.TokenEndpointResponse): string {
  if (!result.id_token) throw new Error('sign-in: no ID token in the token response');
  sessionStorage.setItem(TOKEN_KEY, result.id_token);
  // Cognito does not rotate refresh tokens by default: keep the one we have when none comes back.
  if (result.refresh_token) sessionStorage.setItem(REFRESH_KEY, result.refresh_token);
  schedule(true);
  return result.id_token;
}

async function refresh(auth: CognitoAuth): Promise<string | null> {
  const refreshToken = sessionStorage.getItem(REFRESH_KEY);
  if (!refreshToken) return null;
  const as = server(auth);
  const client: oauth.Client = { client_id: auth.clientId };
  try {
    const response = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.None(),
      refreshToken,
      requestOptions(auth),
    );
    return keep(await oauth.processRefreshTokenResponse(as, client, response));
  } catch (error) {
    // Revoked or expired refresh token: forget everything; the next 401 signs in again. Anything
    // else (offline, a 5xx) keeps the tokens for the next try.
    if (error instanceof oauth.ResponseBodyError && error.error === 'invalid_grant') setToken(null);
    return null;
  }
}

function refreshOnce(auth: CognitoAuth): Promise<string | null> {
  refreshing ??= refresh(auth).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/**
 * Renew the token a minute before it expires. A token fresh from Cognito that is already inside
 * that minute means this clock runs ahead: no timer then (it would refresh in a loop), requests
 * still refresh on demand.
 */
function schedule(fresh = false): void {
  if (timer) clearTimeout(timer);
  timer = null;
  const auth = cognito;
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!auth || !token || !sessionStorage.getItem(REFRESH_KEY)) return;
  const wait = msLeft(token) - REFRESH_MARGIN_MS;
  if (!Number.isFinite(wait) || (fresh && wait <= 0)) return;
  timer = setTimeout(() => void refreshOnce(auth), Math.max(wait, MIN_TIMER_MS));
}

/** Use Cognito (from config.json) for refreshes, and start the refresh timer. */
export function enableCognito(auth: CognitoAuth): void {
  cognito = auth;
  schedule();
}

/**
 * The token to send now: refreshed first when it expires within a minute (or has expired), so a
 * request or WebSocket connect never carries an expired token. Null when there is none.
 */
export async function freshToken(): Promise<string | null> {
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token && msLeft(token) > REFRESH_MARGIN_MS) return token;
  if (cognito && sessionStorage.getItem(REFRESH_KEY)) {
    const renewed = await refreshOnce(cognito);
    if (renewed && msLeft(renewed) > 0) return renewed;
  }
  return getToken();
}

/**
 * For the live feed, which has no 401 to react to: with Cognito and no usable token left (the
 * refresh token was revoked or expired), sign in again, and throw so that the feed waits instead
 * of connecting without a token.
 */
export async function freshTokenOrSignIn(): Promise<string | null> {
  const token = await freshToken();
  if (token || !cognito) return token;
  await startCognitoLogin(cognito);
  throw new Error('signing in again');
}

/** Forget every token and end the hosted UI session too (it would sign the user straight back in). */
export function signOut(): void {
  setToken(null);
  if (!cognito) return;
  const url = new URL(server(cognito).end_session_endpoint as string);
  url.search = new URLSearchParams({ client_id: cognito.clientId, logout_uri: redirectUri() }).toString();
  location.assign(url.toString());
}
