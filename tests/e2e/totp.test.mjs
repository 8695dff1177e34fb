// Browser test of two-step sign-in (issue 20, "Accounts"), with
// JavaScript on and off: from the user's own page, set it up (the key
// shown as text, the recovery codes shown once), turn it on with a code
// computed here from the key the page shows (RFC 6238, as an
// authenticator app would), sign out, be refused without the code, sign
// in with the next one.  axe-core with zero violations and no sideways
// scrolling at 320 px on each new page.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { artifacts, axeOf, base, launchBrowser, medexctl, password, widthAt } from './lib.mjs'

let browser

before(async () => {
  mkdirSync(artifacts, { recursive: true })
  medexctl(['office', 'add', 'E2ETOTP', 'Two-step test office'])
  for (const x of ['a', 'b']) {
    medexctl(['user', 'add', 'e2e.totp.' + x, '--role', 'medical_examiner',
      '--office', 'E2ETOTP', '--name', 'Dr Two Step ' + x], password + '\n')
  }
  browser = await launchBrowser()
})

after(async () => {
  if (browser) await browser.close()
})

function base32 (s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  const out = []
  for (const c of s.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c)
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

// RFC 6238 with the parameters the page's otpauth:// link names.
function totp (secret, at) {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30)))
  const mac = createHmac('sha1', base32(secret)).update(counter).digest()
  const o = mac[mac.length - 1] & 15
  const n = (mac.readUInt32BE(o) & 0x7fffffff) % 1000000
  return String(n).padStart(6, '0')
}

// The codes are of this step and the next: start early in a step.
async function freshStep () {
  const s = Math.floor(Date.now() / 1000) % 30
  if (s > 10) await new Promise(resolve => setTimeout(resolve, (30 - s) * 1000))
}

async function check (page, js, name, shot) {
  assert.deepEqual(await axeOf(browser, page, js), [], name + ': axe')
  if (js && shot) {
    await page.setViewportSize({ width: 1280, height: 900 })
    await page.screenshot({ path: join(artifacts, shot + '.png'), fullPage: true })
  }
  const w = await widthAt(page, 320)
  assert.ok(w <= 320, name + ' scrolls sideways at 320 px: ' + w + ' (' + page.url() + ')')
  await page.setViewportSize({ width: 1280, height: 900 })
}

async function signIn (page, username, code) {
  await page.goto(base + '/login')
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password', { exact: true }).fill(password)
  if (code) await page.getByLabel('Security code').fill(code)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForLoadState()
}

async function submit (page, name) {
  await page.getByRole('button', { name }).click()
  await page.waitForLoadState()
}

for (const js of [true, false]) {
  test('two-step sign-in, JavaScript ' + (js ? 'on' : 'off'), async () => {
    const user = 'e2e.totp.' + (js ? 'a' : 'b')
    const ctx = await browser.newContext({ javaScriptEnabled: js })
    const page = await ctx.newPage()
    await freshStep()
    const t0 = Date.now() / 1000

    // Without it, the password alone signs in (the code left empty).
    await signIn(page, user)
    assert.ok(page.url().endsWith('/cases'), page.url())
    await check(page, js, 'sign-in page')

    // The user's own page links to the set-up.
    await page.goto(base + '/account/password')
    await page.getByRole('link', { name: 'Set up or turn off two-step sign-in' }).click()
    await page.waitForLoadState()
    assert.ok(page.url().endsWith('/account/two-step'), page.url())
    assert.ok((await page.content()).includes('Two-step sign-in is off'))
    await check(page, js, 'two-step page', js ? 'two-step' : null)

    await submit(page, 'Set up two-step sign-in')
    const secret = (await page.locator('#otp-secret').textContent()).trim()
    assert.match(secret, /^[A-Z2-7]{32}$/)
    const uri = (await page.locator('#otp-uri').textContent()).trim()
    assert.ok(uri.startsWith('otpauth://totp/') && uri.includes('secret=' + secret), uri)
    const codes = await page.locator('#otp-recovery-codes li').allTextContents()
    assert.equal(codes.length, 10)
    await check(page, js, 'set-up page', js ? 'two-step-setup' : null)

    // A wrong code first: the form again, in words.
    const code = totp(secret, t0)
    await page.getByLabel('Security code').fill(code === '000000' ? '111111' : '000000')
    await submit(page, 'Turn on two-step sign-in')
    assert.ok((await page.content()).includes('Enter the code your authenticator app shows now'))
    await check(page, js, 'wrong code')
    await page.getByLabel('Security code').fill(code)
    await submit(page, 'Turn on two-step sign-in')
    assert.ok(page.url().endsWith('/account/two-step?done=on'), page.url())
    assert.ok((await page.content()).includes('Two-step sign-in is on'))
    await check(page, js, 'two-step on')

    await submit(page, 'Sign out')
    assert.ok(page.url().includes('/login'), page.url())

    // The password alone is not enough now.
    await signIn(page, user)
    assert.ok(page.url().includes('/login'), page.url())
    assert.ok((await page.content()).includes('Enter the security code from your authenticator app'))
    await check(page, js, 'code required', js ? 'two-step-signin' : null)

    // The code used to turn it on works no second time; the next does.
    await signIn(page, user, code)
    assert.ok((await page.content()).includes('The security code is not right'))
    await signIn(page, user, totp(secret, t0 + 30))
    assert.ok(page.url().endsWith('/cases'), page.url())

    // Turned off with a recovery code; then the password alone again.
    await page.goto(base + '/account/two-step')
    await page.getByLabel('Security code').fill(codes[0].trim())
    await submit(page, 'Turn off two-step sign-in')
    assert.ok(page.url().endsWith('/account/two-step?done=off'), page.url())
    await submit(page, 'Sign out')
    await signIn(page, user)
    assert.ok(page.url().endsWith('/cases'), page.url())
    await ctx.close()
  })
}
