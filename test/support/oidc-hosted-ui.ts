// A local stand-in for Cognito's hosted UI, built on oidc-provider (a certified OpenID Connect
// implementation), configured from one app client's settings as the template declares them:
// - only the OAuth flows the client allows (AllowedOAuthFlows `code` → the authorization-code
//   grant). A `response_type` whose flow is not allowed is redirected back with
//   `error=unauthorized_client`, as Cognito's authorize endpoint does ("unauthorized_client – The
//   client isn't allowed for code grant flow or for refreshing tokens",
//   https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html);
// - PKCE with S256 only (Cognito's only code_challenge_method, same page). Stricter than Cognito,
//   which also takes a code request without PKCE: so a passing rehearsal proves the dashboard sends it;
// - no client secret (token endpoint auth `none`) when GenerateSecret is false
//   (https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html);
// - only the client's callback and sign-out URLs (Cognito's /logout takes client_id + logout_uri,
//   https://docs.aws.amazon.com/cognito/latest/developerguide/logout-endpoint.html); only its scopes;
// - Cognito's paths (/oauth2/authorize, /oauth2/token, /logout, /.well-known/jwks.json), its issuer
//   (https://cognito-idp.<region>.amazonaws.com/<pool id>), ID tokens with `token_use: id`,
//   `cognito:username`, `email` and a UUID `sub`, signed RS256; refresh tokens not rotated; the
//   client's validity periods.
// Users sign in on a login page (username + password). No consent screen (Cognito has none).

import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

export interface HostedUiClient {
  readonly clientId: string;
  /** Cognito's AllowedOAuthFlows: 'code' | 'implicit' | 'client_credentials'. */
  readonly allowedFlows: readonly string[];
  readonly callbackUrls: readonly string[];
  readonly logoutUrls: readonly string[];
  readonly scopes: readonly string[];
  readonly generateSecret: boolean;
  /** Seconds. */
  readonly idTokenValidity: number;
  readonly accessTokenValidity: number;
  readonly refreshTokenValidity: number;
}

export interface HostedUiUser {
  readonly username: string;
  readonly email: string;
  readonly password: string;
}

export interface HostedUiOptions {
  /** The `iss` of its tokens: Cognito's `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  readonly issuer: string;
  readonly client: HostedUiClient;
  readonly users: readonly HostedUiUser[];
}

export interface HostedUiRequest {
  readonly path: string;
  readonly params: Record<string, string>;
}

export interface HostedUi {
  /** http://127.0.0.1:<port>: stands for https://<prefix>.auth.<region>.amazoncognito.com. */
  readonly origin: string;
  readonly issuer: string;
  /** The public signing keys (what Cognito serves at <issuer>/.well-known/jwks.json). */
  readonly jwks: { keys: Record<string, unknown>[] };
  /** The grant types the token endpoint granted, in order. */
  readonly grants: string[];
  /** The errors the token endpoint answered (`invalid_grant`, ...), in order. */
  readonly grantErrors: string[];
  /** Answer the next `count` token requests with 503, as an outage would. */
  failTokenRequests(count: number): void;
  /** Authorization requests as received (query parameters). */
  readonly authorizeRequests: HostedUiRequest[];
  /** Sign a token with the hosted UI's own key (for tokens a test needs to be expired). */
  sign(claims: Record<string, unknown>): string;
  close(): Promise<void>;
}

// Cognito's flows → OAuth response types. Cognito's implicit grant is `response_type=token`.
const RESPONSE_TYPE_FLOW: Record<string, string> = { code: 'code', token: 'implicit' };

