// The journey (issue 17, acceptance 1 and 6): an officer, a medical
// examiner and a liaison officer take one case through the whole
// process on the pages, at 320 px wide, by the case page's task list and
// next-step button: created, scrutiny started, the records reviewed, the
// practitioner consulted, the cause of death agreed, the bereaved
// contacted (the person recorded, chosen on the form; a question and a
// concern), the concern decided (shown on its form), scrutiny
// finished, the MCCD issued, the final actions recorded (a cremation
// with a pacemaker not removed: the warning callout), the case closed.
// Then the case page shows the exact text of every record made, and the
// liaison officer's HTML has none of the note, discussion or governance
// text.  Every page on the way is no wider than 320 px and has no axe
// violations.  The officer and the liaison officer browse without
// JavaScript, the examiner with it.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { axeOf, base, launchBrowser, medexctl, password } from './lib.mjs'

const users = {
  me: ['e2ej.me', 'medical_examiner', 'Dr Jo Examiner'],
  officer: ['e2ej.officer', 'officer', 'Oli Officer'],
  liaison: ['e2ej.liaison', 'liaison_officer', 'Lee Liaison']
}

const T = {
  note: 'Found at home by her son; GP saw her two days before.',
  review: 'Records read: heart failure worsening since spring.',
  disc: 'Congestive cardiac failure due to ischaemic heart disease',
  cod1a: 'Congestive cardiac failure',
  cod1b: 'Ischaemic heart disease',
  cod2: 'Chronic kidney disease stage 4',
  person: 'Mary Journey',
  relationship: 'Daughter',
  questions: 'Could her tablets have caused the fall?',
  concerns: 'Nobody told us she had been moved wards.',
  gov: 'Communication with the family on ward moves',
  funeral: 'Brook and Daughters Funeral Directors',
  implant: 'Pacemaker, left chest'
}

let browser

before(async () => {
  medexctl(['office', 'add', 'E2EJ', 'Journey ME office'])
  for (const [name, role, display] of Object.values(users)) {
    medexctl(['user', 'add', name, '--role', role, '--office', 'E2EJ', '--name', display], password + '\n')
  }
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
})

async function session (who, js) {
  const ctx = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 320, height: 900 } })
  const page = await ctx.newPage()
  await page.goto(base + '/login')
  await page.getByLabel('Username').fill(users[who][0])
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForLoadState()
  assert.equal(new URL(page.url()).pathname, '/cases', who + ' lands on the queue')
  return { ctx, page, js, axed: new Set() }
}

// Every page of the journey: no sideways scrolling at 320 px, no axe
// violations (as the browser shows it, with or without JavaScript).
// A page that sticks out names the elements that do.
async function check (s, label) {
  const w = await s.page.evaluate(() => document.documentElement.scrollWidth)
  if (w > 320) {
    // Say which element sticks out, so that it can be mended.
    const wide = await s.page.evaluate(() => [...document.querySelectorAll('body *')]
      .filter(e => e.getBoundingClientRect().right > 321 || e.scrollWidth > 321)
      .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) +
        '/' + e.scrollWidth + ': ' + (e.textContent || '').trim().slice(0, 50)))
    assert.fail(label + ' is ' + w + ' px wide at 320 px: ' + wide.join(' | '))
  }
  // Without JavaScript each distinct URL is checked once (the replay
  // of axeOf is slow); with it, every page as it stands.
  const url = s.page.url()
  if (!s.js && s.axed.has(url)) return
  s.axed.add(url)
  assert.deepEqual(await axeOf(browser, s.page, s.js), [], label + ': axe violations')
}

async function link (s, name) {
  const a = s.page.getByRole('link', { name, exact: true })
  if (await a.count() !== 1) {
    assert.fail(await a.count() + ' links "' + name + '" on ' + s.page.url() + ': ' +
      await s.page.locator('main').innerText())
  }
  await a.click()
  await s.page.waitForLoadState()
  await check(s, name)
}

async function next (s, name) {
  const b = s.page.locator('#next-step')
  assert.equal((await b.innerText()).trim(), name, 'the next step')
  await b.click()
  await s.page.waitForLoadState()
  await check(s, name)
}

async function submit (s, name, path) {
  await s.page.getByRole('button', { name, exact: true }).click()
  await s.page.waitForLoadState()
  if (path !== undefined && new URL(s.page.url()).pathname !== path) {
    assert.fail(name + ' did not go back to the case: ' + await s.page.locator('main').innerText())
  }
  await check(s, 'after ' + name)
}

