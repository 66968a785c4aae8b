// art33: live countdowns. Computed from each deadline and the server's clock at render time, so a
// wrong clock on this device does not move them. Without JavaScript the server-rendered text stays.
(function () {
  "use strict";
  var body = document.body;
  var serverNow = Date.parse(body.getAttribute("data-server-now") || "");
  var offset = isNaN(serverNow) ? 0 : serverNow - Date.now();
  var nl = (document.documentElement.getAttribute("lang") || "nl") === "nl";
  var labels = {
    overdue: nl ? "Termijn verstreken" : "Deadline passed",
    within_4h: nl ? "Nog hooguit 4 uur" : "4 hours or less",
    within_12h: nl ? "Nog hooguit 12 uur" : "12 hours or less",
    within_24h: nl ? "Nog hooguit 24 uur" : "24 hours or less",
    conservative_passed: nl ? "Strikte termijn verstreken" : "Conservative deadline passed",
    more_than_24h: nl ? "Meer dan 24 uur" : "More than 24 hours"
  };
  function band(seconds) {
    if (seconds < 0) return "overdue";
    if (seconds <= 4 * 3600) return "within_4h";
    if (seconds <= 12 * 3600) return "within_12h";
    if (seconds <= 24 * 3600) return "within_24h";
    return "more_than_24h";
  }
  function words(seconds) {
    var sign = seconds < 0 ? "\u2212" : "";
    var s = Math.abs(seconds);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    var hu = nl ? "u" : "h";
    var out = d > 0 ? d + " d " + h + " " + hu + " " + m + " min " : (h > 0 ? h + " " + hu + " " + m + " min " : m + " min ");
    return sign + out + sec + " s";
  }
  // The dashboard's words, as the server writes them (domain::local_time::format_duration_compact):
  // "2 d 23 h", "2 h 59 m", "1 h", "7 m", "< 1 m", without a sign.
  function compact(seconds) {
    var minutes = Math.abs(Math.trunc(seconds / 60));
    var d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
    var hu = nl ? "u" : "h";
    if (d > 0) return h > 0 ? d + " d " + h + " " + hu : d + " d";
    if (h > 0) return m > 0 ? h + " " + hu + " " + m + " m" : h + " " + hu;
    return m > 0 ? m + " m" : "< 1 m";
  }
  function tick() {
    var now = Date.now() + offset;
    var nodes = document.querySelectorAll("[data-deadline]");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      var deadline = Date.parse(el.getAttribute("data-deadline"));
      if (isNaN(deadline)) continue;
      var seconds = Math.floor((deadline - now) / 1000);
      var text = el.querySelector(".countdown");
      // In a table that gives its sentences ("Due in {left}", "{left} overdue"), those; else the
      // long form with seconds.
      var sentences = el.closest("[data-due-in]");
      if (text && sentences) {
        var sentence = sentences.getAttribute(seconds < 0 ? "data-overdue-by" : "data-due-in") || "{left}";
        text.textContent = sentence.replace("{left}", compact(seconds));
      } else if (text) {
        text.textContent = words(seconds);
      }
      var b = band(seconds);
      var conservative = Date.parse(el.getAttribute("data-conservative") || "");
      if (b === "more_than_24h" && !isNaN(conservative) && now >= conservative) b = "conservative_passed";
      var badge = el.querySelector(".urgency");
      if (badge && !badge.classList.contains(b)) {
        badge.className = "urgency " + b;
        badge.textContent = labels[b];
      }
      if (el.classList.contains("clockbox")) el.setAttribute("data-urgency", b);
    }
  }
  // Copy buttons of the AP draft; a print button.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var copy = target.closest("[data-copy]");
    if (copy) {
      var source = document.getElementById(copy.getAttribute("data-copy"));
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.textContent || "").then(function () {
          var label = copy.textContent;
          copy.textContent = copy.getAttribute("data-copied") || label;
          window.setTimeout(function () { copy.textContent = label; }, 1500);
        });
      }
      return;
    }
    if (target.closest("[data-print]")) window.print();
  });
  // A link to a form or field inside a closed <details> (the next step, "More actions", the facts
  // form) opens it: the checklist and the AP draft link there.
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var el = document.getElementById(id);
    if (!el && id.indexOf("edit-") === 0) {
      el = document.querySelector('form[action$="/edit"] [name="' + id.slice(5).replace(/"/g, "") + '"]');
    }
    if (!el) return;
    for (var d = el; d; d = d.parentElement) {
      if (d.tagName === "DETAILS") d.open = true;
    }
    el.scrollIntoView();
    // The next step's button leads to its form: start at its first field.
    var field = el.tagName === "DETAILS" ? el.querySelector("input:not([type=hidden]), select, textarea") : null;
    if (field) field.focus();
  }
  // On a phone a table's rows are stacked (app.css, `table.responsive`) and each cell shows its
  // column's heading before it. The server sends each heading once, in the table's head; it is
  // copied to the cells here rather than repeated in every row (a quarter of the officers'
  // dashboard). A heading marked `data-no-label` labels nothing.
  function labelCells() {
    var tables = document.querySelectorAll("table.responsive");
    for (var t = 0; t < tables.length; t++) {
      var table = tables[t];
      if (!table.tHead || !table.tHead.rows.length) continue;
      var heads = table.tHead.rows[0].cells, labels = [];
      for (var h = 0; h < heads.length; h++) {
        labels.push(heads[h].hasAttribute("data-no-label") ? "" : heads[h].textContent.trim());
      }
      for (var b = 0; b < table.tBodies.length; b++) {
        var rows = table.tBodies[b].rows;
        for (var r = 0; r < rows.length; r++) {
          var cells = rows[r].cells;
          for (var c = 0; c < cells.length && c < labels.length; c++) {
            if (labels[c] && cells[c].tagName === "TD") cells[c].setAttribute("data-label", labels[c]);
          }
        }
      }
    }
  }
  labelCells();
  window.addEventListener("hashchange", reveal);
  reveal();
  if (document.querySelector("[data-deadline]")) {
    tick();
    window.setInterval(tick, 1000);
  }
})();
// Forms that came back with errors: focus moves to the error summary (also `autofocus` in the
// markup), or to the first marked field where a page has no summary; such a page's title then
// starts with "Fout:"/"Error:" too, as the pages with a summary say it from the server.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  var target = summary || document.querySelector("[aria-invalid=\"true\"]");
  if (target && document.activeElement !== target) target.focus();
  if (!summary && target) {
    var prefix = (document.documentElement.getAttribute("lang") || "nl") === "nl" ? "Fout: " : "Error: ";
    if (document.title.indexOf(prefix) !== 0) document.title = prefix + document.title;
  }
})();
