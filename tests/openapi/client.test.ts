// A client generated from the document the server serves: types by
// openapi-typescript (gen/medex.d.ts, made by scripts/test-openapi.sh),
// calls by openapi-fetch, the whole checked by tsc before it runs.  It
// reads a case, lists a page and records a transition against the test
// server (MEDEX_TEST_URL), as an ME created with medexctl.  A wrong path,
// parameter or field name here is a type error, so the document is
// complete enough to write a client from.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import createClient from 'openapi-fetch'
import type { components, paths } from './gen/medex.js'

type Case = components['schemas']['Case']

const base = process.env.MEDEX_TEST_URL ?? 'http://127.0.0.1:8888'
const out = process.env.MEDEX_TEST_OUT ?? 'build/san'
const password = 'openapi correct horse battery'

function medexctl (args: string[], input?: string): void {
  try {
    execFileSync(join(out, 'medexctl'), args, { input, stdio: ['pipe', 'ignore', 'ignore'] })
  } catch {
    // already there (a second run against the same database)
  }
}

async function signIn (username: string) {
  const anon = createClient<paths>({ baseUrl: base })
  const { data, error, response } = await anon.POST('/api/v1/auth/login', {
    body: { username, password }
  })
  assert.equal(error, undefined, `login: ${response.status} ${JSON.stringify(error)}`)
  assert.ok(data)
  assert.equal(data.token_type, 'Bearer')
  assert.equal(data.user.role, 'medical_examiner')
  return createClient<paths>({
    baseUrl: base,
    headers: { Authorization: `Bearer ${data.token}` }
  })
}

test('a generated client reads, lists and moves a case', async () => {
  medexctl(['office', 'add', 'OAPI', 'OpenAPI client office'])
  medexctl(['user', 'add', 'oapi.me', '--role', 'medical_examiner', '--office', 'OAPI', '--name', 'Dr OpenAPI'], password + '\n')
  const client = await signIn('oapi.me')

  const made: Case[] = []
  for (const given of ['Ada', 'Grace']) {
    const { data, error, response } = await client.POST('/api/v1/cases', {
      body: {
        given_name: given,
        family_name: 'Client',
        date_of_birth: '1940-02-03',
        sex: 'female',
        date_of_death: '2026-01-10',
        place_of_death: 'hospital',
        attending_practitioner: { name: 'Dr Attending', gmc_number: '7654321' },
        notified_at: '2026-01-10T12:00:00Z'
      }
    })
    assert.equal(error, undefined, `create: ${response.status} ${JSON.stringify(error)}`)
    assert.equal(response.status, 201)
    assert.ok(data)
    made.push(data)
  }
  const first = made[0]
  assert.ok(first)
  assert.equal(first.state, 'notified')

  // Read it: Case or, for a liaison officer, the narrower view.
  const got = await client.GET('/api/v1/cases/{id}', {
    params: { path: { id: first.id } }
  })
  assert.equal(got.error, undefined)
  assert.ok(got.data)
  assert.equal(got.data.given_name, 'Ada')
  assert.ok('notes' in got.data && Array.isArray(got.data.notes))
  const etag = got.response.headers.get('etag')
  assert.equal(etag, `"${got.data.version}"`)

  // A page of one, then the next page by its cursor.
  const page = await client.GET('/api/v1/cases', {
    params: { query: { limit: 1, sort: 'oldest' } }
  })
  assert.ok(page.data)
  assert.equal(page.data.items.length, 1)
  const cursor = page.data.next_cursor
  assert.ok(typeof cursor === 'string')
  const next = await client.GET('/api/v1/cases', {
    params: { query: { limit: 1, sort: 'oldest', cursor } }
  })
  assert.ok(next.data)
  assert.notEqual(next.data.items[0]?.id, page.data.items[0]?.id)

  // The transition, with If-Match from the ETag.
  const moved = await client.POST('/api/v1/cases/{id}/transitions', {
    params: { path: { id: first.id }, header: { 'If-Match': etag } },
    body: { to: 'in_scrutiny', independent: true }
  })
  assert.equal(moved.error, undefined)
  assert.ok(moved.data)
  assert.equal(moved.data.state, 'in_scrutiny')
  assert.equal(moved.data.examiner, 'oapi.me')

  // The same If-Match again is stale: the error is typed too.
  const stale = await client.POST('/api/v1/cases/{id}/transitions', {
    params: { path: { id: first.id }, header: { 'If-Match': etag } },
    body: { to: 'referred_to_coroner' }
  })
  assert.equal(stale.data, undefined)
  assert.equal(stale.response.status, 412)
  assert.equal(stale.error?.error.code, 'version_mismatch')
})
