// 連携先の専門職をさがす: the partner directory on a team tab. Searches the professionals of the
// partner municipalities whose wide-area agreement allows care-team sharing, says which partners did
// not answer, and invites a result by its federated id (loginId@node) through the team's own
// invitation call, which care.js hands in. Every text from the API is escaped before it becomes HTML.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;

  function silentPartners(unanswered) {
    if (!unanswered.length) { return ''; }
    return `<p class="partner-silent">${unanswered.map(p => `${esc(p.nodeName)}（${esc(p.municipalities)}）`).join('、')}
      からは応答がありませんでした。時間をおいて再度お試しください。</p>`;
  }

  function result(p) {
    return `<li><span>${esc(p.name)} <small>${esc(p.professionName)}・${esc(p.facility)}</small>
      <span class="badge partner-badge">${esc(p.municipalities)}</span></span>
      <button type="button" data-federated-id="${esc(p.federatedId)}">招待</button></li>`;
  }

  // How the invited person is shown on this node until their own node tells more.
  function profile(p) {
    const space = p.name.indexOf(' ');
    return { familyName: space < 0 ? p.name : p.name.slice(0, space), givenName: space < 0 ? '' : p.name.slice(space + 1),
      profession: p.profession, facility: p.facility };
  }

  // box: the team tab; invite(federatedId, profile) returns a promise of the invitation call.
  T.partnerDirectory = function (box, invite) {
    const section = document.createElement('section');
    section.className = 'partner-directory';
    section.innerHTML = `<h2>連携先の専門職をさがして招待</h2>
      <p class="hint">広域連携協定を結んだ市町村の専門職を、氏名・施設名でさがせます。招待するときの役割は、上で選んだ役割になります。</p>
      <form id="partner-form" class="actions"><input id="partner-q" type="search" maxlength="40"
        placeholder="氏名・施設名" aria-label="連携先の専門職を検索"><button type="submit">連携先を検索</button></form>
      <div id="partner-status" role="status"></div><ul id="partner-results" class="rows"></ul>`;
    box.appendChild(section);
    const status = section.querySelector('#partner-status');
    const results = section.querySelector('#partner-results');
    section.querySelector('#partner-form').addEventListener('submit', async e => {
      e.preventDefault();
      results.innerHTML = '';
      status.textContent = '検索しています…';
      let found;
      try {
        found = await T.getJson('/api/v1/partner-directory/professionals?q='
          + encodeURIComponent(section.querySelector('#partner-q').value));
      } catch (error) {
        status.innerHTML = `<p class="error">${esc(error.message)}</p>`;
        return;
      }
      const asked = found.partners.length + found.unanswered.length;
      status.innerHTML = (asked === 0 ? '<p>チーム連携を認める協定を結んだ連携先がありません。</p>'
        : `<p>${found.professionals.length} 件見つかりました。</p>`) + silentPartners(found.unanswered);
      results.innerHTML = found.professionals.map(result).join('');
      results.querySelectorAll('[data-federated-id]').forEach((b, i) => b.addEventListener('click', async () => {
        b.disabled = true;
        const r = await invite(b.dataset.federatedId, profile(found.professionals[i])).catch(err => ({ error: err }));
        b.textContent = r.error ? r.error.message : '招待しました';
      }));
    });
  };
})();
