/**
 * The page's only script besides Vega: reads the chart definitions from a JSON script element, rebuilds rows from
 * columnar blocks (same rule as charts/chartData.ts), draws each chart, and shows hover tooltips built with
 * textContent (never innerHTML: texts are users' data). When all charts are drawn it sets
 * body[data-charts-ready] and, per chart, data-marks = number of data-mark items drawn (what the tests check).
 */
export const CLIENT_SCRIPT = `(function () {
  'use strict';
  var source = document.getElementById('shiftlens-charts');
  var charts = source ? JSON.parse(source.textContent || '[]') : [];
  var tip = document.createElement('div');
  tip.className = 'sl-tooltip';
  tip.setAttribute('role', 'tooltip');
  document.body.appendChild(tip);

  function hideTip() { tip.style.display = 'none'; }

  function showTip(handler, event, item, value) {
    if (value === null || value === undefined || value === '') { hideTip(); return; }
    while (tip.firstChild) tip.removeChild(tip.firstChild);
    if (typeof value === 'object') {
      Object.keys(value).forEach(function (key) {
        var v = value[key];
        if (v === null || v === undefined || v === '' || v === 'null') return;
        var row = document.createElement('div');
        row.className = key === 'text' ? 'sl-tip-row sl-tip-text' : 'sl-tip-row';
        var k = document.createElement('span');
        k.className = 'sl-tip-key';
        k.textContent = key;
        var val = document.createElement('span');
        val.className = 'sl-tip-value';
        val.textContent = String(v);
        row.appendChild(k);
        row.appendChild(val);
        tip.appendChild(row);
      });
    } else {
      tip.textContent = String(value);
    }
    tip.style.display = 'block';
    var pad = 14;
    var x = event.clientX + pad;
    var y = event.clientY + pad;
    var w = tip.offsetWidth;
    var h = tip.offsetHeight;
    if (x + w > window.innerWidth - 8) x = Math.max(8, event.clientX - w - pad);
    if (y + h > window.innerHeight - 8) y = Math.max(8, event.clientY - h - pad);
    tip.style.left = x + 'px';
    tip.style.top = y + 'px';
  }

  function blockLength(block) {
    var names = Object.keys(block.columns);
    return names.length ? block.columns[names[0]].length : 0;
  }

  function blockRow(block, i) {
    var row = {};
    var constants = block.constants || {};
    Object.keys(constants).forEach(function (k) { row[k] = constants[k]; });
    Object.keys(block.columns).forEach(function (k) { row[k] = block.columns[k][i]; });
    return row;
  }

  function datasetRows(dataset) {
    var blocks = dataset.blocks;
    var lengths = blocks.map(blockLength);
    var rows = [];
    if (!dataset.interleave) {
      blocks.forEach(function (block, b) { for (var i = 0; i < lengths[b]; i++) rows.push(blockRow(block, i)); });
      return rows;
    }
    var next = lengths.map(function () { return 0; });
    var total = lengths.reduce(function (a, b) { return a + b; }, 0);
    for (var k = 0; k < total; k++) {
      var best = -1, bestPos = Infinity;
      for (var b = 0; b < lengths.length; b++) {
        if (next[b] >= lengths[b]) continue;
        var pos = (next[b] + 0.5) / lengths[b];
        if (pos < bestPos) { bestPos = pos; best = b; }
      }
      rows.push(blockRow(blocks[best], next[best]++));
    }
    return rows;
  }

  // Data marks only (Vega-Lite gives them role "mark"); axes, legends and titles are not counted.
  function countDataMarks(node) {
    if (!node) return 0;
    if (node.marktype && node.marktype !== 'group') return node.role === 'mark' ? (node.items || []).length : 0;
    var n = 0;
    (node.items || []).forEach(function (child) { n += countDataMarks(child); });
    return n;
  }

  var views = {};
  window.shiftlensViews = views;
  var drawn = charts.map(function (chart) {
    var holder = document.getElementById('chart-' + chart.id);
    if (!holder) { console.error('shiftlens: no element for chart ' + chart.id); return Promise.resolve(); }
    return Promise.resolve().then(function () {
      var view = new vega.View(vega.parse(chart.vega), { renderer: chart.renderer, container: holder, hover: true });
      view.tooltip(showTip);
      Object.keys(chart.datasets).forEach(function (name) { view.data(name, datasetRows(chart.datasets[name])); });
      views[chart.id] = view;
      return view.runAsync().then(function () {
        holder.setAttribute('data-marks', String(countDataMarks(view.scenegraph().root)));
      });
    }).catch(function (error) {
      console.error('shiftlens: chart ' + chart.id + ' failed: ' + (error && error.message ? error.message : error));
      holder.textContent = 'This chart could not be drawn.';
      holder.setAttribute('data-marks', '0');
    });
  });
  document.addEventListener('scroll', hideTip, { passive: true });
  Promise.all(drawn).then(function () { document.body.setAttribute('data-charts-ready', 'true'); });
})();`;
