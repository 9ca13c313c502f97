/**
 * The live view: one self-contained HTML page (inline CSS and JS, no bundler).
 * It listens to /api/events (server-sent events), draws the energy curve as an
 * SVG polyline and shows the current states as an image; its buttons POST to
 * /api/start, /api/pause, /api/resume and /api/cancel.
 */

/** The page's HTML. */
export function livePageHtml(title: string, token = ''): string {
  const safeTitle = title.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>engram live: ${safeTitle}</title>
<style>
body { font: 15px/1.4 system-ui, sans-serif; margin: 0; background: #fafafa; color: #222; }
main { max-width: 960px; margin: 0 auto; padding: 16px 24px; }
h1 { font-size: 20px; margin: 4px 0 2px; }
#model { color: #555; margin: 0 0 12px; }
.bar { display: flex; gap: 8px; align-items: center; margin-bottom: 12px; }
button { font: inherit; padding: 6px 14px; border: 1px solid #888; border-radius: 4px; background: #fff; cursor: pointer; }
button:disabled { opacity: .45; cursor: default; }
#status { margin-left: 8px; font-weight: 600; }
.panel { background: #fff; border: 1px solid #ddd; border-radius: 6px; padding: 10px; margin-bottom: 12px; }
#curve { width: 100%; height: 260px; display: block; }
#state { image-rendering: pixelated; max-width: 100%; min-height: 20px; }
#readout { font-family: ui-monospace, monospace; font-size: 13px; color: #333; }
</style>
</head>
<body><main>
<h1>engram live view</h1>
<p id="model">${safeTitle}</p>
<div class="bar">
  <button id="start">Start</button>
  <button id="pause" disabled>Pause</button>
  <button id="resume" disabled>Resume</button>
  <button id="cancel" disabled>Cancel</button>
  <span id="status">idle</span>
</div>
<div class="panel">
  <svg id="curve" viewBox="0 0 900 260" preserveAspectRatio="none" data-points="0" role="img" aria-label="energy against step">
    <line x1="50" y1="230" x2="890" y2="230" stroke="#999"/>
    <line x1="50" y1="10" x2="50" y2="230" stroke="#999"/>
    <text x="470" y="254" text-anchor="middle" font-size="12" fill="#555">step</text>
    <text x="14" y="120" font-size="12" fill="#555" transform="rotate(-90 14 120)" text-anchor="middle">energy</text>
    <text id="ymax" x="46" y="16" font-size="11" text-anchor="end" fill="#555"></text>
    <text id="ymin" x="46" y="230" font-size="11" text-anchor="end" fill="#555"></text>
    <text id="xmax" x="890" y="244" font-size="11" text-anchor="end" fill="#555"></text>
    <polyline id="line" fill="none" stroke="#1f77b4" stroke-width="2" points=""/>
  </svg>
  <div id="readout">no run yet: press Start</div>
</div>
<div class="panel"><div>current states</div><img id="state" alt="current states"></div>
<script>
(function () {
  var pts = [];
  var $ = function (id) { return document.getElementById(id); };
  function draw() {
    var svg = $('curve');
    svg.setAttribute('data-points', String(pts.length));
    if (!pts.length) { $('line').setAttribute('points', ''); return; }
    var lo = Infinity, hi = -Infinity, n = pts[pts.length - 1][0] || 1;
    pts.forEach(function (p) { if (p[1] < lo) lo = p[1]; if (p[1] > hi) hi = p[1]; });
    if (hi === lo) { hi += 1; lo -= 1; }
    $('line').setAttribute('points', pts.map(function (p) {
      var x = 50 + 840 * p[0] / n, y = 230 - 220 * (p[1] - lo) / (hi - lo);
      return x.toFixed(1) + ',' + y.toFixed(1);
    }).join(' '));
    $('ymax').textContent = hi.toPrecision(4); $('ymin').textContent = lo.toPrecision(4); $('xmax').textContent = String(n);
  }
  function buttons(status) {
    $('status').textContent = status;
    $('start').disabled = status === 'running' || status === 'paused';
    $('pause').disabled = status !== 'running';
    $('resume').disabled = status !== 'paused';
    $('cancel').disabled = !(status === 'running' || status === 'paused');
  }
  var TOKEN = ${JSON.stringify(token)};
  function post(path) { return fetch(path, { method: 'POST', headers: { 'x-engram-token': TOKEN } }).then(function (r) { return r.json(); }); }
  $('start').onclick = function () { pts = []; draw(); post('/api/start'); };
  $('pause').onclick = function () { post('/api/pause'); };
  $('resume').onclick = function () { post('/api/resume'); };
  $('cancel').onclick = function () { post('/api/cancel'); };
  var es = new EventSource('/api/events');
  es.onmessage = function (e) {
    var m = JSON.parse(e.data);
    if (m.type === 'start') { pts = []; draw(); $('model').textContent = m.title; }
    else if (m.type === 'status') { buttons(m.status); if (m.message) $('readout').textContent = m.status + ': ' + m.message; }
    else if (m.type === 'step') {
      if (m.energy !== null) { pts.push([m.step, m.energy]); draw(); }
      $('readout').textContent = 'step ' + m.step + '   energy ' + (m.energy === null ? '-' : m.energy.toFixed(4)) +
        '   max|dx| ' + m.delta.toExponential(2) + (m.converged ? '   converged' : '');
      if (m.image) $('state').src = m.image;
    }
  };
})();
</script>
</main></body>
</html>
`;
}
