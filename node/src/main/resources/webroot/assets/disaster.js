// Disaster-time support (災害時連携): the banner every screen shows while a disaster is declared, the
// dashboard (per-地区 counts by reason with medical devices first, a map of the counts, the filtered
// list, printed lists per 地区) and, for municipal staff, the declaration and the 要援護者台帳 import
// (upload, differences, confirm, patient matches). What a professional sees is decided by the node.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const API = '/api/v1/disaster';
  const when = iso => iso ? new Date(iso).toLocaleString('ja-JP', { dateStyle: 'medium', timeStyle: 'short' }) : '';
  const isStaff = () => !!(T.identity && T.identity.me.user && T.identity.me.user.role === 'municipal_staff');
  const needsLogin = main => !!(T.identity && T.identity.requireLogin(main));

  // The banner: asked again on every view change, so a declaration or its end shows on the next screen.
  async function banner() {
    const box = document.getElementById('disaster-banner');
    if (!box) { return; }
    try {
      const status = await T.getJson(`${API}/status`);
      const d = status.declaration;
      box.hidden = !status.declared;
      box.textContent = status.declared ? `災害モード: ${d.kind}（${d.wholeArea ? '全域' : d.districts.join('・')}、${when(d.startedAt)} から）`
        : '';
    } catch (e) { box.hidden = true; }
  }
  document.addEventListener('tsunagu:node', banner);
  window.addEventListener('hashchange', banner);

  function declarationForm(status, summary) {
    if (status.declared) {
      return `<form id="disaster-end" class="actions"><button type="submit" class="danger">災害モードを終了する</button></form>`;
    }
    return `<form id="disaster-declare" class="stack"><h2>災害モードを宣言する</h2>
      <label>種別 <select id="disaster-kind">${status.kinds.map(k => `<option>${esc(k)}</option>`).join('')}</select></label>
      <label>発生日時 <input type="datetime-local" id="disaster-start"></label>
      <fieldset><legend>対象地区（選ばなければ全域）</legend>${summary.districts.map(d =>
        `<label class="inline"><input type="checkbox" name="disaster-district" value="${esc(d.district)}"> ${esc(d.district)}</label>`).join(' ')}</fieldset>
      <button type="submit" class="primary" id="disaster-declare-button">宣言する</button></form>`;
  }

  function countsTable(summary) {
    const reasons = summary.reasons;
    const pdf = d => `${API}/districts/${encodeURIComponent(d)}/pdf`;
    return `<div class="table-scroll"><table id="disaster-counts" class="data-table"><thead><tr><th>地区</th><th>合計</th><th>医療機器</th>
      ${reasons.map(r => `<th>${esc(r.label)}</th>`).join('')}<th>同意あり</th><th>印刷</th></tr></thead><tbody>
      ${summary.districts.map(d => `<tr data-district="${esc(d.district)}"${d.declared ? ' class="declared"' : ''}>
        <th scope="row">${esc(d.district)}</th><td class="total">${d.total}</td><td class="medical${d.medicalDevice ? ' some' : ''}">${d.medicalDevice}</td>
        ${reasons.map(r => `<td>${d.reasons[r.code]}</td>`).join('')}<td>${d.consenting}</td>
        <td><a href="${pdf(d.district)}" target="_blank" rel="noopener">名簿 PDF</a></td></tr>`).join('')}</tbody></table></div>`;
  }

  // One marker per 地区 at its centre, carrying the 地区's count; zoomed out, Leaflet.markercluster
  // gathers neighbouring 地区 into one cluster showing the sum of their counts (red when someone in
  // it depends on a medical device). The node sends counts, never where a person lives, to this map.
  function countIcon(L, label, total, medical) {
    const size = Math.round(34 + Math.sqrt(total) * 2.5);
    return L.divIcon({ className: 'district-count' + (medical > 0 ? ' medical' : ''), iconSize: [size, size],
      html: `<span>${label ? `<small>${esc(label)}</small>` : ''}${total}人</span>` });
  }

  async function drawMap(box, summary) {
    let made;
    try {
      made = await T.maps.create(box, summary.map);
      await T.maps.loadClusters();
    } catch (e) { box.classList.add('map-unavailable'); box.textContent = e.message; return; }
    const { L, map } = made;
    const shown = summary.districts.filter(d => d.total > 0);
    const clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 60,
      iconCreateFunction: cluster => {
        const districts = cluster.getAllChildMarkers().map(m => m.options.district);
        return countIcon(L, `${districts.length}地区`, districts.reduce((n, d) => n + d.total, 0),
          districts.reduce((n, d) => n + d.medicalDevice, 0));
      } });
    shown.forEach(d => {
      clusters.addLayer(L.marker([d.latitude, d.longitude], { district: d, title: `${d.district} ${d.total}人`,
        icon: countIcon(L, d.district, d.total, d.medicalDevice) })
        .bindPopup(`${esc(d.district)}: ${d.total}人（医療機器 ${d.medicalDevice}人）`));
    });
    map.addLayer(clusters);
    const all = summary.districts.map(d => [d.latitude, d.longitude]);
    if (all.length) { map.fitBounds(all, { padding: [24, 24] }); }
    box.dataset.districts = String(shown.length);
    box.dataset.people = String(shown.reduce((n, d) => n + d.total, 0));
  }

  const SAFETY = [['safe', '無事'], ['needs_help', '要支援'], ['injured', '負傷'], ['unknown', '安否不明'],
    ['shelter', '避難所'], ['hospital', '入院'], ['unreachable', '連絡つかず']];

  function safetyCell(p, declared) {
    const s = p.safety;
    const shown = s ? `${esc(s.statusLabel)}${s.shelter ? `（${esc(s.shelter)}）` : ''}<br><small>${esc(when(s.recordedAt))}</small>` : '未確認';
    return `<td class="safety">${declared ? shown + `<br><button type="button" data-safety="${esc(p.key)}">安否を記録</button>` : '—'}</td>`;
  }

  function safetyForm(key) {
    return `<tr class="safety-form-row"><td colspan="10"><form class="actions safety-form" data-person="${esc(key)}">
      <select name="status" aria-label="安否">${SAFETY.map(([code, label]) => `<option value="${code}">${label}</option>`).join('')}</select>
      <input name="shelter" placeholder="避難所の名前" aria-label="避難所の名前" maxlength="60">
      <input name="note" placeholder="メモ" aria-label="メモ" maxlength="500">
      <button type="submit" class="primary">記録する</button></form></td></tr>`;
  }

  function peopleRows(people, declared) {
    return people.map(p => `<tr data-person="${esc(p.key)}"><td>${p.medicalDevice ? '★ ' : ''}${esc(p.name)}<br><small>${esc(p.kana)}</small></td>
      <td>${esc(p.birthDate)}</td><td>${esc(p.district)}</td><td>${esc(p.address)}${p.approximate ? '<br><small>（位置は地区の中心・概略）</small>' : ''}</td>
      <td>${esc(p.phone)}</td><td>${esc(p.reasonLabels.join('・'))}${p.careLevel ? `（${esc(p.careLevel)}）` : ''}</td>
      <td>${esc(p.supporterName)} ${esc(p.supporterContact)}</td><td>${p.plan ? `有 ${esc(p.evacuationSite)}` : '無'}</td>
      <td>${p.consent ? '有' : '無'}</td>${safetyCell(p, declared)}</tr>`).join('') || '<tr><td colspan="10">該当する方はいません。</td></tr>';
  }

  T.views.disaster = async function (main) {
    if (needsLogin(main)) { return; }
    main.innerHTML = '<section class="card"><h1>災害時支援</h1><p role="status">読み込み中…</p></section>';
    let status; let summary;
    try {
      [status, summary] = await Promise.all([T.getJson(`${API}/status`), T.getJson(`${API}/summary`)]);
    } catch (e) {
      main.innerHTML = `<section class="card"><h1>災害時支援</h1><p class="form-error">${esc(e.message)}</p></section>`;
      return;
    }
    const d = status.declaration;
    main.innerHTML = `<section class="card"><h1>災害時支援</h1>
      <p id="disaster-state" class="${status.declared ? 'form-error' : ''}">${status.declared
        ? `災害モードです: ${esc(d.kind)}（${d.wholeArea ? '全域' : esc(d.districts.join('・'))}、${esc(when(d.startedAt))} から）`
        : '平常時です。'}</p>
      ${summary.version ? `<p>要援護者台帳 第${summary.version}版</p>` : '<p>要援護者台帳はまだ取り込まれていません。</p>'}
      ${summary.consentingOnly ? '<p class="notice">平常時は、情報提供に同意された方のみを表示しています。</p>' : ''}
      ${isStaff() ? declarationForm(status, summary) + '<p><a href="#/disaster-register">要援護者台帳の取り込み</a></p>' : ''}
      <p id="disaster-result" role="status" hidden></p></section>
      <section class="card"><h2>地区ごとの人数（医療機器を先に）</h2>${countsTable(summary)}
      <div id="disaster-map" class="nearby-map" aria-label="地区ごとの人数の地図"></div>
      <p><small>地図の円は地区ごとの人数です（地区の中心に表示）。赤い円は医療機器を使う方がいる地区です。</small></p></section>
      <section class="card"><h2>一覧</h2><form id="disaster-filter" class="actions">
        <select id="filter-district" aria-label="地区"><option value="">すべての地区</option>${summary.districts.map(x =>
          `<option>${esc(x.district)}</option>`).join('')}</select>
        <select id="filter-reason" aria-label="理由"><option value="">すべての理由</option><option value="medical">医療機器（すべて）</option>
          ${summary.reasons.map(r => `<option value="${esc(r.code)}">${esc(r.label)}</option>`).join('')}</select>
        <input id="filter-q" type="search" placeholder="氏名・ふりがな" aria-label="氏名・ふりがな">
        <button type="submit">絞り込む</button></form>
      <div class="table-scroll"><table class="data-table"><thead><tr><th>氏名</th><th>生年月日</th><th>地区</th><th>住所</th><th>電話</th>
        <th>理由</th><th>避難支援者</th><th>個別避難計画</th><th>同意</th><th>安否</th></tr></thead><tbody id="disaster-people"></tbody></table></div></section>
      ${isStaff() && status.declared ? `<section class="card"><h2>安否確認の進み具合</h2>
        <p><small>記録があるたびに自動で更新されます。</small></p><div id="safety-board"></div></section>` : ''}`;
    const result = document.getElementById('disaster-result');
    const say = (message, ok) => { result.hidden = false; result.className = ok ? 'form-ok' : 'form-error'; result.textContent = message; };
    const list = async () => {
      const params = new URLSearchParams({ district: document.getElementById('filter-district').value,
        reason: document.getElementById('filter-reason').value, q: document.getElementById('filter-q').value });
      const data = await T.getJson(`${API}/people?${params}`);
      document.getElementById('disaster-people').innerHTML = peopleRows(data.people, data.declared);
    };
    const people = document.getElementById('disaster-people');
    people.addEventListener('click', e => {
      const button = e.target.closest('button[data-safety]');
      if (!button) { return; }
      people.querySelectorAll('.safety-form-row').forEach(r => r.remove());
      button.closest('tr').insertAdjacentHTML('afterend', safetyForm(button.dataset.safety));
    });
    people.addEventListener('submit', async e => {
      const form = e.target.closest('form.safety-form');
      if (!form) { return; }
      e.preventDefault();
      try {
        await T.send('POST', `${API}/safety-checks`, { personKey: form.dataset.person, status: form.status.value,
          shelter: form.shelter.value, note: form.note.value });
        say('安否を記録しました。', true);
        await list();
      } catch (err) { say(err.message, false); }
    });
    const boardBox = document.getElementById('safety-board');
    if (boardBox) { await liveBoard(boardBox); }
    document.getElementById('disaster-filter').addEventListener('submit', e => { e.preventDefault(); list().catch(err => say(err.message, false)); });
    const declare = document.getElementById('disaster-declare');
    if (declare) {
      declare.addEventListener('submit', async e => {
        e.preventDefault();
        const districts = Array.from(document.querySelectorAll('input[name="disaster-district"]:checked')).map(x => x.value);
        if (!confirm(`${document.getElementById('disaster-kind').value}で災害モードを宣言しますか？すべての利用者に表示されます。`)) { return; }
        try {
          await T.send('POST', `${API}/declarations`, { kind: document.getElementById('disaster-kind').value, districts,
            startedAt: document.getElementById('disaster-start').value });
          await T.render();
        } catch (err) { say(err.message, false); }
      });
    }
    const end = document.getElementById('disaster-end');
    if (end) {
      end.addEventListener('submit', async e => {
        e.preventDefault();
        if (!confirm('災害モードを終了しますか？')) { return; }
        try { await T.send('POST', `${API}/declarations/current/end`, {}); await T.render(); } catch (err) { say(err.message, false); }
      });
    }
    await list();
    await banner();
    await drawMap(document.getElementById('disaster-map'), summary);
  };

  // The progress board: read again whenever the node says a 地区 changed (server-sent events), until
  // the person leaves the screen.
  let stream = null;
  window.addEventListener('hashchange', () => { if (stream) { stream.close(); stream = null; } });

  async function liveBoard(box) {
    const draw = async () => {
      const board = await T.getJson(`${API}/safety-board`);
      box.innerHTML = `<div class="table-scroll"><table id="safety-table" class="data-table"><thead><tr><th>地区</th><th>確認済み</th>
        ${board.statuses.map(s => `<th>${esc(s.label)}</th>`).join('')}</tr></thead><tbody>${board.districts.map(d =>
        `<tr data-district="${esc(d.district)}"><th scope="row">${esc(d.district)}</th><td class="progress">${d.checked} / ${d.total}</td>
        ${board.statuses.map(s => `<td>${d.statuses[s.code]}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
    };
    await draw();
    if (stream) { stream.close(); }
    stream = T.liveStream(`${API}/safety-board/live`, () => { draw().catch(() => {}); });
    stream.addEventListener('safety', () => { draw().catch(() => {}); });
  }

  function diffList(title, id, people, withFields) {
    return `<h3>${esc(title)}（${people.length}人）</h3><ul id="${id}" class="rows">${people.map(p =>
      `<li>${esc(p.name)}（${esc(p.kana)}・${esc(p.birthDate)}・${esc(p.district)}）${withFields ? `: ${esc(p.fields.join('・'))}` : ''}</li>`).join('')
      || '<li>なし</li>'}</ul>`;
  }

  function preview(answer) {
    return `<section class="card" id="register-preview"><h2>取り込み内容の確認</h2>
      <p>${answer.rows}人。変更なし ${answer.unchanged}人。住所から位置が見つからず地区の中心に置いた方 ${answer.approximate}人。</p>
      ${diffList('追加', 'register-added', answer.added, false)}${diffList('削除', 'register-removed', answer.removed, false)}
      ${diffList('変更', 'register-changed', answer.changed, true)}
      ${answer.status === 'pending' ? `<p>確定するまで、台帳は変わりません。</p>
      <button type="button" class="primary" id="register-confirm" data-import="${esc(answer.id)}">この内容で確定する</button>` : ''}</section>`;
  }

  function matchRow(m) {
    return `<li data-match="${esc(m.id)}"><p><strong>${esc(m.person.name)}</strong>（${esc(m.person.kana)}・${esc(m.person.birthDate)}）
      ${esc(m.person.address)} ⇔ 登録患者 ${esc(m.patient.name)}（${esc(m.patient.kana)}・${esc(m.patient.birthDate)}）${esc(m.patient.address)}
      ${m.addressMatches ? '' : '<br><small>住所が一致しません</small>'}</p>
      ${m.status === 'proposed' ? `<div class="actions"><button type="button" class="primary" data-decide="confirm">同じ方です</button>
        <button type="button" data-decide="reject">別の方です</button></div>` : `<p>${m.status === 'confirmed' ? '同じ方と確認済み' : '別の方'}</p>`}</li>`;
  }

  T.views['disaster-register'] = async function (main) {
    if (needsLogin(main)) { return; }
    main.innerHTML = `<section class="card"><p><a href="#/disaster">← 災害時支援</a></p><h1>要援護者台帳の取り込み</h1>
      <p>UTF-8 または Shift_JIS の CSV ファイルです。1行目は見出し（氏名, ふりがな, 生年月日, 性別, 住所, 地区, 電話, 支援が必要な理由,
        避難支援者, 避難支援者連絡先, 情報提供への同意, 個別避難計画, 避難先）。1行でも誤りがあれば何も取り込みません。
        取り込んだ内容は、追加・削除・変更を確認して確定したときに新しい版になります。</p>
      <form id="register-form" class="actions"><input type="file" id="register-file" accept=".csv,text/csv" aria-label="CSV ファイル">
        <button type="submit" class="primary" id="register-upload">取り込む</button></form>
      <p id="register-result" role="status" hidden></p><div id="register-report"></div></section>
      <div id="register-preview-box"></div>
      <section class="card"><h2>登録患者との照合</h2><p><small>ふりがなと生年月日が同じ登録患者です。確認するまで結び付けません。</small></p>
        <ul id="register-matches" class="rows"></ul></section>
      <section class="card"><h2>取り込みの履歴</h2><ul id="register-history" class="rows"></ul></section>`;
    const result = document.getElementById('register-result');
    const say = (message, ok) => { result.hidden = false; result.className = ok ? 'form-ok' : 'form-error'; result.textContent = message; };
    const label = { pending: '確認待ち', confirmed: '現在の版', superseded: '以前の版', discarded: '取り消し' };
    const drawLists = async () => {
      const [history, matches] = await Promise.all([T.getJson(`${API}/register/imports`), T.getJson(`${API}/register/matches`)]);
      document.getElementById('register-history').innerHTML = history.imports.map(i => `<li>${esc(when(i.uploadedAt))}
        ${i.rows}人 ${esc(label[i.status] || i.status)}${i.version ? ` 第${i.version}版` : ''}</li>`).join('') || '<li>まだありません。</li>';
      document.getElementById('register-matches').innerHTML = matches.matches.map(matchRow).join('') || '<li>照合候補はありません。</li>';
    };
    document.getElementById('register-form').addEventListener('submit', async e => {
      e.preventDefault();
      const file = document.getElementById('register-file').files[0];
      const report = document.getElementById('register-report');
      report.innerHTML = '';
      if (!file) { say('CSV ファイルを選んでください。', false); return; }
      try {
        const answer = await T.send('POST', `${API}/register/imports`, file, { 'Content-Type': 'text/csv' });
        say('取り込み内容を確認して、確定してください。', true);
        document.getElementById('register-preview-box').innerHTML = preview(answer);
        await drawLists();
      } catch (err) {
        say(err.message, false);
        const rows = (err.body && err.body.rows) || [];
        report.innerHTML = rows.length ? `<table id="register-errors" class="data-table"><thead><tr><th>行</th><th>内容</th></tr></thead><tbody>
          ${rows.map(r => `<tr><td>${r.row}</td><td>${esc(r.message)}</td></tr>`).join('')}</tbody></table>` : '';
      }
    });
    document.getElementById('register-preview-box').addEventListener('click', async e => {
      const button = e.target.closest('#register-confirm');
      if (!button) { return; }
      try {
        const done = await T.send('POST', `${API}/register/imports/${encodeURIComponent(button.dataset.import)}/confirm`, {});
        say(`台帳を第${done.version}版として確定しました。照合候補 ${done.matchesProposed}件。`, true);
        button.remove();
        await drawLists();
      } catch (err) { say(err.message, false); }
    });
    document.getElementById('register-matches').addEventListener('click', async e => {
      const button = e.target.closest('button[data-decide]');
      if (!button) { return; }
      try {
        await T.send('POST', `${API}/register/matches/${encodeURIComponent(button.closest('[data-match]').dataset.match)}/${button.dataset.decide}`, {});
        await drawLists();
      } catch (err) { say(err.message, false); }
    });
    await drawLists();
  };
  // 安否確認 of one patient from her page: the professionals of her team record her safety on their
  // own node. For a partner's patient (homed on another municipality's node) the record goes to the
  // home node, which alone holds her in its 要援護者台帳 and decides; it waits as 送信待ち until the
  // home node takes it and shows 送信できませんでした if it refuses, as any post written here does.
  function safetyRecords(posts) {
    const records = posts.filter(p => p.body.startsWith('安否確認: '));
    return records.map(p => `<li class="safety-record" data-post="${esc(p.id)}"><p>${esc(p.body).replace(/\n/g, '<br>')}</p>
      ${p.syncState === 'pending' ? '<span class="badge sync-pending" title="住所地の市町村のノードへの送信を待っています">送信待ち</span>' : ''}
      ${p.syncState === 'rejected' ? '<span class="badge sync-rejected">送信できませんでした</span>' : ''}</li>`).join('')
      || '<li>まだ記録はありません。</li>';
  }

  let safetyLive = null;
  window.addEventListener('hashchange', () => { if (safetyLive) { safetyLive.close(); safetyLive = null; } });

  T.views['disaster-safety'] = async function (main) {
    if (needsLogin(main)) { return; }
    const id = decodeURIComponent(location.hash.split('/')[2] || '');
    const base = `/api/v1/patients/${encodeURIComponent(id)}`;
    let info;
    try {
      info = await T.getJson(base);
    } catch (e) {
      main.innerHTML = `<section class="card"><h1>安否確認</h1><p class="form-error">${esc(e.message)}</p></section>`;
      return;
    }
    const home = info.homeMunicipality;
    main.innerHTML = `<section class="card" id="safety-record-card"><p><a href="#/patient/${esc(id)}">← ${esc(info.familyName)} ${esc(info.givenName)} 様のページ</a></p>
      <h1>安否確認</h1><p><strong>${esc(info.familyName)} ${esc(info.givenName)} 様</strong>（${esc(info.familyKana)} ${esc(info.givenKana)}）</p>
      ${home ? `<p class="home-note"><span class="badge home-badge">${esc(home)}</span> ${esc(home)}の支援対象者です。記録は${esc(home)}のノードに送られ、`
        + `${esc(home)}が災害モードの間、${esc(home)}の要援護者台帳の方についてだけ受け付けられます。</p>` : ''}
      <form id="safety-record-form" class="stack" novalidate>
        <fieldset><legend>安否</legend><div class="actions safety-statuses">${SAFETY.map(([code, label]) =>
          `<button type="button" data-status="${code}" aria-pressed="false">${label}</button>`).join('')}</div></fieldset>
        <div class="field" id="safety-shelter-field" hidden><label for="safety-shelter">避難所の名前</label>
          <input id="safety-shelter" name="shelter" maxlength="60"></div>
        <div class="field"><label for="safety-note">メモ</label><textarea id="safety-note" name="note" rows="3" maxlength="500"></textarea></div>
        <p id="safety-record-result" role="status" hidden></p>
        <button type="submit" class="primary" id="safety-record-submit">記録する</button></form></section>
      <section class="card"><h2>この方の安否の記録</h2><ul id="safety-records" class="rows"></ul></section>`;
    const form = document.getElementById('safety-record-form');
    const result = document.getElementById('safety-record-result');
    const say = (message, ok) => { result.hidden = false; result.className = ok ? 'form-ok' : 'form-error'; result.textContent = message; };
    let status = '';
    const choose = button => {
      status = button ? button.dataset.status : '';
      form.querySelectorAll('button[data-status]').forEach(b => {
        b.setAttribute('aria-pressed', String(b === button));
        b.classList.toggle('primary', b === button);
      });
      // .field sets its own display, which the hidden attribute alone does not override (and the
      // node's content security policy takes no style attribute in markup, only a script's)
      const shelter = document.getElementById('safety-shelter-field');
      shelter.hidden = status !== 'shelter';
      shelter.style.display = shelter.hidden ? 'none' : '';
    };
    form.querySelector('.safety-statuses').addEventListener('click', e => {
      const button = e.target.closest('button[data-status]');
      if (button) { choose(button); }
    });
    choose(null);
    const records = async () => {
      const data = await T.getJson(base + '/posts');
      document.getElementById('safety-records').innerHTML = safetyRecords(data.posts);
    };
    form.addEventListener('submit', async e => {
      e.preventDefault();
      if (!status) { say('安否を選んでください。', false); return; }
      const button = document.getElementById('safety-record-submit');
      button.disabled = true;
      try {
        const saved = await T.send('POST', `${API}/safety-checks`, { patientId: id, status,
          shelter: document.getElementById('safety-shelter').value, note: document.getElementById('safety-note').value });
        say(saved.syncState === 'pending' ? `記録しました。${home || '住所地'}のノードに送ります。送れたかどうかは下の「この方の安否の記録」に表示されます。`
          : '安否を記録しました。', true);
        form.reset();
        choose(null);
        await records();
      } catch (err) { say(err.message, false); } finally { button.disabled = false; }
    });
    await records();
    if (safetyLive) { safetyLive.close(); }
    // The home node's answer arrives as a sync event on the patient's stream: the marks are read again.
    safetyLive = T.liveStream(base + '/live', () => { records().catch(() => {}); });
    ['post', 'sync'].forEach(type => safetyLive.addEventListener(type, () => { records().catch(() => {}); }));
  };

  // The patient page (care) gets a way to this screen: always for a partner's patient, whose home
  // node decides, and for one of this node's patients while this node is in disaster mode.
  const patientPage = T.views.patient;
  if (patientPage) {
    T.views.patient = async function (main) {
      const shown = location.hash;
      await patientPage(main);
      const id = shown.split('/')[2];
      const card = main.querySelector('section.card');
      if (location.hash !== shown || !id || !card || !card.querySelector('nav.tabs') || card.querySelector('.safety-link')) { return; }
      const partners = !!card.querySelector('.home-note');
      const declared = partners ? true : await T.getJson(`${API}/status`).then(s => s.declared).catch(() => false);
      if (declared && location.hash === shown && !card.querySelector('.safety-link')) {
        card.querySelector('nav.tabs').insertAdjacentHTML('beforebegin', `<p class="safety-link"><a class="button" id="safety-link"
          href="#/disaster-safety/${esc(id)}">安否を記録する</a></p>`);
      }
    };
  }
})();
