// 介護認定電子審査会: the 審査会事務局's screens (合議体管理 with each member's load, 審査会作成管理: sessions,
// cases by form or CSV, PDF materials, release, the exports and the confirmation), the 審査委員's 事前審査
// (phone first: one case per card, the opinion under it) and the 結果集約 screen for the chair and the
// secretariat (per case agreement, spread, flags, the agreed cases confirmed at once, the 二次判定).
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const API = '/api/v1/review';
  const LEVELS = [['non_applicable', '非該当'], ['support_1', '要支援1'], ['support_2', '要支援2'], ['care_1', '要介護1'],
    ['care_2', '要介護2'], ['care_3', '要介護3'], ['care_4', '要介護4'], ['care_5', '要介護5']];
  // Times as the municipality keeps them (Japan), whatever the device's zone.
  const when = iso => iso ? new Date(iso).toLocaleString('ja-JP', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }) : '';
  const needsLogin = main => !!(T.identity && T.identity.requireLogin(main));
  const levelOptions = selected => LEVELS.map(([c, l]) => `<option value="${c}"${c === selected ? ' selected' : ''}>${l}</option>`).join('');
  const problem = (form, e) => { const p = form.querySelector('.form-error'); p.hidden = false; p.textContent = e.message; };
  const values = form => Object.fromEntries(new FormData(form).entries());

  // --- the secretariat ---

  function panelCard(p) {
    return `<li class="card review-panel" data-panel="${esc(p.id)}"><h3>${esc(p.name)} <small>定足数 ${p.quorum}人</small>
      ${p.belowQuorum ? '<span class="badge warn">定足数に不足</span>' : ''}</h3>
      <table class="review-members"><thead><tr><th>委員</th><th>資格</th><th>役割</th><th>任期</th><th>今後${p.loadWeeks}週の担当</th></tr></thead><tbody>
      ${p.members.map(m => `<tr><td>${esc(m.name)}</td><td>${esc(m.qualificationLabel)}</td><td>${esc(m.positionLabel)}</td>
        <td>${esc(m.termFrom)}〜${esc(m.termTo)}</td><td>${m.load.sessions}回・${m.load.cases}件</td></tr>`).join('')}</tbody></table></li>`;
  }

  function sessionRow(s) {
    return `<li><a href="#/review-admin-session?id=${encodeURIComponent(s.id)}">${esc(s.panelName)} ${esc(when(s.startsAt))}</a>
      事例 ${s.cases}件 ${s.confirmedAt ? '<span class="badge">確定</span>' : ''}${s.deletedAt ? '<span class="badge">削除済み</span>' : ''}${s.partnerFailures ? '<span class="badge warn">連携先へ送信できず</span>' : ''}</li>`;
  }

  T.views.review = async function (main) {
    if (needsLogin(main)) { return; }
    const [appointments, panels, sessions] = await Promise.all([T.getJson(`${API}/appointments`),
      T.getJson(`${API}/panels`), T.getJson(`${API}/sessions`)]);
    main.innerHTML = `<section class="card"><h1>介護認定審査会（事務局）</h1>
      <h2>合議体</h2><ul class="review-panels" id="review-panels">${panels.panels.map(panelCard).join('')}</ul>
      <h2>審査会</h2><ul id="review-sessions">${sessions.sessions.map(sessionRow).join('') || '<li>まだありません。</li>'}</ul>
      <form id="review-session-form" class="stack"><fieldset><legend>審査会を作成</legend>
        <label>合議体 <select name="panelId">${panels.panels.map(p => `<option value="${esc(p.id)}">${esc(p.name)}</option>`).join('')}</select></label>
        <label>開始 <input type="datetime-local" name="startsAt" required></label>
        <label>事前審査の締切 <input type="datetime-local" name="opinionDeadline" required></label>
        <button class="primary" type="submit">作成</button><p class="form-error" role="alert" hidden></p></fieldset></form>
      <h2>審査委員</h2><ul>${appointments.appointments.map(a => `<li>${esc(a.name)}（${esc(a.qualificationLabel)}）
        ${esc(a.termFrom)}〜${esc(a.termTo)}${a.active ? '' : ' 任期終了'}</li>`).join('')}</ul></section>`;
    main.querySelector('#review-session-form').addEventListener('submit', async e => {
      e.preventDefault();
      try {
        const s = await T.send('POST', `${API}/sessions`, values(e.target));
        location.hash = `#/review-admin-session?id=${encodeURIComponent(s.id)}`;
      } catch (err) { problem(e.target, err); }
    });
  };

  // The applicant's 主治医意見書 on the platform: found by name and birth date (only patients homed here who
  // have one), previewed as the reviewers will read it, its free text (特記すべき事項) editable for their copy.
  function pickerHtml(caseId) {
    return `<form class="stack review-pick" data-pick="${esc(caseId)}">
        <label>氏名（漢字・かな、姓だけでも可） <input name="name" required autocomplete="off"></label>
        <label>生年月日 <input type="date" name="birthDate" required></label>
        <button type="submit">探す</button><p class="form-error" role="alert" hidden></p></form>
      <ul class="review-candidates"></ul>
      <form class="stack review-form-import" data-from-form="${esc(caseId)}" hidden>
        <p class="review-picked"></p>
        <label>本人の同意を得た日 <input type="date" name="consentOn" required></label>
        <button type="button" data-preview>プレビュー</button>
        <div class="review-preview" hidden></div>
        <p class="form-error" role="alert" hidden></p></form>`;
  }

  const MARK_KINDS = { patient_name: '本人の氏名', address: '住所', phone: '電話番号', doctor_name: '医師名',
    facility_name: '医療機関名', insured_number: '被保険者番号' };

  // The text with each identifying term the node found wrapped in <mark>, named by kind.
  function marked(f) {
    let out = '', at = 0;
    f.marks.forEach(m => {
      out += esc(f.text.slice(at, m.start))
        + `<mark title="${esc(MARK_KINDS[m.kind] || m.kind)}">${esc(f.text.slice(m.start, m.end))}</mark>`;
      at = m.end;
    });
    return out + esc(f.text.slice(at));
  }

  function freeTextHtml(f) {
    const kinds = [...new Set(f.marks.map(m => MARK_KINDS[m.kind] || m.kind))];
    return `<div class="review-free-text${f.marks.length ? ' has-marks' : ''}" data-field="${esc(f.key)}">
      <label>${esc(f.label)}<textarea name="ft-${esc(f.key)}" data-key="${esc(f.key)}" rows="${f.text.length > 60 ? 4 : 2}">${esc(f.text)}</textarea></label>
      ${f.marks.length ? `<p class="review-marks" role="note">個人を特定できる記載（${esc(kinds.join('・'))}）：
        <span class="pre">${marked(f)}</span></p>` : ''}</div>`;
  }

  function previewHtml(p) {
    const marks = p.freeTexts.reduce((n, f) => n + f.marks.length, 0);
    return `<h4>${esc(p.title)}（審査委員が読む写し）</h4>${p.sections.map(s => `<section><h5>${esc(s.title)}</h5><dl>
      ${s.lines.map(l => `<dt>${esc(l.label)}</dt><dd>${esc(l.value)}</dd>`).join('')}</dl></section>`).join('')}
      <section><h5>記述欄（氏名など審査委員に不要な記載は消してください。元の様式は変わりません）</h5>
      ${marks ? `<p class="review-marks-summary" role="alert">個人を特定できる記載が ${marks} か所あります。消すまで取り込めません。</p>` : ''}
      ${p.freeTexts.map(freeTextHtml).join('')}</section>
      <button class="primary" type="submit">この内容で取り込む</button>`;
  }

  function wirePicker(box, done) {
    const search = box.querySelector('form.review-pick');
    const list = box.querySelector('ul.review-candidates');
    const form = box.querySelector('form.review-form-import');
    const preview = form.querySelector('.review-preview');
    let picked = null;
    search.addEventListener('submit', async e => {
      e.preventDefault();
      search.querySelector('.form-error').hidden = true;
      try {
        const q = new URLSearchParams({ name: search.name.value.trim(), birthDate: search.birthDate.value });
        const found = await T.getJson(`${API}/patients?${q}`);
        list.innerHTML = found.patients.map((p, i) => `<li><button type="button" data-pick-index="${i}">選ぶ</button>
          ${esc(p.name)}（${esc(p.birthDate)}生）主治医意見書 ${p.formDates.map(esc).join('、')}</li>`).join('')
          || '<li>該当する方はいません（このノードの患者で主治医意見書のある方だけが表示されます）。</li>';
        list.querySelectorAll('button[data-pick-index]').forEach(b => b.addEventListener('click', () => {
          picked = found.patients[Number(b.dataset.pickIndex)];
          form.hidden = false;
          preview.hidden = true;
          form.querySelector('.review-picked').textContent = `${picked.name}（${picked.birthDate}生）の主治医意見書`;
        }));
      } catch (err) { problem(search, err); }
    });
    let shown = null;
    form.querySelector('button[data-preview]').addEventListener('click', async () => {
      form.querySelector('.form-error').hidden = true;
      try {
        const q = new URLSearchParams({ patientId: picked.patientId, consentOn: form.consentOn.value });
        shown = await T.getJson(`${API}/cases/${encodeURIComponent(form.dataset.fromForm)}/form-preview?${q}`);
        preview.innerHTML = previewHtml(shown);
        preview.hidden = false;
      } catch (err) { problem(form, err); }
    });
    form.addEventListener('submit', async e => {
      e.preventDefault();
      try {
        await T.send('POST', `${API}/cases/${encodeURIComponent(form.dataset.fromForm)}/materials/from-form`,
          { patientId: picked.patientId, consentOn: form.consentOn.value, postId: shown.postId, version: shown.version,
            freeTexts: Object.fromEntries([...form.querySelectorAll('textarea[data-key]')]
              .map(t => [t.dataset.key, t.value])) });
        done();
      } catch (err) {
        // The fields the node still found identifying text in, outlined beside the message.
        const named = new Set(((err.body || {}).fields || []).map(f => f.field));
        form.querySelectorAll('.review-free-text').forEach(d => d.classList.toggle('refused', named.has(d.dataset.field)));
        problem(form, err);
      }
    });
  }

  T.views['review-admin-session'] = async function (main) {
    if (needsLogin(main)) { return; }
    const id = T.hashParam('id');
    const s = await T.getJson(`${API}/sessions/${encodeURIComponent(id)}`);
    main.innerHTML = `<section class="card"><h1>${esc(s.panelName)} ${esc(when(s.startsAt))}</h1>
      <p>事前審査の締切 ${esc(when(s.opinionDeadline))}　資料の公開 ${s.releaseAt ? esc(when(s.releaseAt)) : '未公開'}
      ${s.videoUrl ? `　<a href="${esc(s.videoUrl)}" target="_blank" rel="noopener">ビデオ会議</a>` : ''}</p>
      <p class="actions"><button type="button" id="review-release">資料を公開</button>
        <a href="#/review-aggregate?id=${encodeURIComponent(s.id)}">結果集約</a>
        <a href="${API}/sessions/${encodeURIComponent(s.id)}/results.csv">結果CSV（UTF-8）</a>
        <a href="${API}/sessions/${encodeURIComponent(s.id)}/results.csv?encoding=shift_jis">結果CSV（Shift_JIS）</a>
        <a href="${API}/sessions/${encodeURIComponent(s.id)}/results.pdf">審査会結果一覧（PDF）</a>
        <button type="button" id="review-confirm">結果を確定</button></p>
      <p class="form-error" role="alert" hidden></p>
      ${(s.partnerFailures || []).length ? `<div class="review-partner-failures" role="alert"><h2>連携先ノードへ届けられなかったもの</h2><ul>
        ${s.partnerFailures.map(f => `<li>${esc(f.message)} <small>（${esc(when(f.givenUpAt))}・${esc(f.code)}）</small></li>`).join('')}</ul></div>` : ''}
      <table class="review-cases"><thead><tr><th>事例</th><th>事例番号・申請者</th><th>一次判定</th><th>資料</th><th>二次判定</th></tr></thead><tbody>
      ${s.cases.map(k => `<tr data-case="${esc(k.id)}"><td>${esc(k.label)}</td><td>${esc(k.caseNumber)} ${esc(k.applicantName)}</td>
        <td>${esc(k.firstLevelLabel)}</td><td>${k.materials.map(m => esc(m.title) + (m.withdrawn ? '（取下げ）' : '')).join('、')}
        <input type="file" accept="application/pdf" aria-label="PDF を追加" data-upload="${esc(k.id)}">
        <details class="review-from-form"><summary>主治医意見書をプラットフォームの様式から取り込む</summary>${pickerHtml(k.id)}</details></td>
        <td>${esc(k.secondLevelLabel || '')}</td></tr>`).join('')}</tbody></table>
      <form id="review-import" class="stack"><label>事例をCSVで取り込む <input type="file" name="file" accept=".csv,text/csv"></label>
        <button type="submit">取り込む</button><p class="form-error" role="alert" hidden></p></form></section>`;
    const top = main.querySelector('p.form-error');
    const act = async (path, body) => {
      try { await T.send('POST', path, body); T.views['review-admin-session'](main); } catch (err) { top.hidden = false; top.textContent = err.message; }
    };
    main.querySelector('#review-release').addEventListener('click', () => act(`${API}/sessions/${encodeURIComponent(id)}/release`, {}));
    main.querySelector('#review-confirm').addEventListener('click', () => act(`${API}/sessions/${encodeURIComponent(id)}/confirm`, {}));
    main.querySelectorAll('input[data-upload]').forEach(input => input.addEventListener('change', async () => {
      const file = input.files[0];
      if (!file) { return; }
      try {
        await T.send('POST', `${API}/cases/${encodeURIComponent(input.dataset.upload)}/materials?kind=doctor_opinion`, file,
          { 'Content-Type': 'application/pdf', 'X-File-Name': encodeURIComponent(file.name) });
        T.views['review-admin-session'](main);
      } catch (err) { top.hidden = false; top.textContent = err.message; }
    }));
    main.querySelectorAll('details.review-from-form').forEach(box => wirePicker(box, () => T.views['review-admin-session'](main)));
    main.querySelector('#review-import').addEventListener('submit', async e => {
      e.preventDefault();
      const file = e.target.file.files[0];
      if (!file) { return; }
      try {
        await T.send('POST', `${API}/sessions/${encodeURIComponent(id)}/cases/import`, file, { 'Content-Type': 'text/csv' });
        T.views['review-admin-session'](main);
      } catch (err) {
        const rows = (err.body && err.body.rows) || [];
        problem(e.target, { message: err.message + rows.map(r => ` ${r.line}行目: ${r.message}`).join('') });
      }
    });
  };

  // --- 審査委員: 事前審査 (phone first) ---

  T.views['review-my'] = async function (main) {
    if (needsLogin(main)) { return; }
    const data = await T.getJson(`${API}/my/sessions`);
    main.innerHTML = `<section class="card"><h1>介護認定審査会</h1>${data.sessions.length ? `<ul class="review-my" id="review-my">
      ${data.sessions.map(s => `<li><a href="#/review-session?id=${encodeURIComponent(s.id)}">${esc(s.panelName)} ${esc(when(s.startsAt))}</a>
        <small>${esc(s.positionLabel)}・事例 ${s.cases}件・締切 ${esc(when(s.opinionDeadline))}</small></li>`).join('')}</ul>`
      : '<p>担当の審査会はありません。</p>'}</section>`;
  };

  function opinionLine(o) {
    return `${o.agrees ? '一次判定どおり' : esc(o.levelLabel) + '（' + esc(o.reasonLabel) + '）'}・${o.months}か月${o.comment ? '・' + esc(o.comment) : ''}`;
  }

  function caseCard(k, s) {
    const mine = k.mine;
    const scores = Object.entries(k.itemScores || {}).map(([g, v]) => `第${g.slice(-1)}群 ${v}`).join('・');
    return `<li class="card review-case" data-case="${esc(k.id)}"><h2>${esc(k.label)}</h2>
      <p>一次判定 <strong>${esc(k.firstLevelLabel)}</strong>${k.baseMinutes != null ? `（基準時間 ${k.baseMinutes}分）` : ''}<br><small>${esc(scores)}</small></p>
      <details><summary>特記事項</summary><p class="pre">${esc(k.specialNotes)}</p></details>
      <ul class="review-materials">${k.materials.map(m => `<li><a href="${API}/my/materials/${encodeURIComponent(m.id)}" target="_blank" rel="noopener">${m.title === m.kindLabel ? esc(m.title) : esc(m.kindLabel) + '：' + esc(m.title)}</a></li>`).join('')}</ul>
      ${s.open ? `<form class="stack review-opinion"><fieldset><legend>事前審査</legend>
        <label class="inline"><input type="radio" name="agrees" value="yes"${!mine || mine.agrees ? ' checked' : ''}> 一次判定どおり</label>
        <label class="inline"><input type="radio" name="agrees" value="no"${mine && !mine.agrees ? ' checked' : ''}> 変更する</label>
        <label>変更後の要介護度 <select name="level">${levelOptions(mine && mine.level)}</select></label>
        <label>理由 <select name="reason"><option value="">（変更するとき）</option>${s.reasons.map(r => `<option value="${esc(r.code)}"${mine && mine.reason === r.code ? ' selected' : ''}>${esc(r.label)}</option>`).join('')}</select></label>
        <label>有効期間（月） <input type="number" name="months" min="3" max="48" value="${mine ? mine.months : 12}" inputmode="numeric"></label>
        <label>意見 <textarea name="comment" rows="2" maxlength="2000">${esc(mine ? mine.comment : '')}</textarea></label>
        <button class="primary" type="submit">${mine ? '意見を更新' : '意見を送る'}</button><p class="form-error" role="alert" hidden></p></fieldset></form>`
      : `<p>${mine ? 'あなたの意見：' + opinionLine(mine) : '締切を過ぎています。'}</p>`}
      ${k.othersVisible ? `<details class="review-others" open><summary>他の委員の意見（${k.others.length}）</summary><ul>
        ${k.others.map(o => `<li>${esc(o.reviewer)}：${opinionLine(o)}</li>`).join('')}</ul></details>`
      : '<p class="muted review-others-hidden">他の委員の意見は、ご自身の意見を送った後に表示されます。</p>'}</li>`;
  }

  T.views['review-session'] = async function (main) {
    if (needsLogin(main)) { return; }
    const id = T.hashParam('id');
    const s = await T.getJson(`${API}/my/sessions/${encodeURIComponent(id)}`);
    main.innerHTML = `<section class="review-session"><h1>${esc(s.panelName)} ${esc(when(s.startsAt))}</h1>
      <p>事前審査の締切 ${esc(when(s.opinionDeadline))}${s.videoUrl ? `　<a href="${esc(s.videoUrl)}" target="_blank" rel="noopener">ビデオ会議に参加</a>` : ''}
      ${s.position === 'chair' ? `　<a href="#/review-aggregate?id=${encodeURIComponent(s.id)}&as=chair">結果集約</a>` : ''}</p>
      ${s.released ? '' : '<p class="muted">資料はまだ公開されていません。</p>'}
      <ol class="review-cases" id="review-cases">${s.cases.map(k => caseCard(k, s)).join('')}</ol></section>`;
    main.querySelectorAll('form.review-opinion').forEach(form => form.addEventListener('submit', async e => {
      e.preventDefault();
      const v = values(form);
      const agrees = v.agrees === 'yes';
      const caseId = form.closest('[data-case]').dataset.case;
      try {
        await T.send('PUT', `${API}/my/cases/${encodeURIComponent(caseId)}/opinion`, { agrees, level: agrees ? '' : v.level,
          reason: agrees ? '' : v.reason, months: Number(v.months), comment: v.comment });
        T.views['review-session'](main);
      } catch (err) { problem(form, err); }
    }));
  };

  // --- 審査委員 of a partner node: the sessions held on her own node (phone first) ---

  // The cases come as copies from the session's node; her opinion goes back there through her node, which
  // answers with the opinion as recorded there (or the refusal's message) and the others' opinions she may
  // now see. Her earlier opinion and the others' come with the copies, as the session's node sent them.
  const levelLabel = code => (LEVELS.find(([c]) => c === code) || ['', code])[1];
  function partnerOpinionLine(o, reasons) {
    const reason = (reasons.find(r => r.code === o.reason) || { label: o.reason }).label;
    return `${o.agrees ? '一次判定どおり' : esc(levelLabel(o.level)) + '（' + esc(reason) + '）'}・${o.months}か月${o.comment ? '・' + esc(o.comment) : ''}`;
  }
  function partnerOthers(k, reasons) {
    return k.othersVisible ? `<details class="review-others" open><summary>他の委員の意見（${k.others.length}）</summary><ul>
        ${k.others.map(o => `<li>${esc(o.reviewer)}：${partnerOpinionLine(o, reasons)}</li>`).join('')}</ul></details>`
      : '<p class="muted review-others-hidden">他の委員の意見は、ご自身の意見を送った後に表示されます。</p>';
  }
  function partnerCaseCard(k, s, reasons) {
    const level = levelLabel(k.firstLevel);
    const mine = k.mine;
    return `<li class="card review-case" data-case="${esc(k.caseId)}"><h2>${esc(k.label)}</h2>
      <p>一次判定 <strong>${esc(level)}</strong></p>
      <details><summary>特記事項</summary><p class="pre">${esc(k.specialNotes)}</p></details>
      <ul class="review-materials">${k.materials.map(m => `<li><a href="${API}/partner/materials/${encodeURIComponent(m.id)}" target="_blank" rel="noopener">${esc(m.title)}</a></li>`).join('')}</ul>
      ${mine ? `<p class="review-mine">あなたの意見：${partnerOpinionLine(mine, reasons)}</p>` : ''}
      ${s.open ? `<form class="stack review-opinion"><fieldset><legend>事前審査</legend>
        <label class="inline"><input type="radio" name="agrees" value="yes"${!mine || mine.agrees ? ' checked' : ''}> 一次判定どおり</label>
        <label class="inline"><input type="radio" name="agrees" value="no"${mine && !mine.agrees ? ' checked' : ''}> 変更する</label>
        <label>変更後の要介護度 <select name="level">${levelOptions(mine && !mine.agrees ? mine.level : k.firstLevel)}</select></label>
        <label>理由 <select name="reason"><option value="">（変更するとき）</option>${reasons.map(r => `<option value="${esc(r.code)}"${mine && mine.reason === r.code ? ' selected' : ''}>${esc(r.label)}</option>`).join('')}</select></label>
        <label>有効期間（月） <input type="number" name="months" min="3" max="48" value="${mine ? mine.months : 12}" inputmode="numeric"></label>
        <label>意見 <textarea name="comment" rows="2" maxlength="2000">${esc(mine ? mine.comment : '')}</textarea></label>
        <button class="primary" type="submit">${mine ? '意見を更新' : '意見を送る'}</button><p class="form-error" role="alert" hidden></p>
        <p class="review-sent" role="status" hidden></p></fieldset></form>` : `<p>${mine ? '' : '締切を過ぎています。'}</p>`}
      <div class="review-others-box">${partnerOthers(k, reasons)}</div></li>`;
  }

  T.views['review-partner'] = async function (main) {
    if (needsLogin(main)) { return; }
    const data = await T.getJson(`${API}/partner/sessions`);
    main.innerHTML = `<section class="review-session"><h1>連携市町村の介護認定審査会</h1>${data.sessions.length ? data.sessions.map(s => `
      <section class="review-partner-session" data-session="${esc(s.sessionId)}"><h2>${esc(s.title)} ${esc(when(s.startsAt))}</h2>
      <p>事前審査の締切 ${esc(when(s.deadline))}</p>
      <ol class="review-cases">${s.cases.map(k => partnerCaseCard(k, s, data.reasons || [])).join('')}</ol></section>`).join('')
      : '<p class="card">担当の審査会はありません。</p>'}</section>`;
    main.querySelectorAll('form.review-opinion').forEach(form => form.addEventListener('submit', async e => {
      e.preventDefault();
      const v = values(form);
      const agrees = v.agrees === 'yes';
      const session = form.closest('[data-session]').dataset.session;
      const s = data.sessions.find(x => x.sessionId === session);
      const caseId = form.closest('[data-case]').dataset.case;
      const sent = form.querySelector('.review-sent');
      form.querySelector('.form-error').hidden = true;
      try {
        const o = await T.send('PUT', `${API}/partner/cases/${encodeURIComponent(caseId)}/opinion`, { node: s.node,
          sessionId: session, agrees, level: agrees ? '' : v.level, reason: agrees ? '' : v.reason,
          months: Number(v.months), comment: v.comment });
        sent.hidden = false;
        sent.textContent = '送信しました：' + (o && o.levelLabel !== undefined ? opinionLine(o) : '');
        form.closest('[data-case]').querySelector('.review-others-box').innerHTML = partnerOthers(o, data.reasons || []);
      } catch (err) { problem(form, err); }
    }));
  };

  // --- 結果集約 (PC): the chair decides; the secretariat watches ---

  T.views['review-aggregate'] = async function (main) {
    if (needsLogin(main)) { return; }
    const id = T.hashParam('id');
    const chair = T.hashParam('as') === 'chair';
    const a = await T.getJson(chair ? `${API}/my/sessions/${encodeURIComponent(id)}/aggregation`
      : `${API}/sessions/${encodeURIComponent(id)}/aggregation`);
    const spread = o => Object.entries(o).map(([k, n]) => `${esc(k)}×${n}`).join(' ');
    main.innerHTML = `<section class="card review-aggregate"><h1>結果集約 ${esc(a.panelName)} ${esc(when(a.startsAt))}</h1>
      <p>委員 ${a.members}人・全員一致の事例 <strong id="review-agreed-count">${a.agreedCases}</strong>件
      ${chair ? '<button type="button" class="primary" id="review-confirm-agreed">一致した事例をまとめて確定</button>' : ''}</p>
      <p class="form-error" role="alert" hidden></p>
      <table class="review-aggregation"><thead><tr><th>事例</th><th>一次判定</th><th>一致</th><th>要介護度の分布</th><th>有効期間</th><th>二次判定</th></tr></thead><tbody>
      ${a.cases.map(k => `<tr data-case="${esc(k.id)}" class="${k.disagreement ? 'review-flag' : ''}">
        <td>${esc(k.label)}${k.caseNumber ? `<br><small>${esc(k.caseNumber)}</small>` : ''}</td><td>${esc(k.firstLevelLabel)}</td>
        <td>${k.agree}/${k.submitted}${k.disagreement ? ' <span class="badge warn">要議論</span>' : k.agreed ? ' <span class="badge">一致</span>' : ''}</td>
        <td>${spread(k.levels)}</td><td>${spread(k.periods)}</td>
        <td>${k.decided ? `${esc(k.secondLevelLabel)}・${k.secondMonths}か月${k.secondRemarks ? '・' + esc(k.secondRemarks) : ''}` : chair
          ? `<form class="review-decision inline"><select name="level" aria-label="二次判定">${levelOptions(k.firstLevel)}</select>
             <input type="number" name="months" min="3" max="48" value="12" aria-label="有効期間（月）">
             <input name="remarks" maxlength="2000" placeholder="付帯意見" aria-label="付帯意見"><button type="submit">記録</button></form>` : '未判定'}</td></tr>`).join('')}
      </tbody></table></section>`;
    const top = main.querySelector('p.form-error');
    const again = () => T.views['review-aggregate'](main);
    const confirm = main.querySelector('#review-confirm-agreed');
    if (confirm) {
      confirm.addEventListener('click', async () => {
        try { await T.send('POST', `${API}/my/sessions/${encodeURIComponent(id)}/confirm-agreed`, {}); again(); } catch (err) { top.hidden = false; top.textContent = err.message; }
      });
    }
    main.querySelectorAll('form.review-decision').forEach(form => form.addEventListener('submit', async e => {
      e.preventDefault();
      const v = values(form);
      try {
        await T.send('PUT', `${API}/my/cases/${encodeURIComponent(form.closest('[data-case]').dataset.case)}/decision`,
          { level: v.level, months: Number(v.months), remarks: v.remarks });
        again();
      } catch (err) { top.hidden = false; top.textContent = err.message; }
    }));
  };
})();
