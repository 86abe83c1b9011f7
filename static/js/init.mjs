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

// A table wider than its wrapper scrolls sideways: the wrapper then becomes a labelled region a keyboard
// can reach and scroll (WCAG 2.1.1; axe "scrollable-region-focusable"). A wrapper that does not scroll
// stays out of the tab order. The label is the table's caption, else the heading before it.
function labelFor(wrapper) {
  const caption = wrapper.querySelector("caption");
  if (caption && caption.textContent.trim()) return caption.textContent.trim();
  let node = wrapper.previousElementSibling;
  while (node && !/^H[1-6]$/.test(node.tagName)) node = node.previousElementSibling;
  return node ? node.textContent.trim() : "Table";
}

function markScrollingTables() {
  for (const wrapper of document.querySelectorAll(".app-table-wrapper")) {
    if (wrapper.dataset.appFixed === undefined) {
      wrapper.dataset.appFixed = wrapper.hasAttribute("tabindex") ? "yes" : "no";
    }
    if (wrapper.dataset.appFixed === "yes") continue;
    if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
      wrapper.setAttribute("tabindex", "0");
      wrapper.setAttribute("role", "region");
      wrapper.setAttribute("aria-label", `${labelFor(wrapper)} (scrolls sideways)`);
    } else {
      wrapper.removeAttribute("tabindex");
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("aria-label");
    }
  }
}

markScrollingTables();
window.addEventListener("resize", markScrollingTables);
document.addEventListener("htmx:afterSettle", markScrollingTables);
