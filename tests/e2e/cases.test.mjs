// Browser tests of the case pages (issue 6): the work queue, the
// new-case form, the case page and the action forms, in Debian's
// headless chromium driven by playwright-core against the server that
// scripts/test-http.sh started.  An examiner takes a case from
// notification to closed entirely by clicking and typing, a liaison
// officer records the contact with the bereaved, an officer records a
// coroner referral and the coroner's decision; every page on the way is
// checked with axe-core, with JavaScript on and off.  Screenshots of the
// queue, the case page and a form with errors go to tests/artifacts/.
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

const users = {
  me: ['e2ec.me', 'medical_examiner', 'E2EC'],
  officer: ['e2ec.officer', 'officer', 'E2EC'],
  liaison: ['e2ec.liaison', 'liaison_officer', 'E2EC'],
  other: ['e2ecb.officer', 'officer', 'E2ECB']
}

let browser

before(async () => {
  mkdirSync(artifacts, { recursive: true })
  medexctl(['office', 'add', 'E2EC', 'Case pages office'])
  medexctl(['office', 'add', 'E2ECB', 'Another office'])
  for (const [name, role, office] of Object.values(users)) {
    medexctl(['user', 'add', name, '--role', role, '--office', office,
      '--name', 'Case ' + role.replaceAll('_', ' ')], password + '\n')
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
  page.on('dialog', d => { page.dialogs = (page.dialogs || 0) + 1; d.dismiss() })
  await page.goto(base + '/login')
  await page.getByLabel('Username').fill(users[who][0])
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForLoadState()
  assert.equal(new URL(page.url()).pathname, '/cases', who + ' lands on the queue')
  return { ctx, page }
}

// A valid NHS number (modulus 11), different on every run.
function nhsNumber () {
  for (;;) {
    const d = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10))
    if (d[0] === 0) continue
    const s = d.reduce((a, x, i) => a + x * (10 - i), 0)
    const c = 11 - (s % 11)
    if (c === 10) continue
    return d.join('') + (c === 11 ? 0 : c)
  }
}

async function click (page, name) {
  const a = page.getByRole('link', { name, exact: true })
  if (await a.count() === 0) {
    assert.fail('no link "' + name + '" on ' + page.url() + ': ' +
      await page.locator('main').innerText())
  }
  await a.click()
  await page.waitForLoadState()
}

async function submit (page, name) {
  await page.getByRole('button', { name, exact: true }).click()
  await page.waitForLoadState()
}

async function dateParts (page, id, d) {
  await page.locator('#' + id + '-day').fill(String(d.getUTCDate()))
  await page.locator('#' + id + '-month').fill(String(d.getUTCMonth() + 1))
  await page.locator('#' + id + '-year').fill(String(d.getUTCFullYear()))
}

async function newCase (page) {
  // A link drawn as a button (the NHS.UK pattern, role="button").
  await page.getByRole('button', { name: 'Add a new case', exact: true }).click()
  await page.waitForLoadState()
}

async function createCase (page, js, given, family, nhs) {
  await newCase(page)
  assert.equal(new URL(page.url()).pathname, '/cases/new')
  await checkPage(page, js, 'new case form')
  await page.getByLabel('Given names').fill(given)
  await page.getByLabel('Family name').fill(family)
  if (nhs) await page.getByLabel('NHS number (optional)').fill(nhs)
  await dateParts(page, 'date_of_birth', new Date(Date.UTC(1941, 2, 15)))
  await page.getByLabel('Female', { exact: true }).check()
  await dateParts(page, 'date_of_death', new Date(Date.now() - 86400000))
  await page.getByLabel('Hospital', { exact: true }).check()
  await page.getByLabel("Attending practitioner's name").fill('Dr Ward')
  await page.getByLabel("Attending practitioner's GMC number").fill('1234567')
  await submit(page, 'Add the case')
  if (!/^\/cases\/\d+$/.test(new URL(page.url()).pathname)) {
    assert.fail('the case page after 303: ' + await page.locator('main').innerText())
  }
  return new URL(page.url()).pathname
}

async function state (page) {
  return (await page.locator('main .nhsuk-tag').first().innerText()).trim()
}

