// What every browser test file shares: where the server and medexctl
// are (scripts/test-http.sh sets MEDEX_TEST_URL and MEDEX_TEST_OUT), how
// Debian's chromium is started, and the axe-core check.  The files keep
// their own users, offices and journeys.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)
const here = dirname(fileURLToPath(import.meta.url))
export const root = join(here, '..', '..')
export const base = process.env.MEDEX_TEST_URL
export const out = process.env.MEDEX_TEST_OUT
export const artifacts = join(root, 'tests', 'artifacts')
export const password = 'e2e correct horse battery'
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

// medexctl of the build under test; an office or user that is already
// there (another file made it) is not an error.
export function medexctl (args, input) {
  try {
    execFileSync(join(out, 'medexctl'), args, { input, stdio: ['pipe', 'ignore', 'ignore'] })
  } catch (e) {
    // already there
  }
}

export function launchBrowser () {
  return chromium.launch({
    executablePath: process.env.MEDEX_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
      '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync']
  })
}

// axe-core's WCAG 2.2 AA and best-practice rules on the page as it is.
// Through the DevTools protocol: the page's CSP (rightly) refuses an
// injected <script>, and the page itself is not changed.
export async function axe (page) {
  await page.evaluate(axeSource)
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }
    })
    return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))
  })
}

// axe on the page as a browser without JavaScript shows it: its HTML is
// replayed into a fresh context without the module script.
export async function axeOf (browser, page, js) {
  if (js) return axe(page)
  const html = await page.content()
  const ctx = await browser.newContext()
  const p = await ctx.newPage()
  const url = page.url()
  await p.route(url, route => route.fulfill({
    status: 200,
    contentType: 'text/html; charset=utf-8',
    body: html.replace(/<script type="module"[^>]*><\/script>/g, '')
  }))
  await p.goto(url)
  const v = await axe(p)
  await ctx.close()
  return v
}

// The page's width after the viewport is set to `width`: a resize is
// laid out on a later frame, and a loaded machine took long enough that
// the width of the previous size (390 px) was read at 320 (a failed run
// of people.test.mjs: 358 px).  Waits up to 3 s for the page to fit, then
// answers what it measures, fitting or not.
export async function widthAt (page, width) {
  await page.setViewportSize({ width, height: 800 })
  try {
    await page.waitForFunction((w) => document.documentElement.scrollWidth <= w,
      width, { timeout: 3000 })
  } catch (e) {
    // Measured and reported by the caller.
  }
  return page.evaluate(() => document.documentElement.scrollWidth)
}
