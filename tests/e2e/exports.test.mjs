// Browser tests of the exports page (issue 7), in Debian's headless
// chromium with playwright-core, against the server that
// scripts/test-http.sh started: the published figures of a month, the
// three server-drawn SVG charts with their tables, `*` for withheld
// figures, the GET form for month (and office for a national analyst)
// and the CSV and JSON downloads, with JavaScript on and off; axe-core
// finds zero violations (WCAG 2.2 AA).  Screenshot: tests/artifacts/
// exports.png (README's assets/docs/export.png is a copy of one).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { artifacts, axe, axeOf, base, launchBrowser, medexctl, out, password, root } from './lib.mjs'


async function api (method, path, token, body) {
  const resp = await fetch(base + path, {
    method,
    headers: Object.assign({ 'content-type': 'application/json' },
      token ? { authorization: 'Bearer ' + token } : {}),
    body: body ? JSON.stringify(body) : undefined
  })
  return { status: resp.status, json: await resp.json().catch(() => null) }
}

async function token (username) {
  const r = await api('POST', '/api/v1/auth/login', null, { username, password })
  assert.equal(r.status, 200, 'login ' + username)
  return r.json.token
}

// Office E2EXP: a year of deaths, with one month small enough to be
// withheld (3 -> *) and one that rounds (12 -> 10).
const perMonth = {
  '2019-05': 20, '2019-06': 15, '2019-07': 9, '2019-08': 12, '2019-09': 3,
  '2019-10': 25, '2019-11': 30, '2019-12': 41, '2020-01': 38,
  '2020-02': 22, '2020-03': 17, '2020-04': 12
}

let browser

before(async () => {
  mkdirSync(artifacts, { recursive: true })
  medexctl(['office', 'add', 'E2EXP', 'End-to-end exports office'])
  medexctl(['office', 'add', 'E2EXQ', 'Second exports office'])
  const users = [['e2e.xp.officer', 'officer'], ['e2e.xp.analyst', 'analyst'],
    ['e2e.xp.national', 'national_analyst'], ['e2e.xp.lead', 'lead_medical_examiner']]
  for (const [u, role] of users) {
    medexctl(['user', 'add', u, '--role', role, '--office', 'E2EXP',
      '--name', 'Exports ' + role.replaceAll('_', ' ')], password + '\n')
  }
  const off = await token('e2e.xp.officer')
  // Once per server: the figures are counted from the cases.
  const probe = await api('GET', '/api/v1/cases?limit=1', off)
  if (probe.status === 200 && (probe.json.items || []).length > 0) return
  for (const [month, n] of Object.entries(perMonth)) {
    for (let i = 0; i < n; i++) {
      const r = await api('POST', '/api/v1/cases', off, {
        given_name: 'Ex', family_name: 'Port', date_of_birth: '1930-01-01',
        sex: 'female', date_of_death: month + '-01',
        place_of_death: 'hospital',
        attending_practitioner: { name: 'Dr E', gmc_number: '1111111' },
        notified_at: month + '-14T10:00:00Z'
      })
      assert.equal(r.status, 201, 'case ' + JSON.stringify(r.json))
    }
  }
})

