// medex: start NHS.UK frontend's components.  Loaded as a module, so it
// runs only in browsers that NHS.UK frontend supports; the pages work
// without it (every action is a plain form POST).
import { initAll } from './nhsuk-frontend.min.js'

// NHS.UK frontend's radios script marks a radio that reveals details
// with aria-expanded, which ARIA does not allow on a radio (axe-core:
// aria-allowed-attr).  Its aria-controls stays; aria-expanded goes as
// soon as it is set.
function dropRadioExpanded (records) {
  for (const r of records) {
    const el = r.target
    if (el instanceof HTMLInputElement && el.type === 'radio' &&
        el.hasAttribute('aria-expanded')) {
      el.removeAttribute('aria-expanded')
    }
  }
}

new MutationObserver(dropRadioExpanded).observe(document.body, {
  subtree: true, attributes: true, attributeFilter: ['aria-expanded']
})

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported')
initAll()
for (const el of document.querySelectorAll('input[type="radio"][aria-expanded]')) {
  el.removeAttribute('aria-expanded')
}
