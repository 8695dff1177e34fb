// Browser tests of the lead ME's office overview and the radios'
// conditional reveals (issue 6), in Debian's headless chromium driven by
// playwright-core against the server that scripts/test-http.sh started.
// Each page is checked with axe-core, with JavaScript on and off; a
// screenshot of the overview goes to tests/artifacts/.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { artifacts, axe, axeOf, base, launchBrowser, medexctl, out, password, root } from './lib.mjs'


const users = {
  lead: ['e2eo.lead', 'lead_medical_examiner', 'E2EO'],
  me: ['e2eo.me', 'medical_examiner', 'E2EO'],
  officer: ['e2eo.officer', 'officer', 'E2EO']
}

let browser

before(async () => {
  mkdirSync(artifacts, { recursive: true })
  medexctl(['office', 'add', 'E2EO', 'Overview office'])
  for (const [name, role, office] of Object.values(users)) {
    medexctl(['user', 'add', name, '--role', role, '--office', office,
      '--name', 'Overview ' + role.replaceAll('_', ' ')], password + '\n')
  }
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
})

async function checkPage (page, js, label) {
  assert.deepEqual(await axeOf(browser, page, js), [], label + ': axe violations')
}

async function session (who, js) {
  const ctx = await browser.newContext({ javaScriptEnabled: js })
  const page = await ctx.newPage()
  await page.goto(base + '/login')
  await page.getByLabel('Username').fill(users[who][0])
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForLoadState()
  assert.equal(new URL(page.url()).pathname, '/cases', who + ' lands on the queue')
  return { ctx, page }
}

// A case through the new-case form; its path.
async function createCase (page, family) {
  await page.goto(base + '/cases/new')
  await page.getByLabel('Given names').fill('Olive')
  await page.getByLabel('Family name').fill(family)
  const dob = new Date(Date.UTC(1938, 4, 2))
  const dod = new Date(Date.now() - 86400000)
  for (const [id, d] of [['date_of_birth', dob], ['date_of_death', dod]]) {
    await page.locator('#' + id + '-day').fill(String(d.getUTCDate()))
    await page.locator('#' + id + '-month').fill(String(d.getUTCMonth() + 1))
    await page.locator('#' + id + '-year').fill(String(d.getUTCFullYear()))
  }
  await page.getByLabel('Male', { exact: true }).check()
  await page.getByLabel('Home', { exact: true }).check()
  await page.getByLabel("Attending practitioner's name").fill('Dr Lamb')
  await page.getByLabel("Attending practitioner's GMC number").fill('1234567')
  await page.getByRole('button', { name: 'Add the case', exact: true }).click()
  await page.waitForLoadState()
  assert.match(new URL(page.url()).pathname, /^\/cases\/\d+$/)
  return new URL(page.url()).pathname
}

for (const js of [true, false]) {
  const mode = js ? 'with JavaScript' : 'without JavaScript'

  test(`a lead ME opens the office overview from the menu (${mode})`, async () => {
    const o = await session('officer', js)
    await createCase(o.page, 'Overview' + (js ? 'Js' : 'Nojs') + Date.now())
    await o.ctx.close()

    const { ctx, page } = await session('lead', js)
    await page.getByRole('link', { name: 'Office overview', exact: true }).click()
    await page.waitForLoadState()
    assert.equal(new URL(page.url()).pathname, '/office')
    assert.match(await page.title(), /^Office overview - medex/)
    const tables = await page.locator('table caption').allInnerTexts()
    assert.deepEqual(tables, ['Open cases by medical examiner', 'Cases by state'])
    assert.match(await page.locator('main').innerText(), /Not assigned/)
    await checkPage(page, js, 'office overview')
    if (js) await page.screenshot({ path: join(artifacts, 'office.png'), fullPage: true })

    // Each row opens the queue filtered the same way.
    await page.getByRole('link', { name: 'Not assigned', exact: true }).click()
    await page.waitForLoadState()
    assert.equal(new URL(page.url()).search, '?unassigned=true')
    await ctx.close()

    const me = await session('me', js)
    assert.equal(await me.page.getByRole('link', { name: 'Office overview' }).count(), 0)
    const resp = await me.page.goto(base + '/office')
    assert.equal(resp.status(), 403)
    await me.ctx.close()
  })

  test(`radios reveal their details, and without JavaScript show them (${mode})`, async () => {
    const { ctx, page } = await session('officer', js)
    const path = await createCase(page, 'Reveal' + (js ? 'Js' : 'Nojs') + Date.now())
    await page.goto(base + path + '/contact')
    const concerns = page.locator('#concerns')
    if (js) {
      assert.equal(await concerns.isVisible(), false, 'hidden until chosen')
      await page.locator('#concerns_raised').check()
      assert.equal(await concerns.isVisible(), true, 'shown once yes is chosen')
      assert.equal(await page.locator('#concerns_raised').getAttribute('aria-controls'), 'conditional-concerns_raised')
    } else {
      assert.equal(await concerns.isVisible(), true, 'shown without JavaScript')
      await page.locator('#concerns_raised').check()
    }
    await checkPage(page, js, 'contact form with a reveal')
    await page.getByLabel('Name of the person').fill('Rita')
    await page.getByLabel('Relationship to the deceased').fill('Daughter')
    await page.getByLabel('Phone', { exact: true }).check()
    await page.getByLabel('Reached', { exact: true }).check()
    await concerns.fill('Why was the operation delayed?')
    await page.getByRole('button', { name: 'Save the contact', exact: true }).click()
    await page.waitForLoadState()
    assert.equal(new URL(page.url()).pathname, path)

    await page.goto(base + path + '/urgent-release')
    const faith = page.getByLabel('Faith', { exact: true })
    assert.equal(await faith.isVisible(), !js)
    await page.locator('#requested').check()
    assert.equal(await faith.isVisible(), true)
    await checkPage(page, js, 'urgent release form with a reveal')
    await ctx.close()
  })
}
