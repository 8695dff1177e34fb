// Browser test of clinical-safety warnings (issue 19): a case whose
// dates give an age over 120, saved with final actions that leave
// implants in for a cremation through the form; the case page that the
// save leads to shows both warnings in a warning callout, each with an
// "Acknowledge" button; acknowledging one takes it off the callout and
// puts "Warning acknowledged: ... by <name>" in the timeline.  With
// JavaScript on and off, axe-core finding nothing on the page.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { axeOf, base, launchBrowser, medexctl, password } from './lib.mjs'

const users = {
  officer: ['e2ew.officer', 'officer', 'Wyn Officer'],
  liaison: ['e2ew.liaison', 'liaison_officer', 'Lowri Liaison']
}

let browser

before(async () => {
  medexctl(['office', 'add', 'E2EW', 'Warnings ME office'])
  for (const [name, role, display] of Object.values(users)) {
    medexctl(['user', 'add', name, '--role', role, '--office', 'E2EW', '--name', display], password + '\n')
  }
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
})

async function api (token, method, path, body) {
  const headers = { Authorization: 'Bearer ' + token }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const j = await r.json()
  assert.ok(r.status < 300, method + ' ' + path + ': ' + r.status + ' ' + JSON.stringify(j))
  return j
}

async function newCase () {
  const t = await api('', 'POST', '/api/v1/auth/login', { username: users.officer[0], password })
  const k = await api(t.token, 'POST', '/api/v1/cases', {
    given_name: 'Gwladys',
    family_name: 'Hen ' + Math.floor(Math.random() * 1e9),
    date_of_birth: '1899-05-01',
    sex: 'female',
    date_of_death: '2026-11-01',
    place_of_death: 'care_home',
    attending_practitioner: { name: 'Dr A Jones', gmc_number: '1234567' }
  })
  assert.equal(k.warnings[0].code, 'age_over_120')
  return k.id
}

async function session (who, js) {
  const ctx = await browser.newContext({ javaScriptEnabled: js })
  const page = await ctx.newPage()
  await page.goto(base + '/login')
  await page.getByLabel('Username').fill(users[who][0])
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForLoadState()
  return { ctx, page }
}

for (const js of [true, false]) {
  test('warnings: callout after a save, acknowledged, in the timeline (JavaScript ' + (js ? 'on' : 'off') + ')', async () => {
    const id = await newCase()
    const { ctx, page } = await session('officer', js)

    await page.goto(base + '/cases/' + id + '/final-actions')
    await page.getByLabel('Cremation').check()
    await page.getByLabel('Present not removed').check()
    await page.getByLabel('Notified', { exact: true }).check()
    await page.getByRole('button', { name: 'Save the final actions' }).click()
    await page.waitForLoadState()
    assert.equal(new URL(page.url()).pathname, '/cases/' + id)

    const callout = page.locator('#warnings')
    assert.ok(await callout.isVisible(), 'the warning callout is shown')
    assert.match(await callout.innerText(), /age at death of 127 years/)
    assert.match(await callout.innerText(), /cremated/)
    assert.equal(await callout.getByRole('button', { name: /^Acknowledge/ }).count(), 2)
    assert.deepEqual(await axeOf(browser, page, js), [], 'axe on the case page with warnings')

    await callout.locator('li[data-code="age_over_120"]').getByRole('button', { name: /^Acknowledge/ }).click()
    await page.waitForLoadState()
    assert.equal(new URL(page.url()).pathname, '/cases/' + id)
    assert.match(await page.locator('body').innerText(), /Warning acknowledged/)
    assert.equal(await page.locator('#warnings li[data-code="age_over_120"]').count(), 0)
    assert.equal(await page.locator('#warnings li[data-code="implants_before_cremation"]').count(), 1)
    const timeline = await page.locator('#timeline').innerText()
    assert.match(timeline, /Warning acknowledged: The dates give an age at death of 127 years: check the date of birth\. by Wyn Officer/)

    await page.locator('#warnings').getByRole('button', { name: /^Acknowledge/ }).click()
    await page.waitForLoadState()
    assert.equal(await page.locator('#warnings').count(), 0, 'no callout once all are acknowledged')
    await ctx.close()

    // A liaison officer sees the warnings but may not acknowledge them.
    if (js) {
      const id2 = await newCase()
      const s = await session('liaison', js)
      await s.page.goto(base + '/cases/' + id2)
      assert.match(await s.page.locator('#warnings').innerText(), /127 years/)
      assert.equal(await s.page.locator('#warnings button').count(), 0)
      await s.ctx.close()
    }
  })
}
