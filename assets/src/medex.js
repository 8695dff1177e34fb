// medex: start NHS.UK frontend's components.  Loaded as a module, so it
// runs only in browsers that NHS.UK frontend supports; the pages work
// without it (every action is a plain form POST).
import { initAll } from './nhsuk-frontend.min.js'

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported')
initAll()