before(async () => {
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

for (const js of [true, false]) {
  const mode = js ? 'with JavaScript' : 'without JavaScript'

  test(`an analyst picks a month and sees its figures, charts and tables (${mode})`, async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: js, acceptDownloads: true })
    const page = await ctx.newPage()
    const csp = []
    page.on('console', m => { if (/Content Security Policy/i.test(m.text())) csp.push(m.text()) })
    await signIn(page, 'e2e.xp.analyst')
    // The menu leads to the page.
    await page.getByRole('link', { name: 'Published figures' }).click()
    await page.waitForLoadState()
    assert.equal(new URL(page.url()).pathname, '/exports')
    // The plain GET form: a month, then the button.
    await page.getByLabel('Month', { exact: true }).fill('2020-04')
    await page.getByRole('button', { name: 'Show figures' }).click()
    await page.waitForLoadState()
    assert.equal(new URL(page.url()).search, '?month=2020-04')
    const table = page.getByRole('table', { name: 'Published figures for E2EXP, April 2020' })
    await table.waitFor()
    const notified = table.getByRole('row', { name: /^Deaths notified/ })
    assert.equal(await notified.getByRole('cell').innerText(), '10')
    // Three charts, each an image named by its title, each with its table.
    const charts = page.locator('svg.medex-chart[role="img"]')
    assert.equal(await charts.count(), 3)
    await page.getByRole('img', { name: 'Deaths notified, May 2019 to April 2020' }).waitFor()
    await page.getByRole('img', { name: 'Completed within target, May 2019 to April 2020' }).waitFor()
    await page.getByRole('img', { name: 'Referred to the coroner, May 2019 to April 2020' }).waitFor()
    const series = page.getByRole('table', { name: 'Deaths notified, May 2019 to April 2020' })
    assert.equal(await series.getByRole('row').count(), 13)
    // 3 in September is withheld, in the table and in the chart.
    assert.match(await series.getByRole('row', { name: /^September 2019/ }).innerText(), /^September 2019\s+\*/)
    const stars = await page.locator('svg.medex-chart').first().locator('text').allTextContents()
    assert.ok(stars.includes('*'), 'a * in the chart')
    assert.ok(!stars.includes('3'), 'the raw 3 is not drawn')
    // 41 in December is published as 40, and its bar is the tallest.
    assert.match(await series.getByRole('row', { name: /^December 2019/ }).innerText(), /40$/)
    const heights = await page.locator('svg.medex-chart').first().locator('rect')
      .evaluateAll(rs => rs.map(r => Number(r.getAttribute('height'))))
    assert.equal(heights.length, 11)
    assert.equal(Math.max(...heights), heights[6])
    assert.match(await page.locator('#withheld').innerText(), /withheld/)
    // No inline style anywhere: the CSP refused nothing.
    assert.equal(await page.locator('[style]').count(), 0)
    assert.deepEqual(csp, [])
    assert.deepEqual(await axeOf(browser, page, js), [], 'axe on /exports ' + mode)
    if (js) {
      await page.screenshot({ path: join(artifacts, 'exports.png'), fullPage: true })
    }
    // The downloads are the published files.
    for (const [name, type, want] of [['CSV', 'text/csv', '2020-04,E2EXP,10,'],
      ['JSON', 'application/json', '"deaths_notified":10']]) {
      const link = page.getByRole('link', { name: 'Download the figures for E2EXP, April 2020 as ' + name })
      const href = await link.getAttribute('href')
      const resp = await page.request.get(base + href)
      assert.equal(resp.status(), 200)
      assert.ok(resp.headers()['content-type'].startsWith(type))
      assert.match(resp.headers()['content-disposition'], /medex-2020-04-E2EXP/)
      assert.ok((await resp.text()).includes(want), name)
      const [dl] = await Promise.all([page.waitForEvent('download'), link.click()])
      assert.match(dl.suggestedFilename(), /^medex-2020-04-E2EXP\.(csv|json)$/)
    }
    await ctx.close()
  })

  test(`a bad month is shown on the form and the summary leads to it (${mode})`, async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: js })
    const page = await ctx.newPage()
    await signIn(page, 'e2e.xp.lead')
    await page.goto(base + '/exports')
    await page.getByLabel('Month', { exact: true }).fill('April 2020')
    await page.getByRole('button', { name: 'Show figures' }).click()
    await page.waitForLoadState()
    assert.match(await page.title(), /^Error: Published figures/)
    assert.match(await page.locator('.nhsuk-error-summary').innerText(), /Enter a month/)
    assert.equal(await page.getByLabel('Month', { exact: true }).inputValue(), 'April 2020')
    assert.equal(await page.locator('svg.medex-chart').count(), 0)
    assert.deepEqual(await axeOf(browser, page, js), [], 'axe on the error ' + mode)
    await ctx.close()
  })

  test(`a national analyst picks an office or all offices (${mode})`, async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: js })
    const page = await ctx.newPage()
    await signIn(page, 'e2e.xp.national')
    await page.goto(base + '/exports?month=2020-04')
    await page.getByRole('table', { name: 'Published figures for all offices, April 2020' }).waitFor()
    await page.getByLabel('Office', { exact: true }).selectOption('E2EXP')
    await page.getByRole('button', { name: 'Show figures' }).click()
    await page.waitForLoadState()
    assert.equal(new URL(page.url()).search, '?month=2020-04&office=E2EXP')
    const table = page.getByRole('table', { name: 'Published figures for E2EXP, April 2020' })
    assert.equal(await table.getByRole('row', { name: /^Deaths notified/ }).getByRole('cell').innerText(), '10')
    assert.equal(await page.getByLabel('Office', { exact: true }).inputValue(), 'E2EXP')
    assert.deepEqual(await axeOf(browser, page, js), [], 'axe, national ' + mode)
    await ctx.close()
  })
}

test('a role without the right gets a 403 page', async () => {
  const ctx = await browser.newContext()
  const page = await ctx.newPage()
  await signIn(page, 'e2e.xp.officer')
  const resp = await page.goto(base + '/exports')
  assert.equal(resp.status(), 403)
  assert.equal(await page.locator('svg.medex-chart').count(), 0)
  assert.equal(await page.getByRole('link', { name: 'Published figures' }).count(), 0)
  await ctx.close()
})
