// Front-end initialisation, loaded as <script type="module" src=".../js/init.mjs">.
// Replaces the GOV.UK template's inline script, which a strict CSP
// (script-src 'self') forbids.
import { initAll as govukInitAll } from "../vendor/govuk/govuk-frontend.min.js";
import { initAll as mojInitAll } from "../vendor/moj/moj-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");

govukInitAll();
mojInitAll();

document.addEventListener("click", (event) => {
  const button = event.target instanceof Element
    ? event.target.closest("button[data-app-print]")
    : null;
  if (button) {
    event.preventDefault();
    window.print();
  }
});
