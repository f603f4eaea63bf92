// 招待する: the one way a team tab invites someone. One search box finds professionals of this node
// and, for a patient's team, of the partner municipalities whose wide-area agreement allows care-team
// sharing (the partner directory, which says which partners did not answer); a typed federated id
// (loginId@node) is offered as it is, for someone the directory does not list yet. Every result is
// invited with the role chosen beside the box through the team's own invitation call, which care.js
// hands in. Every text from the API is escaped before it becomes HTML.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const FEDERATED_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{3,31}@[a-z0-9-]{2,40}$/;

  function silentPartners(unanswered) {
    if (!unanswered.length) { return ''; }
    return `<p class="partner-silent">${unanswered.map(p => `${esc(p.nodeName)}（${esc(p.municipalities)}）`).join('、')}
      からは応答がありませんでした。時間をおいて再度お試しください。</p>`;
  }

  // How a partner's professional is shown on this node until their own node tells more.
  function profile(p) {
    const space = p.name.indexOf(' ');
    return { familyName: space < 0 ? p.name : p.name.slice(0, space), givenName: space < 0 ? '' : p.name.slice(space + 1),
      profession: p.profession, facility: p.facility };
  }

  // One result row: whom to invite (user id here, federated id for a partner), how to show them.
  // Someone already in the team (or invited) is marked as such rather than offered a second invitation.
  function row(candidate, members) {
    const where = candidate.partner
      ? `<span class="badge partner-badge">${esc(candidate.partner)}</span>` : '';
    const member = members.find(m => m.userId === candidate.userId);
    const action = !member ? `<button type="button" data-invite="${esc(candidate.userId)}">招待</button>`
      : `<span class="badge in-team">${member.status === 'invited' ? '招待中' : 'チームに参加中'}</span>`;
    return `<li class="${candidate.partner ? 'invite-partner' : 'invite-local'}"><span>${esc(candidate.name)}
      <small>${esc(candidate.detail)}</small>${where}</span>
      ${action}</li>`;
  }

  async function search(query, partners) {
    if (FEDERATED_ID.test(query)) {
      return { candidates: [{ userId: query, name: query, detail: '連携先の専門職（ID で招待）', partner: query.split('@')[1] }],
        status: '' };
    }
    const [local, remote] = await Promise.all([
      T.getJson('/api/v1/professionals?q=' + encodeURIComponent(query)),
      partners ? T.getJson('/api/v1/partner-directory/professionals?q=' + encodeURIComponent(query))
        .catch(error => ({ error })) : null]);
    const candidates = local.professionals.map(p => ({ userId: p.id, name: p.name,
      detail: `${p.professionName}・${p.facility}・${p.municipality}` }));
    let status = `<p>見つかりました: この市町村 ${candidates.length} 件`;
    if (remote && remote.error) {
      status += `</p><p class="error">連携先の市町村: ${esc(remote.error.message)}</p>`;
    } else if (remote && !remote.partners.length && !remote.unanswered.length) {
      status += '</p><p>チーム連携を認める協定を結んだ連携先はありません。</p>';
    } else if (remote) {
      status += `、連携先の市町村 ${remote.professionals.length} 件</p>` + silentPartners(remote.unanswered);
      remote.professionals.forEach(p => candidates.push({ userId: p.federatedId, name: p.name,
        detail: `${p.professionName}・${p.facility}`, partner: p.municipalities, profile: profile(p) }));
    } else {
      status += '</p>';
    }
    return { candidates, status };
  }

  // box: the team tab; options.teamRoles: the roles to choose from; options.partners: whether the
  // board may have partners' professionals (a patient's team); options.invite(userId, profile, teamRole)
  // returns a promise of the invitation call.
  T.inviteToTeam = function (box, options) {
    const section = document.createElement('section');
    section.className = 'team-invite';
    section.innerHTML = `<h2>招待する</h2>
      <p class="hint">氏名・施設名でさがします。${options.partners ? '広域連携協定を結んだ市町村の専門職も一緒にさがせます。'
        + '連携先の専門職は ID（ログインID@ノード名、例: kango@minamiminowa）を入力しても招待できます。' : ''}</p>
      <form id="invite-form" class="actions"><input id="invite-q" type="search" maxlength="72"
        placeholder="${options.partners ? '氏名・施設名、または ID' : '氏名・施設名'}" aria-label="招待する専門職をさがす">
        <label>役割 <select id="invite-role"><option value="">選んでください</option>
          ${options.teamRoles.map(r => `<option>${esc(r)}</option>`).join('')}</select></label>
        <button type="submit">検索</button></form>
      <div id="invite-status" role="status"></div><ul id="invite-results" class="rows"></ul>`;
    box.appendChild(section);
    const status = section.querySelector('#invite-status');
    const results = section.querySelector('#invite-results');
    section.querySelector('#invite-form').addEventListener('submit', async e => {
      e.preventDefault();
      results.innerHTML = '';
      const query = section.querySelector('#invite-q').value.trim();
      if (!query) {
        status.innerHTML = '<p class="error">検索する氏名・施設名を入力してください。</p>';
        return;
      }
      status.textContent = '検索しています…';
      let found;
      try {
        found = await search(query, options.partners);
      } catch (error) {
        status.innerHTML = `<p class="error">${esc(error.message)}</p>`;
        return;
      }
      status.innerHTML = found.status;
      const members = options.members ? options.members() : [];
      results.innerHTML = found.candidates.map(c => row(c, members)).join('');
      results.querySelectorAll('[data-invite]').forEach(b => b.addEventListener('click', async () => {
        // The role is chosen each time: no role is preselected, so nobody is invited as 主治医 by default.
        const role = section.querySelector('#invite-role');
        if (!role.value) {
          status.innerHTML = '<p class="error" id="invite-role-missing">招待する前に、チームでの役割を選んでください。</p>';
          role.focus();
          return;
        }
        const candidate = found.candidates.find(c => c.userId === b.dataset.invite);
        b.disabled = true;
        const r = await options.invite(b.dataset.invite, candidate.profile, role.value).catch(err => ({ error: err }));
        b.textContent = r.error ? r.error.message : '招待しました';
      }));
    });
  };
})();
