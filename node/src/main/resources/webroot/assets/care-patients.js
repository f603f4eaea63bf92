// Patients: 患者一覧 (search by name or kana, unread counts, invitations to answer, archived patients
// on request), registering one by form or CSV, and the 基本情報 tab of the patient page, where a
// member edits the registration and archives the patient (never deletes) or takes them back.
// Every text from the API is escaped before it becomes HTML.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const FIELDS = [['familyName', '氏'], ['givenName', '名'], ['familyKana', '氏（カナ）'], ['givenKana', '名（カナ）'],
    ['birthDate', '生年月日', 'date'], ['address', '住所'], ['municipalityCode', '市町村'], ['phone', '電話番号'],
    ['familyDoctor', 'かかりつけ医'], ['emergencyContacts', '緊急連絡先'], ['remarks', '備考']];
  const SEXES = [['female', '女'], ['male', '男'], ['other', 'その他']];
  const CARE_LEVELS = ['未申請', '申請中', '自立', '要支援1', '要支援2', '要介護1', '要介護2', '要介護3', '要介護4', '要介護5'];

  const REQUIRED = ['familyName', 'givenName', 'familyKana', 'givenKana', 'birthDate', 'address', 'municipalityCode'];
  const HINTS = { familyKana: '全角カタカナ', givenKana: '全角カタカナ' };

  // 市町村: chosen from the municipalities this node serves (names as the node gives them).
  function municipalitySelect(current) {
    const served = (T.state.node && T.state.node.municipalities) || [];
    const chosen = current || (served.length === 1 ? served[0].code : '');
    return `<select id="f-municipalityCode" name="municipalityCode" required><option value="">（選択）</option>
      ${served.map(m => `<option value="${esc(m.code)}"${m.code === chosen ? ' selected' : ''}>${esc((m.prefecture || '') + (m.name || m.code))}</option>`).join('')}</select>`;
  }

  // The registration fields, filled with a patient's values when editing.
  function fields(values) {
    const v = values || {};
    const option = (value, label, current) => `<option value="${esc(value)}"${value === current ? ' selected' : ''}>${esc(label)}</option>`;
    return FIELDS.map(([k, label, type]) => `<div class="field"><label for="f-${k}">${label}</label>
        ${HINTS[k] ? `<small>${HINTS[k]}</small>` : ''}
        ${k === 'municipalityCode' ? municipalitySelect(v[k]) : `<input id="f-${k}" name="${k}" type="${type || 'text'}" value="${esc(v[k] || '')}"${REQUIRED.includes(k) ? ' required' : ''}>`}</div>`).join('')
      + `<div class="field"><label for="f-sex">性別</label><select id="f-sex" name="sex" required>
        ${SEXES.map(([value, label]) => option(value, label, v.sex)).join('')}</select></div>
      <div class="field"><label for="f-careLevel">要介護度</label><select id="f-careLevel" name="careLevel">
        ${CARE_LEVELS.map(l => option(l, l, v.careLevel)).join('')}</select></div>`
      // The 人生会議 is kept on its own tab; free text that still came in (a CSV import) is carried over
      // unchanged by an edit, never dropped by it.
      + (v.acpNotes ? `<input type="hidden" name="acpNotes" value="${esc(v.acpNotes)}">` : '');
  }

  // 患者一覧
  T.views.patients = async function (main) {
    main.innerHTML = `<section class="card"><h1>患者一覧</h1>
      <form id="patient-search" class="actions"><input id="patient-q" type="search" placeholder="氏名・カナで検索" aria-label="検索">
      <button type="submit">検索</button><label class="check"><input id="patient-archived" type="checkbox"> アーカイブ済みを表示</label>
      <a href="#/patient-new">新規登録</a></form>
      <div id="invitations"></div><ul id="patient-list" class="rows care-list"></ul></section>`;
    const list = async () => {
      const q = document.getElementById('patient-q').value;
      const archived = document.getElementById('patient-archived').checked;
      try {
        const data = await T.getJson('/api/v1/patients?q=' + encodeURIComponent(q) + (archived ? '&archived=true' : ''));
        document.getElementById('patient-list').innerHTML = data.patients.map(p => `<li>
          <a href="#/patient/${esc(p.id)}"><strong>${esc(p.familyName)} ${esc(p.givenName)}</strong>
          <small>${esc(p.familyKana)} ${esc(p.givenKana)}・${T.care.age(p.birthDate)}歳・${esc(p.careLevel)}</small></a>
          ${p.status === 'archived' ? '<span class="badge archived-badge">アーカイブ済み</span>' : ''}
          ${p.homeMunicipality ? `<span class="badge home-badge" title="住所地の市町村">${esc(p.homeMunicipality)}</span>` : ''}
          ${p.unread ? `<span class="badge unread" title="未読">${p.unread}</span>` : ''}</li>`).join('')
          || `<li>${archived ? 'アーカイブ済みの患者はいません。' : '担当している患者はいません。'}</li>`;
        if (window.TsunaguVaccination) { window.TsunaguVaccination.listIcons(document.getElementById('patient-list')); }
      } catch (e) { T.care.failure(main, e); }
    };
    document.getElementById('patient-search').addEventListener('submit', e => { e.preventDefault(); list(); });
    document.getElementById('patient-archived').addEventListener('change', list);
    await list();
    T.care.invitations(document.getElementById('invitations'), 'patient');
  };

  // Invitations to a patient's team (on 患者一覧) or to a group (on グループ), to accept or decline.
  T.care.invitations = async function (box, kind) {
    const data = await T.getJson('/api/v1/invitations').catch(() => ({ invitations: [] }));
    // Who invites, from which facility and municipality, and where the patient lives: an invitation
    // from a partner municipality reads as such.
    box.innerHTML = data.invitations.filter(i => i.kind === kind).map(i => `<p class="invite">${esc(i.invitedBy)}さん
      <small class="invite-from">（${esc(i.inviterFacility || '所属施設の登録なし')}・${esc(i.inviterMunicipality || '')}）</small>${i.inviterPartner
        ? `<span class="badge partner-badge">連携先 ${esc(i.inviterMunicipality)}</span>` : ''}から「${esc(i.title)}」${i.patientMunicipality
        ? `<small class="invite-patient">（${esc(i.patientMunicipality)}の支援対象者）</small>` : ''}への招待
      （${esc(i.teamRole)}） <button data-answer="accept" data-board="${esc(i.boardId)}">参加する</button>
      <button data-answer="decline" data-board="${esc(i.boardId)}">辞退する</button></p>`).join('');
    box.querySelectorAll('[data-answer]').forEach(b => b.addEventListener('click', async () => {
      await T.care.send('POST', `/api/v1/invitations/${b.dataset.board}/${b.dataset.answer}`, {});
      T.render();
    }));
  };

  T.views['patient-new'] = function (main) {
    main.innerHTML = `<section class="card narrow"><h1>患者の新規登録</h1><form id="patient-form" novalidate>${fields()}
      <div class="field"><label for="f-teamRole">あなたのチームでの役割</label><select id="f-teamRole" name="teamRole">
        ${['主治医', '訪問看護', 'ケアマネジャー', '薬剤師', '訪問介護', 'その他'].map(l => `<option>${l}</option>`).join('')}</select></div>
      <p id="patient-error" class="form-error" role="alert"></p><button class="primary" type="submit">登録する</button></form>
      <h2>CSV で一括登録</h2><p><small>見出し行: 氏,名,氏カナ,名カナ,生年月日,性別,住所,市町村コード,… （UTF-8 または Shift_JIS）</small></p>
      <input id="csv-file" type="file" accept=".csv,text/csv"><button id="csv-upload" type="button">一括登録</button>
      <div id="csv-report" role="status"></div></section>`;
    const form = document.getElementById('patient-form');
    T.forms.markRequired(form);
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const body = Object.fromEntries(new FormData(e.target).entries());
      try {
        const p = await T.care.send('POST', '/api/v1/patients', body);
        location.hash = '#/patient/' + p.id;
      } catch (err) { T.forms.showProblems(form, err); }
    });
    document.getElementById('csv-upload').addEventListener('click', async () => {
      const file = document.getElementById('csv-file').files[0];
      const report = document.getElementById('csv-report');
      if (!file) { return; }
      try {
        const r = await T.care.send('POST', '/api/v1/patients/import?teamRole=' + encodeURIComponent(document.getElementById('f-teamRole').value),
          await file.arrayBuffer(), { 'Content-Type': 'text/csv' });
        report.textContent = `${r.imported} 名を登録しました。`;
      } catch (err) {
        report.innerHTML = `<p class="form-error">${esc(err.message)}</p>` + (err.rows || [])
          .map(r => `<p>${r.row} 行目: ${esc(r.message)}</p>`).join('');
      }
    });
  };

  // 基本情報: the registration as it stands; a member edits it, archives the patient or takes them back.
  // A partner municipality's patient is changed on its own node only, so its page shows no buttons.
  T.care.patientInfo = function (box, info) {
    const base = '/api/v1/patients/' + info.id;
    const archived = info.status === 'archived';
    const facts = [...FIELDS.slice(0, 5), ['sex', '性別'], ['careLevel', '要介護度'], ...FIELDS.slice(5)];
    const served = (T.state.node && T.state.node.municipalities) || [];
    const place = v => { const m = served.find(x => x.code === v); return m ? (m.prefecture || '') + (m.name || v) : v; };
    const shown = (k, v) => k === 'sex' ? (SEXES.find(([value]) => value === v) || [v, v])[1] : k === 'municipalityCode' ? place(v) : v;
    box.innerHTML = `${archived ? '<p class="archived-note"><span class="badge archived-badge">アーカイブ済み</span> 閲覧のみできます。</p>' : ''}
      <dl class="facts">${facts.map(([k, label]) => `<dt>${label}</dt><dd>${esc(shown(k, info[k]))}</dd>`).join('')}
        ${info.acpNotes ? `<dt>人生会議の自由記述</dt><dd>${esc(info.acpNotes)}<br><small>人生会議タブの記録に書き移してください。</small></dd>` : ''}</dl>
      ${info.homeMunicipality ? '' : `<p class="actions">${archived ? '<button type="button" data-restore>アーカイブから戻す</button>'
        : '<button type="button" data-edit-patient>編集する</button><button type="button" data-archive>アーカイブする</button>'}</p>`}
      <p id="patient-info-error" class="form-error" role="alert"></p>`;
    const fail = err => { box.querySelector('#patient-info-error').textContent = err.message; };
    // The page is drawn again (title, posting allowed or not), back on this tab.
    const redraw = async () => {
      await T.render();
      document.querySelector('a[data-tab=info]')?.click();
    };
    const status = async (action, question) => {
      if (!confirm(question)) { return; }
      try {
        await T.care.send('POST', `${base}/${action}`, {});
        await redraw();
      } catch (err) { fail(err); }
    };
    box.querySelector('[data-archive]')?.addEventListener('click', () =>
      status('archive', 'この患者をアーカイブしますか？ 記録は残り、チームは閲覧のみできるようになります。'));
    box.querySelector('[data-restore]')?.addEventListener('click', () => status('restore', 'アーカイブから戻しますか？'));
    box.querySelector('[data-edit-patient]')?.addEventListener('click', () => {
      box.innerHTML = `<form id="patient-edit" novalidate>${fields(info)}<p id="patient-info-error" class="form-error" role="alert"></p>
        <div class="actions"><button class="primary" type="submit">保存する</button><button type="button" data-cancel>やめる</button></div></form>`;
      box.querySelector('[data-cancel]').addEventListener('click', () => T.care.patientInfo(box, info));
      const edit = box.querySelector('#patient-edit');
      T.forms.markRequired(edit);
      edit.addEventListener('submit', async e => {
        e.preventDefault();
        try {
          await T.care.send('PUT', base, Object.fromEntries(new FormData(e.target).entries()));
          await redraw();
        } catch (err) { T.forms.showProblems(edit, err); }
      });
    });
  };
})();
