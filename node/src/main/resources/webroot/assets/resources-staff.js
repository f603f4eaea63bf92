// 地域資源の管理 for municipal staff (行政): the list with search and status, the registration and
// edit form with every field (structured schedule, a map to place the marker, photos), publishing,
// and the all-or-nothing CSV import with its per-row report. Built on /api/v1/staff/*; every text
// from the API is escaped before it becomes HTML.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const DAYS = [['mon', '月'], ['tue', '火'], ['wed', '水'], ['thu', '木'], ['fri', '金'], ['sat', '土'], ['sun', '日']];
  let options = null;

  async function formOptions() {
    options = options || await T.getJson('/api/v1/staff/resource-form');
    return options;
  }

  function failure(main, error) {
    main.innerHTML = `<section class="card"><h1>表示できません</h1><p>${esc(error.message)}</p>
      <p><a href="#/login">ログイン</a>してから、もう一度お試しください。</p></section>`;
  }

  function statusBadge(published) {
    return published ? '<span class="status-badge published">公開中</span>' : '<span class="status-badge draft">非公開</span>';
  }

  // 一覧
  T.views['staff-resources'] = async function (main) {
    main.innerHTML = `<section class="card"><h1>地域資源の管理</h1>
      <p class="actions"><a class="button-link primary" href="#/staff-resource/new">新規登録</a>
        <a class="button-link" href="#/staff-resource-import">CSV で一括登録</a>
        <a class="button-link" href="#/staff-resource-vocabulary">分類・タグ</a>
        <a class="button-link" href="/resources" target="_blank" rel="noopener">公開ページを見る</a></p>
      <form id="staff-resource-search" class="search-row" role="search">
        <input id="sr-q" type="search" aria-label="キーワード" placeholder="名称・カナ・住所・カテゴリ">
        <select id="sr-status" aria-label="公開状態"><option value="">すべて</option><option value="published">公開中</option>
          <option value="unpublished">非公開</option></select>
        <button type="submit">検索</button></form>
      <p id="sr-count" role="status"></p><p id="sr-error" class="form-error" role="alert"></p>
      <ul id="staff-resource-list" class="rows resource-rows"></ul></section>`;
    const list = async () => {
      const q = document.getElementById('sr-q').value;
      const status = document.getElementById('sr-status').value;
      let data;
      try {
        data = await T.getJson(`/api/v1/staff/resources?q=${encodeURIComponent(q)}&status=${status}`);
      } catch (e) { failure(main, e); return; }
      document.getElementById('sr-count').textContent = `${data.total} 件` + (data.total > data.resources.length
        ? `（新しく更新した ${data.resources.length} 件を表示しています。キーワードで絞り込んでください）` : '');
      const box = document.getElementById('staff-resource-list');
      box.innerHTML = data.resources.map(r => `<li data-id="${esc(r.id)}">
        <div><a href="#/staff-resource/${esc(r.id)}" class="resource-link"><strong>${esc(r.name)}</strong></a>
          ${statusBadge(r.published)}<br>
          <small>${esc(r.subCategoryName || r.categoryName)}・${esc(r.address)}
          ・最終確認 ${esc(r.lastVerified || '未確認')}・紹介 ${r.introductions} 回</small></div>
        <div class="actions"><a class="button-link" href="#/staff-resource/${esc(r.id)}">編集</a>
          <button type="button" class="toggle-publish" data-publish="${r.published ? 'unpublish' : 'publish'}">
          ${r.published ? '非公開にする' : '公開する'}</button></div></li>`).join('')
        || '<li>該当する地域資源はありません。</li>';
      box.querySelectorAll('.toggle-publish').forEach(button => button.addEventListener('click', async () => {
        const id = button.closest('li').dataset.id;
        button.disabled = true;
        try {
          await T.send('POST', `/api/v1/staff/resources/${id}/${button.dataset.publish}`);
          await list();
        } catch (e) {
          document.getElementById('sr-error').textContent = e.message;
          button.disabled = false;
        }
      }));
    };
    document.getElementById('staff-resource-search').addEventListener('submit', e => { e.preventDefault(); list(); });
    document.getElementById('sr-status').addEventListener('change', list);
    await list();
  };

  // 予定: the structured rules in their short form ("weekly:thu@10:00-12:00") and in words.
  function parseRule(text) {
    const [head, time] = text.split('@');
    const parts = head.split(':');
    return { monthly: parts[0] === 'monthly', weeks: parts[0] === 'monthly' ? parts[1].split(',') : [],
      days: parts[parts.length - 1].split(','), start: time ? time.split('-')[0] : '', end: time ? time.split('-')[1] : '' };
  }

  function ruleRow(rule, n) {
    const r = rule || { monthly: false, weeks: [], days: [], start: '', end: '' };
    return `<fieldset class="schedule-rule"><legend>予定 ${n}</legend>
      <div class="actions"><select class="rule-kind" aria-label="くり返し"><option value="weekly">毎週</option>
        <option value="monthly"${r.monthly ? ' selected' : ''}>毎月</option></select>
      <span class="rule-weeks"${r.monthly ? '' : ' hidden'}>${[1, 2, 3, 4, 5].map(w => `<label class="check-inline">
        <input type="checkbox" class="rule-week" value="${w}"${r.weeks.includes(String(w)) ? ' checked' : ''}>第${w}</label>`).join('')}</span></div>
      <div class="actions">${DAYS.map(([code, ja]) => `<label class="check-inline"><input type="checkbox" class="rule-day"
        value="${code}"${r.days.includes(code) ? ' checked' : ''}>${ja}</label>`).join('')}</div>
      <div class="actions"><input type="time" class="rule-start" aria-label="開始時刻" value="${esc(r.start)}"> 〜
        <input type="time" class="rule-end" aria-label="終了時刻" value="${esc(r.end)}">
        <button type="button" class="rule-remove">この予定を削除</button></div></fieldset>`;
  }

  function readRules(form) {
    return [...form.querySelectorAll('.schedule-rule')].map(row => {
      const days = [...row.querySelectorAll('.rule-day:checked')].map(c => c.value);
      if (!days.length) { return null; }
      const monthly = row.querySelector('.rule-kind').value === 'monthly';
      const weeks = [...row.querySelectorAll('.rule-week:checked')].map(c => c.value);
      const start = row.querySelector('.rule-start').value;
      const end = row.querySelector('.rule-end').value;
      return (monthly ? `monthly:${weeks.join(',')}:` : 'weekly:') + days.join(',') + (start || end ? `@${start}-${end}` : '');
    }).filter(Boolean).join(';');
  }

  function ruleLabel(text) {
    const r = parseRule(text);
    const days = r.days.map(d => (DAYS.find(x => x[0] === d) || [d, d])[1]).join('・');
    return (r.monthly ? '毎月' + r.weeks.map(w => '第' + w).join('・') : '毎週') + days + '曜日'
      + (r.start ? ` ${r.start}〜${r.end}` : '');
  }

  const TEXT_FIELDS = [
    ['name', '名称', 'maxlength="100" required'], ['nameKana', '名称（カナ）', 'maxlength="100"'],
    ['address', '住所', 'maxlength="200" required', '例: 伊那市荒井3500-1'], ['building', '方書・建物名', 'maxlength="100"'],
    ['phone', '電話番号', 'type="tel" maxlength="20"', '例: 0265-78-4111'], ['fax', 'FAX番号', 'type="tel" maxlength="20"'],
    ['url', 'URL', 'type="url" maxlength="500"'], ['operatorName', '運営団体', 'maxlength="100"']];
  const DETAIL_FIELDS = [
    ['fee', '参加費・利用料', 'maxlength="200"', '例: 100円（お茶代）'], ['capacity', '定員', 'type="number" min="0" max="100000"'],
    ['transport', '送迎', 'maxlength="200"', '例: あり（要予約）'], ['accessibility', 'バリアフリー情報', 'maxlength="400"', '例: 車いす対応、多目的トイレあり'],
    ['contact', '問い合わせ先', 'maxlength="200"'], ['lastVerified', '最終確認日', 'type="date"']];

  function input(key, label, attrs, hint, value) {
    return `<div class="field" data-field="${key}"><label for="rf-${key}">${esc(label)}</label>
      <input id="rf-${key}" name="${key}" ${attrs} value="${esc(value ?? '')}">${hint ? `<small>${esc(hint)}</small>` : ''}
      <small class="field-error" role="alert"></small></div>`;
  }

  function select(key, label, choices, value, blank) {
    return `<div class="field" data-field="${key}"><label for="rf-${key}">${esc(label)}</label><select id="rf-${key}" name="${key}">
      ${blank ? `<option value="">${esc(blank)}</option>` : ''}${choices.map(([v, l]) => `<option value="${esc(v)}"${v === value ? ' selected' : ''}>${esc(l)}</option>`).join('')}
      </select><small class="field-error" role="alert"></small></div>`;
  }

  // 登録・編集 (#/staff-resource/new, #/staff-resource/ID)
  T.views['staff-resource'] = async function (main) {
    const id = location.hash.split('/')[2];
    const creating = id === 'new';
    let opts;
    let r = {};
    try {
      opts = await formOptions();
      if (!creating) { r = await T.getJson('/api/v1/staff/resources/' + id); }
    } catch (e) { failure(main, e); return; }
    const category = r.category || opts.categories[0].code;
    const rules = r.scheduleRules ? r.scheduleRules.split(';') : [];
    main.innerHTML = `<section class="card"><p><a href="#/staff-resources">← 地域資源の一覧</a></p>
      <h1>${creating ? '地域資源の新規登録' : esc(r.name) + ' の編集'}</h1>
      ${creating ? '' : `<p class="actions">${statusBadge(r.published)}
        <button type="button" id="rf-toggle-publish">${r.published ? '非公開にする' : '公開する'}</button>
        ${r.published ? `<a href="${esc(r.page)}" target="_blank" rel="noopener">公開ページ</a>` : ''}
        <span>紹介 ${r.introductions} 回</span></p>`}
      <div id="rf-problems" class="problem-summary" role="alert" hidden></div>
      <form id="resource-form" class="staff-resource-form" novalidate>
        <fieldset><legend>基本</legend>${TEXT_FIELDS.slice(0, 2).map(([k, l, a, h]) => input(k, l, a, h, r[k])).join('')}
          <div class="pair">${select('category', 'カテゴリ', opts.categories.map(c => [c.code, c.name]), category)}
          <div id="rf-sub-box"></div></div>
          <div class="field" data-field="tags"><span class="label">タグ</span><div class="chips">${opts.tags.map(t => `<label class="check-inline">
            <input type="checkbox" name="tags" value="${esc(t)}"${(r.tags || []).includes(t) ? ' checked' : ''}>${esc(t)}</label>`).join('')}</div>
            <small class="field-error" role="alert"></small></div></fieldset>
        <fieldset><legend>場所と連絡先</legend>
          ${select('municipalityCode', '市区町村', opts.municipalities.map(m => [m.code, m.name]), r.municipalityCode || opts.municipalities[0].code)}
          ${TEXT_FIELDS.slice(2).map(([k, l, a, h]) => input(k, l, a, h, r[k])).join('')}
          <div class="pair">${input('latitude', '緯度', 'inputmode="decimal" required', '地図をクリックすると入ります', r.latitude)}
          ${input('longitude', '経度', 'inputmode="decimal" required', '', r.longitude)}</div>
          <div id="resource-map" class="staff-map" aria-label="位置を選ぶ地図"></div><p id="rf-map-note" class="hint"></p></fieldset>
        <fieldset><legend>活動と予定</legend>
          <div class="field" data-field="description"><label for="rf-description">活動内容</label>
            <textarea id="rf-description" name="description" rows="5" maxlength="2000">${esc(r.description || '')}</textarea>
            <small class="field-error" role="alert"></small></div>
          <div class="field" data-field="scheduleRules"><span class="label">予定（くり返し）</span>
            <div id="rf-rules">${rules.map((rule, i) => ruleRow(parseRule(rule), i + 1)).join('')}</div>
            <p><button type="button" id="rf-add-rule">予定を追加</button></p>
            <p id="rf-schedule-preview" class="hint" aria-live="polite"></p><small class="field-error" role="alert"></small></div>
          ${input('scheduleNote', '予定の補足', 'maxlength="400"', '例: 祝日は休み、8月はお休み', r.scheduleNote)}
          ${DETAIL_FIELDS.map(([k, l, a, h]) => input(k, l, a, h, r[k])).join('')}</fieldset>
        ${creating ? '<label class="check-inline"><input type="checkbox" id="rf-publish"> 保存と同時に公開する</label>' : ''}
        <p><button type="submit" class="primary" id="rf-save">${creating ? '登録する' : '保存する'}</button></p>
        <p id="rf-result" role="status"></p></form></section>
      <section class="card" id="rf-photos"><h2>写真</h2>${creating ? '<p>写真は登録したあとで追加できます。</p>' : `
        <div class="photo-list">${(r.photos || []).map(url => `<img alt="${esc(r.name)}の写真" src="/api/v1/staff${esc(url)}">`).join('') || '<p>まだありません。</p>'}</div>
        <form id="photo-form" class="actions"><input type="file" id="photo-file" accept="image/jpeg,image/png" aria-label="写真">
          <input id="photo-caption" maxlength="100" placeholder="説明（任意）" aria-label="写真の説明">
          <button type="submit">写真を追加</button></form><p id="photo-result" role="status"></p>`}</section>`;
    const form = document.getElementById('resource-form');
    const subBox = document.getElementById('rf-sub-box');
    const showSubs = (value) => {
      const top = opts.categories.find(c => c.code === document.getElementById('rf-category').value);
      subBox.innerHTML = select('subCategory', 'サブカテゴリ', top.subCategories.map(s => [s.code, s.name]), value, '（なし）');
    };
    showSubs(r.subCategory);
    document.getElementById('rf-category').addEventListener('change', () => showSubs(null));
    const preview = () => {
      const text = readRules(form);
      document.getElementById('rf-schedule-preview').textContent = text ? '表示: ' + text.split(';').map(ruleLabel).join('、') : '';
    };
    const rulesBox = document.getElementById('rf-rules');
    rulesBox.addEventListener('change', e => {
      if (e.target.classList.contains('rule-kind')) {
        e.target.closest('.schedule-rule').querySelector('.rule-weeks').hidden = e.target.value !== 'monthly';
      }
      preview();
    });
    rulesBox.addEventListener('click', e => {
      if (e.target.classList.contains('rule-remove')) { e.target.closest('.schedule-rule').remove(); preview(); }
    });
    document.getElementById('rf-add-rule').addEventListener('click', () => {
      rulesBox.insertAdjacentHTML('beforeend', ruleRow(null, rulesBox.children.length + 1));
    });
    preview();
    placeOnMap(opts, r);
    form.addEventListener('submit', e => { e.preventDefault(); save(form, creating, id); });
    if (!creating) {
      document.getElementById('rf-toggle-publish').addEventListener('click', async () => {
        try {
          await T.send('POST', `/api/v1/staff/resources/${id}/${r.published ? 'unpublish' : 'publish'}`);
          T.render();
        } catch (err) { document.getElementById('rf-result').textContent = err.message; }
      });
      document.getElementById('photo-form').addEventListener('submit', e => { e.preventDefault(); uploadPhoto(id); });
    }
  };

  async function placeOnMap(opts, r) {
    const lat = document.getElementById('rf-latitude');
    const lon = document.getElementById('rf-longitude');
    const box = document.getElementById('resource-map');
    let made;
    try {
      const here = r.latitude ? { latitude: r.latitude, longitude: r.longitude } : opts.map.centre;
      made = await T.maps.create(box, Object.assign({}, opts.map, { centre: here }));
    } catch (e) {
      box.hidden = true;
      document.getElementById('rf-map-note').textContent = '地図を表示できません。緯度・経度を入力してください。';
      return;
    }
    const { L, map } = made;
    if (r.latitude) { map.setZoom(16); }
    let marker = null;
    const put = (latitude, longitude) => {
      if (Number.isNaN(latitude) || Number.isNaN(longitude)) { return; }
      if (!marker) {
        marker = L.marker([latitude, longitude], { draggable: true, title: '登録する位置', alt: '登録する位置' }).addTo(map);
        marker.on('dragend', () => {
          const p = marker.getLatLng();
          lat.value = p.lat.toFixed(6);
          lon.value = p.lng.toFixed(6);
        });
      } else {
        marker.setLatLng([latitude, longitude]);
      }
      box.dataset.marker = `${latitude},${longitude}`;
    };
    if (r.latitude) { put(r.latitude, r.longitude); }
    map.on('click', e => {
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
      put(e.latlng.lat, e.latlng.lng);
    });
    const typed = () => put(parseFloat(lat.value), parseFloat(lon.value));
    lat.addEventListener('change', typed);
    lon.addEventListener('change', typed);
    box.dataset.ready = 'true';
  }

  function body(form, creating) {
    const data = {};
    form.querySelectorAll('input[name], select[name], textarea[name]').forEach(el => {
      if (el.type !== 'checkbox') { data[el.name] = el.value; }
    });
    data.tags = [...form.querySelectorAll('input[name=tags]:checked')].map(c => c.value);
    data.scheduleRules = readRules(form);
    if (creating) { data.published = document.getElementById('rf-publish').checked; }
    return data;
  }

  function showProblems(problems) {
    document.querySelectorAll('#resource-form .field-error').forEach(el => { el.textContent = ''; });
    document.querySelectorAll('#resource-form [aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
    const summary = document.getElementById('rf-problems');
    summary.hidden = !problems.length;
    summary.innerHTML = problems.length ? `<p>入力内容に誤りがあります（${problems.length} 件）。</p><ul>${problems.map(p =>
      `<li>${esc(p.column)}: ${esc(p.message)}</li>`).join('')}</ul>` : '';
    problems.forEach(p => {
      const field = document.querySelector(`#resource-form [data-field="${p.field}"]`);
      if (!field) { return; }
      field.querySelector('.field-error').textContent = p.message;
      const control = field.querySelector('input, select, textarea');
      if (control) { control.setAttribute('aria-invalid', 'true'); }
    });
    if (problems.length) { summary.scrollIntoView({ block: 'start' }); }
  }

  async function save(form, creating, id) {
    const button = document.getElementById('rf-save');
    const result = document.getElementById('rf-result');
    button.disabled = true;
    result.textContent = '';
    try {
      const saved = await T.send(creating ? 'POST' : 'PUT', creating ? '/api/v1/staff/resources' : '/api/v1/staff/resources/' + id,
        body(form, creating));
      showProblems([]);
      if (creating) {
        location.hash = '#/staff-resource/' + saved.id;
      } else {
        result.className = 'form-ok';
        result.textContent = '保存しました。';
      }
    } catch (e) {
      showProblems((e.body && e.body.problems) || []);
      result.className = 'form-error';
      result.textContent = e.message;
    } finally { button.disabled = false; }
  }

  async function uploadPhoto(id) {
    const file = document.getElementById('photo-file').files[0];
    const result = document.getElementById('photo-result');
    if (!file) { result.textContent = '写真のファイルを選んでください。'; return; }
    try {
      await T.send('POST', `/api/v1/staff/resources/${id}/photos?caption=${encodeURIComponent(document.getElementById('photo-caption').value)}`,
        file, { 'Content-Type': file.type || 'application/octet-stream' });
      T.render();
    } catch (e) {
      result.className = 'form-error';
      result.textContent = e.message;
    }
  }

  // CSV で一括登録: upload with progress, then the whole file is checked; nothing is written unless
  // every row is right.
  T.views['staff-resource-import'] = async function (main) {
    let opts;
    try { opts = await formOptions(); } catch (e) { failure(main, e); return; }
    main.innerHTML = `<section class="card"><p><a href="#/staff-resources">← 地域資源の一覧</a></p><h1>CSV で一括登録</h1>
      <p>UTF-8 または Shift_JIS の CSV ファイルを取り込みます。1行目は見出し行です。すべての行に誤りがないときだけ登録し、
        1行でも誤りがあれば<strong>何も登録しません</strong>。ID 列のある行は、その地域資源を更新します。</p>
      <details><summary>使える見出し</summary><p class="csv-columns">${opts.csvColumns.map(c => `<code>${esc(c.header)}</code>`).join(' ')}</p>
        <p><small>カテゴリ・サブカテゴリは名前で、タグは「;」区切り、予定は weekly:thu@10:00-12:00 の形（複数は「;」区切り）、公開は「公開」または「非公開」。</small></p></details>
      <form id="csv-form" class="actions"><input type="file" id="csv-file" accept=".csv,text/csv" aria-label="CSV ファイル">
        <button type="button" id="csv-check">検査だけする</button><button type="submit" class="primary" id="csv-import">取り込む</button></form>
      <progress id="csv-progress" max="100" value="0" hidden></progress><p id="csv-phase" role="status"></p>
      <div id="csv-report"></div></section>`;
    const run = async dryRun => {
      const file = document.getElementById('csv-file').files[0];
      const phase = document.getElementById('csv-phase');
      const report = document.getElementById('csv-report');
      report.innerHTML = '';
      if (!file) { phase.textContent = 'CSV ファイルを選んでください。'; return; }
      main.querySelectorAll('#csv-form button').forEach(b => { b.disabled = true; });
      try {
        const answer = await upload(`/api/v1/staff/resources/import${dryRun ? '?dryRun=true' : ''}`, file);
        phase.textContent = '';
        showReport(report, answer, dryRun);
      } catch (e) {
        phase.textContent = '';
        report.innerHTML = `<p class="form-error">${esc(e.message)}${T.forms ? T.forms.supportLine(e) : ''}</p>`;
      } finally {
        main.querySelectorAll('#csv-form button').forEach(b => { b.disabled = false; });
        document.getElementById('csv-progress').hidden = true;
      }
    };
    document.getElementById('csv-check').addEventListener('click', () => run(true));
    document.getElementById('csv-form').addEventListener('submit', e => { e.preventDefault(); run(false); });
  };

  // fetch cannot report upload progress; XMLHttpRequest can. An import is a create: it goes with an
  // Idempotency-Key, so that a file sent twice is imported once.
  async function upload(path, file) {
    const token = await T.csrf();
    const key = crypto.randomUUID();
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      const progress = document.getElementById('csv-progress');
      const phase = document.getElementById('csv-phase');
      progress.hidden = false;
      progress.value = 0;
      phase.textContent = '送信中… 0%';
      xhr.upload.onprogress = e => {
        if (e.lengthComputable) {
          progress.value = Math.round(e.loaded * 100 / e.total);
          phase.textContent = `送信中… ${progress.value}%`;
        }
      };
      xhr.upload.onload = () => {
        progress.removeAttribute('value');
        phase.textContent = 'すべての行を検査しています…';
      };
      xhr.onload = () => {
        let json = {};
        try { json = JSON.parse(xhr.responseText); } catch (e) { /* the status says enough */ }
        if (xhr.status === 200 || xhr.status === 422) { resolve(json); return; }
        const error = new Error(json.message || xhr.statusText);
        error.code = json.code;
        error.requestId = json.requestId;
        reject(error);
      };
      xhr.onerror = () => reject(new Error('送信できませんでした。通信状態を確かめてください。'));
      xhr.open('POST', path);
      xhr.setRequestHeader('Content-Type', 'text/csv');
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('X-CSRF-Token', token);
      xhr.setRequestHeader('Idempotency-Key', key);
      xhr.send(file);
    });
  }

  function showReport(box, report, dryRun) {
    if (!report.problems.length) {
      box.innerHTML = `<p class="form-ok" id="csv-summary">${report.rows} 行を検査しました。誤りはありません。${dryRun
        ? `取り込むと ${report.created} 件を新規登録、${report.updated} 件を更新します。`
        : `${report.created} 件を新規登録し、${report.updated} 件を更新しました。`}</p>`;
      return;
    }
    const lines = new Set(report.problems.map(p => p.line)).size;
    box.innerHTML = `<p class="form-error" id="csv-summary">${report.rows} 行のうち ${lines} 行に誤りが ${report.problems.length} 件あります。
      何も登録していません。直してから、もう一度取り込んでください。</p>
      <div class="table-scroll"><table class="report-table" id="csv-problems"><thead><tr><th>行</th><th>列</th><th>内容</th></tr></thead>
      <tbody>${report.problems.map(p => `<tr><td>${p.line ?? ''}</td><td>${esc(p.column)}</td><td>${esc(p.message)}</td></tr>`).join('')}</tbody></table></div>`;
  }
})();