function page(title: string, body: string): string {
  return `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,"><title>${title}</title><body>${body}</body>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export async function startHostedUi(options: HostedUiOptions): Promise<HostedUi> {
  const { client, issuer } = options;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const privateJwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  const publicJwk = { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };
  // Cognito's `sub` is a UUID, not the user name.
  const accounts = options.users.map((user) => ({ ...user, sub: randomUUID() }));
  const byName = new Map(accounts.map((account) => [account.username, account]));
  const bySub = new Map<string, (typeof accounts)[number]>(accounts.map((account) => [account.sub, account]));
  const grants: string[] = [];
  const grantErrors: string[] = [];
  let tokenFailures = 0;
  const authorizeRequests: HostedUiRequest[] = [];
  const allowsCode = client.allowedFlows.includes('code');

  const configuration: Configuration = {
    clients: [
      {
        client_id: client.clientId,
        ...(client.generateSecret
          ? { client_secret: randomUUID(), token_endpoint_auth_method: 'client_secret_basic' }
          : { token_endpoint_auth_method: 'none' }),
        redirect_uris: [...client.callbackUrls],
        post_logout_redirect_uris: [...client.logoutUrls],
        response_types: allowsCode ? ['code'] : [],
        grant_types: allowsCode ? ['authorization_code', 'refresh_token'] : [],
        scope: client.scopes.join(' '),
      },
    ],
    jwks: { keys: [privateJwk as never] },
    scopes: [...client.scopes],
    claims: {
      openid: ['sub', 'token_use', 'cognito:username'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // Cognito puts the scopes' claims in the ID token itself.
    conformIdTokenClaims: false,
    findAccount: (_ctx, sub) => {
      const user = bySub.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          token_use: 'id',
          'cognito:username': user.username,
          email: user.email,
          email_verified: true,
        }),
      };
    },
    pkce: { required: () => true },
    responseTypes: ['code'],
    routes: {
      authorization: '/oauth2/authorize',
      token: '/oauth2/token',
      userinfo: '/oauth2/userInfo',
      revocation: '/oauth2/revoke',
      jwks: '/.well-known/jwks.json',
      end_session: '/oidc/logout',
    },
    ttl: {
      IdToken: client.idTokenValidity,
      AccessToken: client.accessTokenValidity,
      RefreshToken: client.refreshTokenValidity,
      AuthorizationCode: 300,
      Interaction: 600,
      Session: 3600,
      Grant: client.refreshTokenValidity,
    },
    // Cognito issues a refresh token with every code grant (no offline_access scope) and, by
    // default, does not rotate it.
    issueRefreshToken: async (_ctx, oidcClient) => oidcClient.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => false,
    // Cognito's token endpoint answers the browser's CORS requests from the client's callback origins.
    clientBasedCORS: (_ctx, origin, oidcClient) =>
      (oidcClient.redirectUris ?? []).some((uri) => new URL(uri).origin === origin),
    features: { devInteractions: { enabled: false }, revocation: { enabled: true } },
    interactions: { url: (_ctx, interaction) => `/login/${interaction.uid}` },
    // No consent screen: the user pool's own client gets the scopes it asked for.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const oidcClient = ctx.oidc.client;
      const session = ctx.oidc.session;
      if (!oidcClient || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(oidcClient.clientId);
      // A revoked refresh token takes its grant with it; the hosted UI session stays signed in.
      const existing = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
      if (existing) return existing;
      const grant = new ctx.oidc.provider.Grant({
        clientId: oidcClient.clientId,
        accountId: session.accountId,
      });
      grant.addOIDCScope([...ctx.oidc.requestParamOIDCScopes].join(' '));
      await grant.save();
      return grant;
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page(
        'Error',
        `<h1>${escapeHtml(String(out.error))}</h1><p>${escapeHtml(String(out.error_description ?? ''))}</p>`,
      );
    },
  };
  const provider = new Provider(issuer, configuration);
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    grants.push(String(ctx.oidc.params?.grant_type));
  });
  provider.on('grant.error', (_ctx: KoaContextWithOIDC, error: { error?: string }) => {
    grantErrors.push(String(error.error));
  });
  const oidc = provider.callback();

  const login = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    if (req.method === 'GET') {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(
        page(
          'Sign in',
          `<form method="post" action="${escapeHtml(url.pathname)}"><h1>Sign in</h1>
<label>Username <input name="username" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Sign in</button></form>`,
        ),
      );
      return;
    }
    const form = await readForm(req);
    const user = byName.get(form.get('username') ?? '');
    if (!user || user.password !== form.get('password') || details.prompt.name !== 'login') {
      res.statusCode = 401;
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(page('Sign in', '<p role="alert">Incorrect username or password.</p>'));
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub } },
      { mergeWithLastSubmission: false },
    );
  };

  /** Cognito's /logout: client_id + logout_uri (one of the client's sign-out URLs); ends the session. */
  const logout = (req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const target = url.searchParams.get('logout_uri') ?? '';
    if (url.searchParams.get('client_id') !== client.clientId || !client.logoutUrls.includes(target)) {
      res.statusCode = 400;
      res.end(page('Error', '<h1>invalid_request</h1>'));
      return;
    }
    const cookies = (req.headers.cookie ?? '').split(/;\s*/).map((pair) => pair.split('=')[0]);
    res.setHeader(
      'set-cookie',
      cookies.filter((name) => name.startsWith('_session')).map((name) => `${name}=; Path=/; Max-Age=0`),
    );
    res.statusCode = 302;
    res.setHeader('location', target);
    res.end();
  };

  /** A response type whose flow the client does not allow: refused as Cognito refuses it. */
  const refusedFlow = (res: ServerResponse, url: URL): boolean => {
    const responseType = url.searchParams.get('response_type') ?? '';
    const flow = RESPONSE_TYPE_FLOW[responseType];
    if (flow && client.allowedFlows.includes(flow)) return false;
    const redirect = url.searchParams.get('redirect_uri') ?? '';
    if (!client.callbackUrls.includes(redirect)) {
      res.statusCode = 400;
      res.end(page('Error', '<h1>redirect_mismatch</h1>'));
      return true;
    }
    const target = new URL(redirect);
    target.searchParams.set('error', 'unauthorized_client');
    const state = url.searchParams.get('state');
    if (state) target.searchParams.set('state', state);
    res.statusCode = 302;
    res.setHeader('location', target.toString());
    res.end();
    return true;
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const handle = async (): Promise<void> => {
      if (url.pathname.startsWith('/login/')) return login(req, res, url);
      if (url.pathname === '/logout') return logout(req, res, url);
      if (url.pathname === '/oauth2/token' && req.method === 'POST' && tokenFailures > 0) {
        tokenFailures -= 1;
        res.writeHead(503, { 'access-control-allow-origin': req.headers.origin ?? '*' });
        res.end();
        return;
      }
      if (url.pathname === '/oauth2/authorize') {
        authorizeRequests.push({ path: url.pathname, params: Object.fromEntries(url.searchParams) });
        if (refusedFlow(res, url)) return;
      }
      oidc(req, res);
    };
    handle().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(page('Error', escapeHtml(String((error as Error).message))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    issuer,
    jwks: { keys: [publicJwk] },
    grants,
    grantErrors,
    authorizeRequests,
    failTokenRequests(count) {
      tokenFailures = count;
    },
    sign(claims) {
      const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const input = `${encode({ alg: 'RS256', kid, typ: 'JWT' })}.${encode(claims)}`;
      return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
