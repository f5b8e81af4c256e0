// The header's menu is a <details> disclosure (it works without this file). On a wide screen it
// is kept open, so the navigation shows as a row of links; on a phone it starts closed.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48rem)");
  function place() {
    document.querySelectorAll("details[data-menu]").forEach(function (menu) {
      menu.open = wide.matches;
    });
  }
  document.addEventListener("DOMContentLoaded", place);
  wide.addEventListener("change", place);
})();
