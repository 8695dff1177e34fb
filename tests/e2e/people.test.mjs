// Browser test of issue 18's people and missing case pages, JavaScript on
// and off: a lead ME reallocates a case by choosing an ME by name and
// giving a reason (shown in the timeline); an officer changes the
// deceased's details through a "Change" link, adds an officer's note by
// kind, and creates a case with every field of POST /api/v1/cases,
// each then shown on its page.  Every form page: axe-core finds
// nothing, and it is no wider than a 320 px screen.  Screenshots
// (desktop, 390 px and 320 px) go to tests/artifacts/.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { artifacts, axeOf, base, launchBrowser, medexctl, password, widthAt } from './lib.mjs'

const users = {
  lead: ['e2ep.lead', 'lead_medical_examiner', 'Dr Asha Rao'],
  me: ['e2ep.me', 'medical_examiner', 'Dr Ben Ode'],
  me2: ['e2ep.me2', 'medical_examiner', 'Dr Cara Lim'],
  officer: ['e2ep.officer', 'officer', 'Olu Officer']
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

// A case held by Dr Ben Ode, to be reallocated.
async function heldCase (family) {
  const off = await token('officer')
  const lead = await token('lead')
  const k = await api(off, 'POST', '/api/v1/cases', {
    given_name: 'Nia',
    family_name: family,
    date_of_birth: '1950-02-02',
    sex: 'female',
    date_of_death: daysAgo(3),
    place_of_death: 'hospital',
    attending_practitioner: { name: 'Dr Prakash', gmc_number: '7654321' }
  })
  await api(lead, 'PUT', '/api/v1/cases/' + k.id + '/assignment', { examiner: users.me[0] }, k.version)
  return k.id
}

function daysAgo (n) {
  return new Date(Date.now() - n * 86400000).toISOString().slice(0, 10)
}

let nhsSeq = Date.now() % 100000
function nhsNumber () {
  for (;;) {
    const s = '405' + String(100000 + (nhsSeq++ % 800000)).padStart(6, '0')
    let sum = 0
    for (let i = 0; i < 9; i++) sum += Number(s[i]) * (10 - i)
    let check = 11 - (sum % 11)
    if (check === 11) check = 0
    if (check === 10) continue
    return s + check
  }
}

before(async () => {
  mkdirSync(artifacts, { recursive: true })
  medexctl(['office', 'add', 'E2EP', 'Hillside ME office'])
  for (const [name, role, display] of Object.values(users)) {
    medexctl(['user', 'add', name, '--role', role, '--office', 'E2EP', '--name', display], password + '\n')
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

// axe, screenshots (once, with JavaScript) and the 320 px width.
async function check (page, js, label, shot) {
  await page.setViewportSize({ width: 1280, height: 900 })
  assert.deepEqual(await axeOf(browser, page, js), [], label + ': axe violations')
  if (js && shot) {
    await page.screenshot({ path: join(artifacts, shot + '.png'), fullPage: true })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: join(artifacts, shot + '-390.png'), fullPage: true })
  }
  const w = await widthAt(page, 320)
  if (js && shot) await page.screenshot({ path: join(artifacts, shot + '-320.png'), fullPage: true })
  assert.ok(w <= 320, label + ' is ' + w + ' px wide at 320 px')
  await page.setViewportSize({ width: 1280, height: 900 })
}

for (const js of [true, false]) {
  const on = js ? 'on' : 'off'

  test('a lead ME reallocates a case by name with a reason, JavaScript ' + on, async () => {
    const id = await heldCase('Realloc' + on)
    const { ctx, page } = await session('lead', js)
    try {
      await page.goto(base + '/cases/' + id + '/assignment')
      assert.equal(await page.getByLabel('Dr Ben Ode').isChecked(), true, 'the current ME is chosen')
      assert.equal(await page.locator('input[type=text][name=examiner]').count(), 0, 'no username box')
      assert.ok((await page.locator('main').innerText()).includes('open case'), 'open cases shown')
      await check(page, js, 'assignment form', 'people-assignment')
      // Without a reason: the error summary links to the reason.
      await page.getByLabel('Dr Cara Lim').check()
      await page.getByRole('button', { name: 'Save the assignment' }).click()
      await page.waitForLoadState()
      const summary = page.locator('.nhsuk-error-summary')
      assert.ok((await summary.innerText()).includes('Enter the reason for the reallocation'))
      assert.equal(await summary.locator('a[href="#reason"]').count(), 1)
      await check(page, js, 'assignment form with errors', 'people-assignment-error')
      await page.getByLabel('Dr Cara Lim').check()
      await page.getByLabel('Why is the case being reallocated').fill('Dr Ode is on leave this week')
      await page.getByRole('button', { name: 'Save the assignment' }).click()
      await page.waitForLoadState()
      assert.equal(new URL(page.url()).pathname, '/cases/' + id)
      const text = await page.locator('main').innerText()
      assert.ok(text.includes('Assigned to Dr Cara Lim as medical examiner by Dr Asha Rao (reason: Dr Ode is on leave this week)'),
        'the reason in the timeline')
    } finally {
      await ctx.close()
    }
  })

  test('an officer changes the details and adds a note, JavaScript ' + on, async () => {
    const id = await heldCase('Change' + on)
    const { ctx, page } = await session('officer', js)
    try {
      await page.goto(base + '/cases/' + id)
      await page.getByRole('link', { name: 'Change Family name' }).click()
      await page.waitForLoadState()
      assert.equal(new URL(page.url()).pathname, '/cases/' + id + '/details')
      assert.equal(await page.locator('#family_name').inputValue(), 'Change' + on, 'prefilled')
      await check(page, js, 'details form', 'people-details')
      await page.locator('#family_name').fill('Changed' + on)
      await page.locator('#ethnicity').selectOption('N')
      await page.getByRole('button', { name: 'Save the details' }).click()
      await page.waitForLoadState()
      let text = await page.locator('main').innerText()
      assert.ok(text.includes('Details saved'), 'saved banner')
      assert.ok(text.includes('Changed' + on), 'the new family name')
      assert.ok(text.includes('Black or Black British: African'), 'the ethnicity')

      await page.getByRole('link', { name: 'Add a note' }).click()
      await page.waitForLoadState()
      await check(page, js, 'note form', 'people-note')
      await page.getByLabel('Medical history').check()
      await page.getByLabel('Note', { exact: true }).fill('Heart failure since 2019')
      await page.getByRole('button', { name: 'Save the note' }).click()
      await page.waitForLoadState()
      text = await page.locator('main').innerText()
      assert.ok(text.includes('Note saved'), 'saved banner')
      const group = page.locator('h3', { hasText: 'Medical history' })
      assert.equal(await group.count(), 1, 'the medical history group')
      assert.ok(text.indexOf('Medical history') < text.indexOf('Heart failure since 2019'), 'the note under its kind')
    } finally {
      await ctx.close()
    }
  })

  test('an officer creates a case with every field, JavaScript ' + on, async () => {
    const { ctx, page } = await session('officer', js)
    const family = 'Everyfield' + on
    try {
      await page.goto(base + '/cases/new')
      await check(page, js, 'new-case form', 'people-new')
      const dod = daysAgo(2).split('-')
      await page.locator('#given_name').fill('Gwen')
      await page.locator('#family_name').fill(family)
      await page.locator('#nhs_number').fill(nhsNumber())
      await page.locator('#date_of_birth-day').fill('9')
      await page.locator('#date_of_birth-month').fill('8')
      await page.locator('#date_of_birth-year').fill('1938')
      await page.check('input[name=sex][value=female]')
      await page.locator('#date_of_death-day').fill(String(Number(dod[2])))
      await page.locator('#date_of_death-month').fill(String(Number(dod[1])))
      await page.locator('#date_of_death-year').fill(dod[0])
      await page.locator('#time_of_death').fill('06:45')
      await page.check('input[name=place_of_death][value=care_home]')
      await page.locator('#place_detail').fill('Willow House')
      await page.locator('#ap_name').fill('Dr Mensah')
      await page.locator('#ap_gmc').fill('1122334')
      await page.locator('#ethnicity').selectOption('K')
      await page.check('input[name=priority][value=faith]')
      await page.check('input[name=priority][value=cultural]')
      await page.locator('#priority_detail').fill('Burial within 24 hours')
      await page.check('input[name=urgent_requested][value=yes]')
      await page.check('input[name=urgent_reason][value=faith]')
      await page.getByRole('button', { name: 'Add the case' }).click()
      await page.waitForLoadState()
      assert.match(new URL(page.url()).pathname, /^\/cases\/\d+$/, 'the new case page')
      const text = await page.locator('main').innerText()
      for (const t of ['Gwen', family, 'Asian or Asian British: Bangladeshi', '06:45', 'Willow House',
        'Dr Mensah (GMC 1122334)', 'Faith, Cultural', 'Burial within 24 hours',
        'Urgent release of the body has been requested', 'Reason: Faith']) {
        assert.ok(text.includes(t), 'the case page has no "' + t + '"')
      }
      await check(page, js, 'new case page', js ? 'people-created' : null)
    } finally {
      await ctx.close()
    }
  })
}