async function transition (page, js, label, fill) {
  await click(page, 'Move to: ' + label)
  await checkPage(page, js, 'transition to ' + label)
  if (fill) await fill()
  await submit(page, 'Continue')
  assert.equal(await state(page), label, 'state is ' + label + ': ' +
    await page.locator('main').innerText())
}

for (const js of [true, false]) {
  const mode = js ? 'with JavaScript' : 'without JavaScript'

  test(`an examiner takes a case from notified to closed by clicking and typing (${mode})`, async () => {
    const family = 'Journey' + (js ? 'Js' : 'Nojs') + Date.now()
    const nhs = nhsNumber()
    const { ctx, page } = await session('me', js)
    await checkPage(page, js, 'queue')

    // The new-case form refuses an empty form, with the summary in focus.
    await newCase(page)
    await submit(page, 'Add the case')
    assert.equal(new URL(page.url()).pathname, '/cases/new')
    assert.match(await page.title(), /^Error: Add a new case/)
    const summary = page.locator('.nhsuk-error-summary')
    assert.match(await summary.innerText(), /Enter the given names/)
    assert.match(await summary.innerText(), /Enter the date of birth/)
    assert.ok(await page.locator('#given_name-error').isVisible())
    if (js) {
      const focused = await page.evaluate(() =>
        document.activeElement && document.activeElement.classList.contains('nhsuk-error-summary'))
      assert.ok(focused, 'focus is on the error summary')
      await page.screenshot({ path: join(artifacts, 'case-form-errors.png'), fullPage: true })
    }
    await checkPage(page, js, 'new case form with errors')
    await page.goto(base + '/cases')

    const path = await createCase(page, js, 'Ann', family, nhs)
    const main = () => page.locator('main').innerText()
    assert.ok((await main()).includes(nhs.slice(0, 3) + ' ' + nhs.slice(3, 6) + ' ' + nhs.slice(6)),
      'NHS number shown 3 3 4')
    assert.equal(await state(page), 'Notified')
    await checkPage(page, js, 'case page')

    // Only what an examiner may do in this state.
    const actions = await page.locator('#actions a').allInnerTexts()
    assert.ok(actions.includes('Move to: In scrutiny'), actions.join())
    assert.ok(!actions.includes('Move to: Withdrawn'), 'withdrawal is for lead MEs')
    assert.ok(!actions.includes('Record review'), 'not before scrutiny')

    // Independence is required: the form says so, then accepts it.
    await click(page, 'Move to: In scrutiny')
    await submit(page, 'Continue')
    assert.match(await page.locator('.nhsuk-error-summary').innerText(), /Confirm you had no part in the care of the person who died/)
    await checkPage(page, js, 'transition errors')
    await page.getByLabel(/no conflict of interest/).check()
    await submit(page, 'Continue')
    assert.equal(await state(page), 'In scrutiny')

    await click(page, 'Record review')
    await checkPage(page, js, 'record review form')
    await page.getByLabel('Your review of the medical records').fill('Notes read; death expected.')
    await page.getByLabel('Expected', { exact: true }).check()
    await page.getByLabel('Mccd', { exact: true }).check()
    await submit(page, 'Save the review')
    assert.equal(new URL(page.url()).pathname, path)

    await click(page, 'Discussion with the attending practitioner')
    await checkPage(page, js, 'discussion form')
    await page.getByLabel("Practitioner's name").fill('Dr Ward')
    await page.getByLabel("Practitioner's GMC number").fill('1234567')
    await page.locator('#happened').check()
    await page.getByLabel('Agreed', { exact: true }).check()
    await submit(page, 'Save the discussion')
    assert.equal(new URL(page.url()).pathname, path)

    await click(page, 'Cause of death')
    await checkPage(page, js, 'cause of death form')
    await page.getByLabel(/Part I \(a\)/).fill('Bronchopneumonia')
    await page.getByLabel(/Part I \(b\)/).fill('Frailty of old age')
    await page.getByLabel('Agreed with the attending practitioner').check()
    await submit(page, 'Save the cause of death')
    assert.equal(new URL(page.url()).pathname, path)

    // The liaison officer records the contact with the bereaved.
    const li = await session('liaison', js)
    await li.page.goto(base + path)
    const liActions = await li.page.locator('#actions a').allInnerTexts()
    assert.deepEqual(liActions.filter(a => a.startsWith('Move to')), [], 'no transitions for liaison')
    assert.ok(!liActions.includes('Cause of death'))
    assert.equal(await li.page.locator('#timeline').count(), 0, 'no events for liaison')
    await click(li.page, 'Contact with the bereaved')
    await checkPage(li.page, js, 'contact form')
    await li.page.getByLabel('Name of the person').fill('Bob ' + family)
    await li.page.getByLabel('Relationship to the deceased').fill('Son')
    await li.page.getByLabel('Phone', { exact: true }).check()
    await li.page.getByLabel('Reached', { exact: true }).check()
    await li.page.locator('#concerns_raised-1').check()
    await submit(li.page, 'Save the contact')
    assert.equal(new URL(li.page.url()).pathname, path)
    await li.ctx.close()

    await page.reload()
    await transition(page, js, 'Awaiting the MCCD')
    await transition(page, js, 'MCCD issued', () => dateParts(page, 'mccd_issued_on', new Date()))
    await click(page, 'Final actions')
    await checkPage(page, js, 'final actions form')
    await page.getByLabel('Burial', { exact: true }).check()
    await page.getByLabel('None', { exact: true }).check()
    await page.getByLabel('Notified', { exact: true }).check()
    await submit(page, 'Save the final actions')
    await transition(page, js, 'Closed')
    assert.ok((await main()).includes('There is nothing for you to do on this case now.'))
    const timeline = await page.locator('#timeline li').allInnerTexts()
    assert.ok(timeline.length >= 8 && !timeline.some(t => t.includes('Viewed')), 'the timeline: ' + timeline.join(' / '))
    await checkPage(page, js, 'closed case')
    if (js) await page.screenshot({ path: join(artifacts, 'case-page.png'), fullPage: true })

    // The queue finds it by name and by NHS number, deadline shown.
    await page.goto(base + '/cases')
    await page.getByLabel('Search by name or NHS number').fill(family)
    await submit(page, 'Search')
    assert.equal(await page.locator('tbody tr').count(), 1)
    assert.ok((await page.locator('tbody').innerText()).includes('Closed'))
    await page.getByLabel('Search by name or NHS number').fill(nhs)
    await submit(page, 'Search')
    assert.equal(await page.locator('tbody tr').count(), 1)
    await checkPage(page, js, 'search')
    for (const q of ['My cases', 'Waiting for an examiner', 'Bereaved contact needed', 'Overdue', 'Most urgent', 'Oldest']) {
      await click(page, q)
      await checkPage(page, js, 'queue ' + q)
    }
    // The lists are working lists: a closed case has left "My cases"
    // and is found under its state (issue 18).
    await page.goto(base + '/cases?mine=true&sort=newest')
    assert.ok(!(await page.locator('main').innerText()).includes(family), 'a closed case is not in my open cases')
    await page.goto(base + '/cases?state=closed')
    assert.ok((await page.locator('main').innerText()).includes(family), 'closed cases')
    if (js) await page.screenshot({ path: join(artifacts, 'queue.png'), fullPage: true })
    assert.equal(page.dialogs || 0, 0)
    await ctx.close()
  })

  test(`an officer records a coroner referral and the decision (${mode})`, async () => {
    const family = 'Coroner' + (js ? 'Js' : 'Nojs') + Date.now()
    const { ctx, page } = await session('officer', js)
    await createCase(page, js, 'Cy', family)
    const actions = await page.locator('#actions a').allInnerTexts()
    assert.ok(!actions.includes('Move to: In scrutiny'), 'officers do not scrutinise')
    assert.ok(!actions.includes('Cause of death'))
    await click(page, 'Coroner referral')
    await submit(page, 'Save the referral')
    assert.match(await page.title(), /^Error: /)
    await checkPage(page, js, 'coroner referral errors')
    await page.getByLabel('Unknown cause', { exact: true }).check()
    await page.getByLabel('Trauma or injury', { exact: true }).check()
    await page.getByLabel('Reason for the referral').fill('Fall at home a week before.')
    await submit(page, 'Save the referral')
    await transition(page, js, 'Referred to the coroner', () =>
      page.getByLabel('Reason').fill('Injury may have contributed.'))
    await click(page, "Coroner's decision")
    await checkPage(page, js, 'coroner decision form')
    await page.getByLabel('Investigating', { exact: true }).check()
    await page.getByLabel("Coroner's reference (optional)").fill('COR/1')
    await submit(page, 'Save the decision')
    await transition(page, js, 'Coroner investigating')
    await ctx.close()
  })

  test(`names with markup show as text on the queue, the case and its forms (${mode})`, async () => {
    const { ctx, page } = await session('officer', js)
    const path = await createCase(page, js, XSS1, XSS2)
    assert.ok((await page.locator('h1').innerText()).includes(XSS1 + ' ' + XSS2))
    assert.equal(await page.locator('main img').count(), 0)
    assert.equal(await page.locator('main script').count(), 0)
    await checkPage(page, js, 'xss case')
    await click(page, 'Coroner referral')
    assert.ok((await page.locator('main').innerText()).includes(XSS2))
    assert.equal(await page.locator('main img').count(), 0)
    await page.goto(base + '/cases')
    assert.ok((await page.locator('tbody').innerText()).includes(XSS1))
    assert.equal(await page.locator('main img').count(), 0)
    await page.goto(base + path)
    assert.equal(page.dialogs || 0, 0, 'no script ran')
    await ctx.close()
  })
}

