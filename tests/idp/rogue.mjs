// An OpenID Connect provider that misbehaves when asked to, for the
// refusals a real provider cannot be made to show (tests/http/test_sso.c):
// an ID token signed by a key it does not publish, with the algorithm
// changed, expired, for another audience, from another issuer, and the
// key rotated (medex must fetch the key set again).  Everything else is
// done as a provider does it: discovery, a key set, the authorization
// request (PKCE S256 required), client_secret_basic at the token
// endpoint, each code once.  It is never the provider of the browser
// test (tests/e2e/sso.test.mjs signs in at glewlwyd).
//
//   node tests/idp/rogue.mjs DIR
// listens on a free loopback port and writes DIR/port, DIR/pid and
// DIR/client_secret (the client is "rogue-client").
//
// The test says, in the authorization request, what the ID token is to
// be: mode (ok, other_key, unknown_kid, alg_hs256, alg_none, expired,
// wrong_aud, wrong_iss, rotate), sub, email and email_verified.
// GET /stats answers how often the key set was fetched.

import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const dir = process.argv[2];
if (!dir) {
	console.error('usage: rogue.mjs DIR');
	process.exit(2);
}
fs.mkdirSync(dir, { recursive: true });

const CLIENT_ID = 'rogue-client';
const CLIENT_SECRET = crypto.randomBytes(24).toString('base64url');

function newKey(kid) {
	const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa',
	    { modulusLength: 2048 });
	return { kid, privateKey, publicKey };
}

const keys = [newKey('rogue-1')];	// published in the key set
const stranger = newKey('stranger');	// never published
const codes = new Map();
let jwksFetches = 0;
let issuer = '';

const b64u = (x) => Buffer.from(x).toString('base64url');

function sign(header, claims, key) {
	const input = b64u(JSON.stringify(header)) + '.' +
	    b64u(JSON.stringify(claims));
	let sig;
	if (header.alg === 'none')
		sig = '';
	else if (header.alg === 'HS256')	// the public key as a secret
		sig = crypto.createHmac('sha256', key.publicKey.export(
		    { type: 'spki', format: 'pem' })).update(input)
		    .digest('base64url');
	else
		sig = crypto.sign('sha256', Buffer.from(input),
		    key.privateKey).toString('base64url');
	return input + '.' + sig;
}

function idToken(c) {
	const now = Math.floor(Date.now() / 1000);
	const claims = {
		iss: issuer, sub: c.sub, aud: CLIENT_ID, nonce: c.nonce,
		iat: now, exp: now + 300, auth_time: now,
	};
	if (c.email) {
		claims.email = c.email;
		claims.email_verified = c.email_verified === 'true';
	}
	let key = keys[keys.length - 1];
	const header = { alg: 'RS256', typ: 'JWT', kid: key.kid };
	switch (c.mode) {
	case 'ok':
		break;
	case 'other_key':	// a published kid, another key's signature
		return sign(header, claims, stranger);
	case 'unknown_kid':
		header.kid = stranger.kid;
		return sign(header, claims, stranger);
	case 'alg_hs256':
		header.alg = 'HS256';
		break;
	case 'alg_none':
		header.alg = 'none';
		break;
	case 'expired':		// well past medex's 60 s of skew
		claims.iat = now - 400;
		claims.exp = now - 120;
		break;
	case 'wrong_aud':
		claims.aud = 'another-service';
		break;
	case 'wrong_iss':
		claims.iss = 'http://127.0.0.1:1/another-provider';
		break;
	case 'rotate':		// a new key, published from now on
		key = newKey('rogue-' + (keys.length + 1));
		keys.push(key);
		header.kid = key.kid;
		break;
	default:
		throw new Error('unknown mode ' + c.mode);
	}
	return sign(header, claims, key);
}

function answer(res, status, body, headers = {}) {
	const json = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, { 'Content-Type': 'application/json',
	    'Cache-Control': 'no-store', ...headers });
	res.end(json);
}

