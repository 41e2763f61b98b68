/* Draws the dashboards' charts with the vendored ECharts (no CDN, no inline script).
 * Each <div class="dashboard-chart" data-spec="ID"> is drawn from the JSON in
 * <script type="application/json" id="ID"> (Django's json_script): see monitoring/charts.py.
 * Its height comes from the spec too: templates carry no style="" (Content-Security-Policy). */
(function () {
  "use strict";
  var FONT = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';

  function option(spec) {
    var many = spec.series.length > 1;
    var category = { type: "category", data: spec.categories, axisLabel: { interval: 0, hideOverlap: true } };
    var value = { type: "value", minInterval: 1 };
    var series = spec.series.map(function (s) {
      var out = { name: s.name, type: spec.type, data: s.data, label: { show: !many, position: spec.horizontal ? "right" : "top" } };
      if (spec.type === "bar" && spec.colours && spec.colours.length) {
        out.data = s.data.map(function (v, i) { return { value: v, itemStyle: { color: spec.colours[i] } }; });
      }
      return out;
    });
    if (!spec.horizontal && spec.categories.length > 6) { category.axisLabel.rotate = 30; }
    return {
      animation: false,
      textStyle: { fontFamily: FONT },
      title: { text: spec.title, left: "center", textStyle: { fontSize: 14 } },
      // Drawn on the canvas: the HTML tooltip is markup with style="" (refused by the CSP).
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: many ? { top: 24 } : undefined,
      grid: { top: many ? 60 : 40, left: 10, right: 30, bottom: 10, containLabel: true },
      xAxis: spec.horizontal ? value : category,
      yAxis: spec.horizontal ? Object.assign(category, { inverse: true }) : value,
      series: series
    };
  }

  function draw() {
    if (typeof echarts === "undefined") { return; }
    document.querySelectorAll(".dashboard-chart[data-spec]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-spec"));
      if (!source) { return; }
      var spec = JSON.parse(source.textContent);
      el.style.height = spec.height + "px";  // not style="": the CSP refuses inline styles
      var chart = echarts.init(el, null, { renderer: "canvas", locale: "ZH" });
      chart.setOption(option(spec));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
