// 救急情報連携 across municipal borders: a 救急・消防 account searches the residents of partner
// municipalities (every partner under an agreement with the emergency-access scope, or one) and opens
// one. The reason and 出場番号 are asked before the search, because the home node is told of both.
// The view is the same phone page as a local access (emergency.js), marked with the home municipality.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const text = (name, label, type) => `<div class="field"><label for="p-${name}">${label}</label>
    <input id="p-${name}" name="${name}" type="${type || 'text'}"></div>`;

  // Why a partner lists nobody: its own stable code, said so a crew knows whether to ask again or phone.
  const ENDED = '救急情報連携の協定が有効ではありません（終了・期限切れ・撤回）。電話で確認してください。';
  const UNANSWERED = {
    'emergency.search_too_broad': '該当する方が多すぎます。より詳しく入力してください。',
    'federation.scope_not_granted': ENDED,
    'federation.peer_not_trusted': ENDED
  };

  T.views['emergency-partners'] = function (main) {
    main.innerHTML = `<section class="card emergency"><h1>連携市町村の方を探す</h1>
      <p>協定（救急情報連携）のある市町村の登録者を探します。閲覧の理由と出場番号は相手の市町村にも記録され、本人の支援チームに通知されます。</p>
      <form id="emergency-partner-search" novalidate>
        ${text('reason', '閲覧の理由')}${text('dispatchNumber', '出場番号')}
        ${text('name', '氏名（漢字またはかな）')}${text('birthDate', '生年月日', 'date')}
        <p class="or">または</p>${text('phone', '電話番号', 'tel')}
        <p class="or">または</p>${text('address', '住所（一部でも可）')}
        <div class="actions"><button class="primary big" type="submit">連携市町村で探す</button></div></form>
      <div id="emergency-partner-results" aria-live="polite"></div>
      <p><a class="button big" href="#/emergency">この市町村で探す</a></p></section>`;
    const form = main.querySelector('#emergency-partner-search');
    const results = main.querySelector('#emergency-partner-results');
    let purpose = {};
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const query = Object.fromEntries([...new FormData(form).entries()].filter(([, v]) => v.trim() !== ''));
      purpose = { reason: query.reason || '', dispatchNumber: query.dispatchNumber || '' };
      try {
        const found = await T.send('POST', '/api/v1/emergency/partner-searches', query);
        T.forms.clearProblems(form);
        const people = found.patients.map(p => `<li data-node="${esc(p.node)}" data-patient="${esc(p.id)}">
            <p class="who">${esc(p.name)}<small>（${esc(p.kana)}）</small></p>
            <p>${esc(p.birthDate)} 生・${esc(p.address)}</p><p class="ev-home">${esc(p.home.municipalities)}の方</p>
            ${p.archived ? '<p class="archived-note">登録は終了しています（閲覧できません）。</p>'
              : '<button type="button" class="primary big" data-open>この方の救急情報を開く</button>'}</li>`).join('');
        const silent = found.unanswered.map(u => `<li data-problem="${esc(u.problem)}">${esc(u.municipalities)}: ${esc(UNANSWERED[u.problem]
          || '回答がありません。')}</li>`).join('');
        results.innerHTML = (people ? `<ul class="emergency-people">${people}</ul>` : '<p id="emergency-none">該当する方は見つかりませんでした。</p>')
          + (silent ? `<ul class="emergency-unanswered">${silent}</ul>` : '');
      } catch (err) {
        results.innerHTML = '';
        const field = { 'emergency.reason_required': 'reason', 'emergency.dispatch_number_required': 'dispatchNumber' }[err.code];
        T.forms.showProblems(form, err, field);
      }
    });
    results.addEventListener('click', async e => {
      const item = e.target.closest('[data-open]')?.closest('[data-patient]');
      if (!item) { return; }
      try {
        const view = await T.send('POST', '/api/v1/emergency/partner-accesses',
          Object.assign({ node: item.dataset.node, patientId: item.dataset.patient }, purpose));
        location.hash = '#/emergency-view/' + encodeURIComponent(view.access.id) + '/partner';
      } catch (err) {
        item.insertAdjacentHTML('beforeend', `<p class="form-error">${esc(err.message)}</p>`);
      }
    });
  };
})();
