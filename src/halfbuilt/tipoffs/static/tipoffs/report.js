// The tip-off form: "use my position" fills latitude and longitude from the phone's location (asked only on a
// tap; nothing is sent anywhere but this form). Without geolocation the button stays hidden.
(function () {
  "use strict";
  var button = document.querySelector("[data-locate]");
  if (!button || !navigator.geolocation) { return; }
  var status = document.querySelector("[data-locate-status]");
  button.hidden = false;
  button.addEventListener("click", function () {
    status.textContent = button.getAttribute("data-locating");
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("id_latitude").value = position.coords.latitude.toFixed(6);
      document.getElementById("id_longitude").value = position.coords.longitude.toFixed(6);
      status.textContent = button.getAttribute("data-located");
    }, function () {
      status.textContent = button.getAttribute("data-failed");
    }, {enableHighAccuracy: true, timeout: 15000});
  });
}());

// The map to pick the place on (picker.py's #pick-map-data; map.js loads the geometry): a click on a league
// fills the position and shows that league by county; a click on a county fills the position and selects the
// county in the region field. A marker shows the point picked. Without ECharts or the data, the region and
// address fields (and latitude and longitude typed by hand) are the way; so they stay for keyboard users.
(function () {
  "use strict";
  var source = document.getElementById("pick-map-data");
  var box = document.querySelector("[data-pick-map]");
  if (!source || !box || typeof window.echarts === "undefined" || !window.halfbuiltMap) { return; }
  var data = JSON.parse(source.textContent);
  var wrap = document.querySelector("[data-pick-wrap]");
  var up = document.querySelector("[data-pick-up]");
  var status = document.querySelector("[data-pick-status]");
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var region = document.getElementById("id_region");
  var chart = null;
  var current = null;

  function point() {
    var y = parseFloat(lat.value), x = parseFloat(lng.value);
    return isNaN(x) || isNaN(y) ? null : [x, y];
  }

  function draw() {
    var at = point();
    var names = Object.keys(data.names);
    chart.setOption({
      series: [{
        type: "map", map: current, roam: false, selectedMode: false, nameProperty: "name",
        labelLayout: { hideOverlap: true },
        label: { show: true, fontSize: 11, color: "#1f2328", textBorderColor: "#ffffff", textBorderWidth: 3,
          formatter: function (p) { return data.names[p.name] || ""; } },
        emphasis: { label: { show: true }, itemStyle: { areaColor: "#f0c36a" } },
        itemStyle: { areaColor: "#dbe6f1", borderColor: "#5b6f86", borderWidth: 1 },
        data: names.map(function (code) { return { name: code }; }),
        markPoint: { symbol: "pin", symbolSize: 34, silent: true, animation: false,
          itemStyle: { color: "#c62828" }, label: { show: false },
          data: at ? [{ name: "picked", coord: at }] : [] }
      }]
    }, true);
  }

  function show(code, done) {
    var asset = code === data.code ? data.asset : data.leagues[code];
    window.halfbuiltMap.load(code, asset, function () {
      current = code;
      if (!chart) {
        wrap.hidden = false;
        chart = window.echarts.init(box, null, { renderer: "svg" });
        chart.on("click", clicked);
        window.addEventListener("resize", function () { chart.resize(); });
      }
      draw();
      up.hidden = code === data.code;
      if (done) { done(); }
    });
  }

  function say(text) { status.textContent = text; }

  var last = null;  // the browser's event last handled: a tap can reach the handler twice (the area, its label)

  function clicked(p) {
    if (!p.event || p.componentType !== "series" || p.event.event === last) { return; }
    last = p.event.event;
    var at = chart.convertFromPixel({ seriesIndex: 0 }, [p.event.offsetX, p.event.offsetY]);
    if (!at || isNaN(at[0]) || isNaN(at[1])) { return; }
    lng.value = at[0].toFixed(6);
    lat.value = at[1].toFixed(6);
    var picked = data.picked.replace("{lat}", lat.value).replace("{lng}", lng.value);
    var name = data.names[p.name] || "";
    if (current === data.code && data.leagues[p.name]) {
      show(p.name, function () { say(picked + data.zoomed.replace("{name}", name)); });
      return;
    }
    var option = region && region.querySelector('option[value="' + p.name + '"]');
    if (option) {
      region.value = p.name;
      region.dispatchEvent(new Event("change", { bubbles: true }));
      picked += data.region.replace("{name}", option.textContent);
    }
    draw();
    say(picked);
  }

  up.addEventListener("click", function () { show(data.code); });
  show(data.code);
}());
