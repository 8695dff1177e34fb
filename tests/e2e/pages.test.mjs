// Browser tests of the medex pages (issue 6), in Debian's headless
// chromium driven by playwright-core, against the server that
// scripts/test-http.sh started (MEDEX_TEST_URL).  Every page visited is
// checked with axe-core (zero violations, WCAG 2.2 AA rules), with
// JavaScript on and off; screenshots go to tests/artifacts/.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { artifacts, axe, axeOf, base, launchBrowser, medexctl, out, password, root } from './lib.mjs'

const XSS1 = '<script>alert(1)</script>'
const XSS2 = '"><img src=x onerror=alert(1)>'

// One user per role, in office E2E, made with medexctl as an admin would.
const roles = ['officer', 'medical_examiner', 'lead_medical_examiner',
  'liaison_officer', 'analyst', 'national_analyst', 'admin']
const landing = {
  officer: '/cases',
  medical_examiner: '/cases',
  lead_medical_examiner: '/cases',
  liaison_officer: '/cases',
  analyst: '/',
  national_analyst: '/',
  admin: '/admin/users'
}

function userName (role) {
  return 'e2e.' + role.replaceAll('_', '-')
}

let browser

before(async () => {
  mkdirSync(artifacts, { recursive: true })
  medexctl(['office', 'add', 'E2E', 'End-to-end test office'])
  medexctl(['office', 'add', 'E2EXSS', XSS2])
  for (const r of roles) {
    medexctl(['user', 'add', userName(r), '--role', r, '--office', 'E2E',
      '--name', 'E2E ' + r.replaceAll('_', ' ')], password + '\n')
  }
  medexctl(['user', 'add', 'e2e.xss', '--role', 'officer', '--office',
    'E2E', '--name', XSS1], password + '\n')
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
})

// Every page answer must carry the strict headers.
function watchHeaders (page, seen) {
  page.on('response', resp => {
    const ct = resp.headers()['content-type'] || ''
    if (!ct.startsWith('text/html')) return
    const csp = resp.headers()['content-security-policy'] || ''
    seen.push(resp.url())
    assert.ok(csp.includes("frame-ancestors 'none'"), 'CSP of ' + resp.url())
    assert.ok(!csp.includes('unsafe-inline'), 'unsafe-inline in ' + resp.url())
    assert.equal(resp.headers()['x-content-type-options'], 'nosniff')
  })
}

async function signIn (page, username) {
  await page.goto(base + '/login')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForLoadState()
}

async function checkPage (page, js, label) {
  const v = await axeOf(browser, page, js)
  assert.deepEqual(v, [], label + ': axe violations')
}

