// halfbuilt: tiny progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Ask before irreversible status actions (forms carry data-confirm with the question).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // Avoid double submission of writes; GET forms (filters) stay re-submittable.
    if ((form.getAttribute("method") || "get").toLowerCase() === "post") {
      var buttons = form.querySelectorAll("button[type=submit], input[type=submit]");
      window.setTimeout(function () {
        buttons.forEach(function (b) { b.disabled = true; });
      }, 0);
    }
  });

  // The list counts only a few pages ahead; the exact total is fetched on request (it is slow at 1M rows).
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-count-link]");
    if (!link) { return; }
    event.preventDefault();
    var box = link.parentNode;
    link.textContent = "正在统计…";
    fetch(link.href, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        box.querySelector("[data-count]").textContent = d.count;
        box.querySelector("[data-count-qualifier]").textContent = "";
        link.remove();
      })
      .catch(function () { link.textContent = "统计失败，请重试"; });
  });

  // Move focus to the first field with an error, so keyboard and screen-reader users land on it.
  document.addEventListener("DOMContentLoaded", function () {
    // On a phone the filter panel would hide the results; fold it unless filters are in use.
    if (window.matchMedia("(max-width: 640px)").matches) {
      document.querySelectorAll("details[data-collapse-narrow]").forEach(function (d) { d.open = false; });
    }
    var invalid = document.querySelector("[aria-invalid=true]");
    if (invalid) { invalid.focus(); }
    followImportJob();
    showChosenMethod();
  });

  // An import running in the worker: poll its status, reload the page when it is done (the page has a link too).
  function followImportJob() {
    var box = document.getElementById("job-progress");
    if (!box) { return; }
    function tick() {
      fetch(box.getAttribute("data-status-url"), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (d) {
          box.querySelector("progress").value = d.progress;
          box.querySelector(".pct").textContent = d.progress + "%";
          box.querySelector(".state").textContent = d.status_label;
          if (d.running) { window.setTimeout(tick, 1500); } else { window.location.reload(); }
        })
        .catch(function () { window.setTimeout(tick, 5000); });
    }
    window.setTimeout(tick, 1500);
  }

  // The plan form: show only the chosen method's section (without this every section stays visible and works).
  function showChosenMethod() {
    var select = document.getElementById("id_method");
    var sections = document.querySelectorAll(".method-section");
    if (!select || sections.length < 2) { return; }
    function sync() {
      sections.forEach(function (s) {
        s.hidden = select.value !== "" && s.getAttribute("data-method") !== select.value;
      });
      document.querySelectorAll(".method-hint").forEach(function (h) { h.hidden = select.value !== ""; });
    }
    select.addEventListener("change", sync);
    sync();
  }
})();
