// Deploy rehearsal, dashboard (issue 11): the synthesised template is the source of truth. From it:
// the user pool client (flows, callback and sign-out URLs, scopes, secret, token validity), the HTTP
// API's JWT authorizer (issuer, audience) and CORS, the WebSocket API's authorizer function (its
// synthesised bundle, with the template's environment), the site's Content-Security-Policy and the
// config.json the stack uploads. Each deployed name is then given a local stand-in: a Cognito
// hosted UI (oidc-provider) for that client, API Gateway in front of the real local tfdrift server,
// and the site. Real Chromium signs in, loads drifts through the JWT check, and gets a live drift
// over the WebSocket.

import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../lambdas/local/server.js';
import { ADMIN_GROUP } from '../../lib/tfdrift-stack.js';
import { buildWeb } from '../../web/build.js';
import { FINGERPRINT_FILE } from '../../web/build-fingerprint.js';
import { CHROMIUM_ARGS, FIXTURES, readFixture } from '../browser/harness.js';
import { ACCOUNT, buildTestApp, REGION, type SynthesisedApp } from '../integration/cdk-fixture.js';
import { type ApiGateway, startApiGateway } from '../support/oidc-api-gateway.js';
import { type HostedUi, startHostedUi } from '../support/oidc-hosted-ui.js';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Template = { Resources: Record<string, Resource> };

const PASSWORD = 'Rehearsal-Passw0rd!';
/** The template's dashboard user (TEST_SETTINGS.dashboardUsers). */
const USERNAME = 'alice@example.com';
// What CloudFormation would return for the resources the dashboard needs (made-up ids, real shapes).
const USER_POOL_ID = `${REGION}_Rehearse1`;
const CLIENT_ID = '4rehearsalspaclient0000000';
const HTTP_API_ID = 'h77papi001';
const WS_API_ID = 'w5api00001';
const CDN_DOMAIN = 'd1rehearsal0001.cloudfront.net';

let synth: SynthesisedApp;
let template: Template;
let assemblyDir: string;
let hostedUi: HostedUi;
let gateway: ApiGateway;
let backend: Awaited<ReturnType<typeof startServer>>;
let site: Server;
let siteOrigin: string;
let webRoot: string;
let browser: Browser;
let firstDrift: string;
let wsAuthorizer: (event: APIGatewayRequestAuthorizerEvent) => Promise<APIGatewayAuthorizerResult>;
const savedEnv = { ...process.env };

// --- reading the template

function byType(type: string, where: (resource: Resource) => boolean = () => true): [string, Resource] {
  const found = Object.entries(template.Resources).filter(([, r]) => r.Type === type && where(r));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/** Ref/GetAtt values of the resources, as CloudFormation would resolve them after a deploy. */
function physicalValues(): Record<string, string> {
  const [pool] = byType('AWS::Cognito::UserPool');
  const [client] = byType('AWS::Cognito::UserPoolClient');
  const [httpApi] = byType('AWS::ApiGatewayV2::Api', (r) => r.Properties.ProtocolType === 'HTTP');
  const [wsApi] = byType('AWS::ApiGatewayV2::Api', (r) => r.Properties.ProtocolType === 'WEBSOCKET');
  const [cdn] = byType('AWS::CloudFront::Distribution');
  return {
    'AWS::Region': REGION,
    'AWS::AccountId': ACCOUNT,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    [pool]: USER_POOL_ID,
    [client]: CLIENT_ID,
    [httpApi]: HTTP_API_ID,
    [`${httpApi}.ApiEndpoint`]: `https://${HTTP_API_ID}.execute-api.${REGION}.amazonaws.com`,
    [wsApi]: WS_API_ID,
    [`${cdn}.DomainName`]: CDN_DOMAIN,
  };
}

function resolve(value: unknown, values: Record<string, string>): unknown {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => resolve(item, values));
  const node = value as Record<string, unknown>;
  if ('Ref' in node) return known(String(node.Ref), values);
  if ('Fn::GetAtt' in node) return known((node['Fn::GetAtt'] as string[]).join('.'), values);
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map((part) => resolve(part, values)).join(separator);
  }
  return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, resolve(item, values)]));
}

function known(name: string, values: Record<string, string>): string {
  const value = values[name];
  if (value === undefined) throw new Error(`the rehearsal gives no deployed value for ${name}`);
  return value;
}