for (const js of [true, false]) {
  const mode = js ? 'with JavaScript' : 'without JavaScript'

  test(`each role signs in, sees only its pages, passes axe and signs out (${mode})`, async () => {
    for (const role of roles) {
      const ctx = await browser.newContext({ javaScriptEnabled: js })
      const page = await ctx.newPage()
      const seen = []
      watchHeaders(page, seen)
      await signIn(page, userName(role))
      assert.equal(new URL(page.url()).pathname, landing[role], role + ' lands')
      await checkPage(page, js, role + ' ' + landing[role])
      // The header names the user and offers sign-out.
      await assert.doesNotReject(page.getByRole('button', { name: 'Sign out' }).waitFor())
      // Every menu link opens a page the role may see, which passes axe.
      const links = await page.locator('.nhsuk-header__navigation-link[href]').evaluateAll(
        as => as.map(a => a.getAttribute('href')))
      for (const href of links) {
        const resp = await page.goto(base + href)
        assert.equal(resp.status(), 200, role + ' ' + href)
        await checkPage(page, js, role + ' ' + href)
      }
      if (role === 'officer' && js) {
        await page.goto(base + '/cases')
        await page.screenshot({ path: join(artifacts, 'cases.png'), fullPage: true })
      }
      if (role === 'admin' && js) {
        await page.goto(base + '/admin/users')
        await page.screenshot({ path: join(artifacts, 'admin-users.png'), fullPage: true })
      }
      await page.getByRole('button', { name: 'Sign out' }).click()
      await page.waitForLoadState()
      assert.equal(new URL(page.url()).pathname, '/login', role + ' signed out')
      // The session is over: pages send the user back to sign in.
      await page.goto(base + landing[role])
      assert.equal(new URL(page.url()).pathname, '/login')
      assert.ok(seen.length >= 3)
      await ctx.close()
    }
  })

  test(`a failed sign-in shows the error summary, which takes focus (${mode})`, async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: js })
    const page = await ctx.newPage()
    await page.goto(base + '/login')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForLoadState()
    assert.match(await page.title(), /^Error: Sign in/)
    const summary = page.locator('.nhsuk-error-summary')
    await summary.waitFor()
    assert.match(await summary.innerText(), /Enter your username/)
    assert.match(await page.locator('#password-error').innerText(), /Enter your password/)
    if (js) {
      const focused = await page.evaluate(() =>
        document.activeElement && document.activeElement.classList.contains('nhsuk-error-summary'))
      assert.ok(focused, 'focus is on the error summary')
      // The summary's link takes the user to the field.
      await page.getByRole('link', { name: 'Enter your username' }).click()
      assert.equal(await page.evaluate(() => document.activeElement.id), 'username')
      await page.screenshot({ path: join(artifacts, 'login-errors.png'), fullPage: true })
    }
    await checkPage(page, js, 'login errors')
    // A wrong password keeps the username and says what went wrong.
    await page.getByLabel('Username').fill(userName('officer'))
    await page.getByLabel('Password').fill('not the password at all')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForLoadState()
    assert.match(await page.locator('.nhsuk-error-summary').innerText(),
      /The username or password is not right/)
    assert.equal(await page.getByLabel('Username').inputValue(), userName('officer'))
    await checkPage(page, js, 'login wrong password')
    await ctx.close()
  })

  test(`markup in names is shown as text and never runs (${mode})`, async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: js })
    const page = await ctx.newPage()
    let dialogs = 0
    page.on('dialog', d => { dialogs++; d.dismiss() })
    await signIn(page, 'e2e.xss')
    assert.equal(new URL(page.url()).pathname, '/cases')
    assert.ok((await page.locator('.nhsuk-header__account').innerText()).includes(XSS1))
    assert.equal(await page.locator('.nhsuk-header__account script').count(), 0)
    await checkPage(page, js, 'xss user')
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForLoadState()
    await signIn(page, userName('admin'))
    await page.goto(base + '/admin/offices')
    const body = await page.locator('main').innerText()
    assert.ok(body.includes(XSS2), 'office name shown as text')
    assert.equal(await page.locator('main img').count(), 0)
    await page.goto(base + '/admin/users')
    assert.ok((await page.locator('main').innerText()).includes(XSS1))
    assert.equal(dialogs, 0, 'no script ran')
    await ctx.close()
  })
}

test('a role without the right gets a 403 page, not the content', async () => {
  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  await signIn(page, userName('liaison_officer'))
  let resp = await page.goto(base + '/admin/offices')
  assert.equal(resp.status(), 403)
  assert.match(await page.locator('h1').innerText(), /You cannot do this/)
  await checkPage(page, true, '403 page')
  resp = await page.goto(base + '/admin/users')
  assert.equal(resp.status(), 403)
  // The menu offers only what the role may open.
  const links = await page.locator('.nhsuk-header__navigation-link[href]').allInnerTexts()
  assert.deepEqual(links, ['Cases'])
  await ctx.close()
})

// /api/docs, the OpenAPI document for people: public, strict headers,
// every operation listed, and no axe violation.
test('the API page lists the operations and passes axe', async () => {
  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  const seen = []
  watchHeaders(page, seen)
  const resp = await page.goto(base + '/api/docs')
  assert.equal(resp.status(), 200)
  assert.match(await page.locator('h1').innerText(), /The medex API/)
  assert.ok(await page.locator('#getCase').count() === 1)
  assert.ok(await page.locator('#schema-Case').count() === 1)
  await checkPage(page, true, '/api/docs')
  await ctx.close()
})
