// 情報カテゴリーの設定, for the node's administration (municipal staff): the categories the post form
// offers, in order. Add, rename, move up or down, stop or resume; every change goes through the API
// (CSRF-checked, audited) and the list is drawn again from its answer.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const API = '/api/v1/care/categories';

  function row(c, i, count) {
    return `<li class="category-row${c.active ? '' : ' stopped'}" data-category="${esc(c.id)}">
      <form class="category-rename actions"><input name="name" value="${esc(c.name)}" maxlength="20" required
        aria-label="「${esc(c.name)}」の名前"${c.fixed ? ' readonly' : ''}>
        ${c.fixed ? '' : '<button type="submit">名前を変更</button>'}</form>
      <div class="category-meta">${c.active ? '' : '<span class="badge">停止中</span>'}
        ${c.formerNames.length ? `<small>旧名: ${esc(c.formerNames.join('、'))}</small>` : ''}
        ${c.fixed ? '<small>書類・バイタルの記録に使うため、名前の変更と停止はできません。</small>' : ''}</div>
      <div class="actions"><button type="button" data-move="-1" aria-label="「${esc(c.name)}」を上へ"${i === 0 ? ' disabled' : ''}>↑ 上へ</button>
        <button type="button" data-move="1" aria-label="「${esc(c.name)}」を下へ"${i === count - 1 ? ' disabled' : ''}>↓ 下へ</button>
        ${c.fixed ? '' : `<button type="button" data-active="${c.active ? 'false' : 'true'}">${c.active ? '停止する' : '再開する'}</button>`}</div></li>`;
  }

  async function show(main, send) {
    main.innerHTML = `<section class="card"><h1>情報カテゴリーの設定</h1>
      <p>専門職が記事を投稿するときに選ぶ情報カテゴリーです。この順番で表示されます。</p>
      <p><small>名前を変えても、これまでの記事は書いたときの名前のまま残ります。タイムラインの絞り込みでは、旧名の記事も新しい名前で探せます。
        停止したカテゴリーは新しい記事では選べなくなりますが、過去の記事はそのまま残ります。</small></p>
      <p id="category-result" role="status" hidden></p>
      <ol id="category-list" class="rows category-list"></ol>
      <h2>カテゴリーを追加</h2><form id="category-add" class="actions">
        <label for="category-name" class="visually-hidden">追加するカテゴリーの名前</label>
        <input id="category-name" maxlength="20" placeholder="例: 口腔ケア" required>
        <button class="primary" type="submit">追加する</button></form></section>`;
    const result = document.getElementById('category-result');
    const list = document.getElementById('category-list');
    let all = [];
    const say = (message, ok) => { result.hidden = false; result.className = ok ? 'form-ok' : 'form-error'; result.textContent = message; };
    const draw = listing => {
      all = listing.all;
      list.innerHTML = all.map((c, i) => row(c, i, all.length)).join('');
    };
    const change = async (action, message) => {
      try {
        draw(await action());
        say(message, true);
      } catch (e) { say(e.message, false); }
    };
    list.addEventListener('submit', e => {
      e.preventDefault();
      const id = e.target.closest('[data-category]').dataset.category;
      const name = e.target.querySelector('input').value;
      change(() => send('PUT', `${API}/${id}`, { name }), `名前を「${name}」に変更しました。`);
    });
    list.addEventListener('click', e => {
      const button = e.target.closest('button[data-move], button[data-active]');
      if (!button) { return; }
      const id = Number(button.closest('[data-category]').dataset.category);
      const c = all.find(x => x.id === id);
      if (button.dataset.active) {
        const active = button.dataset.active === 'true';
        change(() => send('PUT', `${API}/${id}`, { active }), `「${c.name}」を${active ? '再開' : '停止'}しました。`);
        return;
      }
      const ids = all.map(x => x.id);
      const from = ids.indexOf(id);
      const to = from + Number(button.dataset.move);
      [ids[from], ids[to]] = [ids[to], ids[from]];
      change(() => send('PUT', '/api/v1/care/category-order', { ids }), `「${c.name}」を移動しました。`);
    });
    document.getElementById('category-add').addEventListener('submit', e => {
      e.preventDefault();
      const input = document.getElementById('category-name');
      const name = input.value;
      change(async () => { const listing = await send('POST', API, { name }); input.value = ''; return listing; },
        `「${name}」を追加しました。`);
    });
    try {
      draw(await T.getJson(API));
    } catch (e) { say(e.message, false); }
  }

  window.TsunaguCategories = { show };
})();
