// Browser test of the lead ME's spreadsheet import (issue 23): from the
// office overview to the upload, the dry-run report (a bad row named by
// row and column, nothing written), then a clean file checked and
// confirmed, the cases then in the queue; other roles are refused.  With
// JavaScript on and off, axe-core on every step, the pages fitting 390
// and 320 px; screenshots (desktop and 390 px) go to tests/artifacts/.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { artifacts, axeOf, base, launchBrowser, medexctl, password, widthAt } from './lib.mjs'

const users = {
  lead: ['e2ei.lead', 'lead_medical_examiner', 'E2EI'],
  me: ['e2ei.me', 'medical_examiner', 'E2EI']
}
const header = 'given_name,family_name,date_of_birth,sex,date_of_death,' +
  'place_of_death,attending_practitioner_name,attending_practitioner_gmc_number,' +
  'state,examiner\r\n'

let browser

before(async () => {
  mkdirSync(artifacts, { recursive: true })
  medexctl(['office', 'add', 'E2EI', 'Import office'])
  for (const [name, role, office] of Object.values(users)) {
    medexctl(['user', 'add', name, '--role', role, '--office', office,
      '--name', 'Import ' + role.replaceAll('_', ' ')], password + '\n')
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

async function check (page, js, label) {
  assert.deepEqual(await axeOf(browser, page, js), [], label + ': axe violations')
  for (const w of [390, 320]) {
    assert.ok(await widthAt(page, w) <= w, label + ' fits ' + w + ' px')
  }
  await page.setViewportSize({ width: 1280, height: 800 })
}

// Two rows of family name `family`: one in scrutiny with its examiner.
function csv (family, bad) {
  return header +
    `Iris,${family},${bad ? '31/02/1941' : '02/03/1941'},female,01/11/2026,` +
    `hospital,Dr A Brown,1234567,in_scrutiny,e2ei.me\r\n` +
    `Rhys,${family},1950-07-08,male,02/11/2026,home,Dr A Brown,1234567,,\r\n`
}

async function upload (page, name, text) {
  await page.getByLabel('The spreadsheet, saved as CSV').setInputFiles({
    name, mimeType: 'text/csv', buffer: Buffer.from(text)
  })
  await page.getByRole('button', { name: 'Check the file' }).click()
  await page.waitForLoadState()
}

for (const js of [false, true]) {
  test(`the lead ME imports a spreadsheet (JavaScript ${js ? 'on' : 'off'})`, async () => {
    const family = js ? 'Importon' : 'Importoff'
    const { ctx, page } = await session('lead', js)
    await page.goto(base + '/office')
    await page.getByRole('link', { name: 'Import cases from a spreadsheet' }).click()
    await page.waitForLoadState()
    assert.equal(new URL(page.url()).pathname, '/office/import')
    assert.ok(await page.getByRole('link', { name: /template/i }).count() > 0)
    await check(page, js, 'import form')
    if (js) {
      await page.screenshot({ path: join(artifacts, 'import-form.png'), fullPage: true })
    }

    // A bad date of birth in row 2 (the first data row): named, nothing kept.
    await upload(page, family + '-bad.csv', csv(family, true))
    const errors = page.locator('#import-errors')
    await assert.doesNotReject(errors.waitFor())
    const text = await errors.innerText()
    assert.match(text, /date_of_birth/)
    assert.match(text, /\b2\b/)
    assert.equal(await page.getByRole('button', { name: /^Import/ }).count(), 0)
    await check(page, js, 'import errors')
    if (js) {
      await page.screenshot({ path: join(artifacts, 'import-errors.png'), fullPage: true })
    }

    // The clean file: a report, then the confirmation.
    await page.goto(base + '/office/import')
    await upload(page, family + '.csv', csv(family, false))
    const confirm = page.getByRole('button', { name: 'Import 2 cases' })
    assert.equal(await confirm.count(), 1)
    await check(page, js, 'import report')
    if (js) {
      await page.screenshot({ path: join(artifacts, 'import-report.png'), fullPage: true })
      await page.setViewportSize({ width: 390, height: 800 })
      await page.screenshot({ path: join(artifacts, 'import-report-390.png'), fullPage: true })
      await page.setViewportSize({ width: 1280, height: 800 })
    }
    // Nothing in the queue before the confirmation.
    const q = await ctx.newPage()
    await q.goto(base + '/cases?q=' + family)
    assert.equal(await q.getByRole('link', { name: new RegExp(family, 'i') }).count(), 0)
    await confirm.click()
    await page.waitForLoadState()
    assert.match(await page.locator('h1').innerText(), /2 cases imported/)
    await check(page, js, 'imported')
    if (js) {
      await page.screenshot({ path: join(artifacts, 'import-done.png'), fullPage: true })
    }
    await q.goto(base + '/cases?q=' + family)
    assert.equal(await q.getByRole('link', { name: new RegExp(family, 'i') }).count(), 2)
    await ctx.close()
  })
}

test('an examiner has no import page', async () => {
  const { ctx, page } = await session('me', true)
  const r = await page.goto(base + '/office/import')
  assert.equal(r.status(), 403)
  await ctx.close()
})