/** Each deployed origin (and wildcard the CSP names) → its local stand-in's, added as each starts. */
const localOrigins: [deployed: string, local: string][] = [];

function toLocal(text: string): string {
  return localOrigins.reduce((out, [deployed, local]) => out.split(deployed).join(local), text);
}

// --- what the template says

let clientProps: Record<string, unknown>;
let authorizerJwt: { Issuer: string; Audience: string[] };
let deployedConfig: { apiBase: string; wsUrl: string; auth: { domain: string; clientId: string } };
let csp: string;
const seconds = (value: unknown, unit: unknown) =>
  Number(value) * (unit === 'days' ? 86_400 : unit === 'hours' ? 3_600 : 60);

beforeAll(async () => {
  process.env.AWS_REGION = REGION;
  process.env.CDK_DEFAULT_REGION = REGION;
  synth = buildTestApp();
  const assembly = synth.app.synth();
  assemblyDir = assembly.directory;
  template = assembly.getStackByName(synth.stack.stackName).template as Template;
  const values = physicalValues();

  clientProps = resolve(byType('AWS::Cognito::UserPoolClient')[1].Properties, values) as Record<
    string,
    unknown
  >;
  const [, httpAuthorizer] = byType(
    'AWS::ApiGatewayV2::Authorizer',
    (r) => r.Properties.AuthorizerType === 'JWT',
  );
  authorizerJwt = resolve(httpAuthorizer.Properties.JwtConfiguration, values) as typeof authorizerJwt;
  const [httpApiId, httpApi] = byType('AWS::ApiGatewayV2::Api', (r) => r.Properties.ProtocolType === 'HTTP');
  const cors = resolve(httpApi.Properties.CorsConfiguration, values) as {
    AllowOrigins: string[];
    AllowHeaders: string[];
    AllowMethods: string[];
    MaxAge: number;
  };
  const headersPolicy = byType('AWS::CloudFront::ResponseHeadersPolicy')[1].Properties as {
    ResponseHeadersPolicyConfig: {
      SecurityHeadersConfig: { ContentSecurityPolicy: { ContentSecurityPolicy: unknown } };
    };
  };
  csp = String(
    resolve(
      headersPolicy.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy
        .ContentSecurityPolicy,
      values,
    ),
  );

  // config.json as uploaded: the BucketDeployment's JSON source, its markers filled in.
  const [, deployment] = byType('Custom::CDKBucketDeployment');
  const markers = deployment.Properties.SourceMarkers as Record<string, unknown>[];
  const index = markers.findIndex((m) => Object.keys(m).length > 0);
  const key = String((deployment.Properties.SourceObjectKeys as string[])[index]).replace(/\.zip$/, '');
  let configText = readFileSync(join(assemblyDir, `asset.${key}`, 'config.json'), 'utf8');
  for (const [marker, value] of Object.entries(markers[index])) {
    configText = configText.split(marker).join(String(resolve(value, values)));
  }
  deployedConfig = JSON.parse(configText);
  const authHost = deployedConfig.auth.domain;

  // The WebSocket $connect authorizer: the template's function, its synthesised bundle and environment.
  const [, wsAuth] = byType(
    'AWS::ApiGatewayV2::Authorizer',
    (r) => r.Properties.AuthorizerType === 'REQUEST',
  );
  const fnId = JSON.stringify(wsAuth.Properties.AuthorizerUri).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/)?.[1];
  const fn = template.Resources[String(fnId)].Properties as {
    Code: { S3Key: string };
    Environment: { Variables: Record<string, unknown> };
  };
  for (const [name, value] of Object.entries(
    resolve(fn.Environment.Variables, values) as Record<string, string>,
  )) {
    process.env[name] = value;
  }
  const bundle = join(assemblyDir, `asset.${fn.Code.S3Key.replace(/\.zip$/, '')}`, 'index.mjs');

  // The stand-ins, each on its own port of 127.0.0.1.
  webRoot = await mkdtemp(join(tmpdir(), 'tfdrift-rehearsal-web-'));
  let configJson = '';
  site = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (body: string | Buffer, type: string) => {
      res.writeHead(200, { 'content-type': type, 'content-security-policy': toLocal(csp) });
      res.end(body);
    };
    if (path === '/config.json') return send(configJson, 'application/json');
    const file = normalize(join(webRoot, path === '/' ? 'index.html' : path));
    const types: Record<string, string> = {
      '.js': 'text/javascript',
      '.css': 'text/css',
      '.svg': 'image/svg+xml',
    };
    readFile(file.startsWith(webRoot) ? file : join(webRoot, 'index.html'))
      .then((body) => send(body, types[extname(file)] ?? 'text/html; charset=utf-8'))
      // Like the distribution's error responses: unknown paths get index.html.
      .catch(async () => send(await readFile(join(webRoot, 'index.html')), 'text/html; charset=utf-8'));
  });
  await new Promise<void>((done) => site.listen(0, '127.0.0.1', done));
  siteOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  localOrigins.push([`https://${CDN_DOMAIN}`, siteOrigin]);

  const users = Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::Cognito::UserPoolUser')
    .map((r) => {
      const email = (r.Properties.UserAttributes as { Name: string; Value: string }[]).find(
        (a) => a.Name === 'email',
      );
      return { username: String(r.Properties.Username), email: String(email?.Value), password: PASSWORD };
    });
  const units = clientProps.TokenValidityUnits as Record<string, string>;
  const toLocalUrls = (urls: unknown) => (urls as string[]).map(toLocal);
  hostedUi = await startHostedUi({
    issuer: authorizerJwt.Issuer,
    users,
    client: {
      clientId: CLIENT_ID,
      allowedFlows: clientProps.AllowedOAuthFlows as string[],
      callbackUrls: toLocalUrls(clientProps.CallbackURLs),
      logoutUrls: toLocalUrls(clientProps.LogoutURLs),
      scopes: clientProps.AllowedOAuthScopes as string[],
      generateSecret: clientProps.GenerateSecret === true,
      idTokenValidity: seconds(clientProps.IdTokenValidity, units.IdToken),
      accessTokenValidity: seconds(clientProps.AccessTokenValidity, units.AccessToken),
      refreshTokenValidity: seconds(clientProps.RefreshTokenValidity, units.RefreshToken),
    },
  });
  localOrigins.push([`https://${authHost}`, hostedUi.origin]);

  const mod = (await import(pathToFileURL(bundle).href)) as {
    handler: typeof wsAuthorizer;
    verifier: { cacheJwks(jwks: unknown, issuer?: string): void };
  };
  // No network here: give the authorizer's verifier the hosted UI's keys, as if fetched from the JWKS URI.
  mod.verifier.cacheJwks(hostedUi.jwks, process.env.USER_POOL_ID);
  wsAuthorizer = mod.handler;

  backend = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: null,
    statePaths: [join(FIXTURES, 'tfdrift-falco-detector.tfstate')],
    alertsOut: { write: () => true } as unknown as NodeJS.WritableStream,
    logger: { info() {}, warn() {}, error() {} },
  });
  await backend.eventsReady;
  gateway = await startApiGateway({
    backend: backend.url,
    jwt: { issuer: authorizerJwt.Issuer, audience: authorizerJwt.Audience, jwks: hostedUi.jwks },
    cors: {
      allowOrigins: toLocalUrls(cors.AllowOrigins),
      allowHeaders: cors.AllowHeaders,
      allowMethods: cors.AllowMethods,
      maxAge: cors.MaxAge,
    },
    wsPath: new URL(deployedConfig.wsUrl).pathname,
    wsAuthorizer: (event) => wsAuthorizer(event),
  });
  const ws = gateway.origin.replace(/^http/, 'ws');
  localOrigins.push(
    [values[`${httpApiId}.ApiEndpoint`], gateway.origin],
    [`wss://${WS_API_ID}.execute-api.${REGION}.amazonaws.com`, ws],
    [`https://*.execute-api.${REGION}.amazonaws.com`, gateway.origin],
    [`wss://*.execute-api.${REGION}.amazonaws.com`, ws],
  );

  // The dashboard, built from today's sources, with the uploaded config.json pointed at the stand-ins.
  await buildWeb({ outDir: webRoot });
  configJson = JSON.stringify({
    ...deployedConfig,
    apiBase: toLocal(deployedConfig.apiBase),
    wsUrl: toLocal(deployedConfig.wsUrl),
    auth: { ...deployedConfig.auth, domain: hostedUi.origin },
  });

  firstDrift = await postToBackend(await readFixture('s3-suspend-versioning.json'));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
  await backend?.close();
  await hostedUi?.close();
  await new Promise<void>((done) => (site ? site.close(() => done()) : done()));
  if (webRoot) await rm(webRoot, { recursive: true, force: true });
  synth?.cleanup();
  process.env = savedEnv;
});

