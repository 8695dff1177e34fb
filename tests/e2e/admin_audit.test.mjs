// Browser tests of the account and audit pages (issue 18): /audit (lead
// ME) and /account/password, with JavaScript on and off, axe-core with
// zero violations, no sideways scrolling at 320 px, screenshots at
// desktop width and 390 px in tests/artifacts/; and the sign-in page
// sending a signed-out user back to the page they asked for.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { artifacts, axeOf, base, launchBrowser, medexctl, password, widthAt } from './lib.mjs'

let browser

before(async () => {
  mkdirSync(artifacts, { recursive: true })
  medexctl(['office', 'add', 'E2EAUD', 'Audit test office'])
  medexctl(['user', 'add', 'e2e.aud.lead', '--role', 'lead_medical_examiner',
    '--office', 'E2EAUD', '--name', 'Dr Lowri Lead'], password + '\n')
  medexctl(['user', 'add', 'e2e.aud.off', '--role', 'officer',
    '--office', 'E2EAUD', '--name', 'Owain Officer'], password + '\n')
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
})

async function signIn (page, username) {
  await page.goto(base + '/login')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForLoadState()
}

async function narrow (page, path) {
  const w = await widthAt(page, 320)
  await page.goto(base + path)
  assert.ok(w <= 320, path + ' scrolls sideways at 320 px: ' + w)
}

for (const js of [true, false]) {
  test('audit and password pages, JavaScript ' + (js ? 'on' : 'off'), async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: js })
    const page = await ctx.newPage()
    // An officer searches for a name: the lead ME finds it.
    await signIn(page, 'e2e.aud.off')
    await page.goto(base + '/cases?q=Gwenllian')
    await ctx.clearCookies()
    await signIn(page, 'e2e.aud.lead')
    await page.goto(base + '/audit?kind=search&q=gwenllian')
    assert.ok((await page.content()).includes('Searched for "Gwenllian"'))
    assert.deepEqual(await axeOf(browser, page, js), [], 'audit: axe')
    if (js) {
      await page.setViewportSize({ width: 1280, height: 900 })
      await page.screenshot({ path: join(artifacts, 'audit.png'), fullPage: true })
      await page.setViewportSize({ width: 390, height: 844 })
      await page.screenshot({ path: join(artifacts, 'audit-390.png'), fullPage: true })
    }
    await narrow(page, '/audit')
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.goto(base + '/account/password')
    await page.getByRole('button', { name: 'Change password' }).click()
    await page.waitForLoadState()
    assert.ok((await page.content()).includes('Enter your current password'))
    assert.deepEqual(await axeOf(browser, page, js), [], 'password errors: axe')
    await page.goto(base + '/account/password')
    assert.deepEqual(await axeOf(browser, page, js), [], 'password: axe')
    if (js) {
      await page.screenshot({ path: join(artifacts, 'account-password.png'), fullPage: true })
      await page.setViewportSize({ width: 390, height: 844 })
      await page.screenshot({ path: join(artifacts, 'account-password-390.png'), fullPage: true })
    }
    await narrow(page, '/account/password')
    await ctx.close()
  })
}

test('sign-in returns to the page asked for', async () => {
  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  await page.goto(base + '/audit?kind=search')
  assert.ok(page.url().includes('/login?next='))
  await page.getByLabel('Username').fill('e2e.aud.lead')
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForLoadState()
  assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/audit?kind=search')
  await ctx.close()
})
