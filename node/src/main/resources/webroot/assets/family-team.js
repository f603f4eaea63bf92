// ここのーと, the team's side (the patient page's tab): the family accounts with the consent each was
// made with and when each last logged in (the team sees the door was used), an invitation (the
// patient's consent recorded first), recovery of a lost phone, and the family's entries.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const when = iso => iso ? new Date(iso).toLocaleString('ja-JP', { dateStyle: 'medium', timeStyle: 'short' }) : '—';
  const RELATIONS = ['本人', '配偶者', '子', '子の配偶者', '孫', '親', '兄弟姉妹', 'その他の親族', 'その他'];
  const STATUS = { invited: '登録待ち', active: '利用中', revoked: '停止' };
  // The professions that visit at home, by their reference codes (訪問予定).
  const VISITING = { doctor: '医師', visiting_nurse: '訪問看護師', nurse: '看護師', pharmacist: '薬剤師', pt: '理学療法士',
    ot: '作業療法士', st: '言語聴覚士', dentist: '歯科医師', dental_hygienist: '歯科衛生士', dietitian: '管理栄養士',
    care_manager: 'ケアマネジャー', home_helper: 'ヘルパー', welfare_equipment: '福祉用具専門相談員' };

  async function show(box, patientId) {
    const base = `/api/v1/patients/${encodeURIComponent(patientId)}/family`;
    const [accounts, entries, visits] = await Promise.all([T.getJson(base + '/accounts'), T.getJson(base + '/entries'),
      T.getJson(base + '/visits')]);
    box.innerHTML = `<h2>ここのーと（ご家族・ご本人）</h2>
      <table class="family-accounts" id="family-accounts"><thead><tr><th>お名前</th><th>続柄</th><th>同意</th><th>状態</th>
        <th>最終ログイン</th><th></th></tr></thead><tbody>${accounts.accounts.map(a => `<tr>
        <td>${esc(a.name)}<br><small>ID ${esc(a.loginId)}</small></td><td>${esc(a.relation)}</td>
        <td>${esc(a.consentBy)}<br><small>${esc(a.consentAt)}</small></td><td>${esc(STATUS[a.status] || a.status)}</td>
        <td>${esc(when(a.lastLoginAt))}${a.passkeys ? `<br><small class="family-passkeys">パスキー ${a.passkeys}件</small>` : ''}</td><td>${a.status === 'revoked' ? '' : `<button type="button" data-recover="${esc(a.id)}">再発行</button>
        <button type="button" data-revoke="${esc(a.id)}">利用を停止</button>`}</td></tr>`)
        .join('') || '<tr><td colspan="6">まだ招待していません。</td></tr>'}</tbody></table>
      <div id="family-code" aria-live="polite"></div>
      <h3>招待する</h3>
      <form id="family-invite" novalidate>
        <div class="field"><label for="f-family-name">お名前</label><input id="f-family-name" name="name" required></div>
        <div class="field"><label for="f-family-email">メールアドレス</label>
          <input id="f-family-email" name="email" type="email" required></div>
        <div class="field"><label for="f-family-relation">続柄</label><select id="f-family-relation" name="relation">
          ${RELATIONS.map(r => `<option>${esc(r)}</option>`).join('')}</select></div>
        <div class="field"><label for="f-family-consent-by">同意した方（ご本人の同意）</label>
          <input id="f-family-consent-by" name="consentBy" required></div>
        <div class="field"><label for="f-family-consent-at">同意した日</label>
          <input id="f-family-consent-at" name="consentAt" type="date" required></div>
        <div class="actions"><button class="primary" type="submit">招待する</button></div></form>
      <h3>訪問予定（ご家族のノートに表示）</h3>
      <ul class="family-entries" id="family-visits">${visits.visits.map(v => `<li>${esc(v.date)} ${esc(v.from)}〜${esc(v.to)}
        ${esc(v.professionLabel)} <button type="button" data-visit-cancel="${esc(v.id)}">取り消す</button></li>`).join('')
        || '<li>予定はありません。</li>'}</ul>
      <p id="family-visit-state" aria-live="polite"></p>
      <form id="family-visit" novalidate>
        <div class="field"><label for="f-visit-date">訪問日</label><input id="f-visit-date" name="date" type="date" required></div>
        <div class="field"><label for="f-visit-from">開始</label><input id="f-visit-from" name="from" type="time" required></div>
        <div class="field"><label for="f-visit-to">終了</label><input id="f-visit-to" name="to" type="time" required></div>
        <div class="field"><label for="f-visit-profession">職種</label><select id="f-visit-profession" name="profession">
          ${Object.entries(VISITING).map(([code, label]) => `<option value="${esc(code)}">${esc(label)}</option>`).join('')}</select></div>
        <div class="actions"><button class="primary" type="submit">予定を追加する</button></div></form>
      <h3>ご家族の記録</h3>
      <ul class="family-entries" id="family-entries">${entries.entries.map(e => `<li><strong>${esc(e.kind)}</strong>
        <small>${esc(when(e.createdAt))} ${esc(e.by)}</small><br>${esc(e.body)}</li>`).join('') || '<li>まだありません。</li>'}</ul>`;
    const form = box.querySelector('#family-invite');
    T.forms.markRequired(form);
    form.addEventListener('submit', async e => {
      e.preventDefault();
      try {
        const made = await T.send('POST', base + '/invitations', Object.fromEntries(new FormData(form).entries()));
        await show(box, patientId);
        code(box, made.loginId, made.activationCode);
      } catch (err) { T.forms.showProblems(form, err, 'consentBy'); }
    });
    const visitForm = box.querySelector('#family-visit');
    T.forms.markRequired(visitForm);
    visitForm.addEventListener('submit', async e => {
      e.preventDefault();
      try {
        const made = await T.send('POST', base + '/visits', Object.fromEntries(new FormData(visitForm).entries()));
        await show(box, patientId);
        pending(box, made);
      } catch (err) { T.forms.showProblems(visitForm, err, 'date'); }
    });
    box.querySelectorAll('[data-visit-cancel]').forEach(b => b.addEventListener('click', async () => {
      try {
        const done = await T.send('DELETE', `${base}/visits/${encodeURIComponent(b.dataset.visitCancel)}`);
        await show(box, patientId);
        pending(box, done);
      } catch (err) {
        box.querySelector('#family-visit-state').textContent = (err && err.message) || '取り消せませんでした。';
      }
    }));
    box.querySelectorAll('[data-recover]').forEach(b => b.addEventListener('click', async () => {
      const made = await T.send('POST', `${base}/accounts/${encodeURIComponent(b.dataset.recover)}/recovery`, {});
      code(box, made.loginId, made.activationCode);
    }));
    box.querySelectorAll('[data-revoke]').forEach(b => b.addEventListener('click', async () => {
      if (!window.confirm('このご家族のアカウントの利用を停止します。よろしいですか。')) { return; }
      await T.send('POST', `${base}/accounts/${encodeURIComponent(b.dataset.revoke)}/revoke`, {});
      await show(box, patientId);
    }));
  }

  // A partner's copy sends a visit (or its cancellation) to the patient's home node, which checks it:
  // it shows here once the home node has taken it.
  function pending(box, answer) {
    if (answer && answer.syncState === 'pending') {
      box.querySelector('#family-visit-state').textContent =
        'この方の市町村のノードに送りました。受け付けられると、この一覧に反映されます。';
    }
  }

  function code(box, loginId, activationCode) {
    box.querySelector('#family-code').innerHTML = `<p class="family-code" id="family-code-shown">ログインID
      <strong>${esc(loginId)}</strong>・登録コード <strong id="family-activation-code">${esc(activationCode)}</strong>
      （14日間有効。ご家族に手渡してください。ここのーと: ${esc(location.origin)}/family.html）</p>`;
  }

  window.TsunaguFamily = { show };
}());