/** Posts a CloudTrail record to the backend (as the detect pipeline would); returns the drift id. */
async function postToBackend(record: Record<string, unknown>): Promise<string> {
  const fresh = { ...structuredClone(record), eventID: randomUUID(), eventTime: new Date().toISOString() };
  const response = await fetch(`${backend.url}/api/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fresh),
  });
  if (!response.ok) throw new Error(`POST /events: HTTP ${response.status}`);
  return ((await response.json()) as { findings: { id: string }[] }).findings[0].id;
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

/** A new browser session (its own cookies and sessionStorage), recording errors and failed loads. */
async function newSession(): Promise<{ page: Page; problems: string[] }> {
  const problems: string[] = [];
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text()))
      problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`);
  });
  return { page, problems };
}

/** Open the dashboard, sign in on the hosted UI's page, and wait for the drift table. */
async function signIn(page: Page, view = '#view=table'): Promise<void> {
  await page.goto(`${siteOrigin}/${view}`);
  // A dashboard asking for a flow the client does not allow never gets here.
  await page.waitForURL(`${hostedUi.origin}/login/**`, { timeout: 10_000 });
  await page.fill('input[name=username]', USERNAME);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(`${siteOrigin}/**`);
  await page.locator('tbody tr.drift-row').first().waitFor({ timeout: 10_000 });
}

