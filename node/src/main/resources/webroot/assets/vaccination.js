// Vaccination records (ワクチン接種管理記録): the 予防接種 tab of a patient (per-vaccine status icons, a
// dose's form with the 予診, photos of the 接種券 and 予診票 and the observation timer, the history with
// versions and 副反応, the home-vaccination plans), the icons on 患者一覧, a professional's list of
// planned home vaccinations, and 行政's report with the national-record CSV. The node checks
// everything; the page only shows what it answers.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const when = iso => iso ? new Date(iso).toLocaleString('ja-JP', { dateStyle: 'medium', timeStyle: 'short' }) : '';
  const two = n => String(n).padStart(2, '0');
  // A datetime-local value for now, in the device's time zone.
  const localNow = () => { const d = new Date(); return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}`; };
  const toIso = local => local ? new Date(local).toISOString() : '';
  let vocabulary = null;
  const vocab = async () => (vocabulary = vocabulary || await T.getJson('/api/v1/vaccination/vaccines'));

  // One icon per vaccine: 未接種 / 予定 / 接種済み N回 / 見送り.
  function icons(statuses) {
    return `<ul class="vaccine-icons" aria-label="予防接種の状況">${statuses.map(s => `<li class="vaccine-icon vaccine-${esc(s.status)}"
      data-vaccine="${esc(s.vaccine)}" title="${esc(s.vaccineName)}: ${esc(s.label)}"><span class="vaccine-mark" aria-hidden="true">${
      { done: '✓', planned: '◷', declined: '−', none: '○' }[s.status] || '○'}</span><span class="vaccine-name">${esc(s.vaccineName)}</span>
      <span class="vaccine-label">${esc(s.label)}</span></li>`).join('')}</ul>`;
  }

  // 患者一覧: the icons under each patient the reader is a member of the team of.
  async function listIcons(list) {
    const links = [...list.querySelectorAll('a[href^="#/patient/"]')];
    if (!links.length) { return; }
    const ids = links.map(a => a.getAttribute('href').split('/')[2]);
    const data = await T.getJson('/api/v1/vaccination/statuses?patients=' + encodeURIComponent(ids.join(','))).catch(() => null);
    if (!data) { return; }
    links.forEach((a, i) => {
      const statuses = data.patients[ids[i]];
      if (statuses) { a.closest('li').insertAdjacentHTML('beforeend', icons(statuses)); }
    });
  }

  // The patient page's header: the same icons.
  async function badges(box, patientId) {
    const data = await T.getJson('/api/v1/vaccination/statuses?patients=' + encodeURIComponent(patientId)).catch(() => null);
    if (data && data.patients[patientId]) { box.innerHTML = icons(data.patients[patientId]); }
  }

  function doseForm(v, doses) {
    const next = code => doses.filter(d => d.vaccine === code).length + 1;
    return `<form id="dose-form" class="stack dose-form" novalidate><h2>接種を記録する</h2>
      <div class="field"><label for="dose-vaccine">ワクチン</label><select id="dose-vaccine">
        ${v.vaccines.map(x => `<option value="${esc(x.code)}" data-next="${next(x.code)}">${esc(x.name)}</option>`).join('')}</select></div>
      <div class="field"><label for="dose-number">接種回数（回目）</label><input id="dose-number" type="number" inputmode="numeric" min="1" max="20" value="${next(v.vaccines[0].code)}"></div>
      <div class="field"><label for="dose-given">接種日時</label><input id="dose-given" type="datetime-local" value="${localNow()}"></div>
      <div class="field"><label for="dose-place">接種場所</label><select id="dose-place">${v.places.map(p => `<option value="${esc(p.code)}">${esc(p.label)}</option>`).join('')}</select></div>
      <div class="field"><label for="dose-maker">メーカー</label><input id="dose-maker" maxlength="40"></div>
      <div class="field"><label for="dose-lot">ロット番号</label><input id="dose-lot" maxlength="20" autocapitalize="characters" placeholder="例: FK1234"></div>
      <div class="field"><label for="dose-vaccinator">接種者</label><input id="dose-vaccinator" maxlength="40"></div>
      <div class="field"><label for="dose-ticket">接種券番号</label><input id="dose-ticket" inputmode="numeric" maxlength="20"></div>
      <fieldset class="screening"><legend>予診</legend>
        <div class="field"><label for="dose-temp">体温（℃）</label><input id="dose-temp" type="number" inputmode="decimal" step="0.1" min="34" max="42"></div>
        ${v.questions.map(q => `<div class="question" role="radiogroup" aria-label="${esc(q.text)}"><span>${esc(q.text)}</span>
          <label class="inline"><input type="radio" name="q-${esc(q.code)}" value="yes"> はい</label>
          <label class="inline"><input type="radio" name="q-${esc(q.code)}" value="no"> いいえ</label></div>`).join('')}</fieldset>
      <div class="field"><label for="dose-ticket-photo">接種券の写真</label><input id="dose-ticket-photo" type="file" accept="image/*" capture="environment" multiple></div>
      <div class="field"><label for="dose-screening-photo">予診票の写真</label><input id="dose-screening-photo" type="file" accept="image/*" capture="environment" multiple></div>
      <fieldset class="observation"><legend>接種後の経過観察</legend>
        <label class="inline"><input type="radio" name="obs-minutes" value="15" checked> 15分</label>
        <label class="inline"><input type="radio" name="obs-minutes" value="30"> 30分</label>
        <p><button type="button" id="obs-start">経過観察を開始</button> <button type="button" id="obs-end" hidden>観察を終了</button></p>
        <p id="obs-timer" class="obs-timer" role="timer" aria-live="polite" hidden></p>
        <div class="field" id="obs-observer-field" hidden><label for="obs-observer">観察した方</label><input id="obs-observer" maxlength="40"></div>
      </fieldset>
      <p id="dose-error" class="form-error" role="alert"></p>
      <button class="primary" type="submit" id="dose-submit">記録する</button></form>`;
  }

  // The observation timer: counts down the chosen minutes from the start and shows the end time;
  // 観察を終了 (or the time running out) records the end, and who watched is asked.
  function timer(section) {
    const state = { startedAt: null, endedAt: null, tick: null };
    const show = document.getElementById('obs-timer');
    const minutes = () => Number(section.querySelector('input[name="obs-minutes"]:checked').value);
    const end = () => {
      clearInterval(state.tick);
      state.endedAt = new Date();
      show.textContent = `経過観察 終了 ${state.endedAt.toLocaleTimeString('ja-JP', { hour: '2-digit', minute: '2-digit' })}`;
      show.classList.add('done');
      document.getElementById('obs-end').hidden = true;
      document.getElementById('obs-observer-field').hidden = false;
    };
    document.getElementById('obs-start').addEventListener('click', () => {
      state.startedAt = new Date();
      state.endedAt = null;
      const until = new Date(state.startedAt.getTime() + minutes() * 60000);
      show.hidden = false;
      show.classList.remove('done');
      document.getElementById('obs-start').hidden = true;
      document.getElementById('obs-end').hidden = false;
      const draw = () => {
        const left = Math.max(0, until - Date.now());
        show.textContent = `残り ${two(Math.floor(left / 60000))}:${two(Math.floor(left / 1000) % 60)}（${until.toLocaleTimeString('ja-JP', { hour: '2-digit', minute: '2-digit' })} まで）`;
        if (left === 0) { end(); }
      };
      draw();
      state.tick = setInterval(draw, 1000);
    });
    document.getElementById('obs-end').addEventListener('click', end);
    return state;
  }

  async function uploads(input) {
    const ids = [];
    for (const file of input.files) {
      const saved = await T.send('POST', '/api/v1/uploads', file, { 'Content-Type': file.type || 'application/octet-stream',
        'X-File-Name': encodeURIComponent(file.name) });
      ids.push(saved.id);
    }
    return ids;
  }

  function doseBody(section, v, obs) {
    const val = id => document.getElementById(id).value.trim();
    const answers = {};
    v.questions.forEach(q => {
      const picked = section.querySelector(`input[name="q-${q.code}"]:checked`);
      if (picked) { answers[q.code] = picked.value === 'yes'; }
    });
    const temperature = val('dose-temp') === '' ? null : Number(val('dose-temp'));
    const givenAt = toIso(val('dose-given'));
    return { vaccine: val('dose-vaccine'), doseNumber: Number(val('dose-number')), givenAt, place: val('dose-place'),
      manufacturer: val('dose-maker'), lotNumber: val('dose-lot'), vaccinator: val('dose-vaccinator'),
      ticketNumber: val('dose-ticket'), screening: { temperature, answers },
      observation: { minutes: Number(section.querySelector('input[name="obs-minutes"]:checked').value),
        startedAt: obs.startedAt ? obs.startedAt.toISOString() : givenAt,
        endedAt: obs.endedAt ? obs.endedAt.toISOString() : '', observer: val('obs-observer') } };
  }

  function history(doses) {
    if (!doses.length) { return '<p>接種の記録はまだありません。</p>'; }
    return `<ol class="dose-list">${doses.map(d => `<li class="dose" data-dose="${esc(d.id)}">
      <p><strong>${esc(d.vaccineName)} ${d.doseNumber}回目</strong>（${esc(d.placeLabel)}）${esc(when(d.givenAt))}
      ${d.version > 1 ? `<span class="badge">修正 ${d.version - 1}回</span>` : ''}</p>
      <p class="dose-detail">メーカー ${esc(d.manufacturer)}・ロット ${esc(d.lotNumber)}・接種者 ${esc(d.vaccinator)}・接種券番号 ${esc(d.ticketNumber)}
      ・体温 ${esc(String(d.screening.temperature))}℃・経過観察 ${d.observation.minutes}分${d.observation.endedAt
        ? `（${esc(when(d.observation.endedAt))} 終了・${esc(d.observation.observer)}）` : '（終了時刻 未記録）'}</p>
      <p class="reactions">副反応: ${d.reactions.length ? d.reactions.map(r => r.kind === 'none' ? 'なし'
        : `${esc(r.kind)}（${esc(when(r.onsetAt))} 発現・${esc(r.outcome)}）`).join('、') : '未記録'}</p>
      <details><summary>副反応を記録</summary><form class="reaction-form stack">
        <label class="check"><input type="checkbox" name="none"> 副反応なし</label>
        <div class="field"><label>種類<input name="kind" maxlength="60"></label></div>
        <div class="field"><label>発現日時<input name="onsetAt" type="datetime-local"></label></div>
        <div class="field"><label>転帰<input name="outcome" maxlength="200" placeholder="例: 回復"></label></div>
        <p class="form-error" role="alert"></p><button type="submit">副反応を保存</button></form></details></li>`).join('')}</ol>`;
  }

  function plans(v, list) {
    const name = code => (v.vaccines.find(x => x.code === code) || { name: code }).name;
    return `<h2>在宅接種の予定</h2><ul class="rows plan-list">${list.map(p => `<li data-plan="${esc(p.id)}">
      <strong>${esc(name(p.vaccine))}</strong> <span class="badge plan-${esc(p.status)}">${esc(p.statusLabel)}</span>
      ${p.plannedFor ? `${esc(p.plannedFor)}・${esc(p.assigneeName)}` : ''}${p.reason ? `（理由: ${esc(p.reason)}）` : ''}
      ${p.status === 'wished' || p.status === 'planned' ? `<form class="plan-schedule actions"><label>予定日 <input type="date" name="plannedFor" required></label>
        <button type="submit">予定にする</button></form><form class="plan-decline actions"><label>見送りの理由 <input name="reason" maxlength="200"></label>
        <button type="submit">見送り</button></form>` : ''}</li>`).join('') || '<li>予定はありません。</li>'}</ul>
      <form id="plan-wish" class="actions"><label for="plan-vaccine">希望のワクチン</label><select id="plan-vaccine">
        ${v.vaccines.map(x => `<option value="${esc(x.code)}">${esc(x.name)}</option>`).join('')}</select>
        <button type="submit">在宅接種の希望を登録</button></form><p id="plan-error" class="form-error" role="alert"></p>`;
  }

  // The 予防接種 tab.
  async function show(section, patientId) {
    const base = `/api/v1/patients/${encodeURIComponent(patientId)}`;
    let v;
    let data;
    try {
      [v, data] = await Promise.all([vocab(), T.getJson(base + '/vaccinations')]);
    } catch (e) { section.innerHTML = `<p class="form-error" role="alert">${esc(e.message)}</p>`; return; }
    section.innerHTML = `<h2>予防接種の状況</h2>${icons(data.statuses)}${doseForm(v, data.doses)}
      <h2>接種歴</h2><div id="dose-history">${history(data.doses)}</div><div id="plans">${plans(v, data.plans)}</div>`;
    const again = () => { show(section, patientId); const box = document.getElementById('vaccination-badges'); if (box) { badges(box, patientId); } };
    const obs = timer(section);
    document.getElementById('dose-vaccine').addEventListener('change', e => {
      document.getElementById('dose-number').value = e.target.selectedOptions[0].dataset.next;
    });
    document.getElementById('dose-form').addEventListener('submit', async e => {
      e.preventDefault();
      const error = document.getElementById('dose-error');
      const button = document.getElementById('dose-submit');
      error.textContent = '';
      button.disabled = true;
      try {
        const body = doseBody(section, v, obs);
        body.ticketPhotos = await uploads(document.getElementById('dose-ticket-photo'));
        body.screeningPhotos = await uploads(document.getElementById('dose-screening-photo'));
        await T.send('POST', base + '/vaccinations', body);
        again();
      } catch (err) {
        error.textContent = err.message;
        button.disabled = false;
      }
    });
    section.querySelectorAll('.reaction-form').forEach(form => form.addEventListener('submit', async e => {
      e.preventDefault();
      const none = form.elements.none.checked;
      const body = none ? { kind: 'none' } : { kind: form.elements.kind.value.trim(),
        onsetAt: toIso(form.elements.onsetAt.value), outcome: form.elements.outcome.value.trim() };
      try {
        await T.send('POST', `/api/v1/vaccinations/${encodeURIComponent(form.closest('[data-dose]').dataset.dose)}/reactions`, body);
        again();
      } catch (err) { form.querySelector('.form-error').textContent = err.message; }
    }));
    const planError = document.getElementById('plan-error');
    document.getElementById('plan-wish').addEventListener('submit', async e => {
      e.preventDefault();
      try {
        await T.send('POST', base + '/vaccination-plans', { vaccine: document.getElementById('plan-vaccine').value });
        again();
      } catch (err) { planError.textContent = err.message; }
    });
    section.querySelectorAll('[data-plan] form').forEach(form => form.addEventListener('submit', async e => {
      e.preventDefault();
      const id = encodeURIComponent(form.closest('[data-plan]').dataset.plan);
      try {
        if (form.classList.contains('plan-schedule')) {
          await T.send('POST', `/api/v1/vaccination-plans/${id}/schedule`, { plannedFor: form.elements.plannedFor.value });
        } else {
          await T.send('POST', `/api/v1/vaccination-plans/${id}/decline`, { reason: form.elements.reason.value.trim() });
        }
        again();
      } catch (err) { planError.textContent = err.message; }
    }));
  }

  // 在宅接種の予定: where I go, or where anyone of my facility goes.
  T.views['vaccination-plans'] = async function (main) {
    if (T.identity && T.identity.requireLogin(main)) { return; }
    const scope = T.hashParam('scope') === 'facility' ? 'facility' : 'mine';
    main.innerHTML = `<section class="card"><h1>在宅接種の予定</h1><nav class="tabs" aria-label="表示の切り替え">
      <a href="#/vaccination-plans?scope=mine" aria-current="${scope === 'mine' ? 'page' : 'false'}">自分の予定</a>
      <a href="#/vaccination-plans?scope=facility" aria-current="${scope === 'facility' ? 'page' : 'false'}">事業所の予定</a></nav>
      <ul id="plan-rows" class="rows"></ul></section>`;
    try {
      const data = await T.getJson('/api/v1/vaccination/plans?scope=' + scope);
      document.getElementById('plan-rows').innerHTML = data.plans.map(p => `<li><a href="#/patient/${esc(p.patientId)}">
        <strong>${esc(p.patientName)} 様</strong></a> ${esc(p.vaccineName)} <span class="badge plan-${esc(p.status)}">${esc(p.statusLabel)}</span>
        ${p.plannedFor ? `${esc(p.plannedFor)}・${esc(p.assigneeName)}` : '日程未定'}</li>`).join('')
        || `<li>${scope === 'facility' ? '事業所' : 'あなた'}の在宅接種の予定はありません。</li>`;
    } catch (e) { main.insertAdjacentHTML('beforeend', `<p class="form-error" role="alert">${esc(e.message)}</p>`); }
  };

  // 行政: counts per place, 地区, age band and dose for a period, the CSV in UTF-8 or Shift_JIS, and
  // adding a vaccine to the node's list.
  T.views['vaccination-report'] = async function (main) {
    if (T.identity && T.identity.requireLogin(main)) { return; }
    const v = await vocab();
    // Doses are dated in Japan time; "today" is taken there too, whatever the browser's own zone.
    const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo', year: 'numeric', month: '2-digit',
      day: '2-digit' }).format(new Date()).split('-').map(Number);
    const iso = x => `${x.getFullYear()}-${two(x.getMonth() + 1)}-${two(x.getDate())}`;
    const today = new Date(y, m - 1, d);
    const start = new Date(y, m - 4, 1);
    main.innerHTML = `<section class="card"><h1>予防接種の報告</h1>
      <form id="report-form" class="actions"><label>開始日 <input type="date" id="report-from" value="${iso(start)}"></label>
      <label>終了日 <input type="date" id="report-to" value="${iso(today)}"></label>
      <label>ワクチン <select id="report-vaccine"><option value="">すべて</option>${v.vaccines.map(x =>
        `<option value="${esc(x.code)}">${esc(x.name)}</option>`).join('')}</select></label><button type="submit">集計する</button></form>
      <p id="report-error" class="form-error" role="alert"></p><div id="report-counts"></div>
      <p class="actions"><a id="csv-utf8" href="#">CSV（UTF-8）</a> <a id="csv-sjis" href="#">CSV（Shift_JIS）</a></p>
      <p class="hint">国の予防接種記録に入力する項目（接種券番号・接種日・ワクチン種類・メーカー・ロット番号・接種回数）。このノードに登録された方だけが含まれます。出力は記録されます。</p></section>
      <section class="card"><h2>在宅接種が必要な方</h2><p class="hint">このノードに登録された方から選び、希望のワクチンを登録します。予定は支援チームが立てます。</p>
      <form id="home-need" class="actions"><label>対象の方 <select id="home-need-patient"></select></label>
      <label>ワクチン <select id="home-need-vaccine">${v.vaccines.map(x => `<option value="${esc(x.code)}">${esc(x.name)}</option>`).join('')}</select></label>
      <button type="submit">在宅接種の希望を登録</button></form><p id="home-need-error" class="form-error" role="alert"></p>
      <ul id="home-need-list" class="rows"></ul></section>
      <section class="card"><h2>ワクチンの追加</h2><form id="vaccine-add" class="actions"><label for="vaccine-name">ワクチン名</label>
      <input id="vaccine-name" maxlength="30"><button type="submit">追加する</button></form><p id="vaccine-error" class="form-error" role="alert"></p>
      <p id="vaccine-list">${v.vaccines.map(x => esc(x.name)).join('・')}</p></section>`;
    const query = () => `from=${document.getElementById('report-from').value}&to=${document.getElementById('report-to').value}`
      + `&vaccine=${encodeURIComponent(document.getElementById('report-vaccine').value)}`;
    const table = (title, rows) => `<table class="data-table report-table"><caption>${esc(title)}</caption><tbody>${rows.map(r =>
      `<tr><th scope="row">${esc(r.key)}</th><td>${r.count}</td></tr>`).join('') || '<tr><td>0</td></tr>'}</tbody></table>`;
    const run = async () => {
      const links = { 'csv-utf8': 'utf-8', 'csv-sjis': 'shift_jis' };
      Object.entries(links).forEach(([id, enc]) => { document.getElementById(id).href = `/api/v1/vaccination/report.csv?${query()}&encoding=${enc}`; });
      try {
        const report = await T.getJson('/api/v1/vaccination/report?' + query());
        const c = report.counts;
        document.getElementById('report-error').textContent = '';
        document.getElementById('report-counts').innerHTML = `<p id="report-total">接種 ${c.total} 件</p><div class="report-grid">
          ${table('接種場所', c.byPlace)}${table('地区', c.byDistrict)}${table('年齢', c.byAgeBand)}${table('接種回数', c.byDose)}</div>`;
      } catch (e) { document.getElementById('report-error').textContent = e.message; }
    };
    document.getElementById('report-form').addEventListener('submit', e => { e.preventDefault(); run(); });
    const needs = async () => {
      const data = await T.getJson('/api/v1/vaccination/registered-patients');
      document.getElementById('home-need-patient').innerHTML = data.patients.map(p =>
        `<option value="${esc(p.id)}">${esc(p.name)}（${esc(p.birthDate)}）</option>`).join('');
      document.getElementById('home-need-list').innerHTML = data.patients.filter(p => p.plans.length).map(p =>
        `<li><strong>${esc(p.name)}</strong> ${p.plans.map(x => `${esc(x.vaccineName)} <span class="badge plan-${esc(x.status)}">${esc(x.statusLabel)}</span>`).join(' ')}</li>`).join('')
        || '<li>在宅接種の希望・予定はありません。</li>';
    };
    document.getElementById('home-need').addEventListener('submit', async e => {
      e.preventDefault();
      const error = document.getElementById('home-need-error');
      error.textContent = '';
      try {
        await T.send('POST', `/api/v1/patients/${encodeURIComponent(document.getElementById('home-need-patient').value)}/vaccination-plans`,
          { vaccine: document.getElementById('home-need-vaccine').value });
        await needs();
      } catch (err) { error.textContent = err.message; }
    });
    needs().catch(err => { document.getElementById('home-need-error').textContent = err.message; });
    document.getElementById('vaccine-add').addEventListener('submit', async e => {
      e.preventDefault();
      try {
        await T.send('POST', '/api/v1/vaccination/vaccines', { name: document.getElementById('vaccine-name').value.trim() });
        vocabulary = null;
        T.views['vaccination-report'](main);
      } catch (err) { document.getElementById('vaccine-error').textContent = err.message; }
    });
    await run();
  };

  window.TsunaguVaccination = { show, listIcons, badges };
})();
