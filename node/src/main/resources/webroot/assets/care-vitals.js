// The vitals tab: an entry form and one small inline-SVG line chart per measure over time.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const MEASURES = [
    { keys: ['systolic', 'diastolic'], label: '血圧 (mmHg)', colors: ['#b3261e', '#e07b00'] },
    { keys: ['pulse'], label: '脈拍 (回/分)', colors: ['#1565c0'] },
    { keys: ['temperature'], label: '体温 (℃)', colors: ['#c2185b'] },
    { keys: ['spo2'], label: 'SpO2 (%)', colors: ['#2e7d32'] },
    { keys: ['weight'], label: '体重 (kg)', colors: ['#6a1b9a'] }
  ];

  function chart(rows, measure) {
    const points = rows.filter(r => measure.keys.some(k => r[k] != null));
    if (!points.length) { return ''; }
    const values = points.flatMap(r => measure.keys.map(k => r[k]).filter(v => v != null));
    const min = Math.min(...values); const max = Math.max(...values);
    const span = max - min || 1;
    const w = 600; const h = 140; const pad = 24;
    const x = i => pad + (points.length === 1 ? (w - 2 * pad) / 2 : i * (w - 2 * pad) / (points.length - 1));
    const y = v => h - pad - (v - min) * (h - 2 * pad) / span;
    const lines = measure.keys.map((k, n) => {
      const pts = points.map((r, i) => r[k] == null ? null : `${x(i).toFixed(1)},${y(r[k]).toFixed(1)}`).filter(Boolean);
      return `<polyline fill="none" stroke="${measure.colors[n]}" stroke-width="2" points="${pts.join(' ')}"/>`
        + points.map((r, i) => r[k] == null ? '' : `<circle cx="${x(i).toFixed(1)}" cy="${y(r[k]).toFixed(1)}" r="3" fill="${measure.colors[n]}"><title>${esc(new Date(r.measuredAt).toLocaleString('ja-JP'))} ${esc(r[k])}</title></circle>`).join('');
    }).join('');
    return `<figure class="vitals-chart"><figcaption>${esc(measure.label)}</figcaption>
      <svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(measure.label)}の推移">
      <text x="2" y="${pad - 6}" font-size="11">${esc(max)}</text><text x="2" y="${h - 4}" font-size="11">${esc(min)}</text>
      ${lines}</svg></figure>`;
  }

  async function show(box, base, send) {
    box.innerHTML = `<form id="vitals-form" class="vitals-form">
      <label>血圧 上<input name="systolic" inputmode="numeric" size="4"></label><label>下<input name="diastolic" inputmode="numeric" size="4"></label>
      <label>脈拍<input name="pulse" inputmode="numeric" size="4"></label><label>体温<input name="temperature" inputmode="decimal" size="4"></label>
      <label>SpO2<input name="spo2" inputmode="numeric" size="4"></label><label>体重<input name="weight" inputmode="decimal" size="5"></label>
      <button class="primary" type="submit">記録する</button><span id="vitals-error" class="form-error" role="alert"></span></form>
      <div id="vitals-charts"></div>`;
    const draw = async () => {
      const data = await T.getJson(base + '/vitals');
      document.getElementById('vitals-charts').innerHTML = MEASURES.map(m => chart(data.vitals, m)).join('')
        || '<p>まだバイタルの記録はありません。</p>';
    };
    document.getElementById('vitals-form').addEventListener('submit', async e => {
      e.preventDefault();
      const body = { measuredAt: new Date().toISOString() };
      for (const [k, v] of new FormData(e.target).entries()) { if (v !== '') { body[k] = Number(v); } }
      try {
        await send('POST', base + '/vitals', body);
        e.target.reset();
        await draw();
      } catch (err) { document.getElementById('vitals-error').textContent = err.message; }
    });
    await draw();
  }

  window.TsunaguVitals = { show };
})();