test('another office gets 404; a role never sees an action it may not take, and posting it is refused', async () => {
  const { ctx, page } = await session('officer', true)
  const path = await createCase(page, true, 'Di', 'Office' + Date.now())
  await ctx.close()

  const other = await session('other', true)
  let resp = await other.page.goto(base + path)
  assert.equal(resp.status(), 404)
  await checkPage(other.page, true, '404 page')
  resp = await other.page.goto(base + path + '/coroner-referral')
  assert.equal(resp.status(), 404)
  const otherCsrf = await other.page.locator('input[name=csrf_token]').first().inputValue()
  resp = await other.page.request.post(base + path + '/coroner-referral', {
    form: { csrf_token: otherCsrf, categories: 'unknown_cause', reason: 'x', version: '1' },
    maxRedirects: 0
  })
  assert.equal(resp.status(), 404)
  await other.page.goto(base + '/cases?q=Office')
  assert.equal(await other.page.locator('tbody tr').count(), 0, 'search is the office\'s only')
  await other.ctx.close()

  const li = await session('liaison', true)
  await li.page.goto(base + path)
  const actions = await li.page.locator('#actions a').allInnerTexts()
  for (const a of actions) {
    assert.ok(['Contact with the bereaved', 'No bereaved contact possible',
      'Add a bereaved person to contact'].includes(a), a)
  }
  const csrf = await li.page.locator('input[name=csrf_token]').first().inputValue()
  for (const [slug, form] of [
    ['cause-of-death', { form: 'standard', part1a: 'x', agreed: 'yes', version: '1' }],
    ['transition', { to: 'withdrawn', reason: 'x', version: '1' }],
    ['coroner-referral', { categories: 'unknown_cause', reason: 'x', version: '1' }]]) {
    resp = await li.page.request.post(base + path + '/' + slug, {
      form: { csrf_token: csrf, ...form }, maxRedirects: 0
    })
    assert.equal(resp.status(), 403, 'liaison posting ' + slug)
  }
  resp = await li.page.goto(base + path + '/cause-of-death')
  assert.equal(resp.status(), 403)
  await li.ctx.close()
})

test('a stale form shows the version conflict in words', async () => {
  const { ctx, page } = await session('officer', true)
  const path = await createCase(page, true, 'Ed', 'Stale' + Date.now())
  await click(page, 'Urgent release')
  const second = await ctx.newPage()
  await second.goto(base + path + '/urgent-release')
  await second.locator('#requested').check()
  await second.getByLabel('Faith', { exact: true }).check()
  await submit(second, 'Save')
  assert.equal(new URL(second.url()).pathname, path)
  await page.locator('#requested-1').check()
  await submit(page, 'Save')
  assert.match(await page.locator('.nhsuk-error-summary').innerText(),
    /Someone else changed this case/)
  await checkPage(page, true, 'conflict')
  await ctx.close()
})
