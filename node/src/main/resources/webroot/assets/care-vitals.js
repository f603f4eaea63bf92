// The vitals tab: an entry form, one small inline-SVG line chart per measure over time and the
// latest records, each of one's own with 修正. A correction (also from the timeline) changes the
// record's values, so the chart follows; the record before stays in the post's 変更履歴.
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
  // [key, label, inputmode, size]
  const FIELDS = [['systolic', '血圧 上', 'numeric', 4], ['diastolic', '下', 'numeric', 4], ['pulse', '脈拍', 'numeric', 4],
    ['temperature', '体温', 'decimal', 4], ['spo2', 'SpO2', 'numeric', 4], ['weight', '体重', 'decimal', 5]];
  const RECORDS_SHOWN = 20;

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
    return `<figure class="vitals-chart" data-measure="${esc(measure.keys[0])}"><figcaption>${esc(measure.label)}</figcaption>
      <svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${esc(measure.label)}の推移">
      <text x="2" y="${pad - 6}" font-size="11">${esc(max)}</text><text x="2" y="${h - 4}" font-size="11">${esc(min)}</text>
      ${lines}</svg></figure>`;
  }

  // "血圧 132/78・脈拍 72・…" as the list shows one record.
  function summary(r) {
    const parts = [];
    if (r.systolic != null) { parts.push(`血圧 ${r.systolic}/${r.diastolic}`); }
    if (r.pulse != null) { parts.push(`脈拍 ${r.pulse}`); }
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
      + FIELDS.map(([k, label, mode, size]) => `<label>${label}<input name="${k}" inputmode="${mode}" size="${size}"
        value="${values[k] == null ? '' : esc(values[k])}"></label>`).join('');
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
      document.getElementById('vitals-charts').innerHTML = MEASURES.map(m => chart(data.vitals, m)).join('')
        || '<p>まだバイタルの記録はありません。</p>';
      document.getElementById('vitals-records').innerHTML = data.vitals.slice(-RECORDS_SHOWN).reverse().map(r =>
        `<li data-post="${esc(r.postId)}"><time>${esc(new Date(r.measuredAt).toLocaleString('ja-JP'))}</time>
        <span class="vitals-values">${esc(summary(r))}</span>${r.mine ? '<a href="#" data-correct>修正</a>' : ''}</li>`).join('');
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
