// 重複の可能性がある登録 (municipal staff, 行政): registrations whose name and birth date match a patient
// registered before. The registrant was not told (that would tell her the other patient exists); staff
// compare both records and their teams, then either invite the registrant into the existing team (her new
// record is archived) or mark them as different people. Every list and decision is audited by the node.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const API = '/api/v1/municipal/patient-duplicates';

  function record(title, p) {
    const team = p.team.map(m => `${esc(m.name)}（${esc(m.teamRole)}・${esc(m.facility || '所属なし')}${m.status === 'invited' ? '・招待中' : ''}）`);
    return `<div class="duplicate-record"><h3>${esc(title)}</h3><dl class="facts">
      <dt>氏名</dt><dd>${esc(p.name)}（${esc(p.kana)}）</dd><dt>生年月日</dt><dd>${esc(p.birthDate)}</dd>
      <dt>住所</dt><dd>${esc(p.municipality)} ${esc(p.address)}</dd><dt>登録日</dt><dd>${esc(p.createdAt.slice(0, 10))}</dd>
      <dt>チーム</dt><dd>${team.join('、') || 'なし'}</dd></dl></div>`;
  }

  function row(c) {
    return `<li class="duplicate" data-candidate="${esc(c.id)}">
      <p><strong>${esc(c.registrant.name)}</strong>（${esc(c.registrant.professionName)}・${esc(c.registrant.facility)}）が
        ${esc(c.createdAt.slice(0, 10))} に「${esc(c.teamRole)}」として登録しました。</p>
      <div class="grid">${record('既存の登録', c.existing)}${record('新しい登録', c.patient)}</div>
      <div class="actions"><button type="button" class="primary" data-decide="invite">同じ方です（既存のチームに招待）</button>
        <button type="button" data-decide="dismiss">別の方です</button></div></li>`;
  }

  async function show(main, send) {
    main.innerHTML = `<section class="card"><h1>重複の可能性がある登録</h1>
      <p>すでに登録されている支援対象者と氏名・生年月日が同じ登録です。登録した専門職には知らせていません。</p>
      <p><small>「同じ方です」を選ぶと、登録した専門職を既存のチームに同じ役割で招待し、新しい登録はアーカイブします。
        「別の方です」を選ぶと、この組み合わせを一覧から外します。どちらも監査ログに記録されます。</small></p>
      <p id="duplicate-result" role="status" hidden></p><ul id="duplicate-list" class="rows"></ul></section>`;
    const result = document.getElementById('duplicate-result');
    const list = document.getElementById('duplicate-list');
    const say = (message, ok) => { result.hidden = false; result.className = ok ? 'form-ok' : 'form-error'; result.textContent = message; };
    const draw = async () => {
      const data = await T.getJson(API);
      list.innerHTML = data.candidates.length ? data.candidates.map(row).join('')
        : '<li id="no-duplicates">対応が必要な登録はありません。</li>';
    };
    list.addEventListener('click', async e => {
      const button = e.target.closest('button[data-decide]');
      if (!button) { return; }
      const invite = button.dataset.decide === 'invite';
      if (!confirm(invite ? '登録した専門職を既存のチームに招待し、新しい登録をアーカイブしますか？' : '別の方として一覧から外しますか？')) { return; }
      try {
        await send('POST', `${API}/${encodeURIComponent(button.closest('[data-candidate]').dataset.candidate)}/${button.dataset.decide}`, {});
        say(invite ? '既存のチームに招待し、新しい登録をアーカイブしました。' : '別の方として一覧から外しました。', true);
        await draw();
      } catch (error) { say(error.message, false); }
    });
    await draw();
  }

  window.TsunaguDuplicates = { show };
})();