const storedToken = (page: Page) => page.evaluate(() => sessionStorage.getItem('tfdrift.token'));
const storedRefreshToken = (page: Page) => page.evaluate(() => sessionStorage.getItem('tfdrift.refresh'));
const refreshGrants = () => hostedUi.grants.filter((grant) => grant === 'refresh_token').length;
const liveStatus = (page: Page) => page.locator('[data-testid=live-status]').textContent();

describe('dashboard sign-in against the template (deploy rehearsal)', () => {
  it('reads a public code-flow client, a JWT authorizer for it, and a config.json for the same pool', () => {
    expect(clientProps.AllowedOAuthFlows).toEqual(['code']);
    expect(clientProps.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(clientProps.GenerateSecret).toBe(false);
    expect(clientProps.CallbackURLs).toEqual([`https://${CDN_DOMAIN}/`]);
    expect(clientProps.AllowedOAuthScopes).toEqual(expect.arrayContaining(['openid', 'email', 'profile']));
    expect(authorizerJwt).toEqual({
      Issuer: `https://cognito-idp.${REGION}.amazonaws.com/${USER_POOL_ID}`,
      Audience: [CLIENT_ID],
    });
    expect(deployedConfig.auth).toMatchObject({
      clientId: CLIENT_ID,
      userPoolId: USER_POOL_ID,
      region: REGION,
      // The group the query function admits to POST /backfill, so the dashboard offers it to them alone.
      adminGroup: ADMIN_GROUP,
    });
    expect(deployedConfig.apiBase).toBe(`https://${HTTP_API_ID}.execute-api.${REGION}.amazonaws.com/api/v1`);
    expect(deployedConfig.wsUrl).toMatch(
      new RegExp(`^wss://${WS_API_ID}\\.execute-api\\.${REGION}\\.amazonaws\\.com/`),
    );
    // The token endpoint the dashboard calls is on the hosted UI's host, which the CSP allows.
    const connectSrc = csp.split(';').find((directive) => directive.trim().startsWith('connect-src'));
    expect(connectSrc?.split(' ')).toContain(`https://${deployedConfig.auth.domain}`);
  });

  it('uploads the built dashboard without its build fingerprint (it lists source file names)', () => {
    const [, deployment] = byType('Custom::CDKBucketDeployment');
    const markers = deployment.Properties.SourceMarkers as Record<string, unknown>[];
    const keys = deployment.Properties.SourceObjectKeys as string[];
    const siteAsset = keys.find((_, i) => Object.keys(markers[i]).length === 0);
    const folder = join(assemblyDir, `asset.${String(siteAsset).replace(/\.zip$/, '')}`);
    expect(existsSync(join(folder, 'index.html'))).toBe(true);
    expect(existsSync(join(folder, FINGERPRINT_FILE))).toBe(false);
  });

  it('refuses the implicit grant (as Cognito does for this client) and a foreign callback, and wants PKCE S256', async () => {
    const callback = `${siteOrigin}/`;
    const challenge = {
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    };
    const authorize = (params: Record<string, string>) =>
      fetch(
        `${hostedUi.origin}/oauth2/authorize?${new URLSearchParams({ client_id: CLIENT_ID, scope: 'openid', state: 's1', ...params })}`,
        { redirect: 'manual' },
      );

    const implicit = await authorize({ response_type: 'token', redirect_uri: callback });
    const noPkce = await authorize({ response_type: 'code', redirect_uri: callback });
    const plainPkce = await authorize({
      response_type: 'code',
      redirect_uri: callback,
      code_challenge: 'x'.repeat(43),
      code_challenge_method: 'plain',
    });
    const foreign = await authorize({
      response_type: 'code',
      redirect_uri: 'https://attacker.example/',
      ...challenge,
    });
    const allowed = await authorize({ response_type: 'code', redirect_uri: callback, ...challenge });

    const location = (response: Response) => new URL(response.headers.get('location') ?? '', hostedUi.origin);
    expect(implicit.status).toBe(302);
    expect(location(implicit).origin + location(implicit).pathname).toBe(callback);
    expect(location(implicit).searchParams.get('error')).toBe('unauthorized_client');
    expect(location(implicit).hash).not.toMatch(/token=/);
    expect(location(noPkce).searchParams.get('error')).toBe('invalid_request');
    expect(location(plainPkce).searchParams.get('error')).toBe('invalid_request');
    expect(foreign.status).toBe(400);
    expect(foreign.headers.get('location')).toBeNull();
    // The same request done right goes on to the login page.
    expect([302, 303]).toContain(allowed.status);
    expect(location(allowed).pathname).toMatch(/^\/login\//);
  });

  it('shows a refusal from the hosted UI instead of asking again in a loop', async () => {
    const { page } = await newSession();
    const before = hostedUi.authorizeRequests.length;

    await page.goto(`${siteOrigin}/?error=unauthorized_client&state=s1#view=graph`);

    const fatal = page.locator('#root.fatal');
    await fatal.waitFor();
    expect(await fatal.textContent()).toBe(
      'tfdrift could not start: sign-in refused by Cognito: unauthorized_client',
    );
    expect(page.url()).toBe(`${siteOrigin}/`);
    expect(hostedUi.authorizeRequests.length).toBe(before);
    await page.context().close();
  });

  it('signs in with the code flow and PKCE, loads drifts through the JWT check, and gets a live drift over the WebSocket', async () => {
    const { page, problems } = await newSession();
    const callsBefore = gateway.calls.length;

    await signIn(page);

    const request = hostedUi.authorizeRequests.at(-1)?.params;
    expect(request).toMatchObject({
      client_id: CLIENT_ID,
      response_type: 'code',
      code_challenge_method: 'S256',
      redirect_uri: `${siteOrigin}/`,
      scope: 'openid email profile',
    });
    expect(request?.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hostedUi.grants).toContain('authorization_code');
    // The code and state are gone from the address bar; the view is back.
    expect(page.url()).toBe(`${siteOrigin}/#view=table`);
    expect(
      await page.locator(`tr.drift-row[data-drift-id="${firstDrift}"] td.col-address`).textContent(),
    ).toBe('aws_s3_bucket_versioning.data');
    const token = String(await storedToken(page));
    const claims = claimsOf(token);
    expect(claims).toMatchObject({
      aud: CLIENT_ID,
      iss: authorizerJwt.Issuer,
      token_use: 'id',
      email: USERNAME,
    });
    const apiCalls = gateway.calls.slice(callsBefore).filter((call) => call.path.startsWith('/api/v1/'));
    expect(apiCalls.length).toBeGreaterThan(0);
    expect(apiCalls.every((call) => call.status === 200 && call.sub === claims.sub)).toBe(true);

    await expect.poll(() => liveStatus(page)).toBe('Live');
    expect(gateway.connects.at(-1)).toEqual({ token, allowed: true });
    const live = await postToBackend(await readFixture('s3-delete-bucket.json'));
    await page.locator(`tr.drift-row[data-drift-id="${live}"]`).waitFor({ timeout: 5_000 });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('answers 401 to a token it cannot verify, and the dashboard then signs in again', async () => {
    const forged = forgedToken();
    const unsigned = await fetch(`${gateway.origin}/api/v1/drifts`);
    const refused = await fetch(`${gateway.origin}/api/v1/drifts`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(unsigned.status).toBe(401);
    expect(refused.status).toBe(401);
    const { page } = await newSession();
    await signIn(page);
    await page.evaluate((token) => sessionStorage.setItem('tfdrift.token', token), forged);
    const callsBefore = gateway.calls.length;

    await page.reload();
    // Refused, the dashboard goes back through the hosted UI, whose session signs it straight in.
    await expect.poll(() => storedToken(page), { timeout: 10_000 }).not.toBe(forged);
    await page.waitForURL(`${siteOrigin}/**`);
    await page.locator('tbody tr.drift-row').first().waitFor({ timeout: 10_000 });

    const calls = gateway.calls.slice(callsBefore);
    expect(calls.some((call) => call.status === 401)).toBe(true);
    expect(calls.at(-1)?.status).toBe(200);
    expect(claimsOf(String(await storedToken(page))).iss).toBe(authorizerJwt.Issuer);
    await page.context().close();
  });

  it('refreshes an expired token before the WebSocket reconnects, and never sends it', async () => {
    const { page } = await newSession();
    await signIn(page);
    await expect.poll(() => liveStatus(page)).toBe('Live');
    const now = Math.floor(Date.now() / 1000);
    const expired = hostedUi.sign({
      ...claimsOf(String(await storedToken(page))),
      iat: now - 3_700,
      exp: now - 100,
    });
    expect((await wsAuthorizer(connectEvent(expired))).policyDocument.Statement[0]).toMatchObject({
      Effect: 'Deny',
    });
    const refreshes = refreshGrants();
    const connectsBefore = gateway.connects.length;
    await page.evaluate((token) => sessionStorage.setItem('tfdrift.token', token), expired);

    gateway.dropSockets();
    await expect.poll(() => gateway.connects.length, { timeout: 10_000 }).toBeGreaterThan(connectsBefore);
    await expect.poll(() => liveStatus(page)).toBe('Live');

    const after = gateway.connects.slice(connectsBefore);
    expect(after.every((connect) => connect.allowed && connect.token !== expired)).toBe(true);
    expect(Number(claimsOf(String(after[0].token)).exp)).toBeGreaterThan(now + 3_000);
    expect(refreshGrants()).toBe(refreshes + 1);
    expect(await storedToken(page)).toBe(after[0].token);
    await page.context().close();
  });

  it('keeps the session through a failed refresh (hosted UI unavailable) and refreshes on the next connect', async () => {
    const { page } = await newSession();
    await signIn(page);
    await expect.poll(() => liveStatus(page)).toBe('Live');
    const refreshToken = await storedRefreshToken(page);
    const now = Math.floor(Date.now() / 1000);
    const closeToExpiry = hostedUi.sign({
      ...claimsOf(String(await storedToken(page))),
      iat: now - 3_570,
      exp: now + 45,
    });
    await page.evaluate((token) => sessionStorage.setItem('tfdrift.token', token), closeToExpiry);
    const refreshes = refreshGrants();
    const connectsBefore = gateway.connects.length;
    hostedUi.failTokenRequests(1);

    gateway.dropSockets();
    await expect.poll(() => gateway.connects.length, { timeout: 10_000 }).toBe(connectsBefore + 1);

    // The refresh failed: the token, still valid, is used; nothing is forgotten.
    expect(gateway.connects[connectsBefore]).toEqual({ token: closeToExpiry, allowed: true });
    expect(refreshGrants()).toBe(refreshes);
    expect(await storedRefreshToken(page)).toBe(refreshToken);

    gateway.dropSockets();
    await expect.poll(() => gateway.connects.length, { timeout: 10_000 }).toBe(connectsBefore + 2);

    expect(gateway.connects[connectsBefore + 1].allowed).toBe(true);
    expect(gateway.connects[connectsBefore + 1].token).not.toBe(closeToExpiry);
    expect(refreshGrants()).toBe(refreshes + 1);
    await page.context().close();
  });

  it('signs in again when the refresh token was revoked, never connecting with the expired token', async () => {
    const { page } = await newSession();
    await signIn(page);
    await expect.poll(() => liveStatus(page)).toBe('Live');
    const revoked = String(await storedRefreshToken(page));
    const revocation = await fetch(`${hostedUi.origin}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: revoked, client_id: CLIENT_ID }),
    });
    expect(revocation.status).toBe(200);
    const now = Math.floor(Date.now() / 1000);
    const expired = hostedUi.sign({
      ...claimsOf(String(await storedToken(page))),
      iat: now - 3_700,
      exp: now - 100,
    });
    await page.evaluate((token) => sessionStorage.setItem('tfdrift.token', token), expired);
    const errorsBefore = hostedUi.grantErrors.length;
    const connectsBefore = gateway.connects.length;

    gateway.dropSockets();
    // Refused (invalid_grant): the tokens are dropped and the hosted UI, still signed in, sends the
    // dashboard straight back with new ones.
    await expect.poll(() => storedRefreshToken(page).catch(() => null), { timeout: 10_000 }).toMatch(/./);
    await expect
      .poll(() => storedRefreshToken(page).catch(() => revoked), { timeout: 10_000 })
      .not.toBe(revoked);
    await expect.poll(() => liveStatus(page).catch(() => null), { timeout: 10_000 }).toBe('Live');

    expect(hostedUi.grantErrors.slice(errorsBefore)).toContain('invalid_grant');
    const after = gateway.connects.slice(connectsBefore);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((connect) => connect.token !== expired && connect.allowed)).toBe(true);
    await page.context().close();
  });

  it('renews a token a minute before it expires, on a timer', async () => {
    const { page } = await newSession();
    await signIn(page);
    const now = Math.floor(Date.now() / 1000);
    const expiring = hostedUi.sign({
      ...claimsOf(String(await storedToken(page))),
      iat: now - 3_540,
      exp: now + 68,
    });
    await page.evaluate((token) => sessionStorage.setItem('tfdrift.token', token), expiring);
    const refreshes = refreshGrants();
    const callsBefore = gateway.calls.length;

    await page.reload();
    await expect.poll(() => storedToken(page), { timeout: 15_000, interval: 250 }).not.toBe(expiring);

    // Still valid for more than a minute at start-up: sent as it was, then renewed by the timer
    // with no request asking for it.
    const sent = gateway.calls.slice(callsBefore).filter((call) => call.token === expiring);
    expect(sent.map((call) => call.status)).toContain(200);
    expect(refreshGrants()).toBe(refreshes + 1);
    expect(Number(claimsOf(String(await storedToken(page))).exp)).toBeGreaterThan(now + 3_000);
    await page.context().close();
  });

  it('signs out: tokens and the hosted UI session are gone, so the next visit asks to sign in', async () => {
    const { page } = await newSession();
    await signIn(page);
    expect(await storedToken(page)).not.toBeNull();

    await page.click('[data-testid=sign-out]');
    await page.waitForURL(`${hostedUi.origin}/login/**`);

    expect(await page.locator('input[name=password]').count()).toBe(1);
    await page.goto(`${siteOrigin}/config.json`);
    expect(
      await page.evaluate(() => [
        sessionStorage.getItem('tfdrift.token'),
        sessionStorage.getItem('tfdrift.refresh'),
      ]),
    ).toEqual([null, null]);
    await page.context().close();
  });
});

/** A token for the right client and issuer, signed with a key the issuer never published. */
function forgedToken(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${encode({ alg: 'RS256', kid: hostedUi.jwks.keys[0].kid, typ: 'JWT' })}.${encode({
    sub: randomUUID(),
    aud: CLIENT_ID,
    iss: authorizerJwt.Issuer,
    token_use: 'id',
    iat: now,
    exp: now + 3_600,
  })}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

function connectEvent(token: string): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:${WS_API_ID}/live/$connect`,
    queryStringParameters: { token },
    headers: {},
  } as unknown as APIGatewayRequestAuthorizerEvent;
}
