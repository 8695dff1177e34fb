// Browser test of single sign-on (issue 24) through the real provider
// scripts/test-http.sh started (glewlwyd, scripts/idp.sh): the sign-in
// page offers it, the user signs in on glewlwyd's own pages and lands in
// medex with their role and office, and signing out ends the session
// and takes the browser on to the provider's end-session page.  With JavaScript off,
// medex's part needs none (a link, redirects, and a landing page that
// refreshes itself); glewlwyd's login page is a script application, so
// there the provider's sign-in is made through its API (as its page
// does) in the same browser context, cookies shared.  axe-core with zero
// violations and no sideways scrolling at 390 px on medex's pages.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { artifacts, axeOf, base, launchBrowser, medexctl, password, widthAt } from './lib.mjs'

const idp = process.env.IDP_ISSUER
let browser

// The owner's connection (medexctl.ini): the link an admin makes with
// PATCH /api/v1/users/{username} {"sso_subject"}, made here directly
// (another test may have linked the subject to its own user).
function linkSubject (username, sub) {
  const ini = readFileSync(join(process.env.MEDEX_DATA, 'medexctl.ini'), 'utf8')
  const conn = ini.match(/^db_owner = (.*)$/m)[1]
  execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-v', 'sub=' + sub,
    '-v', 'u=' + username, '-d', conn], {
    input: "UPDATE users SET sso_subject = NULL WHERE sso_subject = :'sub';\n" +
      "UPDATE users SET sso_subject = :'sub' WHERE username = :'u';\n",
    stdio: ['pipe', 'ignore', 'inherit']
  })
}

before(async () => {
  mkdirSync(artifacts, { recursive: true })
  medexctl(['office', 'add', 'E2ESSO', 'Single sign-on test office'])
  medexctl(['user', 'add', 'e2e.sso', '--role', 'medical_examiner',
    '--office', 'E2ESSO', '--name', 'Dr Single Sign-On'], password + '\n')
  linkSubject('e2e.sso', process.env.IDP_USER_SUB)
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
})

async function check (page, js, name, shot) {
  assert.deepEqual(await axeOf(browser, page, js), [], name + ': axe')
  if (js && shot) {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.screenshot({ path: join(artifacts, shot + '.png'), fullPage: true })
  }
  const w = await widthAt(page, 390)
  assert.ok(w <= 390, name + ' scrolls sideways at 390 px: ' + w + ' (' + page.url() + ')')
  if (js && shot) await page.screenshot({ path: join(artifacts, shot + '-390.png'), fullPage: true })
  await page.setViewportSize({ width: 1280, height: 900 })
}

async function signedInAsExaminer (page) {
  await page.waitForURL(base + '/cases', { timeout: 15000 })
  const html = await page.content()
  assert.ok(html.includes('Dr Single Sign-On'), 'the header names the user')
  const me = await page.context().request.get(base + '/api/v1/me')
  assert.equal(me.status(), 200)
  const j = await me.json()
  assert.equal(j.username, 'e2e.sso')
  assert.equal(j.role, 'medical_examiner')
  assert.equal(j.office, 'E2ESSO')
}

// medex's sign-out page takes the browser on to the provider's
// end-session page (a Refresh header, so with JavaScript off too); the
// page's own words and link are test_sso's.
async function signOut (page) {
  await Promise.all([
    page.waitForURL(u => u.href.startsWith(idp.replace('/api/oidc', '')) &&
      !u.href.startsWith(base), { timeout: 15000 }),
    page.getByRole('button', { name: 'Sign out' }).click()
  ])
  await page.waitForLoadState()
  const at = page.url()
  // medex's session has ended.
  await page.goto(base + '/cases')
  assert.ok(page.url().startsWith(base + '/login'), page.url())
  return at
}

test('single sign-on, JavaScript on', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: true })
  const page = await ctx.newPage()
  await page.goto(base + '/login?next=%2Fcases')
  await check(page, true, 'sign-in page', 'sso-sign-in')
  await page.getByRole('link', { name: 'Sign in with the test provider' }).click()
  // glewlwyd's own sign-in pages.
  await page.waitForURL(u => u.href.startsWith(idp.replace('/api/oidc', '/login.html')), { timeout: 15000 })
  await page.locator('#username').fill(process.env.IDP_USER)
  await page.locator('#password').fill(process.env.IDP_PASSWORD)
  await page.locator('#loginbut').click()
  await page.locator('button.btn-success').click()
  await signedInAsExaminer(page)
  await check(page, true, 'cases after single sign-on', 'sso-landed')
  // Signed out of medex, then at the provider's end-session page.
  const at = await signOut(page)
  assert.ok(at.startsWith(idp.replace('/api/oidc', '')), at)
  await ctx.close()
})

test('single sign-on, JavaScript off', async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false })
  const page = await ctx.newPage()
  await page.goto(base + '/login')
  await check(page, false, 'sign-in page')
  // The link alone takes the browser to the provider.
  await page.getByRole('link', { name: 'Sign in with the test provider' }).click()
  await page.waitForLoadState()
  assert.ok(page.url().startsWith(idp.replace('/api/oidc', '/login.html')), page.url())
  // glewlwyd's page needs a script: sign in through its API instead,
  // in this context, then the start again as a link would.
  const login = await ctx.request.post(idp.replace('/oidc', '/auth/'), {
    data: { username: process.env.IDP_USER, password: process.env.IDP_PASSWORD }
  })
  assert.equal(login.status(), 200)
  const start = await ctx.request.get(base + '/auth/sso/start?next=%2Fcases', { maxRedirects: 0 })
  assert.equal(start.status(), 303)
  const to = start.headers().location
  assert.ok(to.startsWith(idp), to)
  // The provider sends the browser back; medex's landing page refreshes
  // to the page asked for without any script.
  await page.goto(to + '&g_continue=')
  await signedInAsExaminer(page)
  await check(page, false, 'cases after single sign-on')
  await signOut(page)
  await ctx.close()
})
