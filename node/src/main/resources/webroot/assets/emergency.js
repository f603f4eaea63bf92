// 救急情報連携 and 人生会議. The 人生会議 tab of the patient page (team members keep the advance care plan,
// every version kept, and the medical facts a crew needs); the 救急・消防 screens, phone first because
// they are read in a moving ambulance (large type, one call button per number); 行政's review of every
// emergency access. The node checks who may do what; these screens only draw what it answers.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  // The view that opening an access answered with, shown once by the view screen that follows.
  let opened = null;
  const lines = text => esc(text || '').replace(/\n/g, '<br>');
  const when = iso => iso ? new Date(iso).toLocaleString('ja-JP', { dateStyle: 'medium', timeStyle: 'short' }) : '';
  const field = (name, label, input) => `<div class="field"><label for="f-${name}">${label}</label>${input}</div>`;
  const text = (name, label, value, type) => field(name, label,
    `<input id="f-${name}" name="${name}" type="${type || 'text'}" value="${esc(value || '')}">`);
  const area = (name, label, value, rows) => field(name, label,
    `<textarea id="f-${name}" name="${name}" rows="${rows || 3}">${esc(value || '')}</textarea>`);

  // ---- 人生会議 tab (team members) ----

  function planFacts(p) {
    return `<dl class="facts acp-facts">
      <dt>延命治療・心肺蘇生</dt><dd class="acp-resuscitation"><strong>${esc(p.resuscitationLabel)}</strong>
        ${p.resuscitationNote ? `<br>${lines(p.resuscitationNote)}` : ''}</dd>
      <dt>希望する医療・ケア</dt><dd>${lines(p.wishes) || '—'}</dd>
      <dt>代理意思決定者</dt><dd>${p.proxyName ? `${esc(p.proxyName)}${p.proxyRelation ? `（${esc(p.proxyRelation)}）` : ''}
        ${p.proxyPhone ? ` <a href="tel:${esc(p.proxyPhone.replace(/[^0-9+]/g, ''))}">${esc(p.proxyPhone)}</a>` : ''}` : '—'}</dd>
      <dt>話し合いの参加者</dt><dd>${lines(p.participants) || '—'}</dd>
      <dt>最終確認日</dt><dd>${esc(p.confirmedOn || '—')}</dd></dl>
      <p><small>第${p.version}版 ${esc(p.writtenBy)} ${esc(when(p.writtenAt))}${p.migrated ? '（以前の自由記述から移行）' : ''}</small></p>`;
  }

  async function showAcp(box, patientId) {
    const base = `/api/v1/patients/${encodeURIComponent(patientId)}`;
    const data = await T.getJson(base + '/acp');
    const m = data.medical;
    box.innerHTML = `<h2>人生会議（ACP）</h2>
      <div id="acp-current">${data.current ? planFacts(data.current) : '<p id="acp-none">まだ記録がありません。</p>'}</div>
      ${data.editable ? '<p class="actions"><button type="button" data-acp-edit>人生会議を記録する</button>' : '<p class="actions">'}
      ${data.versions > 1 ? `<button type="button" data-acp-history>変更履歴（${data.versions}版）</button>` : ''}</p>
      <div id="acp-history"></div>
      <h2>救急時に伝える医療情報</h2>
      <dl class="facts" id="medical-facts"><dt>病歴・既往歴</dt><dd>${lines(m.medicalHistory) || '—'}</dd>
        <dt>服薬中の薬</dt><dd>${lines(m.medications) || '—'}</dd><dt>アレルギー</dt><dd>${lines(m.allergies) || '—'}</dd></dl>
      ${data.editable ? '<p class="actions"><button type="button" data-medical-edit>医療情報を編集する</button></p>' : ''}
      <p><small>この情報と人生会議は、救急・消防が緊急閲覧したときに表示されます。閲覧はチームのタイムラインに通知されます。</small></p>`;
    box.querySelector('[data-acp-edit]')?.addEventListener('click', () => editAcp(box, base, data, patientId));
    box.querySelector('[data-medical-edit]')?.addEventListener('click', () => editMedical(box, base, m, patientId));
    box.querySelector('[data-acp-history]')?.addEventListener('click', async () => {
      const history = await T.getJson(base + '/acp/versions');
      box.querySelector('#acp-history').innerHTML = `<h3>変更履歴</h3><ol class="acp-versions">${history.versions
        .map(v => `<li data-version="${v.version}">${planFacts(v)}</li>`).join('')}</ol>`;
    });
  }

  function editAcp(box, base, data, patientId) {
    const p = data.current || { resuscitation: 'undecided' };
    const options = data.resuscitationOptions.map(o => `<label class="check"><input type="radio" name="resuscitation"
      value="${esc(o.code)}"${o.code === p.resuscitation ? ' checked' : ''}> ${esc(o.label)}</label>`).join('');
    box.innerHTML = `<h2>人生会議を記録する</h2><form id="acp-form" novalidate>
      ${area('wishes', '希望する医療・ケア', p.wishes, 4)}
      <fieldset class="field" id="f-resuscitation"><legend>延命治療・心肺蘇生についての意向</legend>${options}</fieldset>
      ${area('resuscitationNote', '意向の補足', p.resuscitationNote, 2)}
      ${text('proxyName', '代理意思決定者', p.proxyName)}${text('proxyRelation', '続柄', p.proxyRelation)}
      ${text('proxyPhone', '代理意思決定者の連絡先（電話）', p.proxyPhone, 'tel')}
      ${area('participants', '話し合いの参加者', p.participants, 2)}
      ${text('confirmedOn', '最終確認日（本人・家族と確認した日）', p.confirmedOn, 'date')}
      <div class="actions"><button class="primary" type="submit">新しい版として保存する</button>
        <button type="button" data-cancel>やめる</button></div></form>`;
    const form = box.querySelector('#acp-form');
    box.querySelector('[data-cancel]').addEventListener('click', () => showAcp(box, patientId));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      try {
        await T.send('PUT', base + '/acp', Object.fromEntries(new FormData(form).entries()));
        await showAcp(box, patientId);
      } catch (err) { T.forms.showProblems(form, err); }
    });
  }

  function editMedical(box, base, m, patientId) {
    box.innerHTML = `<h2>救急時に伝える医療情報</h2><form id="medical-form" novalidate>
      ${area('medicalHistory', '病歴・既往歴', m.medicalHistory, 3)}${area('medications', '服薬中の薬', m.medications, 3)}
      ${area('allergies', 'アレルギー', m.allergies, 2)}
      <div class="actions"><button class="primary" type="submit">保存する</button><button type="button" data-cancel>やめる</button></div></form>`;
    const form = box.querySelector('#medical-form');
    box.querySelector('[data-cancel]').addEventListener('click', () => showAcp(box, patientId));
    form.addEventListener('submit', async e => {
      e.preventDefault();
      try {
        await T.send('PUT', base + '/medical', Object.fromEntries(new FormData(form).entries()));
        await showAcp(box, patientId);
      } catch (err) { T.forms.showProblems(form, err); }
    });
  }

  window.TsunaguAcp = { show: showAcp };

  // ---- 救急・消防: search, then the reason and 出場番号, then the view ----

  T.views.emergency = function (main) {
    main.innerHTML = `<section class="card emergency"><h1>救急情報の検索</h1>
      <p>氏名と生年月日、電話番号、住所のいずれかで探します。閲覧はすべて記録され、本人の支援チームに通知されます。</p>
      <p><a href="#/emergency-partners">連携市町村の方を探す</a></p>
      <form id="emergency-search" novalidate>
        ${text('name', '氏名（漢字またはかな）', '')}${text('birthDate', '生年月日', '', 'date')}
        <p class="or">または</p>${text('phone', '電話番号', '', 'tel')}
        <p class="or">または</p>${text('address', '住所（一部でも可）', '')}
        <div class="actions"><button class="primary big" type="submit">探す</button></div></form>
      <div id="emergency-results" aria-live="polite"></div></section>`;
    const form = main.querySelector('#emergency-search');
    const results = main.querySelector('#emergency-results');
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const query = Object.fromEntries([...new FormData(form).entries()].filter(([, v]) => v.trim() !== ''));
      try {
        const found = await T.send('POST', '/api/v1/emergency/search', query);
        T.forms.clearProblems(form);
        results.innerHTML = found.patients.length ? `<ul class="emergency-people">${found.patients.map(p => `
          <li data-patient="${esc(p.id)}"><p class="who">${esc(p.name)}<small>（${esc(p.kana)}）</small></p>
            <p>${esc(p.birthDate)} 生・${esc(p.address)}</p>
            ${p.archived ? '<p class="archived-note">登録は終了しています（閲覧できません）。</p>'
              : '<button type="button" class="primary big" data-open>この方の救急情報を開く</button>'}</li>`).join('')}</ul>`
          : '<p id="emergency-none">該当する方は見つかりませんでした。</p>';
      } catch (err) { results.innerHTML = ''; T.forms.showProblems(form, err); }
    });
    results.addEventListener('click', e => {
      const item = e.target.closest('[data-open]')?.closest('[data-patient]');
      if (item) { openForm(item); }
    });
  };

  function openForm(item) {
    item.querySelector('[data-open]').remove();
    item.insertAdjacentHTML('beforeend', `<form id="emergency-open" novalidate>
      ${text('reason', '閲覧の理由', '')}${text('dispatchNumber', '出場番号', '')}
      <div class="actions"><button class="primary big" type="submit">理由を記録して開く</button></div></form>`);
    const form = item.querySelector('#emergency-open');
    form.querySelectorAll('input').forEach(i => { i.required = true; });
    T.forms.markRequired(form);
    form.querySelector('input').focus();
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const body = Object.assign({ patientId: item.dataset.patient }, Object.fromEntries(new FormData(form).entries()));
      try {
        const access = await T.send('POST', '/api/v1/emergency/accesses', body);
        // The answer carries the view: shown at once, without asking the node again.
        opened = { id: access.id, view: access.view };
        location.hash = '#/emergency-view/' + encodeURIComponent(access.id);
      } catch (err) {
        const field = { 'emergency.reason_required': 'reason', 'emergency.dispatch_number_required': 'dispatchNumber' }[err.code];
        T.forms.showProblems(form, err, field);
      }
    });
  }

  const SEX = { female: '女', male: '男', other: 'その他' };
  const age = birth => {
    const b = new Date(birth + 'T00:00:00');
    const now = new Date();
    return now.getFullYear() - b.getFullYear() - (now < new Date(now.getFullYear(), b.getMonth(), b.getDate()) ? 1 : 0);
  };

  T.views['emergency-view'] = async function (main) {
    const id = decodeURIComponent(location.hash.split('/')[2] || '');
    let view;
    try {
      // A partner's resident: the node reads the view again from the home node.
      const partner = location.hash.split('/')[3] === 'partner';
      // A retry of the open answered from its Idempotency-Key carries the access without the view.
      if (!partner && opened && opened.id === id && opened.view) {
        view = opened.view;
      } else {
        view = await T.getJson((partner ? '/api/v1/emergency/partner-accesses/' : '/api/v1/emergency/accesses/')
          + encodeURIComponent(id));
      }
      opened = null;
    } catch (err) {
      main.innerHTML = `<section class="card emergency"><h1>救急情報</h1><p id="emergency-closed" class="form-error">${esc(err.message)}</p>
        <p><a class="button big" href="#/emergency">検索に戻る</a></p></section>`;
      return;
    }
    const p = view.patient;
    const acp = view.acp;
    const v = p.latestVitals;
    main.innerHTML = `<article class="emergency-view" id="emergency-view">
      <header class="ev-head"><h1>${esc(p.name)} <small>${esc(p.kana)}</small></h1>
        <p class="ev-big">${esc(p.birthDate)} 生（${age(p.birthDate)}歳）・${esc(SEX[p.sex] || p.sex)}・${esc(p.careLevel || '要介護度 不明')}</p>
        <p>${esc(p.address)}</p>
        ${view.home ? `<p class="ev-home" id="ev-home">${esc(view.home.municipalities)}の方（${esc(view.home.nodeName)}の記録）</p>` : ''}
        <p class="ev-timer" role="timer">閲覧できるのは <strong id="ev-left"></strong>（${esc(when(view.access.expiresAt))} まで）</p></header>
      <section class="ev-calls"><h2>電話する</h2>${view.calls.map(c => `<a class="call" href="tel:${esc(c.number)}">
        <span aria-hidden="true">☎</span> ${esc(c.label)}<br><span class="num">${esc(c.display)}</span></a>`).join('') || '<p>登録された電話番号はありません。</p>'}</section>
      <section class="ev-acp"><h2>人生会議（ACP）</h2>${acp ? `<p class="ev-big ev-alert">${esc(acp.resuscitationLabel)}</p>
        ${acp.resuscitationNote ? `<p>${lines(acp.resuscitationNote)}</p>` : ''}<p>${lines(acp.wishes)}</p>
        <p>代理意思決定者: ${esc(acp.proxyName || '—')}${acp.proxyRelation ? `（${esc(acp.proxyRelation)}）` : ''}</p>
        <p><small>最終確認日 ${esc(acp.confirmedOn || '—')}・第${acp.version}版</small></p>` : '<p>記録はありません。</p>'}</section>
      <section><h2>アレルギー</h2><p class="ev-big">${lines(p.allergies) || '記録なし'}</p></section>
      <section><h2>服薬中の薬</h2><p>${lines(p.medications) || '記録なし'}</p></section>
      <section><h2>病歴・既往歴</h2><p>${lines(p.medicalHistory) || '記録なし'}</p></section>
      <section><h2>最新のバイタル</h2><p>${v ? `${esc(v.summary)}<br><small>${esc(when(v.measuredAt))} 測定</small>` : '記録なし'}</p></section>
      <section><h2>かかりつけ医</h2><p>${esc(p.familyDoctor || '記録なし')}</p></section>
      <section><h2>家族・緊急連絡先</h2><p>${lines(p.emergencyContacts) || '記録なし'}</p></section>
      <section><h2>支援チーム</h2><ul class="ev-team">${p.team.map(m => `<li>${esc(m.teamRole)}: ${esc(m.name)}（${esc(m.profession)}・${esc(m.facility || '所属なし')}）</li>`).join('')}</ul></section>
      <section><h2>情報提供への同意</h2><p id="ev-consent">${esc(view.consent.label)}</p></section>
      <footer><p><small>閲覧の理由: ${esc(view.access.reason)}・出場番号: ${esc(view.access.dispatchNumber)}。この閲覧は記録され、支援チームに通知されています。</small></p>
        <p><a class="button big" href="#/emergency">別の方を探す</a></p></footer></article>`;
    const left = main.querySelector('#ev-left');
    const end = new Date(view.access.expiresAt).getTime();
    const tick = () => {
      if (!document.body.contains(left)) { clearInterval(timer); return; }
      const seconds = Math.max(0, Math.round((end - Date.now()) / 1000));
      left.textContent = `あと ${Math.floor(seconds / 60)} 分 ${String(seconds % 60).padStart(2, '0')} 秒`;
      // Past the end the page is drawn again: the node answers that the access has expired.
      if (seconds === 0) { clearInterval(timer); T.render(); }
    };
    const timer = setInterval(tick, 1000);
    tick();
  };

  // ---- 行政: every emergency access ----

  T.views['emergency-review'] = async function (main) {
    const data = await T.getJson('/api/v1/municipal/emergency-accesses');
    main.innerHTML = `<section class="card"><h1>救急・消防の緊急閲覧</h1>
      <p>救急・消防アカウントによる緊急閲覧の記録です（新しい順）。1時間に ${data.accessesPerHour} 件を超えて閲覧しようとしたアカウントは拒否され、下に表示されます。</p>
      <h2>確認が必要なアカウント</h2>${data.flags.length ? `<ul id="emergency-flags" class="rows">${data.flags.map(f =>
        `<li class="form-error">${esc(f.responder)}: ${esc(when(f.flaggedAt))} に1時間で ${f.accessesInHour} 件の閲覧の後、拒否されました。</li>`).join('')}</ul>`
        : '<p id="emergency-flags-none">ありません。</p>'}
      <h2>閲覧の記録</h2>${data.accesses.length ? `<div class="table-scroll"><table id="emergency-accesses"><thead><tr>
        <th>日時</th><th>閲覧者</th><th>対象の方</th><th>理由</th><th>出場番号</th><th>閲覧期限</th></tr></thead><tbody>${data.accesses.map(a =>
        `<tr><td>${esc(when(a.openedAt))}</td><td>${esc(a.responder)}</td><td>${esc(a.patientName)}</td><td>${esc(a.reason)}</td>
          <td>${esc(a.dispatchNumber)}</td><td>${esc(when(a.expiresAt))}</td></tr>`).join('')}</tbody></table></div>`
        : '<p>記録はありません。</p>'}</section>`;
  };
})();
