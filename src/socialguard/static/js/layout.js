// Small layout helpers; every page works without them.
// 1. The header's menu is a <details> disclosure. On a wide screen it is kept open, so the
//    navigation shows as a row of links; on a phone it starts closed.
// 2. A table too wide for the screen scrolls sideways: it is made focusable and named, so that
//    it can be scrolled from the keyboard too (WCAG 2.1.1).
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48rem)");
  function placeMenu() {
    document.querySelectorAll("details[data-menu]").forEach(function (menu) {
      menu.open = wide.matches;
    });
  }
  function markScrollingTables() {
    document.querySelectorAll("table.table, .table-scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        if (box.tagName !== "TABLE") box.setAttribute("role", "region");
        var caption = box.querySelector("caption");
        var heading = box.closest("section") && box.closest("section").querySelector("h2");
        var name = (caption || heading || {}).textContent || "Table";
        box.setAttribute("aria-label", name.trim() + " (scroll sideways to see every column)");
        box.classList.add("is-scrolling");
      } else if (!scrolls && box.classList.contains("is-scrolling")) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        box.classList.remove("is-scrolling");
      }
    });
  }
  function place() {
    placeMenu();
    markScrollingTables();
  }
  document.addEventListener("DOMContentLoaded", place);
  wide.addEventListener("change", place);
  window.addEventListener("resize", markScrollingTables);
})();
