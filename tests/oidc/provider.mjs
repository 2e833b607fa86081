// A real OpenID provider for the tests: the certified `oidc-provider` package from npm, with
// a test client and test users, on a loopback port. Started by tests/oidc_provider.py.
//
// Configuration: one JSON object in the environment variable OIDC_TEST_CONFIG:
//   {"port": 0, "clients": [{client_id, client_secret, redirect_uris,
//    post_logout_redirect_uris}], "accounts": [{login, password, sub, email,
//    email_verified, name}], "id_token_ttl": 3600}
// Once listening it prints one line of JSON: {"issuer": "http://127.0.0.1:<port>"}.
//
// The sign-in and sign-out pages are its own (plain, Dutch, accessible HTML) so that the
// browser tests can check them with axe like every other page they visit.
import http from 'node:http';
import { once } from 'node:events';

import Provider from 'oidc-provider';

const config = JSON.parse(process.env.OIDC_TEST_CONFIG || '{}');
const accounts = config.accounts || [];

function escape(value) {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} - Test-identiteitsprovider</title></head>
<body><main><h1>${escape(title)}</h1>${body}</main></body>
</html>`;
}

function loginForm(uid, problem) {
  const error = problem ? `<p role="alert">${escape(problem)}</p>` : '';
  return page('Inloggen bij de test-identiteitsprovider', `${error}
<form method="post" action="/interaction/${escape(uid)}">
  <p><label for="login">Gebruikersnaam</label><br>
  <input id="login" name="login" autocomplete="username" required></p>
  <p><label for="password">Wachtwoord</label><br>
  <input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p><button type="submit">Inloggen bij de provider</button></p>
</form>`);
}

const provider = new Provider(config.issuer, {
  clients: config.clients || [],
  cookies: { keys: ['test-cookie-key-not-secret-0123456789'] },
  jwks: config.jwks,
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: async (ctx, form) => {
        ctx.body = page('Uitloggen bij de test-identiteitsprovider', `${form}
<p>Wilt u ook bij de provider uitloggen?</p>
<p><button type="submit" form="op.logoutForm" value="yes" name="logout">Ja, log mij uit</button>
<button type="submit" form="op.logoutForm">Nee, blijf ingelogd</button></p>`);
      },
      postLogoutSuccessSource: async (ctx) => {
        ctx.body = page('Uitgelogd bij de provider', '<p>U bent uitgelogd.</p>');
      },
    },
  },
  pkce: { required: () => true },
  ttl: { IdToken: config.id_token_ttl || 3600 },
  findAccount: async (ctx, sub) => {
    const account = accounts.find((a) => a.sub === sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      async claims() {
        return {
          sub, email: account.email, email_verified: account.email_verified, name: account.name,
        };
      },
    };
  },
  renderError: async (ctx, out) => {
    ctx.type = 'html';
    const lines = Object.entries(out)
      .map(([key, value]) => `<li>${escape(key)}: ${escape(value)}</li>`).join('');
    ctx.body = page('De provider weigert dit verzoek', `<ul>${lines}</ul>`);
  },
});
provider.proxy = false;

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function grantFor(details, accountId) {
  const grant = new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(String(details.params.scope || 'openid'));
  return grant.save();
}

async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'consent') {
    // The test client is the provider's own: consent is given without asking.
    const grantId = await grantFor(details, details.session.accountId);
    await provider.interactionFinished(req, res, { consent: { grantId } });
    return;
  }
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginForm(details.uid));
    return;
  }
  const form = await readForm(req);
  const account = accounts.find(
    (a) => a.login === form.get('login') && a.password === form.get('password'),
  );
  if (!account) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(loginForm(details.uid, 'Gebruikersnaam of wachtwoord klopt niet.'));
    return;
  }
  const grantId = await grantFor(details, account.sub);
  await provider.interactionFinished(
    req, res, { login: { accountId: account.sub }, consent: { grantId } },
  );
}

const callback = provider.callback();
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/interaction/')) {
    interaction(req, res).catch((err) => {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end(page('De provider weigert dit verzoek', `<p>${escape(err.message)}</p>`));
    });
    return;
  }
  callback(req, res);
});
server.listen(config.port || 0, '127.0.0.1');
await once(server, 'listening');
process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
