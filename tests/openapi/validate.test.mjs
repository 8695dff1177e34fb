// The validator is a real check: a real answer the HTTP tests recorded
// passes, and the same answer with a required field taken out, a field
// of the wrong type, a field the document does not know, or a status the
// operation does not document, each fails.  Without this, a validator
// that accepts everything would pass the suite.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { makeValidator, readLines } from './validate.mjs'

const doc = JSON.parse(readFileSync(process.env.MEDEX_OPENAPI_DOC, 'utf8'))
const answers = readLines(process.env.MEDEX_TEST_RESPONSES)
const check = makeValidator(doc)
const caseRead = /^\/api\/v1\/cases\/[0-9]+$/

function realAnswer (pred, what) {
  const a = answers.find(pred)
  assert.ok(a, `no recorded answer: ${what}`)
  assert.equal(check(structuredClone(a)), null, `the real answer fails: ${what}`)
  return a
}

test('a whole case without its state is refused', () => {
  const a = realAnswer(x => x.method === 'GET' && caseRead.test(x.path) &&
    x.status === 200 && x.body && 'notes' in x.body, 'GET a case, 200')
  const broken = structuredClone(a)
  delete broken.body.state
  const why = check(broken)
  assert.ok(why, 'the validator accepted a case without state')
  assert.match(why, /state/)
})

test('a case with a wrong type, an unknown field or a bad enum is refused', () => {
  const a = realAnswer(x => x.method === 'GET' && caseRead.test(x.path) &&
    x.status === 200 && x.body, 'GET a case, 200')
  for (const [what, change] of [
    ['version as a string', b => { b.version = String(b.version) }],
    ['an unknown field', b => { b.colour = 'red' }],
    ['a state that is not one', b => { b.state = 'lost' }],
    ['a practitioner without gmc_number', b => { delete b.attending_practitioner.gmc_number }]
  ]) {
    const broken = structuredClone(a)
    change(broken.body)
    assert.ok(check(broken), `the validator accepted ${what}`)
  }
})

test('an error without its code, and an undocumented status, are refused', () => {
  const a = realAnswer(x => x.status === 404 && x.body && x.body.error, 'a 404')
  const broken = structuredClone(a)
  delete broken.body.error.code
  assert.ok(check(broken), 'the validator accepted an error without code')
  const odd = structuredClone(a)
  odd.status = 418
  assert.match(check(odd) || '', /not documented|yet status/)
})
