// The 大屏: the figures the page was rendered with, fetched again (JSON, the user's scope) every `refresh` seconds
// without reloading the page; the ranking, the trend and the map redrawn from each answer, the time of the figures
// shown. Without JavaScript the page reloads itself (noscript meta refresh).
(function () {
  "use strict";
  var source = document.getElementById("screen-data");
  if (!source) { return; }
  var data = JSON.parse(source.textContent);
  var url = window.location.pathname.replace(/\/screen\/?$/, "/screen.json");
  var charts = {};
  var hasCharts = typeof window.echarts !== "undefined";

  function cell(tag, value, scope) {
    var el = document.createElement(tag);
    if (scope) { el.setAttribute("scope", scope); }
    el.textContent = value;
    return el;
  }

  function ranking(rows) {
    var body = document.querySelector("[data-screen-ranking]");
    if (!body) { return; }
    body.replaceChildren.apply(body, rows.map(function (r) {
      var tr = document.createElement("tr");
      tr.append(cell("td", r.rank), cell("th", r.name, "row"), cell("td", r.n), cell("td", r.closed), cell("td", r.rate));
      return tr;
    }));
  }

  function trend(months) {
    var box = document.querySelector("[data-screen-trend]");
    if (!box || !hasCharts) { return; }
    charts.trend = charts.trend || window.echarts.init(box, null, { renderer: "svg" });
    var ink = "#e6edf3";
    charts.trend.setOption({
      textStyle: { fontSize: 18 }, legend: { top: 0, textStyle: { color: ink, fontSize: 18 } },
      grid: { left: 16, right: 24, top: 48, bottom: 16, containLabel: true },
      xAxis: { type: "category", data: months.labels, axisLabel: { color: ink, fontSize: 16 } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: ink, fontSize: 16 },
        splitLine: { lineStyle: { color: "#30363d" } } },
      series: [
        { name: months.names[0], type: "bar", data: months.entered, itemStyle: { color: "#2f81f7" } },
        { name: months.names[1], type: "line", data: months.closed, itemStyle: { color: "#3fb950" },
          lineStyle: { width: 4 }, symbolSize: 10 }
      ]
    });
  }

  function map(mapData) {
    var box = document.querySelector("[data-screen-map]");
    if (!box || !mapData || !mapData.asset || !hasCharts || !window.halfbuiltMap) { return; }
    window.halfbuiltMap.load(mapData.code, mapData.asset, function () {
      charts.map = charts.map || window.echarts.init(box, null, { renderer: "svg" });
      window.halfbuiltMap.draw(charts.map, mapData, "n", { dark: true, links: false, fill: true, fontSize: 16 });
    });
  }

  function show(d) {
    Object.keys(d.figures).forEach(function (key) {
      var el = document.querySelector('[data-screen="' + key + '"]');
      if (el) { el.textContent = d.figures[key] === "" ? "—" : d.figures[key]; }
    });
    var time = document.querySelector('[data-screen="as_of_text"]');
    time.textContent = d.as_of_text;
    time.setAttribute("datetime", d.as_of);
    ranking(d.ranking);
    trend(d.months);
    map(d.map);
  }

  function refresh() {
    window.fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (d) { show(d); document.body.classList.remove("screen-stale"); })
      .catch(function () { document.body.classList.add("screen-stale"); })
      .then(function () { window.setTimeout(refresh, data.refresh * 1000); });
  }

  function start() {
    hasCharts = typeof window.echarts !== "undefined";
    show(data);
    window.setTimeout(refresh, data.refresh * 1000);
    window.addEventListener("resize", function () { Object.keys(charts).forEach(function (k) { charts[k].resize(); }); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