function discovery(res) {
	answer(res, 200, {
		issuer,
		authorization_endpoint: issuer + '/authorize',
		token_endpoint: issuer + '/token',
		jwks_uri: issuer + '/jwks',
		response_types_supported: ['code'],
		subject_types_supported: ['public'],
		id_token_signing_alg_values_supported: ['RS256'],
		code_challenge_methods_supported: ['S256'],
		token_endpoint_auth_methods_supported: ['client_secret_basic'],
	});
}

function jwks(res) {
	jwksFetches++;
	answer(res, 200, { keys: keys.map((k) => ({
		...k.publicKey.export({ format: 'jwk' }), kid: k.kid,
		use: 'sig', alg: 'RS256' })) });
}

function authorize(res, q) {
	if (q.get('client_id') !== CLIENT_ID ||
	    q.get('response_type') !== 'code' ||
	    q.get('code_challenge_method') !== 'S256' ||
	    !q.get('code_challenge') || !q.get('redirect_uri') ||
	    !q.get('state') || !q.get('nonce'))
		return answer(res, 400, { error: 'invalid_request' });
	const code = crypto.randomBytes(16).toString('base64url');
	codes.set(code, {
		mode: q.get('mode') || 'ok', sub: q.get('sub') || 'rogue-user',
		email: q.get('email'), email_verified: q.get('email_verified'),
		nonce: q.get('nonce'), challenge: q.get('code_challenge'),
		redirect_uri: q.get('redirect_uri'),
	});
	const to = new URL(q.get('redirect_uri'));
	to.searchParams.set('code', code);
	to.searchParams.set('state', q.get('state'));
	res.writeHead(302, { Location: to.toString() });
	res.end();
}

function clientAuthenticated(req) {
	const h = req.headers.authorization || '';
	if (!h.startsWith('Basic '))
		return false;
	const [id, secret] = Buffer.from(h.slice(6), 'base64').toString()
	    .split(':').map(decodeURIComponent);
	return id === CLIENT_ID && secret === CLIENT_SECRET;
}

function token(req, res, body) {
	if (!clientAuthenticated(req))
		return answer(res, 401, { error: 'invalid_client' });
	const f = new URLSearchParams(body);
	const c = codes.get(f.get('code') || '');
	codes.delete(f.get('code') || '');
	const challenge = crypto.createHash('sha256')
	    .update(f.get('code_verifier') || '').digest('base64url');
	if (f.get('grant_type') !== 'authorization_code' || c === undefined ||
	    c.redirect_uri !== f.get('redirect_uri') ||
	    c.challenge !== challenge)
		return answer(res, 400, { error: 'invalid_grant' });
	answer(res, 200, { access_token: crypto.randomBytes(16)
	    .toString('base64url'), token_type: 'Bearer', expires_in: 300,
	    id_token: idToken(c) });
}

const server = http.createServer((req, res) => {
	const u = new URL(req.url, issuer);
	let body = '';
	req.on('data', (d) => { body += d; });
	req.on('end', () => {
		try {
			if (req.method === 'GET' &&
			    u.pathname === '/.well-known/openid-configuration')
				return discovery(res);
			if (req.method === 'GET' && u.pathname === '/jwks')
				return jwks(res);
			if (req.method === 'GET' && u.pathname === '/authorize')
				return authorize(res, u.searchParams);
			if (req.method === 'POST' && u.pathname === '/token')
				return token(req, res, body);
			if (req.method === 'GET' && u.pathname === '/stats')
				return answer(res, 200, { jwks_fetches:
				    jwksFetches });
			answer(res, 404, { error: 'not_found' });
		} catch (e) {
			answer(res, 500, { error: String(e) });
		}
	});
});

server.listen(0, '127.0.0.1', () => {
	issuer = 'http://127.0.0.1:' + server.address().port;
	fs.writeFileSync(path.join(dir, 'client_secret'), CLIENT_SECRET,
	    { mode: 0o600 });
	fs.writeFileSync(path.join(dir, 'pid'), String(process.pid));
	// Last: the test waits for this file.
	fs.writeFileSync(path.join(dir, 'port.tmp'),
	    String(server.address().port));
	fs.renameSync(path.join(dir, 'port.tmp'), path.join(dir, 'port'));
});
process.on('SIGTERM', () => process.exit(0));
