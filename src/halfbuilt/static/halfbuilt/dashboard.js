// The dashboard's charts (ECharts, served locally): an enhancement of the tables beside them, which hold the
// same figures and the links; without JavaScript or without the asset the page is the tables alone.
(function () {
  "use strict";
  function start() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var charts = [];
    function make(name, option) {
      var box = document.querySelector('[data-chart="' + name + '"]');
      if (!box) { return; }
      box.classList.add("chart-on");
      var chart = window.echarts.init(box, null, { renderer: "svg" });
      chart.setOption(option);
      charts.push(chart);
    }
    function pie(name) {
      var d = data[name];
      make(name, {
        tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: ["35%", "65%"], label: { formatter: "{b}\n{c}" },
          data: d.labels.map(function (label, i) { return { name: label, value: d.values[i] }; })
            .filter(function (item) { return item.value > 0; }) }]
      });
    }
    function bars(name, horizontal) {
      var d = data[name];
      var names = Object.keys(d.series);
      var category = { type: "category", data: d.labels, axisLabel: { interval: 0 } };
      var value = { type: "value", minInterval: 1 };
      make(name, {
        tooltip: { trigger: "axis" }, legend: { data: names, top: 0 },
        grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
        xAxis: horizontal ? value : category, yAxis: horizontal ? Object.assign(category, { inverse: true }) : value,
        series: names.map(function (n) { return { name: n, type: "bar", data: d.series[n] }; })
      });
    }
    pie("kind"); pie("stage"); pie("method");
    bars("leagues", true); bars("months", false);
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
