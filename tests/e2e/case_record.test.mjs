// Browser test of the case page that shows the whole case (issue 17): a
// case recorded through the API with every kind of record, opened by an
// officer, an examiner and a liaison officer, with JavaScript on and
// off; each sees the sections their role may read (the liaison officer
// no notes, discussions or governance), axe-core finds nothing, and
// neither the page nor its print view is wider than a 320 px screen.
// Screenshots (desktop and 390 px) go to tests/artifacts/; the desktop
// one is also assets/docs/case-page.png, which the README shows.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { artifacts, axeOf, base, launchBrowser, medexctl, password, root, widthAt } from './lib.mjs'

const users = {
  me: ['e2er.me', 'medical_examiner', 'Dr Asha Rao'],
  officer: ['e2er.officer', 'officer', 'Olu Officer'],
  liaison: ['e2er.liaison', 'liaison_officer', 'Lia Liaison']
}

const T = {
  summary: 'Found at home by her daughter, who called 999 at 04:40.',
  review: 'Records reviewed: a decline over months, death expected.',
  disc: 'Pneumonia due to chronic obstructive pulmonary disease',
  gov: 'Daughter worried about the delay in antibiotics',
  cod: 'Community-acquired pneumonia',
  questions: 'Why was she not given antibiotics sooner?',
  concerns: 'The ward did not call us until the morning',
  funeral: 'Hill and Sons Funeral Directors'
}

let browser
let caseId

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

async function build () {
  const off = await token('officer')
  const me = await token('me')
  const nhs = nhsNumber()
  let k = await api(off, 'POST', '/api/v1/cases', {
    given_name: 'Edith',
    family_name: 'Okafor',
    nhs_number: nhs,
    date_of_birth: '1941-03-15',
    sex: 'female',
    ethnicity: 'N',
    date_of_death: '2026-11-01',
    time_of_death: '04:30',
    place_of_death: 'hospital',
    place_detail: 'Ward 7, City Hospital',
    notified_at: '2026-11-01T09:15:00Z',
    priority: { child: false, faith: true, cultural: false, coroner: false, other: false },
    urgent_release: { requested: true, reason: 'faith' },
    attending_practitioner: { name: 'Dr Prakash', gmc_number: '7654321' }
  })
  const id = k.id
  const c = '/api/v1/cases/' + id
  k = await api(me, 'POST', c + '/transitions', { to: 'in_scrutiny', independent: true }, k.version)
  k = await api(off, 'PUT', c + '/assignment', { officer: users.officer[0] }, k.version)
  await api(off, 'POST', c + '/representatives', { name: 'Mary Smith', relationship: 'daughter', phone: '07700 900123', email: 'mary.smith.long.address@example.org', is_informant: true })
  k = await api(off, 'POST', c + '/contacts', {
    person_name: 'Mary Smith', relationship: 'daughter', method: 'phone', outcome: 'reached', at: '2026-11-02T10:00:00Z', questions: T.questions, concerns_raised: true, concerns: T.concerns
  })
  const contact = k.contacts[0].id
  await api(off, 'POST', c + '/contacts', { person_name: 'John Smith', relationship: 'son', method: 'phone', outcome: 'no_answer', at: '2026-11-01T16:00:00Z', concerns_raised: false })
  await api(off, 'POST', c + '/notes', { kind: 'officer_summary', text: T.summary })
  await api(me, 'POST', c + '/notes', { kind: 'record_review', text: T.review, circumstances: 'expected', proposed_outcome: 'mccd' })
  await api(me, 'POST', c + '/practitioner-discussions', { practitioner: { name: 'Dr Prakash', gmc_number: '7654321' }, at: '2026-11-02T12:00:00Z', happened: true, proposed_cause: T.disc, outcome: 'agreed' })
  k = await api(me, 'GET', c)
  k = await api(me, 'PUT', c + '/cause-of-death', { form: 'standard', part1a: T.cod, part1b: 'Chronic obstructive pulmonary disease', part2: 'Type 2 diabetes mellitus', agreed_with_attending_practitioner: true }, k.version)
  await api(me, 'POST', c + '/governance-referrals', { kind: 'patient_safety', reason: T.gov, contact_id: contact })
  k = await api(off, 'GET', c)
  k = await api(off, 'PUT', c + '/final-actions', { disposal: 'cremation', funeral_director: T.funeral, implants: 'present_not_removed', implant_detail: 'Pacemaker', gp_notified: 'notified' }, k.version)
  return id
}

