// みまもりセンサー: the 見守りセンター's screen (open alerts oldest first, phone links, each call, resolution,
// escalation, a visit's result, the history), 行政's screen (monitored households, enrolment with the
// consent scan, withdrawal, open alerts, the area summary with small counts shown as "<5"), and the
// patient page's センサー tab (door events and room temperature/humidity as charts, the alert history).
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const API = '/api/v1/sensors';
  const CHART_JS = '/webjars/chart.js/4.4.7/dist/chart.umd.js';
  const REFRESH_MS = 30000;
  const when = ms => ms ? new Date(ms).toLocaleString('ja-JP', { dateStyle: 'medium', timeStyle: 'short' }) : '';
  const needsLogin = main => !!(T.identity && T.identity.requireLogin(main));
  const tel = phone => `<a class="tel" href="tel:${esc(String(phone).replace(/[^0-9+]/g, ''))}">${esc(phone)}</a>`;
  const CALLS = [['safe', '本人応答・無事'], ['no_answer', '応答なし'], ['unwell', '体調不良'], ['visit_needed', '要訪問']];

  function history(steps) {
    return `<ol class="alert-history">${steps.map(s => `<li><time>${esc(when(s.atMs))}</time> ${esc(s.stepLabel)}
      ${s.outcomeLabel ? `「${esc(s.outcomeLabel)}」` : ''} <small>${esc(s.actor)}</small>${s.note ? `<br><span>${esc(s.note)}</span>` : ''}</li>`).join('')}</ol>`;
  }

  function alertCard(a) {
    const h = a.household;
    const who = h ? `<p class="resident"><strong>${esc(h.residentName)}</strong> 様 ${tel(h.phone)}<br><small>${esc(h.address)}（${esc(h.district)}）</small></p>
      <details class="contacts" open><summary>家族の連絡先（この順に）</summary><ol>${h.contacts.map(c =>
        `<li>${esc(c.name)}（${esc(c.relation)}） ${tel(c.phone)}</li>`).join('')}</ol></details>` : `<p>ゲートウェイ ${esc(a.gatewayId || '')}</p>`;
    return `<li class="card alert-card state-${esc(a.state)}" data-alert="${esc(a.id)}">
      <h2>${esc(a.kindLabel)} <span class="badge">${esc(a.stateLabel)}</span></h2>
      <p><small>発生 ${esc(when(a.raisedMs))}</small></p>${who}
      <form class="stack alert-call"><fieldset><legend>電話の結果</legend>${CALLS.map(([code, label]) =>
        `<label class="inline"><input type="radio" name="outcome" value="${code}"> ${label}</label>`).join(' ')}</fieldset>
        <input name="note" maxlength="500" placeholder="メモ" aria-label="メモ">
        <div class="actions"><button type="submit" class="primary" data-act="calls">電話を記録</button>
        <button type="button" data-act="escalate">家族・ケアマネジャーへ連絡</button>
        <button type="button" data-act="resolve">解決（理由をメモに）</button>
        <button type="button" data-act="visit">訪問の結果で閉じる（メモに結果）</button></div>
        <p class="form-error" role="alert" hidden></p></form>
      <details class="history" data-history="${esc(a.id)}"><summary>対応の記録</summary><div></div></details></li>`;
  }

  async function drawAlerts(box) {
    const data = await T.getJson(`${API}/alerts`);
    box.innerHTML = data.alerts.length ? `<ul class="alert-list" id="alert-list">${data.alerts.map(alertCard).join('')}</ul>`
      : '<p id="alert-list-empty">対応中のアラートはありません。</p>';
    box.dataset.count = String(data.alerts.length);
  }

  async function step(box, form, act) {
    const id = form.closest('[data-alert]').dataset.alert;
    const note = form.note.value;
    const checked = form.querySelector('input[name=outcome]:checked');
    const body = act === 'calls' ? { outcome: checked ? checked.value : '', note }
      : act === 'resolve' ? { reason: note } : act === 'visit' ? { result: note } : { note };
    const problem = form.querySelector('.form-error');
    try {
      await T.send('POST', `${API}/alerts/${encodeURIComponent(id)}/${act}`, body);
      await drawAlerts(box);
    } catch (e) { problem.hidden = false; problem.textContent = e.message; }
  }

  function wire(box) {
    box.addEventListener('submit', e => {
      const form = e.target.closest('form.alert-call');
      if (form) { e.preventDefault(); step(box, form, 'calls'); }
    });
    box.addEventListener('click', e => {
      const button = e.target.closest('button[data-act]');
      if (button && button.type === 'button') { step(box, button.closest('form'), button.dataset.act); }
    });
    box.addEventListener('toggle', async e => {
      const d = e.target;
      if (!d.matches || !d.matches('details[data-history]') || !d.open) { return; }
      const a = await T.getJson(`${API}/alerts/${encodeURIComponent(d.dataset.history)}`);
      d.querySelector('div').innerHTML = history(a.steps);
    }, true);
  }

  // The call centre's screen: read again every half minute, so a new alert shows without a reload.
  T.views.watch = async function (main) {
    if (needsLogin(main)) { return; }
    main.innerHTML = `<section class="card"><h1>見守りセンター</h1><p>古いアラートから順に表示しています。電話番号を押すと発信できます。</p></section>
      <div id="watch-alerts"><p role="status">読み込み中…</p></div>`;
    const box = document.getElementById('watch-alerts');
    wire(box);
    try { await drawAlerts(box); } catch (e) { box.innerHTML = `<p class="form-error">${esc(e.message)}</p>`; return; }
    const idle = () => !box.querySelector('form.alert-call input:focus, form.alert-call input:checked, details[open].history');
    // A new alert is told at once on the live stream; the half-minute look catches a dropped stream.
    const live = T.liveStream(`${API}/alerts/live`, () => { if (idle()) { drawAlerts(box).catch(() => {}); } });
    live.addEventListener('alerts', () => { if (idle()) { drawAlerts(box).catch(() => {}); } });
    const timer = setInterval(() => {
      if (!document.body.contains(box)) { clearInterval(timer); live.close(); return; }
      if (idle()) { drawAlerts(box).catch(() => {}); }
    }, REFRESH_MS);
  };

  const PLACES = [['entrance', '玄関'], ['fridge', '冷蔵庫'], ['bathroom', '浴室'], ['toilet', 'トイレ'], ['room', '居室（温湿度）']];

  function enrolForm() {
    const field = (id, label, attrs) => `<label for="${id}">${label}</label><input id="${id}" name="${id}" ${attrs || ''}>`;
    return `<form id="enrol-form" class="stack" novalidate><h2>見守りの登録</h2>
      <label for="e-patient">つなぐの患者から選ぶ</label><select id="e-patient"><option value="">（選ばない）</option></select>
      ${field('e-patientId', '患者ID', 'maxlength="80"')}
      ${field('e-registerPersonKey', 'または 要援護者台帳の方（ふりがな/生年月日。氏名・住所・地区・電話は台帳から）', 'maxlength="80"')}
      ${field('e-residentName', '氏名', 'maxlength="60" required')}${field('e-address', '住所', 'maxlength="200" required')}
      <div class="pair">${field('e-district', '地区', 'maxlength="40" required')}${field('e-phone', '電話番号', 'maxlength="20" required inputmode="tel"')}</div>
      <fieldset><legend>同意</legend><div class="pair">${field('e-consentBy', '同意した方', 'maxlength="60" required')}
        ${field('e-consentRelation', '続柄（本人など）', 'maxlength="20" required')}</div>
        ${field('e-consentAt', '同意日', 'type="date" required')}
        <label for="e-scan">同意書のスキャン（PDF・画像）</label><input id="e-scan" type="file" accept="application/pdf,image/jpeg,image/png"></fieldset>
      <fieldset><legend>センサー（機器IDとゲートウェイ）</legend>${PLACES.map(([code, label]) => `<div class="pair device-row" data-place="${code}">
        <label>${label} 機器ID<input name="device-${code}" maxlength="64"></label>
        <label>ゲートウェイ<input name="gateway-${code}" maxlength="64"></label></div>`).join('')}</fieldset>
      <fieldset><legend>家族の連絡先（連絡する順）</legend>${[1, 2].map(n => `<div class="contact-row">
        <div class="pair"><label>氏名<input name="c${n}-name" maxlength="60"></label><label>続柄<input name="c${n}-relation" maxlength="20"></label></div>
        <div class="pair"><label>電話<input name="c${n}-phone" maxlength="20" inputmode="tel"></label><label>メール<input name="c${n}-mail" type="email" maxlength="254"></label></div></div>`).join('')}</fieldset>
      ${field('e-hours', '無活動とみなす時間（空欄なら時間帯の既定: 昼10時間・夜14時間）', 'type="number" min="3" max="72"')}
      <p id="enrol-error" class="form-error" role="alert" hidden></p>
      <button type="submit" class="primary">登録する</button></form>`;
  }

  function enrolBody(form, scanId) {
    const v = name => (form.elements[name] ? form.elements[name].value.trim() : '');
    const body = { residentName: v('e-residentName'), address: v('e-address'), district: v('e-district'), phone: v('e-phone'),
      consent: { by: v('e-consentBy'), relation: v('e-consentRelation'), at: v('e-consentAt') },
      devices: PLACES.filter(([code]) => v('device-' + code)).map(([code]) => ({ id: v('device-' + code), place: code, gatewayId: v('gateway-' + code) })),
      contacts: [1, 2].filter(n => v(`c${n}-name`)).map(n => ({ name: v(`c${n}-name`), relation: v(`c${n}-relation`), phone: v(`c${n}-phone`), mail: v(`c${n}-mail`) })) };
    if (v('e-patientId')) { body.patientId = v('e-patientId'); }
    if (v('e-registerPersonKey')) { body.registerPersonKey = v('e-registerPersonKey'); }
    if (scanId) { body.consent.scanId = scanId; }
    if (v('e-hours')) { body.rules = { noActivityHours: Number(v('e-hours')) }; }
    return body;
  }

  function householdRows(list) {
    return list.map(h => `<tr data-household="${esc(h.id)}"><td>${esc(h.residentName)}</td><td>${esc(h.district)}</td>
      <td>${tel(h.phone)}</td><td>${h.devices.map(d => esc(d.placeLabel)).join('・')}</td>
      <td>${h.status === 'active' ? '見守り中' : '終了'}</td><td>${h.openAlerts}</td>
      <td>${h.status === 'active' ? `<button type="button" data-withdraw="${esc(h.id)}">見守りを終了</button>` : esc(h.withdrawnAt || '')}</td></tr>`).join('')
      || '<tr><td colspan="7">登録されている世帯はありません。</td></tr>';
  }

  function areaTable(summary) {
    const weeks = summary.districts.length ? summary.districts[0].weeks.map(w => w.week) : [];
    return `<div class="table-scroll"><table id="area-summary" class="data-table"><thead><tr><th>地区</th><th>世帯</th>
      ${weeks.map(w => `<th>${esc(w.slice(5))}週<br><small>無活動/熱中症/低温/ドア</small></th>`).join('')}</tr></thead><tbody>
      ${summary.districts.map(d => `<tr><th scope="row">${esc(d.district)}</th><td>${esc(d.households)}</td>${d.weeks.map(w =>
        `<td>${esc(w.noActivity)} / ${esc(w.heat)} / ${esc(w.cold)} / ${esc(w.doorEvents)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>
      <p><small>個人が特定されないよう、5未満の数は「&lt;5」と表示しています。</small></p>`;
  }

  // 行政's screen.
  T.views.sensors = async function (main) {
    if (needsLogin(main)) { return; }
    main.innerHTML = `<section class="card"><h1>みまもりセンサー</h1><p>見守りの対象世帯、アラート（機器の異常を含む）、地区ごとの集計です。</p></section>
      <section class="card"><h2>見守り中の世帯</h2><div class="table-scroll"><table class="data-table"><thead><tr><th>氏名</th><th>地区</th><th>電話</th>
        <th>センサー</th><th>状態</th><th>未解決</th><th></th></tr></thead><tbody id="households"></tbody></table></div></section>
      <section class="card"><h2>未解決のアラート</h2><div id="staff-alerts"></div></section>
      <section class="card">${enrolForm()}</section>
      <section class="card"><h2>地区・週ごとの集計（地域包括支援センターとの分析用）</h2><div id="area"></div></section>`;
    const alerts = document.getElementById('staff-alerts');
    wire(alerts);
    const draw = async () => {
      const [list, summary] = await Promise.all([T.getJson(`${API}/households`), T.getJson(`${API}/area-summary`)]);
      document.getElementById('households').innerHTML = householdRows(list.households);
      const select = document.getElementById('e-patient');
      select.innerHTML = '<option value="">（選ばない）</option>' + list.patients.map(p =>
        `<option value="${esc(p.id)}" data-name="${esc(p.name)}" data-address="${esc(p.address)}">${esc(p.name)}（${esc(p.address)}）</option>`).join('');
      document.getElementById('area').innerHTML = areaTable(summary);
      await drawAlerts(alerts);
    };
    try { await draw(); } catch (e) { main.insertAdjacentHTML('beforeend', `<p class="form-error">${esc(e.message)}</p>`); return; }
    document.getElementById('households').addEventListener('click', async e => {
      const button = e.target.closest('button[data-withdraw]');
      if (!button || !window.confirm('この世帯の見守りを終了しますか。以後、センサーの値は受け付けません。')) { return; }
      await T.send('POST', `${API}/households/${encodeURIComponent(button.dataset.withdraw)}/withdraw`, {});
      await draw();
    });
    const form = document.getElementById('enrol-form');
    document.getElementById('e-patient').addEventListener('change', e => {
      const o = e.target.selectedOptions[0];
      form.elements['e-patientId'].value = o.value;
      if (o.value) { form.elements['e-residentName'].value = o.dataset.name; form.elements['e-address'].value = o.dataset.address; }
    });
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const problem = document.getElementById('enrol-error');
      problem.hidden = true;
      try {
        const file = document.getElementById('e-scan').files[0];
        const scan = file ? await T.send('POST', `${API}/consent-scans`, file, { 'X-File-Name': encodeURIComponent(file.name) }) : null;
        await T.send('POST', `${API}/households`, enrolBody(form, scan && scan.id));
        form.reset();
        await draw();
      } catch (err) { problem.hidden = false; problem.textContent = err.message; }
    });
  };

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

  function label(ms, range) {
    const d = new Date(ms);
    return range === '24h' ? `${d.getHours()}時` : `${d.getMonth() + 1}/${d.getDate()}`;
  }

  async function drawCharts(box, data) {
    const labels = data.series.map(r => label(r.atMs, data.range));
    const table = `<table class="visually-hidden sensor-table"><caption>センサーの値</caption><tr><th>時刻</th><th>ドア</th><th>室温</th><th>湿度</th></tr>
      ${data.series.map((r, i) => `<tr><td>${esc(labels[i])}</td><td>${r.doorEvents}</td><td>${r.temp == null ? '' : r.temp}</td><td>${r.humidity == null ? '' : r.humidity}</td></tr>`).join('')}</table>`;
    box.innerHTML = `<figure class="vitals-chart"><figcaption>ドアの開閉（回）</figcaption><div class="vitals-canvas"><canvas id="sensor-doors" role="img" aria-label="ドアの開閉の回数"></canvas></div></figure>
      <figure class="vitals-chart"><figcaption>室温（℃）・湿度（%）</figcaption><div class="vitals-canvas"><canvas id="sensor-climate" role="img" aria-label="室温と湿度の推移"></canvas></div></figure>${table}`;
    let Chart;
    try { Chart = await loadChartJs(); } catch (e) { box.querySelector('table').classList.remove('visually-hidden'); return; }
    const common = { responsive: true, maintainAspectRatio: false, animation: false };
    new Chart(document.getElementById('sensor-doors'), { type: 'bar', data: { labels,
      datasets: [{ label: 'ドアの開閉', data: data.series.map(r => r.doorEvents), backgroundColor: '#2e6da4' }] }, options: common });
    new Chart(document.getElementById('sensor-climate'), { type: 'line', data: { labels, datasets: [
      { label: '室温', data: data.series.map(r => r.temp), borderColor: '#c0392b', yAxisID: 'y' },
      { label: '湿度', data: data.series.map(r => r.humidity), borderColor: '#16a085', yAxisID: 'y1' }] },
      options: Object.assign({ scales: { y: { position: 'left' }, y1: { position: 'right', grid: { drawOnChartArea: false } } } }, common) });
    box.dataset.charts = 'drawn';
  }

  // The patient page's センサー tab.
  async function show(tab, patientId, range) {
    const r = range || '7d';
    tab.innerHTML = '<p role="status">読み込み中…</p>';
    let data;
    try { data = await T.getJson(`${API}/patients/${encodeURIComponent(patientId)}?range=${r}`); } catch (e) {
      tab.innerHTML = `<p class="form-error">${esc(e.message)}</p>`; return;
    }
    if (data.fromHomeNode && data.monitored) { tab.innerHTML = partnerSummary(data); return; }
    if (!data.monitored) { tab.innerHTML = '<h2>センサー</h2><p id="sensor-none">この方はみまもりセンサーの対象ではありません。</p>'; return; }
    tab.innerHTML = `<h2>センサー${data.status === 'active' ? '' : '（見守り終了）'}</h2>
      <div class="actions" role="group" aria-label="期間">${[['24h', '24時間'], ['7d', '7日'], ['30d', '30日']].map(([k, l]) =>
        `<button type="button" data-range="${k}" aria-pressed="${k === r}">${l}</button>`).join('')}</div>
      <div id="sensor-charts"></div><h3>アラートの履歴</h3><ul class="rows" id="sensor-alerts">${data.alerts.map(a =>
        `<li><div><strong>${esc(a.kindLabel)}</strong> <span class="badge">${esc(a.stateLabel)}</span> <small>${esc(when(a.raisedMs))}</small>
        ${a.resolution ? `<br><small>${esc(a.resolution)}</small>` : ''}${history(a.steps)}</div></li>`).join('') || '<li>アラートはありません。</li>'}</ul>`;
    tab.querySelectorAll('[data-range]').forEach(b => b.addEventListener('click', () => show(tab, patientId, b.dataset.range)));
    await drawCharts(document.getElementById('sensor-charts'), data);
  }

  // On a partner node of the team: the home node's summary (the readings and charts stay at home).
  function partnerSummary(data) {
    return `<h2>センサー</h2><p id="sensor-partner">みまもりセンサーの対象です（見守りの登録先ノードの情報。${esc(when(Date.parse(data.issuedAt)))} 時点）。</p>
      <p>最後の生活反応（ドアの開閉）: <strong id="sensor-last-activity">${data.lastActivityMs ? esc(when(data.lastActivityMs)) : '記録なし'}</strong></p>
      <h3>対応中のアラート</h3><ul class="rows" id="sensor-alerts">${data.alerts.map(a =>
        `<li><div><strong>${esc(a.kindLabel)}</strong> <span class="badge">${esc(a.stateLabel)}</span> <small>${esc(when(a.raisedMs))}</small>
        ${a.escalatedMs ? `<br><small>エスカレーション: ${esc(when(a.escalatedMs))}</small>` : ''}</div></li>`).join('') || '<li>アラートはありません。</li>'}</ul>`;
  }

  window.TsunaguSensors = { show };
})();
