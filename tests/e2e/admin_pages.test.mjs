// Browser tests of the admin's pages (issue 18) and one-time passwords
// (issue 20), with JavaScript on and off: add an office and set its
// target, add a user (a one-time password made by the page and shown
// once), change their role, reset their password, disable and re-enable
// them, set their single sign-on and an office's (issue 24); the user's
// first sign-in goes to the password change.  axe-core
// with zero violations and no sideways scrolling at 320 px on each new
// page; screenshots at desktop width and 390 px in tests/artifacts/.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { artifacts, axeOf, base, launchBrowser, medexctl, password, widthAt } from './lib.mjs'

let browser

before(async () => {
  mkdirSync(artifacts, { recursive: true })
  medexctl(['office', 'add', 'E2EADM', 'Admin test office'])
  medexctl(['user', 'add', 'e2e.adm.root', '--role', 'admin',
    '--office', 'E2EADM', '--name', 'Ada Admin'], password + '\n')
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
})

async function signIn (page, username, pw) {
  await page.goto(base + '/login')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill(pw)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForLoadState()
}

async function check (page, js, name, shot) {
  assert.deepEqual(await axeOf(browser, page, js), [], name + ': axe')
  const url = page.url()
  if (js && shot) {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.screenshot({ path: join(artifacts, shot + '.png'), fullPage: true })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: join(artifacts, shot + '-390.png'), fullPage: true })
  }
  const w = await widthAt(page, 320)
  assert.ok(w <= 320, name + ' scrolls sideways at 320 px: ' + w + ' (' + url + ')')
  await page.setViewportSize({ width: 1280, height: 900 })
}

async function submit (page, name) {
  await page.getByRole('button', { name }).click()
  await page.waitForLoadState()
}

