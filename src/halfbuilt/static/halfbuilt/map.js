// The map of the province by league/city, or of one league by county (ECharts; the geometry comes from npm and is
// served locally). An enhancement: the table beside the map holds every figure and link. Used by the dashboard
// (#map-data) and by the 大屏 (screen.js calls window.halfbuiltMap).
(function () {
  "use strict";
  // A geometry file registers its map under a name of its own, its features named in Chinese; it is registered
  // again under the region's code with each feature named by its own code (GB/T 2260), as the figures are keyed.
  var waiting = {};  // code → the callbacks waiting for its geometry file (loaded once)
  function load(code, src, done) {
    var echarts = window.echarts;
    if (echarts.getMap(code)) { done(); return; }
    if (waiting[code]) { waiting[code].push(done); return; }
    waiting[code] = [done];
    var register = echarts.registerMap;
    echarts.registerMap = function (name, geo) {
      echarts.registerMap = register;
      geo.features.forEach(function (f) {
        f.properties = Object.assign({}, f.properties, { name: String(f.id) });
      });
      return register.call(echarts, code, geo);
    };
    var script = document.createElement("script");
    script.src = src;
    script.onload = function () {
      var callbacks = waiting[code];
      delete waiting[code];
      callbacks.forEach(function (callback) { callback(); });
    };
    script.onerror = function () { echarts.registerMap = register; delete waiting[code]; };
    document.head.appendChild(script);
  }

  function text(key, value) {
    if (value === null || value === undefined || isNaN(value)) { return "—"; }
    if (key === "rate") { return (Math.round(value * 10) / 10) + "%"; }
    if (key === "total") { return value.toLocaleString("zh-CN", { maximumFractionDigits: 2 }); }
    return String(value);
  }

  function draw(chart, data, key, options) {
    var opts = options || {};
    var encode = window.echarts.format.encodeHTML;
    var figure = data.figures.filter(function (f) { return f.key === key; })[0] || data.figures[0];
    var values = data.areas.map(function (a) { return a.values[figure.key]; })
      .filter(function (v) { return v !== null; });
    // The scale runs from the smallest value to the largest, so that areas of similar figures still differ.
    var max = Math.max.apply(null, values.concat([1]));
    var min = values.length ? Math.min.apply(null, values) : 0;
    if (min >= max) { min = 0; }
    var ink = opts.dark ? "#e6edf3" : "#1f2328";
    var halo = opts.dark ? "#0d1117" : "#ffffff";
    chart.setOption({
      tooltip: {
        trigger: "item", enterable: true, confine: true, triggerOn: "mousemove|click",
        formatter: function (p) {
          if (!p.data) { return ""; }
          var line = data.line.replace("{figure}", figure.label).replace("{value}", text(figure.key, p.data.raw));
          var html = "<strong>" + encode(p.data.title) + "</strong><br>" + encode(line);
          if (opts.links !== false) {
            html += '<br><a href="' + encode(p.data.url) + '">' + encode(data.view) + "</a>";
            if (p.data.drill) { html += ' · <a href="' + encode(p.data.drill) + '">' + encode(data.down) + "</a>"; }
          }
          return html;
        }
      },
      visualMap: {
        type: "continuous", min: min, max: max, left: 8, bottom: 8, calculable: false, itemHeight: opts.dark ? 180 : 120,
        text: [figure.label + " " + text(figure.key, max), text(figure.key, min)], textStyle: { color: ink, fontSize: opts.fontSize || 12 },
        inRange: { color: opts.dark ? ["#16325c", "#2f81f7", "#f2cc60"] : ["#c6dbef", "#6aa2d8", "#0b4f8a"] }
      },
      // ECharts fits the map into 80% of the box at its own aspect; `fill` (a box about square, the 大屏's) takes
      // 92% of its smaller side instead. Four margins would stretch the map out of its aspect.
      series: [Object.assign(opts.fill ? { layoutCenter: ["52%", "50%"], layoutSize: "92%" } : {}, {
        type: "map", map: data.code, roam: false, selectedMode: false, nameProperty: "name",
        labelLayout: { hideOverlap: true },
        label: { show: true, color: ink, fontSize: opts.fontSize || 11, textBorderColor: halo, textBorderWidth: 3,
          formatter: function (p) { return p.data ? p.data.title : ""; } },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#f0a020" } },
        itemStyle: { borderColor: opts.dark ? "#0d1117" : "#ffffff", borderWidth: 1 },
        data: data.areas.map(function (a) {
          var v = a.values[figure.key];
          return { name: a.code, value: v === null ? NaN : v, raw: v, title: a.name, url: a.url, drill: a.drill };
        })
      })]
    }, true);
  }

  function follow(chart, opts) {
    if (opts && opts.links === false) { return; }
    chart.on("click", function (p) {
      if (p.data) { window.location.href = p.data.drill || p.data.url; }
    });
  }

  window.halfbuiltMap = { load: load, draw: draw, follow: follow };

  function start() {
    var source = document.getElementById("map-data");
    var box = document.querySelector("[data-map]");
    if (!source || !box || typeof window.echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    if (!data.asset) { return; }
    var select = document.getElementById("map-figure");
    load(data.code, data.asset, function () {
      box.classList.add("map-on");
      var chart = window.echarts.init(box, null, { renderer: "svg" });
      draw(chart, data, select ? select.value : "n");
      follow(chart);
      var controls = document.querySelector("[data-map-controls]");
      if (controls) { controls.hidden = false; }
      if (select) { select.addEventListener("change", function () { draw(chart, data, select.value); }); }
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
