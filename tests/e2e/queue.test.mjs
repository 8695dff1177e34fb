// Browser tests of the work lists (issue 18): each list with its count
// and the selected list in the heading and title, paging forward and
// back, the handover list, axe with JavaScript on and off, no
// horizontal overflow at 320 px; screenshots at desktop and 390 px.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { artifacts, axeOf, base, launchBrowser, medexctl, password } from './lib.mjs'

const user = ['e2eq.officer', 'officer', 'E2EQ']
const lists = ['Open cases', 'My cases', 'Most urgent', 'Due today', 'Overdue',
  'Waiting for an examiner', 'Bereaved contact needed',
  'Waiting for the practitioner', 'Waiting for the MCCD', 'Final actions']
let browser

function nhsNumber (i) {
  for (let n = i; ; n += 1000) {
    const d = ('404' + String(500000 + n).padStart(6, '0')).split('').map(Number)
    const s = d.reduce((a, x, k) => a + x * (10 - k), 0)
    const c = 11 - (s % 11)
    if (c === 10) continue
    return d.join('') + (c === 11 ? 0 : c)
  }
}

before(async () => {
  mkdirSync(artifacts, { recursive: true })
  medexctl(['office', 'add', 'E2EQ', 'Queue office'])
  medexctl(['user', 'add', user[0], '--role', user[1], '--office', user[2],
    '--name', 'Olwen Officer'], password + '\n')
  browser = await launchBrowser()
  const ctx = await browser.newContext()
  const r = await ctx.request.post(base + '/api/v1/auth/login',
    { data: { username: user[0], password } })
  const token = (await r.json()).token
  for (let i = 0; i < 30; i++) {
    const c = await ctx.request.post(base + '/api/v1/cases', {
      headers: { Authorization: 'Bearer ' + token },
      data: {
        given_name: i % 3 === 0 ? 'Siân' : 'Patricia Ann',
        family_name: 'Listcase' + String(i).padStart(2, '0'),
        nhs_number: nhsNumber(i),
        date_of_birth: '1938-05-0' + (1 + i % 9),
        sex: 'female',
        date_of_death: '2026-11-01',
        place_of_death: 'hospital',
        attending_practitioner: { name: 'Dr A Jones', gmc_number: '1234567' },
        ...(i === 7 ? { urgent_release: { requested: true, reason: 'faith' } } : {})
      }
    })
    assert.equal(c.status(), 201, await c.text())
  }
  await ctx.close()
})

after(async () => {
  if (browser) await browser.close()
})

async function session (js, width) {
  const ctx = await browser.newContext({ javaScriptEnabled: js,
    viewport: { width: width || 1280, height: 900 } })
  const page = await ctx.newPage()
  await page.goto(base + '/login')
  await page.getByLabel('Username').fill(user[0])
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForLoadState()
  return { ctx, page }
}

for (const js of [true, false]) {
  const mode = js ? 'JS on' : 'JS off'
  test(`each list, its count and heading; paging; handover (${mode})`, async () => {
    const { ctx, page } = await session(js)
    assert.equal(new URL(page.url()).pathname, '/cases')
    assert.match(await page.title(), /^Open cases/)
    for (const name of lists) {
      await page.getByRole('link', { name, exact: true }).click()
      await page.waitForLoadState()
      assert.equal(await page.locator('h1').innerText(), name)
      assert.match(await page.title(), new RegExp('^' + name))
      const current = page.locator('nav[aria-label="Work lists"] a[aria-current="page"]')
      assert.equal(await current.innerText(), name)
      const item = await current.locator('xpath=..').innerText()
      assert.match(item, /\(\d+\)$/, name + ' shows its count')
      assert.deepEqual(await axeOf(browser, page, js), [], name + ': axe')
    }
    // Open cases: 30, 25 a page; forward then back.
    await page.getByRole('link', { name: 'Open cases', exact: true }).click()
    await page.waitForLoadState()
    assert.match(await page.locator('nav[aria-label="Work lists"]').innerText(), /Open cases \(30\)/)
    const first = await page.locator('tbody tr').count()
    assert.equal(first, 25)
    await page.locator('a[rel="next"]').click()
    await page.waitForLoadState()
    assert.equal(await page.locator('tbody tr').count(), 5)
    assert.equal(await page.locator('a[rel="next"]').count(), 0)
    await page.locator('a[rel="prev"]').click()
    await page.waitForLoadState()
    assert.equal(await page.locator('tbody tr').count(), 25)
    // Most urgent: the urgent release first.
    await page.getByRole('link', { name: 'Most urgent', exact: true }).click()
    await page.waitForLoadState()
    assert.match(await page.locator('tbody tr').first().innerText(), /Listcase07/)
    assert.match(await page.locator('tbody tr').first().innerText(), /Urgent release/)
    // Search by reversed name, accent-insensitive.
    await page.getByLabel('Search by name or NHS number').fill('listcase03 sian')
    await page.getByRole('button', { name: 'Search', exact: true }).click()
    await page.waitForLoadState()
    assert.equal(await page.locator('tbody tr').count(), 1)
    if (js) await page.screenshot({ path: join(artifacts, 'queue-desktop.png'), fullPage: true })
    // The handover list.
    await page.getByRole('link', { name: 'Printable handover list', exact: true }).click()
    await page.waitForLoadState()
    assert.equal(await page.locator('h1').innerText(), 'Handover list')
    assert.equal(await page.locator('tbody tr').count(), 30)
    assert.deepEqual(await axeOf(browser, page, js), [], 'handover: axe')
    if (js) {
      await page.emulateMedia({ media: 'print' })
      await page.screenshot({ path: join(artifacts, 'queue-handover-print.png'), fullPage: true })
    }
    await ctx.close()
  })
}

for (const width of [320, 390]) {
  test(`no horizontal overflow at ${width} px`, async () => {
    const { ctx, page } = await session(true, width)
    for (const path of ['/cases', '/cases?sort=urgency', '/cases?view=handover']) {
      await page.goto(base + path)
      const w = await page.evaluate(() => document.documentElement.scrollWidth)
      assert.ok(w <= width, path + ': scrollWidth ' + w + ' at ' + width)
    }
    await page.goto(base + '/cases')
    await page.screenshot({ path: join(artifacts, `queue-${width}.png`), fullPage: true })
    await ctx.close()
  })
}