for (const js of [true, false]) {
  test('admin pages, JavaScript ' + (js ? 'on' : 'off'), async () => {
    const x = js ? 'a' : 'b'
    const code = 'E2EADM-' + x.toUpperCase()
    const user = 'e2e.adm.new' + x
    const ctx = await browser.newContext({ javaScriptEnabled: js })
    const page = await ctx.newPage()
    await signIn(page, 'e2e.adm.root', password)

    // An office: errors in words first, then added with its target.
    await page.goto(base + '/admin/offices')
    await page.getByRole('button', { name: 'Add an office' }).click()
    await page.waitForLoadState()
    await submit(page, 'Add office')
    assert.ok((await page.content()).includes('Enter the office code'))
    await check(page, js, 'add office errors')
    await page.getByLabel('Office code').fill(code)
    await page.getByLabel('Office name').fill('Ysbyty Gŵyl ' + x)
    await page.getByLabel('Scrutiny target (days)').fill('5')
    await submit(page, 'Add office')
    assert.ok(page.url().includes('/admin/offices?done=' + code),
      page.url() + ' ' + (await page.content()).slice(0, 600))
    await check(page, js, 'offices', 'admin-offices')
    await page.getByRole('link', { name: code }).click()
    await page.waitForLoadState()
    await check(page, js, 'office form', 'admin-office')
    await page.getByLabel('Scrutiny target (days)').fill('9')
    await submit(page, 'Save office')
    const row = page.getByRole('row', { name: new RegExp(code) })
    assert.ok((await row.textContent()).includes('9'), 'target 9')

    // Single sign-on for the office's users (issue 24): required, aal2.
    await page.getByRole('link', { name: code }).click()
    await page.waitForLoadState()
    await page.getByLabel('Its users must sign in with single sign-on').check()
    await page.selectOption('#sso_min_acr', 'aal2')
    await check(page, js, 'office sso', 'admin-office-sso')
    await submit(page, 'Save office')
    assert.ok(page.url().includes('/admin/offices?done=' + code), page.url())
    await page.getByRole('link', { name: code }).click()
    await page.waitForLoadState()
    assert.ok(await page.getByLabel('Its users must sign in with single sign-on').isChecked())
    assert.equal(await page.locator('#sso_min_acr').inputValue(), 'aal2')

    // A user, with a one-time password made by the page.
    await page.goto(base + '/admin/users')
    await page.getByRole('button', { name: 'Add a user' }).click()
    await page.waitForLoadState()
    await submit(page, 'Add user')
    assert.ok((await page.content()).includes('Choose a role'))
    await check(page, js, 'add user errors', 'admin-add-user-errors')
    await page.getByLabel('Username').fill(user)
    await page.getByLabel('Full name').fill('Siân Ŵyn ' + x)
    await page.check('input[name=role][value=officer]')
    await page.selectOption('#office', 'E2EADM')
    await submit(page, 'Add user')
    const once = (await page.locator('#one-time-password').textContent()).trim()
    assert.match(once, /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/)
    await check(page, js, 'user added', 'admin-user-added')

    // The user's page; change the role.
    await page.goto(base + '/admin/users/' + user)
    await check(page, js, 'user page', 'admin-user')
    await page.getByRole('link', { name: 'Change role' }).click()
    await page.waitForLoadState()
    await check(page, js, 'role form')
    await page.check('input[name=role][value=medical_examiner]')
    await submit(page, 'Save role')
    assert.ok((await page.content()).includes('Role changed'))
    assert.ok((await page.content()).includes('Medical examiner'))

    // Reset the password: a new one-time password, shown once.
    await page.getByRole('link', { name: 'Reset password' }).click()
    await page.waitForLoadState()
    await check(page, js, 'reset form', 'admin-reset')
    await submit(page, 'Reset password')
    const reset = (await page.locator('#one-time-password').textContent()).trim()
    assert.notEqual(reset, once)

    // Disable, then re-enable.
    await page.goto(base + '/admin/users/' + user + '/status')
    await check(page, js, 'disable form', 'admin-disable')
    await submit(page, 'Disable user')
    assert.ok((await page.content()).includes('Disabled: cannot sign in'))
    await page.getByRole('link', { name: 'Re-enable user' }).click()
    await page.waitForLoadState()
    await submit(page, 'Re-enable user')
    assert.ok((await page.content()).includes('Active'))

    // Single sign-on: refused in words, then set and shown back.
    await page.getByRole('link', { name: 'Change single sign-on' }).click()
    await page.waitForLoadState()
    await page.getByLabel('Email (optional)').fill('not-an-email')
    await submit(page, 'Save single sign-on')
    assert.ok((await page.content()).includes('Enter an email address in the correct format'))
    await check(page, js, 'sso form errors', 'admin-user-sso-errors')
    await page.getByLabel('Subject at the identity provider').fill('e2e-subject-' + x)
    await page.getByLabel('Email (optional)').fill('e2e.' + x + '@example.nhs.uk')
    await page.getByLabel('Link by this email at their first single sign-on').check()
    await submit(page, 'Save single sign-on')
    const sso = await page.content()
    assert.ok(sso.includes('Single sign-on settings changed'), page.url())
    assert.ok(sso.includes('e2e-subject-' + x))
    assert.ok(sso.includes('e2e.' + x + '@example.nhs.uk (links at the first single sign-on)'))
    await check(page, js, 'user sso', 'admin-user-sso')

    // The user's first sign-in: the password change, and why.
    const ctx2 = await browser.newContext({ javaScriptEnabled: js })
    const p2 = await ctx2.newPage()
    await signIn(p2, user, reset)
    assert.ok(p2.url().endsWith('/account/password'), p2.url())
    assert.ok((await p2.content()).includes('works only once'))
    await check(p2, js, 'forced change', 'admin-forced-change')
    await p2.goto(base + '/cases')
    assert.ok(p2.url().endsWith('/account/password'), 'cases: ' + p2.url())
    await p2.getByLabel('Current password').fill(reset)
    await p2.getByLabel('New password').fill('a brand new passphrase ' + x)
    await submit(p2, 'Change password')
    await p2.goto(base + '/cases')
    assert.ok(p2.url().includes('/cases'), 'after: ' + p2.url())
    await ctx2.close()
    await ctx.close()
  })
}
