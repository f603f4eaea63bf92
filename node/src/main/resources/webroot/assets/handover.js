// 救急隊からの引き継ぎ情報: the crew makes the sheet for the receiving hospital from the emergency page
// (a PDF, and a one-time link with a code to read out over the phone); the hospital opens the link
// without an account and types the code; 行政 lists the sheets beside the emergency accesses and
// revokes one. The node checks who may do what; these screens only draw what it answers.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const lines = text => esc(text || '').replace(/\n/g, '<br>');
  const when = iso => iso ? new Date(iso).toLocaleString('ja-JP', { dateStyle: 'medium', timeStyle: 'short' }) : '';
  // The code is read out in two halves over a noisy line.
  const spoken = code => `${code.slice(0, 3)} ${code.slice(3)}`;

  // ---- the crew: on the emergency page, below the facts ----

  const emergencyView = T.views['emergency-view'];
  T.views['emergency-view'] = async function (main) {
    await emergencyView(main);
    const footer = main.querySelector('#emergency-view > footer');
    if (!footer) { return; }
    const accessId = decodeURIComponent(location.hash.split('/')[2] || '');
    footer.insertAdjacentHTML('beforebegin', `<section class="ev-handover" id="ev-handover"><h2>搬送先への引き継ぎ</h2>
      <p>搬送先の病院に渡す引き継ぎ情報（PDF）と、病院が1回だけ開けるリンク・確認コード（24時間有効）を作ります。作成は記録され、支援チームに通知されます。</p>
      <form id="handover-form" novalidate><div class="field"><label for="f-hospital">搬送先の医療機関</label>
        <input id="f-hospital" name="hospital" type="text" required></div>
        <div class="actions"><button class="primary big" type="submit">引き継ぎ情報を作成する</button></div></form>
      <div id="handover-made" aria-live="polite"></div></section>`);
    const form = main.querySelector('#handover-form');
    T.forms.markRequired(form);
    form.addEventListener('submit', async e => {
      e.preventDefault();
      try {
        const made = await T.send('POST', `/api/v1/emergency/accesses/${encodeURIComponent(accessId)}/handovers`,
          Object.fromEntries(new FormData(form).entries()));
        T.forms.clearProblems(form);
        main.querySelector('#handover-made').innerHTML = `<div class="handover-result" id="handover-result">
          <p><strong>${esc(made.hospital)}</strong> に次のリンクと確認コードを伝えてください（${esc(when(made.expiresAt))} まで・1回限り）。</p>
          <p>リンク: <code id="handover-link">${esc(location.origin + made.link)}</code></p>
          <p>確認コード（電話で読み上げ）: <strong class="ev-big" id="handover-code">${esc(spoken(made.code))}</strong></p>
          <p><small>リンクと確認コードはこの画面でのみ表示されます。</small></p>
          <p><a class="button big" id="handover-pdf" href="${esc(made.pdf)}" target="_blank" rel="noopener">PDF を開く</a></p></div>`;
      } catch (err) { T.forms.showProblems(form, err, 'hospital'); }
    });
  };

  // ---- the hospital: no account, the link and the code ----

  const SEX = { female: '女', male: '男', other: 'その他' };
  const none = text => text ? lines(text) : '記録なし';

  function sheetHtml(s) {
    const p = s.patient;
    const a = s.acp;
    const v = p.latestVitals;
    return `<article class="handover-sheet" id="handover-sheet"><h1>${esc(s.title)}</h1>
      <p>搬送先: <strong>${esc(s.hospital)}</strong>・作成: ${esc(s.madeAtShown)}（${esc(s.madeBy)}）</p>
      <section><h2>出場情報</h2><p>出場番号: ${esc(s.access.dispatchNumber)}<br>閲覧の理由: ${esc(s.access.reason)}<br>
        救急隊員: ${esc(s.access.responder)}<br>緊急閲覧の日時: ${esc(s.access.openedAtShown)}</p></section>
      <section><h2>本人の基本情報</h2><p class="ev-big">${esc(p.name)} <small>${esc(p.kana)}</small></p>
        <p>${esc(p.birthDate)} 生・${esc(SEX[p.sex] || p.sex)}<br>${esc(p.address)}<br>電話: ${none(p.phone)}</p></section>
      <section><h2>人生会議（ACP）</h2>${a ? `<p class="ev-big ev-alert">${esc(a.resuscitationLabel)}</p>
        ${a.resuscitationNote ? `<p>${lines(a.resuscitationNote)}</p>` : ''}<p>希望する医療・ケア: ${none(a.wishes)}</p>
        <p>代理意思決定者: ${esc(a.proxyName || '—')}${a.proxyRelation ? `（${esc(a.proxyRelation)}）` : ''} ${esc(a.proxyPhone || '')}</p>
        <p><small>話し合いの参加者: ${esc(a.participants || '—')}・最終確認日 ${esc(a.confirmedOn || '—')}・第${a.version}版</small></p>`
        : '<p>記録なし</p>'}</section>
      <section><h2>アレルギー</h2><p class="ev-big">${none(p.allergies)}</p></section>
      <section><h2>服薬中の薬</h2><p>${none(p.medications)}</p></section>
      <section><h2>病歴・既往歴</h2><p>${none(p.medicalHistory)}</p></section>
      <section><h2>要介護度</h2><p>${none(p.careLevel)}</p></section>
      <section><h2>かかりつけ医</h2><p>${none(p.familyDoctor)}</p></section>
      <section><h2>家族・緊急連絡先</h2><p>${none(p.emergencyContacts)}</p></section>
      <section><h2>最新のバイタル</h2><p>${v ? `${esc(v.summary)}<br><small>${esc(when(v.measuredAt))} 測定</small>` : '記録なし'}</p></section>
      <section><h2>支援チーム</h2>${p.team.length ? `<ul>${p.team.map(m => `<li>${esc(m.teamRole)}: ${esc(m.name)}（${esc(m.profession)}・${esc(m.facility || '所属なし')}）</li>`).join('')}</ul>` : '<p>記録なし</p>'}</section>
      <section><h2>情報提供への同意</h2><p>${esc(s.consent.label)}</p></section>
      <footer><p><small>救急隊が緊急閲覧した内容を作成時点で写したものです。このページは1回だけ開けます。必要な場合は印刷してください。</small></p>
        <p><button type="button" class="big" data-print>印刷する</button></p></footer></article>`;
  }

  T.views.handover = function (main) {
    const token = decodeURIComponent(location.hash.split('/')[2] || '');
    main.innerHTML = `<section class="card emergency"><h1>救急隊からの引き継ぎ情報</h1>
      <p>救急隊から電話で伝えられた確認コード（6桁）を入力してください。開けるのは1回だけです。</p>
      <form id="handover-open" novalidate><div class="field"><label for="f-code">確認コード</label>
        <input id="f-code" name="code" type="text" inputmode="numeric" autocomplete="off" required></div>
        <div class="actions"><button class="primary big" type="submit">引き継ぎ情報を開く</button></div></form></section>`;
    const form = main.querySelector('#handover-open');
    T.forms.markRequired(form);
    form.addEventListener('submit', async e => {
      e.preventDefault();
      try {
        const sheet = await T.send('POST', '/api/v1/handovers/open', { token, code: form.elements.code.value });
        main.innerHTML = sheetHtml(sheet);
        main.querySelector('[data-print]').addEventListener('click', () => window.print());
      } catch (err) { T.forms.showProblems(form, err, 'code'); }
    });
  };

  // ---- 行政: the sheets, below the emergency accesses ----

  const STATUS = { active: '有効', used: '開封済み', expired: '期限切れ', revoked: '取り消し済み',
    locked: '使用不可（確認コードの誤りが上限）' };

  const review = T.views['emergency-review'];
  T.views['emergency-review'] = async function (main) {
    await review(main);
    const data = await T.getJson('/api/v1/municipal/emergency-handovers');
    main.querySelector('section.card').insertAdjacentHTML('beforeend', `<h2>搬送先への引き継ぎ情報</h2>
      <p>救急隊が作成した引き継ぎ情報です。リンクは24時間・1回限り有効で、確認コードを ${data.codeGuesses} 回誤ると使えなくなります。有効なものは取り消せます。</p>
      ${data.handovers.length ? `<div class="table-scroll"><table id="emergency-handovers"><thead><tr><th>作成日時</th><th>救急隊員</th>
        <th>対象の方</th><th>搬送先</th><th>出場番号</th><th>状態</th><th></th></tr></thead><tbody>${data.handovers.map(h =>
        `<tr data-handover="${esc(h.id)}"><td>${esc(when(h.madeAt))}</td><td>${esc(h.responder)}</td><td>${esc(h.patientName)}</td>
          <td>${esc(h.hospital)}</td><td>${esc(h.dispatchNumber)}</td><td class="handover-status">${esc(STATUS[h.status] || h.status)}
          ${h.openedAt ? `<br><small>${esc(when(h.openedAt))} に開封</small>` : ''}</td>
          <td>${h.status === 'revoked' ? '' : '<button type="button" data-revoke>取り消す</button>'}</td></tr>`).join('')}</tbody></table></div>`
        : '<p id="emergency-handovers-none">記録はありません。</p>'}`);
    main.querySelectorAll('[data-revoke]').forEach(button => button.addEventListener('click', async () => {
      const row = button.closest('[data-handover]');
      if (!window.confirm('この引き継ぎ情報のリンクを取り消しますか？')) { return; }
      try {
        await T.send('POST', `/api/v1/municipal/emergency-handovers/${encodeURIComponent(row.dataset.handover)}/revoke`);
        await T.render();
      } catch (err) { window.alert(err.message); }
    }));
  };
})();
