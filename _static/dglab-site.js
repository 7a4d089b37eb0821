// The course website's own script (Jupyter Book adds every .js under _static/ to every page).
// A box that scrolls sideways (a wide equation, a table, an output, a widget box) must be
// reachable with the keyboard to be scrolled without a mouse (WCAG 2.1.1, axe's
// scrollable-region-focusable). pydata-sphinx-theme does this for code and cell outputs; this
// covers the boxes the course adds. It runs again when the page's layout changes (MathJax
// typesetting, widgets rendering, a resize).
(function () {
  var SCROLLERS = ["div.math", "mjx-container", ".cell_output .output.text_html",
                   ".cell_output .widget-box", ".dglab-explorer-html", "div.highlight",
                   "div.admonition"].join(", ");
  function update() {
    document.querySelectorAll(SCROLLERS).forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      var style = getComputedStyle(box);
      var scrollable = /(auto|scroll)/.test(style.overflowX + style.overflowY);
      if (scrolls && scrollable) {
        if (!box.hasAttribute("tabindex")) { box.setAttribute("tabindex", "0"); }
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  var pending = null;
  function later() { clearTimeout(pending); pending = setTimeout(update, 100); }
  document.addEventListener("DOMContentLoaded", function () {
    update();
    window.addEventListener("resize", later);
    new MutationObserver(later).observe(document.body, {subtree: true, childList: true});
  });
})();

// A solution's title ("Solution to Exercise 5.2") links to its exercise, and the title is also
// the dropdown's toggle: a click on the link should open the solution the reader asked for, not
// jump back up to the exercise. sphinx-togglebutton's title handler only knows clicks on the title
// itself or its button (a click on the link finds no button), so this listener, in the capture
// phase before it, keeps the click from the link and the title and presses the toggle button.
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest(".solution .admonition-title a");
  if (!link || !link.closest(".dropdown, .toggle")) { return; }
  event.preventDefault();
  event.stopPropagation();
  var button = link.closest(".admonition-title").querySelector(".toggle-button");
  if (button) { button.click(); }
}, true);
