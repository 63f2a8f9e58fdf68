// unspun report: interaction only. Reading works without it. Inlined under a hash-based CSP: no eval, no inline handlers.
(function () {
  "use strict";
  document.documentElement.classList.add("has-js");

  function reportOf(el) { return el.closest(".report"); }

  // The reading layer chosen in this report (its radio carries which marks it shows and which the keyboard reaches).
  function layerOf(report) { return report && report.querySelector("input.layer:checked"); }
  function shownIn(report, mark) {
    var layer = layerOf(report);
    return !layer || mark.matches(layer.dataset.shows);
  }

  function showDetail(mark) {
    var report = reportOf(mark);
    if (!report) return;
    var box = report.querySelector(".detail");
    if (!box) return;
    report.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
    mark.classList.add("active");
    box.textContent = "";
    var seen = {};
    // The clicked mark and every mark it sits inside: all the items covering this point of the text.
    for (var el = mark; el && el !== report; el = el.parentElement) {
      if (el.tagName !== "MARK" || !el.dataset.ref) continue;
      if (el.classList.contains("off") || el.classList.contains("below")) continue;
      if (!shownIn(report, el)) continue;
      var ref = el.dataset.ref;
      if (seen[ref]) continue;
      seen[ref] = true;
      var info = document.getElementById(ref + "-info");
      if (!info) continue;
      var copy = info.cloneNode(true);
      copy.removeAttribute("id");
      copy.querySelectorAll("[id]").forEach(function (n) { n.removeAttribute("id"); });
      var wrap = document.createElement("div");
      wrap.className = "item";
      while (copy.firstChild) wrap.appendChild(copy.firstChild);
      box.appendChild(wrap);
    }
    if (!box.firstChild) {
      box.textContent = "Nothing shown here with the current filters.";
    }
  }

  document.addEventListener("click", function (ev) {
    var mark = ev.target.closest && ev.target.closest("mark.m[data-ref]");
    if (mark) showDetail(mark);
  });
  document.addEventListener("focusin", function (ev) {
    var t = ev.target;
    if (t && t.matches && t.matches("mark.m[data-ref]")) showDetail(t);
  });
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if ((ev.key === "Enter" || ev.key === " ") && t && t.matches && t.matches("mark.m[data-ref]")) {
      ev.preventDefault();
      showDetail(t);
    }
  });

  function applyMinScore(input) {
    var report = reportOf(input);
    var v = parseFloat(input.value) || 0;
    var out = report.querySelector(".min-score-value");
    if (out) out.textContent = v.toFixed(2);
    report.querySelectorAll("mark.k-techniques[data-score]").forEach(function (m) {
      m.classList.toggle("below", parseFloat(m.dataset.score) < v);
    });
  }
  function applyToggles(report) {
    report.querySelectorAll("input.tech-toggle").forEach(function (box) {
      report.querySelectorAll("mark.k-techniques[data-tech='" + box.value + "']").forEach(function (m) {
        m.classList.toggle("off", !box.checked);
      });
    });
  }
  document.addEventListener("input", function (ev) {
    var t = ev.target;
    if (t.classList.contains("min-score")) applyMinScore(t);
  });
  // A layer is chosen: the keyboard reaches that layer's items (only the first piece of each), and its panels open.
  function applyLayer(report) {
    var layer = layerOf(report);
    if (!layer) return;
    report.querySelectorAll(".article mark[tabindex]").forEach(function (m) { m.removeAttribute("tabindex"); });
    report.querySelectorAll(".article mark[id]").forEach(function (m) {
      if (m.matches(layer.dataset.focus)) m.setAttribute("tabindex", "0");
    });
    report.querySelectorAll("details.panel[data-layer]").forEach(function (d) {
      if (d.dataset.layer === layer.value) d.open = true;
    });
    var box = report.querySelector(".detail");
    if (box) box.textContent = "";
    report.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
  }
  function layerFor(report, mark) {
    var found = null;
    report.querySelectorAll("input.layer").forEach(function (input) {
      if (!found && mark.matches(input.dataset.shows)) found = input;
    });
    return found;
  }

  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t.classList.contains("tech-toggle")) applyToggles(reportOf(t));
    if (t.classList.contains("layer")) applyLayer(reportOf(t));
  });
  // Following a link to a mark of another layer (from the summary or a panel) switches to that layer first.
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("a[href^='#']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target || target.tagName !== "MARK") return;
    var report = reportOf(target);
    if (!report || shownIn(report, target)) return;
    var layer = layerFor(report, target);
    if (layer) {
      layer.checked = true;
      applyLayer(report);
    }
  });
  document.querySelectorAll(".report").forEach(function (r) {
    applyToggles(r);
    applyLayer(r);
    var s = r.querySelector("input.min-score");
    if (s) applyMinScore(s);
  });

  // Printing: every panel open (fact-checkers file the printout), then as it was.
  var closedForPrint = [];
  window.addEventListener("beforeprint", function () {
    closedForPrint = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
    closedForPrint.forEach(function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () {
    closedForPrint.forEach(function (d) { d.open = false; });
    closedForPrint = [];
  });

})();
