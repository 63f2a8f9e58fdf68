// unspun report: interaction only. Reading works without it. Inlined under a hash-based CSP: no eval, no inline handlers.
(function () {
  "use strict";
  document.documentElement.classList.add("has-js");

  function reportOf(el) { return el.closest(".report"); }

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
  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t.classList.contains("tech-toggle")) applyToggles(reportOf(t));
  });
  document.querySelectorAll(".report").forEach(function (r) {
    applyToggles(r);
    var s = r.querySelector("input.min-score");
    if (s) applyMinScore(s);
  });

})();
