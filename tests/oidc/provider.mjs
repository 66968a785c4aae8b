// The OpenID provider of art33's tests: the npm package oidc-provider (an OpenID-certified
// implementation) with one confidential client and a few test users. Started by the test suite
// (tests/support/oidc.rs) as
//
//   node tests/oidc/provider.mjs
//
// with these environment variables:
//   OIDC_MODULES   the node_modules folder holding oidc-provider (ART33_OIDC_PROVIDER_DIR/node_modules)
//   OIDC_PORT      the port to listen on (127.0.0.1); the issuer is http://127.0.0.1:OIDC_PORT
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI   the one client
//   OIDC_TAMPER    optional, for the refusal tests: "audience" re-signs every ID token with an
//                  audience of another client (a valid signature, a wrong `aud`); "resign" re-signs
//                  it unchanged (the control: re-signing alone is no fault); "rotate" signs it with
//                  a new key that the key set publishes only from then on (a key rotation)
//
// It prints "listening http://127.0.0.1:PORT" once it answers. The login page is oidc-provider's
// development login form (any password; the login name is the account id, see ACCOUNTS); consent
// is given in advance for the client, so the browser goes from the login form straight back.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const modules = process.env.OIDC_MODULES;
const port = Number(process.env.OIDC_PORT);
const clientId = process.env.OIDC_CLIENT_ID;
const clientSecret = process.env.OIDC_CLIENT_SECRET;
const redirectUri = process.env.OIDC_REDIRECT_URI;
const tamper = process.env.OIDC_TAMPER || '';
if (!modules || !port || !clientId || !clientSecret || !redirectUri) {
  console.error('provider.mjs: set OIDC_MODULES, OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URI');
  process.exit(2);
}
const load = (name, file) => import(pathToFileURL(join(modules, name, file)).href);
const { default: Provider } = await load('oidc-provider', 'lib/index.js');
const jose = await load('jose', 'dist/webapi/index.js');

// The test users, by login name (= subject). groups: the claim art33 maps to roles.
const ACCOUNTS = {
  olivia: { email: 'olivia@example.test', email_verified: true, name: 'Olivia Officer', groups: ['privacy-officers', 'staff'] },
  rob: { email: 'Rob@Example.test', email_verified: true, name: 'Rob Reporter', groups: ['staff'] },
  nina: { email: 'nina@example.test', email_verified: true, name: 'Nina Newcomer', groups: [] },
  ursula: { email: 'ursula@example.test', email_verified: false, name: 'Ursula Unverified', groups: ['privacy-officers'] },
  mallory: { email: 'mallory@elsewhere.test', email_verified: true, name: 'Mallory Outsider', groups: ['privacy-officers'] },
  ada: { email: 'ada@example.test', email_verified: true, name: 'Ada Admin', groups: ['art33-admins', 'privacy-officers'] },
  // As Microsoft Entra ID sends it: no email_verified, but xms_edov (the domain owner verified it).
  erin: { email: 'erin@example.test', xms_edov: true, name: 'Erin Entra', groups: [] },
};

const { privateKey } = await jose.generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await jose.exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
const issuer = `http://127.0.0.1:${port}`;

const configuration = {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [jwk] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified', 'xms_edov'],
    profile: ['name'],
    groups: ['groups'],
  },
  // The claims go into the ID token itself (art33 reads only the ID token).
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, sub) {
    const account = ACCOUNTS[sub];
    if (!account) return undefined;
    return { accountId: sub, async claims() { return { sub, ...account }; } };
  },
  // Consent is given in advance: the test client is first-party.
  async loadExistingGrant(ctx) {
    const { client, session } = ctx.oidc;
    const existing = session.grantIdFor(client.clientId);
    if (existing) return ctx.oidc.provider.Grant.find(existing);
    const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
    grant.addOIDCScope('openid email profile groups');
    grant.addOIDCClaims(['email', 'email_verified', 'xms_edov', 'name', 'groups']);
    await grant.save();
    session.grantIdFor(client.clientId, grant.jti);
    return grant;
  },
  ttl: { AuthorizationCode: 60, IdToken: 3600, AccessToken: 3600, Session: 3600, Grant: 3600, Interaction: 600 },
};

const provider = new Provider(issuer, configuration);
provider.on('server_error', (ctx, err) => console.error('provider server_error', err));

if (['audience', 'resign', 'rotate'].includes(tamper)) {
  // Re-sign the token endpoint's ID token: with another audience for "audience" (a token meant
  // for another client); unchanged for "resign"; with a new key for "rotate", which the published
  // key set gains from then on (a key rotation after art33 read the keys).
  const rotated = await jose.generateKeyPair('RS256', { extractable: true });
  const rotatedPublic = { ...(await jose.exportJWK(rotated.publicKey)), kid: 'rotated-key', alg: 'RS256', use: 'sig' };
  let published = false;
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/jwks' && published && ctx.body && ctx.body.keys) {
      ctx.body = { keys: [...ctx.body.keys, rotatedPublic] };
    }
    if (ctx.path === '/token' && ctx.status === 200 && ctx.body && ctx.body.id_token) {
      const claims = jose.decodeJwt(ctx.body.id_token);
      if (tamper === 'audience') claims.aud = 'another-client';
      const [key, kid] = tamper === 'rotate' ? [rotated.privateKey, 'rotated-key'] : [privateKey, 'test-key'];
      published = published || tamper === 'rotate';
      ctx.body = {
        ...ctx.body,
        id_token: await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid }).sign(key),
      };
    }
  });
} else if (tamper) {
  console.error(`provider.mjs: unknown OIDC_TAMPER "${tamper}"`);
  process.exit(2);
}

const server = createServer(provider.callback());
server.listen(port, '127.0.0.1', () => console.log(`listening ${issuer}`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