let nhsSeq = Date.now() % 100000
function nhsNumber () {
  for (;;) {
    const s = '403' + String(100000 + (nhsSeq++ % 800000)).padStart(6, '0')
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
  medexctl(['office', 'add', 'E2ER', 'Riverside ME office'])
  for (const [name, role, display] of Object.values(users)) {
    medexctl(['user', 'add', name, '--role', role, '--office', 'E2ER', '--name', display], password + '\n')
  }
  browser = await launchBrowser()
  caseId = await build()
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
  assert.equal(new URL(page.url()).pathname, '/cases', who + ' lands on the queue')
  return { ctx, page }
}

async function narrow (page, label) {
  const w = await widthAt(page, 320)
  assert.ok(w <= 320, label + ' is ' + w + ' px wide at 320 px')
}

for (const who of ['officer', 'me', 'liaison']) {
  for (const js of [true, false]) {
    test(who + ' reads the whole case, JavaScript ' + (js ? 'on' : 'off'), async () => {
      const { ctx, page } = await session(who, js)
      try {
        await page.setViewportSize({ width: 1280, height: 900 })
        await page.goto(base + '/cases/' + caseId)
        const text = await page.locator('main').innerText()
        for (const t of ['The deceased and the notification', 'Black or Black British: African',
          'Ward 7, City Hospital', 'Bereaved people to contact', 'Mary Smith', T.questions, T.concerns,
          'Cause of death', T.cod, 'Final actions', T.funeral, 'Implants not removed before cremation',
          'Urgent release of the body has been requested']) {
          assert.ok(text.includes(t), who + ': no "' + t + '"')
        }
        const full = [T.summary, T.review, T.disc, T.gov]
        const html = await page.content()
        for (const t of full) {
          if (who === 'liaison') assert.ok(!html.includes(t), 'liaison officer sees "' + t + '"')
          else assert.ok(text.includes(t), who + ': no "' + t + '"')
        }
        if (who !== 'liaison') {
          assert.ok(text.includes('Moved from Notified to In scrutiny by Dr Asha Rao'), 'timeline in names')
          assert.ok(text.includes('Contact with Mary Smith (daughter): reached by Olu Officer'), 'contact in the timeline')
          assert.ok(!/ by e2er\./.test(text), 'a username in the timeline')
        }
        // The newest contact first.
        assert.ok(text.indexOf('Mary Smith, ') < text.indexOf('John Smith, '), 'contacts newest first')
        assert.deepEqual(await axeOf(browser, page, js), [], who + ' case page: axe violations')
        if (who === 'officer' && js) {
          await page.screenshot({ path: join(artifacts, 'case-record.png'), fullPage: true })
          copyFileSync(join(artifacts, 'case-record.png'), join(root, 'assets', 'docs', 'case-page.png'))
          await page.setViewportSize({ width: 390, height: 844 })
          await page.screenshot({ path: join(artifacts, 'case-record-390.png'), fullPage: true })
        }
        await narrow(page, who + ' case page')

        await page.setViewportSize({ width: 1280, height: 900 })
        await page.goto(base + '/cases/' + caseId + '/print')
        const ptext = await page.locator('main').innerText()
        assert.ok(ptext.includes('Riverside ME office (E2ER). Printed '), 'print line: ' + ptext.slice(0, 300))
        assert.ok(ptext.includes(' by ' + users[who][2] + '.'), 'printed by')
        assert.ok(ptext.includes(T.cod), 'print view has the cause of death')
        assert.equal(await page.locator('#actions').count(), 0, 'no actions in the print view')
        assert.deepEqual(await axeOf(browser, page, js), [], who + ' print view: axe violations')
        if (who === 'officer' && js) {
          await page.emulateMedia({ media: 'print' })
          await page.screenshot({ path: join(artifacts, 'case-print.png'), fullPage: true })
          const after = await page.evaluate(() => getComputedStyle(document.querySelector('main a') || document.body, '::after').content)
          assert.ok(after === 'none' || after === 'normal', 'no link suffix in print: ' + after)
          assert.equal(await page.locator('header.nhsuk-header').isVisible(), false, 'no header on paper')
          await page.emulateMedia({ media: 'screen' })
        }
        await narrow(page, who + ' print view')
      } finally {
        await ctx.close()
      }
    })
  }
}
