// baocao status tables: filter by group and state, sort by column within each group (a tbody
// opened by its heading row). Shipped with the site (no CDN); without script the tables are
// complete and readable.
(function () {
  "use strict";

  function setup() {
    var tables = Array.prototype.slice.call(document.querySelectorAll("table[data-bc-table]"));
    if (!tables.length) return;
    var form = document.querySelector("form[data-bc-filters]");
    if (form) {
      form.hidden = false;
      form.addEventListener("submit", function (e) { e.preventDefault(); });
      Array.prototype.forEach.call(form.querySelectorAll("select[data-filter]"), function (sel) {
        sel.addEventListener("change", function () { apply(form, tables); });
      });
      var params = new URLSearchParams(window.location.search);
      Array.prototype.forEach.call(form.querySelectorAll("select[data-filter]"), function (sel) {
        var v = params.get(sel.getAttribute("data-filter"));
        if (v !== null) sel.value = v;
      });
      apply(form, tables);
    }
    tables.forEach(sortable);
  }

  function apply(form, tables) {
    var wanted = {};
    Array.prototype.forEach.call(form.querySelectorAll("select[data-filter]"), function (sel) {
      wanted[sel.getAttribute("data-filter")] = sel.value;
    });
    var shown = 0, total = 0;
    tables.forEach(function (table) {
      var here = 0;
      Array.prototype.forEach.call(table.tBodies, function (body) {
        var inGroup = 0;
        unitRows(body).forEach(function (row) {
          var ok = Object.keys(wanted).every(function (k) {
            return !wanted[k] || row.getAttribute("data-" + k) === wanted[k];
          });
          row.hidden = !ok;
          total += 1;
          if (ok) { shown += 1; here += 1; inGroup += 1; }
        });
        body.hidden = inGroup === 0;  // a group with no row shown goes, heading and all
      });
      // An empty result says so instead of leaving bare headers.
      var stage = table.getAttribute("data-stage");
      Array.prototype.forEach.call(document.querySelectorAll("[data-bc-empty]"), function (empty) {
        if (empty.getAttribute("data-bc-empty") === stage) empty.hidden = here > 0;
      });
      table.hidden = here === 0;
    });
    var out = form.querySelector("[data-bc-shown]");
    if (out) out.textContent = "Đang hiện " + shown + "/" + total + " dòng";
  }

  function unitRows(body) {
    return Array.prototype.filter.call(body.rows, function (row) { return !row.hasAttribute("data-group-head"); });
  }

  function sortable(table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      if (!th.hasAttribute("data-sort-key")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "bc-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        Array.prototype.forEach.call(table.tBodies, function (body) {
          var rows = unitRows(body);
          rows.sort(function (a, b) {
            var x = a.cells[col].getAttribute("data-sort") || a.cells[col].textContent;
            var y = b.cells[col].getAttribute("data-sort") || b.cells[col].textContent;
            var r = x.localeCompare(y, "vi");
            return asc ? r : -r;
          });
          rows.forEach(function (r) { body.appendChild(r); });  // after the group's heading row
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
