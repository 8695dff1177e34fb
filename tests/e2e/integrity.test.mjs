// Browser test of issue 19, part 1, JavaScript on and off: a case whose
// scrutiny work is done is reallocated to another ME; the new ME tries
// to end scrutiny without declaring independence and the page refuses,
// its error summary linking to the checkbox that fixes it; ticking it
// ends scrutiny.  And the LeDeR flag: set on the details form, it shows
// a "Notify LeDeR" task on the case page, whose date form records the
// day.  Every page: axe-core finds nothing.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { axeOf, base, launchBrowser, medexctl, password } from './lib.mjs'

const users = {
  lead: ['e2ei.lead', 'lead_medical_examiner', 'Dr Iona Reid'],
  me: ['e2ei.me', 'medical_examiner', 'Dr Ifan Hughes'],
  me2: ['e2ei.me2', 'medical_examiner', 'Dr Ines Costa'],
  officer: ['e2ei.officer', 'officer', 'Idris Officer']
}

let browser

async function api (token, method, path, body, version) {
  const headers = { Authorization: 'Bearer ' + token }
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  if (version !== undefined) headers['If-Match'] = '"' + version + '"'
  const r = await fetch(base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const j = await r.json()
  assert.ok(r.status < 300, method + ' ' + path + ': ' + r.status + ' ' + JSON.stringify(j))
  return j
}

async function token (who) {
  const j = await api('', 'POST', '/api/v1/auth/login', { username: users[who][0], password })
  return j.token
}

function daysAgo (n) {
  return new Date(Date.now() - n * 86400000).toISOString().slice(0, 10)
}

function hoursAgo (n) {
  return new Date(Date.now() - n * 3600000).toISOString().slice(0, 19) + 'Z'
}

async function newCase (family) {
  const off = await token('officer')
  return api(off, 'POST', '/api/v1/cases', {
    given_name: 'Ifor',
    family_name: family,
    date_of_birth: '1948-04-04',
    sex: 'male',
    date_of_death: daysAgo(3),
    place_of_death: 'hospital',
    attending_practitioner: { name: 'Dr Prakash', gmc_number: '7654321' }
  })
}

// Scrutiny done by Dr Ifan Hughes, then the case given to Dr Ines Costa.
async function reallocatedCase (family) {
  let k = await newCase(family)
  const me = await token('me')
  const lead = await token('lead')
  const off = await token('officer')
  const p = '/api/v1/cases/' + k.id
  k = await api(me, 'POST', p + '/transitions', { to: 'in_scrutiny', independent: true }, k.version)
  k = await api(me, 'POST', p + '/notes', { kind: 'record_review', text: 'Reviewed.', circumstances: 'expected', proposed_outcome: 'mccd' })
  k = await api(me, 'POST', p + '/practitioner-discussions', {
    practitioner: { name: 'Dr Prakash', gmc_number: '7654321' }, at: hoursAgo(30), happened: true, outcome: 'agreed'
  })
  k = await api(me, 'PUT', p + '/cause-of-death', { form: 'standard', part1a: 'Pneumonia', agreed_with_attending_practitioner: true }, k.version)
  k = await api(off, 'POST', p + '/contacts', {
    person_name: 'Ann', relationship: 'daughter', method: 'phone', outcome: 'reached', at: hoursAgo(20), concerns_raised: false
  })
  k = await api(lead, 'PUT', p + '/assignment', { examiner: users.me2[0], reason: 'Dr Hughes is on leave' }, k.version)
  assert.equal(k.independent, false)
  return k.id
}

before(async () => {
  medexctl(['office', 'add', 'E2EI', 'Riverside ME office'])
  for (const [name, role, display] of Object.values(users)) {
    medexctl(['user', 'add', name, '--role', role, '--office', 'E2EI', '--name', display], password + '\n')
  }
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
})

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

async function noAxe (page, js, label) {
  assert.deepEqual(await axeOf(browser, page, js), [], label + ': axe violations')
}

for (const js of [true, false]) {
  const on = js ? 'on' : 'off'

  test('the new examiner declares independence to end scrutiny, JavaScript ' + on, async () => {
    const id = await reallocatedCase('Reallocated' + on)
    const { ctx, page } = await session('me2', js)
    try {
      await page.goto(base + '/cases/' + id)
      await page.getByRole('link', { name: 'Move to: Awaiting the MCCD' }).click()
      await page.waitForLoadState()
      const box = page.getByLabel('I had no part in the care of the deceased and have no conflict of interest')
      assert.equal(await box.isChecked(), false)
      await noAxe(page, js, 'end of scrutiny form')
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.waitForLoadState()
      // Refused: the error summary names the declaration and links to it.
      const summary = page.locator('.nhsuk-error-summary')
      await summary.waitFor()
      const link = summary.getByRole('link', { name: 'Confirm you had no part in the care of the person who died' })
      assert.equal(await link.getAttribute('href'), '#independent')
      await noAxe(page, js, 'refused end of scrutiny')
      await link.click()
      await page.getByLabel('I had no part in the care of the deceased and have no conflict of interest').check()
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.waitForLoadState()
      assert.match(page.url(), new RegExp('/cases/' + id + '(\\?|$)'))
      assert.ok((await page.locator('main').innerText()).includes('Awaiting the MCCD'))
    } finally {
      await ctx.close()
    }
  })

  test('the LeDeR flag gives a task and its date form, JavaScript ' + on, async () => {
    const k = await newCase('Leder' + on)
    const { ctx, page } = await session('officer', js)
    try {
      await page.goto(base + '/cases/' + k.id + '/details')
      await page.getByLabel('The person had a learning disability or autism (their death is notified to LeDeR)').check()
      await page.getByLabel('The person had a severe mental illness').check()
      await page.getByRole('button', { name: 'Save the details' }).click()
      await page.waitForLoadState()
      const main = page.locator('main')
      assert.ok((await main.innerText()).includes('Not notified'), 'the LeDeR task is open')
      await noAxe(page, js, 'case with the LeDeR task')
      await page.getByRole('link', { name: 'Notify LeDeR' }).click()
      await page.waitForLoadState()
      await noAxe(page, js, 'LeDeR form')
      const d = daysAgo(1).split('-')
      await page.getByLabel('Day').fill(String(Number(d[2])))
      await page.getByLabel('Month').fill(String(Number(d[1])))
      await page.getByLabel('Year').fill(d[0])
      await page.getByRole('button', { name: 'Save the date' }).click()
      await page.waitForLoadState()
      const text = await page.locator('main').innerText()
      assert.ok(text.includes('LeDeR notification saved'), text.slice(0, 400))
      assert.ok(!text.includes('Not notified'))
      assert.equal(await page.getByRole('link', { name: 'Notify LeDeR' }).count(), 0)
      const off = await token('officer')
      const got = await api(off, 'GET', '/api/v1/cases/' + k.id)
      assert.equal(got.leder_notified_at, daysAgo(1))
      assert.equal(got.severe_mental_illness, true)
    } finally {
      await ctx.close()
    }
  })
}
