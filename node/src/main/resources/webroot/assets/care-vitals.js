// The vitals tab: an entry form (each input with its unit), one Chart.js line chart per measure over
// time on a fixed clinical range (so 36.2–36.8℃ stays a flat line, not a fever curve), dates on the
// time axis and a legend, and the latest records, each of one's own with 修正. A correction (also
// from the timeline) changes the record's values, so the chart follows; the record before stays in
// the post's 変更履歴. Chart.js comes from the node's WebJar, loaded when the tab first draws.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  // The WebJar's version is pinned in the root pom (chartjs.version).
  const CHART_JS = '/webjars/chart.js/4.4.7/dist/chart.umd.js';
  // Fixed axes: the range a clinician reads each measure on; values outside still show (the axis grows).
  const MEASURES = [
    { keys: ['systolic', 'diastolic'], names: ['収縮期', '拡張期'], label: '血圧', unit: 'mmHg',
      colors: ['#b3261e', '#e07b00'], min: 60, max: 200 },
    { keys: ['pulse'], names: ['脈拍'], label: '脈拍', unit: '/分', colors: ['#1565c0'], min: 40, max: 140 },
    { keys: ['temperature'], names: ['体温'], label: '体温', unit: '℃', colors: ['#c2185b'], min: 35, max: 41 },
    { keys: ['spo2'], names: ['SpO2'], label: 'SpO2', unit: '%', colors: ['#2e7d32'], min: 85, max: 100 },
    { keys: ['weight'], names: ['体重'], label: '体重', unit: 'kg', colors: ['#6a1b9a'] }
  ];
  // [key, label, inputmode, size, unit]
  const FIELDS = [['systolic', '血圧 上', 'numeric', 4, 'mmHg'], ['diastolic', '下', 'numeric', 4, 'mmHg'],
    ['pulse', '脈拍', 'numeric', 4, '/分'], ['temperature', '体温', 'decimal', 4, '℃'], ['spo2', 'SpO2', 'numeric', 4, '%'],
    ['weight', '体重', 'decimal', 5, 'kg']];
  const RECORDS_SHOWN = 20;
  let loading = null;

  function loadChartJs() {
    if (window.Chart) { return Promise.resolve(window.Chart); }
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = CHART_JS;
        script.onload = () => resolve(window.Chart);
        script.onerror = () => { loading = null; reject(new Error('グラフを読み込めませんでした。')); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  // "6/3 08:30": the time axis's ticks and the tooltips' titles.
  function when(ms) {
    const d = new Date(ms);
    const two = n => String(n).padStart(2, '0');
    return `${d.getMonth() + 1}/${d.getDate()} ${two(d.getHours())}:${two(d.getMinutes())}`;
  }

  // The figure for one measure: a canvas for the chart and the same values as a table, which screen
  // readers read (and which stays when the chart library cannot load).
  function figure(rows, measure) {
    const points = rows.filter(r => measure.keys.some(k => r[k] != null));
    if (!points.length) { return ''; }
    const title = `${measure.label} (${measure.unit})`;
    const head = measure.names.map(n => `<th>${esc(n)}</th>`).join('');
    const body = points.map(r => `<tr><td>${esc(when(Date.parse(r.measuredAt)))}</td>`
      + measure.keys.map(k => `<td>${r[k] == null ? '' : esc(r[k])}</td>`).join('') + '</tr>').join('');
    return `<figure class="vitals-chart" data-measure="${esc(measure.keys[0])}"><figcaption>${esc(title)}</figcaption>
      <div class="vitals-canvas"><canvas role="img" aria-label="${esc(measure.label)}の推移"></canvas></div>
      <table class="visually-hidden"><caption>${esc(title)}</caption><tr><th>測定日時</th>${head}</tr>${body}</table></figure>`;
  }

  function config(rows, measure) {
    const datasets = measure.keys.map((k, n) => ({
      label: measure.names[n],
      data: rows.filter(r => r[k] != null).map(r => ({ x: Date.parse(r.measuredAt), y: Number(r[k]) })),
      borderColor: measure.colors[n], backgroundColor: measure.colors[n], borderWidth: 2, pointRadius: 3, tension: 0
    }));
    const times = datasets.flatMap(d => d.data.map(p => p.x));
    const first = Math.min(...times); const last = Math.max(...times);
    const margin = last > first ? (last - first) * 0.03 : 3600000;
    return {
      type: 'line',
      data: { datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false, parsing: false,
        scales: {
          x: { type: 'linear', min: first - margin, max: last + margin,
            // evenly spread dates from the first measurement to the last: fewer on a narrow screen
            afterBuildTicks: axis => {
              const count = Math.min(times.length, axis.chart.width < 480 ? 3 : 5);
              axis.ticks = count < 2 ? [{ value: first }]
                : Array.from({ length: count }, (_, i) => ({ value: first + i * (last - first) / (count - 1) }));
            },
            ticks: { callback: when, maxRotation: 0, autoSkip: false } },
          y: { min: measure.min, max: measure.max,
            title: { display: true, text: measure.unit } }
        },
        plugins: {
          legend: { display: true, position: 'top' },
          tooltip: { callbacks: {
            title: items => when(items[0].parsed.x),
            label: item => `${item.dataset.label} ${item.parsed.y} ${measure.unit}`
          } }
        }
      }
    };
  }

  // Draws the charts into their figures; a measure without a fixed range (体重) scales to its values.
  async function charts(box, rows) {
    const figures = box.querySelectorAll('figure.vitals-chart');
    if (!figures.length) { return; }
    let Chart;
    try {
      Chart = await loadChartJs();
    } catch (err) {
      figures.forEach(f => f.querySelector('table').classList.remove('visually-hidden'));
      return;
    }
    figures.forEach(f => {
      const measure = MEASURES.find(m => m.keys[0] === f.dataset.measure);
      const canvas = f.querySelector('canvas');
      const old = Chart.getChart(canvas);
      if (old) { old.destroy(); }
      new Chart(canvas, config(rows, measure));
    });
  }

  // "血圧 132/78・脈拍 72・…" as the list shows one record.
  function summary(r) {
    const parts = [];
    if (r.systolic != null) { parts.push(`血圧 ${r.systolic}/${r.diastolic} mmHg`); }
    if (r.pulse != null) { parts.push(`脈拍 ${r.pulse}/分`); }
    if (r.temperature != null) { parts.push(`体温 ${r.temperature}℃`); }
    if (r.spo2 != null) { parts.push(`SpO2 ${r.spo2}%`); }
    if (r.weight != null) { parts.push(`体重 ${r.weight}kg`); }
    return parts.join('・');
  }

  // An ISO instant as the value of a datetime-local input, in the browser's time zone.
  function localTime(iso) {
    const d = iso ? new Date(iso) : new Date();
    const two = n => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`;
  }

  function fields(values) {
    return `<label>測定日時<input name="measuredAt" type="datetime-local" required value="${esc(localTime(values.measuredAt))}"></label>`
      + FIELDS.map(([k, label, mode, size, unit]) => `<label>${label}<span class="with-unit"><input name="${k}"
        inputmode="${mode}" size="${size}" value="${values[k] == null ? '' : esc(values[k])}"><span class="unit">${esc(unit)}</span></span></label>`).join('');
  }

  // The request body: the values as typed (the node says precisely what is wrong with one), the time as an instant.
  function body(form) {
    const out = { measuredAt: new Date(form.elements.measuredAt.value).toISOString() };
    for (const [k] of FIELDS) {
      const v = form.elements[k].value.trim();
      if (v !== '') { out[k] = v; }
    }
    if (form.elements.note && form.elements.note.value.trim()) { out.note = form.elements.note.value; }
    return out;
  }

  // Correcting one's own record in place of `anchor`; done() redraws whatever showed it.
  async function correct(anchor, postId, send, done) {
    const post = await T.getJson('/api/v1/posts/' + postId);
    const note = post.body.includes('\n') ? post.body.slice(post.body.indexOf('\n') + 1) : '';
    const form = document.createElement('form');
    form.className = 'vitals-form vitals-edit note-edit';
    form.innerHTML = `${fields(post.vitals)}<label class="vitals-note">メモ<input name="note" maxlength="2000" value="${esc(note)}"></label>
      <button class="primary" type="submit">修正する</button><button type="button" data-cancel>やめる</button>
      <span class="form-error" role="alert"></span>`;
    anchor.replaceWith(form);
    form.querySelector('[data-cancel]').addEventListener('click', () => { form.remove(); done(); });
    form.addEventListener('submit', async e => {
      e.preventDefault();
      try {
        await send('PUT', `/api/v1/posts/${postId}/vitals`, body(form));
        form.remove();
        done();
      } catch (err) { form.querySelector('.form-error').textContent = err.message; }
    });
    form.elements.systolic.focus();
  }

  async function show(box, base, send) {
    box.innerHTML = `<form id="vitals-form" class="vitals-form" novalidate>${fields({})}
      <label class="vitals-note">メモ<input name="note" maxlength="2000" placeholder="入浴後など"></label><button class="primary" type="submit">記録する</button><span id="vitals-error" class="form-error" role="alert"></span></form>
      <div id="vitals-charts"></div><h2>最近の記録</h2><ol id="vitals-records" class="vitals-records"></ol>`;
    const draw = async () => {
      const data = await T.getJson(base + '/vitals');
      const chartBox = document.getElementById('vitals-charts');
      chartBox.innerHTML = MEASURES.map(m => figure(data.vitals, m)).join('') || '<p>まだバイタルの記録はありません。</p>';
      document.getElementById('vitals-records').innerHTML = data.vitals.slice(-RECORDS_SHOWN).reverse().map(r =>
        `<li data-post="${esc(r.postId)}"><time>${esc(new Date(r.measuredAt).toLocaleString('ja-JP'))}</time>
        <span class="vitals-values">${esc(summary(r))}</span>${r.mine ? '<a href="#" data-correct>修正</a>' : ''}</li>`).join('');
      await charts(chartBox, data.vitals);
    };
    document.getElementById('vitals-records').addEventListener('click', e => {
      const link = e.target.closest('a[data-correct]');
      if (!link) { return; }
      e.preventDefault();
      const record = link.closest('[data-post]');
      correct(record.querySelector('.vitals-values'), record.dataset.post, send, draw)
        .catch(err => { link.textContent = err.message; });
    });
    const entry = document.getElementById('vitals-form');
    T.forms.markRequired(entry);
    entry.addEventListener('submit', async e => {
      e.preventDefault();
      try {
        await send('POST', base + '/vitals', body(e.target));
        e.target.reset();
        e.target.elements.measuredAt.value = localTime();
        T.forms.clearProblems(entry);
        await draw();
      } catch (err) { T.forms.showProblems(entry, err); }
    });
    await draw();
  }

  window.TsunaguVitals = { show, correct };
})();
