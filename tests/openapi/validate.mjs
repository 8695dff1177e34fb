// Every answer the tests received, checked against the OpenAPI document
// the server serves: the route (path template and method), the status
// (documented for that operation) and, for a JSON body, its schema.
//
//   node validate.mjs DOC.json RESPONSES.jsonl
//
// RESPONSES.jsonl is what tests/lib/testlib.c appends when
// MEDEX_TEST_RESPONSES names it: one {"test", "method", "path",
// "status", "content_type", "request_id", "body"} per line; answers
// without X-Request-Id are not medex's (a front proxy's) and are left out.  Answers to paths the
// document does not describe (pages, assets) are left alone, except
// under /api/, where an unknown path must be a 404 and a method the
// path does not take a 405, both with the Error body.  Exits 1 naming
// each answer that does not match: its test line, route, status and the
// schema's complaint.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import Ajv2020 from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

const DOC_ID = 'medex-openapi'

function pointer (...parts) {
  return parts.map(p => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')
}

// A checker of answers against one document.
export function makeValidator (doc) {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addSchema(doc, DOC_ID)
  const templates = Object.keys(doc.paths).map(t => ({
    template: t,
    params: (t.match(/\{/g) || []).length,
    re: new RegExp('^' + t.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+') + '$')
  })).sort((a, b) => a.params - b.params)
  const compiled = new Map()

  function schemaAt (ref) {
    if (!compiled.has(ref)) compiled.set(ref, ajv.getSchema(DOC_ID + '#' + ref))
    return compiled.get(ref)
  }

  // The response object and its JSON pointer (following a $ref).
  function response (template, method, status) {
    const responses = doc.paths[template][method].responses
    const key = [status, status[0] + 'XX', 'default'].find(k => responses[k])
    if (!key) return { r: undefined }
    let r = responses[key]
    let at = '/' + pointer('paths', template, method, 'responses', key)
    if (r && r.$ref) {
      at = r.$ref.slice(1)
      r = r.$ref.split('/').slice(1).reduce((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
    }
    return { r, at }
  }

  function errorBody (body) {
    const v = schemaAt('/components/schemas/Error')
    return v(body) ? null : v.errors
  }

  // null when the answer matches, else a sentence saying why not.
  return function check (a) {
    // Not medex's answer (every one carries X-Request-Id): the front
    // proxy's redirect to HTTPS in test_scale_out, say.
    if (!a.request_id) return null
    const path = a.path.split('?')[0]
    const method = a.method.toLowerCase()
    const status = String(a.status)
    const hit = templates.find(t => t.re.test(path))
    if (!hit) {
      // Pages are not the API; /api/docs is the page of this document.
      if (!path.startsWith('/api/') || path === '/api/docs') return null
      if (a.status !== 404) return `no such route, yet status ${status}`
      if (a.body === null) return 'no such route: a 404 without the Error body'
      const e = errorBody(a.body)
      return e ? 'no such route: ' + ajv.errorsText(e) : null
    }
    a.route = method.toUpperCase() + ' ' + hit.template
    const op = doc.paths[hit.template][method]
    if (!op) {
      if (a.status !== 405) return `${method.toUpperCase()} is not described for ${hit.template}, yet status ${status}`
      const e = a.body === null ? [{ message: 'no JSON body' }] : errorBody(a.body)
      return e ? 'method not allowed: ' + ajv.errorsText(e) : null
    }
    const { r, at } = response(hit.template, method, status)
    if (!r) return `status ${status} is not documented (documented: ${Object.keys(op.responses).join(', ')})`
    const ct = (a.content_type || '').split(';')[0].trim().toLowerCase()
    if (!r.content) {
      return a.body === null && ct === '' ? null : `status ${status} is documented without a body, yet one came (${ct})`
    }
    if (!r.content[ct]) return `content type ${ct || '(none)'} is not documented for status ${status}`
    if (ct !== 'application/json') return null
    if (a.body === null) return 'the body is not JSON'
    const v = schemaAt(at + '/' + pointer('content', 'application/json', 'schema'))
    if (!v) return `no schema at ${at}`
    return v(a.body) ? null : ajv.errorsText(v.errors, { separator: '; ' })
  }
}

export function readLines (file) {
  return readFileSync(file, 'utf8').split('\n').filter(l => l !== '').map(l => JSON.parse(l))
}

function main () {
  const [docFile, respFile] = process.argv.slice(2)
  const check = makeValidator(JSON.parse(readFileSync(docFile, 'utf8')))
  const answers = readLines(respFile)
  let checked = 0
  let bodies = 0
  const foreign = answers.filter(a => !a.request_id).length
  const failures = []
  for (const a of answers) {
    const why = check(a)
    if (a.route) {
      checked++
      if (a.body !== null) bodies++
    }
    if (why) failures.push(`${a.test}: ${a.method} ${a.path} -> ${a.status} (${a.route || 'no route'}): ${why}`)
  }
  const shown = failures.slice(0, 50)
  for (const f of shown) console.log('openapi: ' + f)
  if (failures.length > shown.length) console.log(`openapi: ... and ${failures.length - shown.length} more`)
  console.log(`openapi: ${answers.length} answers recorded (${foreign} not from medex), ${checked} of documented routes checked (${bodies} JSON bodies against their schema), ${failures.length} not as documented`)
  process.exit(failures.length === 0 && checked > 0 ? 0 : 1)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main()
