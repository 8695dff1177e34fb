// Browser test of the coroner referral document (issue 23): a case
// referred through the API; the case page links to the printable
// document, which shows the categories in words and the reason, passes
// axe and fits 320 px; the officer records the sending and then the
// coroner's acknowledgement with the case page's forms, and both show
// in the referral section and the timeline.  JavaScript on and off.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { axeOf, base, launchBrowser, medexctl, password, widthAt } from './lib.mjs'

const officer = ['e2ecr.officer', 'officer', 'Rhian Officer']

let browser

before(async () => {
  medexctl(['office', 'add', 'E2ECR', 'Referral ME office'])
  medexctl(['user', 'add', officer[0], '--role', officer[1], '--office', 'E2ECR', '--name', officer[2]], password + '\n')
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
})

async function api (token, method, path, body, version) {
  const headers = { Authorization: 'Bearer ' + token }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (version !== undefined) headers['If-Match'] = '"' + version + '"'
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const j = await r.json()
  assert.ok(r.status < 300, method + ' ' + path + ': ' + r.status + ' ' + JSON.stringify(j))
  return j
}

async function referredCase () {
  const t = await api('', 'POST', '/api/v1/auth/login', { username: officer[0], password })
  const k = await api(t.token, 'POST', '/api/v1/cases', {
    given_name: 'Morfydd',
    family_name: 'Referral ' + Math.floor(Math.random() * 1e9),
    date_of_birth: '1950-05-01',
    sex: 'female',
    date_of_death: '2026-11-01',
    place_of_death: 'home',
    attending_practitioner: { name: 'Dr A Jones', gmc_number: '1234567' }
  })
  await api(t.token, 'PUT', '/api/v1/cases/' + k.id + '/coroner-referral',
    { categories: ['self_harm'], reason: 'Found with an empty bottle of tablets.' }, k.version)
  return k.id
}

for (const js of [true, false]) {
  test('referral: document, sent and acknowledged through the forms (JavaScript ' + (js ? 'on' : 'off') + ')', async () => {
    const id = await referredCase()
    const ctx = await browser.newContext({ javaScriptEnabled: js })
    const page = await ctx.newPage()
    await page.goto(base + '/login')
    await page.getByLabel('Username').fill(officer[0])
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForLoadState()

    // The document, from the case page's link.
    await page.goto(base + '/cases/' + id)
    await page.locator('#referral-document-link').click()
    await page.waitForLoadState()
    assert.equal(new URL(page.url()).pathname, '/cases/' + id + '/referral-document')
    const doc = await page.locator('main').innerText()
    assert.match(doc, /The death may have been due to self-harm\./)
    assert.match(doc, /Found with an empty bottle of tablets\./)
    assert.match(doc, /Not yet sent/)
    assert.deepEqual(await axeOf(browser, page, js), [], 'axe on the referral document')
    assert.ok(await widthAt(page, 320) <= 320, 'no horizontal overflow at 320 px')
    await page.setViewportSize({ width: 1024, height: 800 })
    assert.equal(await page.locator('#referral-pdf-link').getAttribute('href'),
      '/cases/' + id + '/referral-document/pdf')

    // Sent, with the form (its time defaults to now).
    await page.goto(base + '/cases/' + id + '/referral-sent')
    assert.deepEqual(await axeOf(browser, page, js), [], 'axe on the sent form')
    await page.getByLabel('Secure email').check()
    await page.getByRole('button', { name: 'Save how it was sent' }).click()
    await page.waitForLoadState()
    assert.equal(new URL(page.url()).pathname, '/cases/' + id)

    // Acknowledged, with the form.
    await page.goto(base + '/cases/' + id + '/referral-ack')
    await page.getByLabel("Coroner's reference (optional)").fill('CR-77')
    await page.getByRole('button', { name: 'Save the acknowledgement' }).click()
    await page.waitForLoadState()
    assert.equal(new URL(page.url()).pathname, '/cases/' + id)

    const coroner = await page.locator('main').innerText()
    assert.match(coroner, /Sent to the coroner\s+\d+ \w+ 20\d\d \d\d:\d\d (GMT|BST) by Secure email \(Rhian Officer\)/)
    assert.match(coroner, /Acknowledged by the coroner\s+\d+ \w+ 20\d\d/)
    assert.match(coroner, /CR-77/)
    const timeline = await page.locator('#timeline').innerText()
    assert.match(timeline, /Referral sent to the coroner \(Secure email\) by Rhian Officer/)
    assert.match(timeline, /Referral acknowledged by the coroner \(reference CR-77\) by Rhian Officer/)
    assert.deepEqual(await axeOf(browser, page, js), [], 'axe on the case page with the referral sent and acknowledged')
    await ctx.close()
  })
}