async function open (s, path) {
  await s.page.goto(base + path)
  await s.page.waitForLoadState()
  await check(s, path)
}

async function state (s) {
  return (await s.page.locator('main .nhsuk-tag').first().innerText()).trim()
}

async function dateParts (page, id, d) {
  await page.locator('#' + id + '-day').fill(String(d.getUTCDate()))
  await page.locator('#' + id + '-month').fill(String(d.getUTCMonth() + 1))
  await page.locator('#' + id + '-year').fill(String(d.getUTCFullYear()))
}

let nhsSeq = Date.now() % 100000
function nhsNumber () {
  for (;;) {
    const s = '404' + String(100000 + (nhsSeq++ % 800000)).padStart(6, '0')
    let sum = 0
    for (let i = 0; i < 9; i++) sum += Number(s[i]) * (10 - i)
    let check = 11 - (sum % 11)
    if (check === 11) check = 0
    if (check === 10) continue
    return s + check
  }
}

// One journey, JavaScript off for the officer and the liaison officer
// and on for the examiner: every form is sent both ways somewhere, and
// the run stays well under three minutes.
{
  test('a case from notification to closed on the pages, JavaScript on and off', async () => {
    const family = 'Jy' + (Date.now() % 100000)
    const off = await session('officer', false)
    const me = await session('me', true)
    const li = await session('liaison', false)
    try {
      // The officer adds the case and a note.
      await check(off, 'queue')
      await off.page.getByRole('button', { name: 'Add a new case', exact: true }).click()
      await off.page.waitForLoadState()
      await check(off, 'new case form')
      await off.page.getByLabel('Given names').fill('Ada')
      await off.page.getByLabel('Family name').fill(family)
      await off.page.getByLabel('NHS number (optional)').fill(nhsNumber())
      await dateParts(off.page, 'date_of_birth', new Date(Date.UTC(1938, 4, 2)))
      await off.page.getByLabel('Female', { exact: true }).check()
      await dateParts(off.page, 'date_of_death', new Date(Date.now() - 86400000))
      await off.page.getByLabel('Hospital', { exact: true }).check()
      await off.page.getByLabel("Attending practitioner's name").fill('Dr Ward')
      await off.page.getByLabel("Attending practitioner's GMC number").fill('1234567')
      await submit(off, 'Add the case')
      const path = new URL(off.page.url()).pathname
      assert.match(path, /^\/cases\/\d+$/, 'the case page: ' + await off.page.locator('main').innerText())
      await link(off, 'Add a note')
      await off.page.locator('#kind').check()
      await off.page.getByLabel('Note', { exact: true }).fill(T.note)
      await submit(off, 'Save the note', path)
      await link(off, 'Add a bereaved person to contact')
      await off.page.getByLabel('Name', { exact: true }).fill(T.person)
      await off.page.getByLabel('Relationship to the deceased').fill(T.relationship)
      await off.page.getByLabel('Phone number (optional)').fill('07700 900456')
      await submit(off, 'Save the person', path)

      // The examiner starts scrutiny and does it from the task list.
      await open(me, path)
      await next(me, 'Start scrutiny')
      await me.page.getByLabel(/no conflict of interest/).check()
      await submit(me, 'Continue', path)
      assert.equal(await state(me), 'In scrutiny')
      await link(me, 'Review the medical records')
      await me.page.getByLabel('Your review of the medical records').fill(T.review)
      await me.page.locator('#circumstances').check()
      await me.page.locator('#proposed_outcome').check()
      await submit(me, 'Save the review', path)
      await link(me, 'Discuss the death with the attending practitioner')
      assert.equal(await me.page.getByLabel("Practitioner's name").inputValue(), 'Dr Ward', 'the practitioner from the case')
      assert.equal(await me.page.getByLabel("Practitioner's GMC number").inputValue(), '1234567')
      await me.page.locator('#happened').check()
      await me.page.getByLabel('Cause of death the practitioner proposed (optional)').fill(T.disc)
      await me.page.locator('#outcome').check()
      await submit(me, 'Save the discussion', path)
      await link(me, 'Agree the cause of death')
      await me.page.getByLabel(/Part I \(a\)/).fill(T.cod1a)
      await me.page.getByLabel(/Part I \(b\)/).fill(T.cod1b)
      await me.page.getByLabel(/Part II/).fill(T.cod2)
      await me.page.getByLabel('Agreed with the attending practitioner').check()
      await submit(me, 'Save the cause of death', path)
      // Not yet: the bereaved, and who must act.
      let text = await me.page.locator('main').innerText()
      assert.ok(text.includes('Awaiting the MCCD: not yet possible'), 'the move is not offered yet')
      assert.ok(text.includes('The bereaved have not been given the chance to ask questions.'), 'what is missing')
      assert.equal(await me.page.getByRole('link', { name: 'Move to: Awaiting the MCCD', exact: true }).count(), 0)

      // The liaison officer records the contact: a question, a concern.
      await open(li, path)
      await link(li, 'Give the bereaved the chance to ask questions')
      // The person recorded is offered; "Someone else" comes last.
      const who = await li.page.locator('input[name="representative"]').evaluateAll(l => l.map(i => i.value))
      assert.equal(who[who.length - 1], 'other', 'someone else last: ' + who.join())
      await li.page.getByLabel(T.person + ' (' + T.relationship + ')', { exact: true }).check()
      await li.page.locator('#method').check()
      await li.page.locator('#outcome').check()
      await li.page.getByLabel('Their questions (optional)').fill(T.questions)
      await li.page.locator('#concerns_raised').check()
      await li.page.getByLabel('Their concerns (optional)').fill(T.concerns)
      await submit(li, 'Save the contact', path)

      // The examiner decides the concern and finishes scrutiny.
      await open(me, path)
      await link(me, 'Decide on concerns raised')
      assert.ok((await me.page.locator('#concern').innerText()).includes(T.concerns), 'the concern on the governance form')
      await me.page.locator('#kind-1').check()
      await me.page.getByLabel('Reason', { exact: true }).fill(T.gov)
      await submit(me, 'Save', path)
      await next(me, 'Record the outcome of scrutiny')
      await submit(me, 'Continue', path)
      assert.equal(await state(me), 'Awaiting the MCCD')

      // The officer: the MCCD, the final actions, the close.
      await open(off, path)
      await next(off, 'Record that the MCCD was issued')
      await dateParts(off.page, 'mccd_issued_on', new Date())
      await submit(off, 'Continue', path)
      assert.equal(await state(off), 'MCCD issued')
      await link(off, 'Record the final actions')
      await off.page.locator('#disposal-1').check()
      await off.page.getByLabel('Funeral director (optional)').fill(T.funeral)
      await off.page.locator('#implants-2').check()
      await off.page.getByLabel('Implant details (optional)').fill(T.implant)
      await off.page.locator('#gp_notified').check()
      await submit(off, 'Save the final actions', path)
      assert.equal(await off.page.locator('.nhsuk-warning-callout', { hasText: 'Implants not removed before cremation' }).count(), 1,
        'the cremation with implants warning')
      // The closed case is checked again in full, by each reader.
      for (const x of [off, me, li]) x.axed.clear()
      await next(off, 'Close the case')
      await submit(off, 'Continue', path)
      assert.equal(await state(off), 'Closed')

      // Every record, word for word, on the case page.
      text = await off.page.locator('main').innerText()
      for (const t of Object.values(T)) assert.ok(text.includes(t), 'officer: no "' + t + '"')
      assert.ok(text.includes('Dr Jo Examiner'), 'the examiner by name')
      assert.ok(text.includes('Moved from MCCD issued to Closed by Oli Officer'), 'the timeline: ' + text)
      assert.equal(await off.page.locator('#next-step').count(), 0, 'no next step on a closed case')
      await open(me, path)
      text = await me.page.locator('main').innerText()
      for (const t of Object.values(T)) assert.ok(text.includes(t), 'examiner: no "' + t + '"')

      // The liaison officer: the cause of death and the contacts, and
      // no note, discussion or governance text in the HTML at all.
      await open(li, path)
      text = await li.page.locator('main').innerText()
      for (const t of [T.cod1a, T.cod1b, T.cod2, T.person, T.questions, T.concerns, T.funeral]) {
        assert.ok(text.includes(t), 'liaison officer: no "' + t + '"')
      }
      const html = await li.page.content()
      for (const t of [T.note, T.review, T.disc, T.gov]) {
        assert.ok(!html.includes(t), 'liaison officer gets "' + t + '"')
      }

      // A closed case offers no form; its URL says why.
      await open(off, path + '/final-actions')
      assert.ok((await off.page.locator('main').innerText()).includes('This case is closed, so nothing more can be recorded on it'))
    } finally {
      await off.ctx.close()
      await me.ctx.close()
      await li.ctx.close()
    }
  })
}
