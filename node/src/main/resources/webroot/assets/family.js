// ここのーと: the family's own screen. It talks only to /api/v1/family/…: once a family member is
// logged in, every other route of the node answers 404 to this browser. The CSRF token of the
// family session comes with the login and is kept for this tab only.
(function () {
  'use strict';
  const main = document.getElementById('fn-main');
  const logout = document.getElementById('fn-logout');
  const esc = s => String(s == null ? '' : s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;',
    '"': '&quot;', "'": '&#39;' }[c]));
  const day = d => new Date(`${d}T00:00:00+09:00`).toLocaleDateString('ja-JP', { month: 'numeric', day: 'numeric',
    weekday: 'short', timeZone: 'Asia/Tokyo' });
  const lines = s => esc(s).replace(/\n/g, '<br>');
  const when = iso => new Date(iso).toLocaleString('ja-JP', { month: 'numeric', day: 'numeric', hour: 'numeric',
    minute: '2-digit' });
  const RUBY = { 食事: '<ruby>食事<rt>しょくじ</rt></ruby>', 睡眠: '<ruby>睡眠<rt>すいみん</rt></ruby>',
    排泄: '<ruby>排泄<rt>はいせつ</rt></ruby>', 服薬: '<ruby>服薬<rt>ふくやく</rt></ruby>',
    気になること: '<ruby>気<rt>き</rt></ruby>になること', 質問: '<ruby>質問<rt>しつもん</rt></ruby>' };

  async function call(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      headers['X-CSRF-Token'] = sessionStorage.getItem('fn-csrf') || '';
    }
    const response = await fetch(path, { method, headers, credentials: 'same-origin',
      body: body ? JSON.stringify(body) : undefined });
    const text = await response.text();
    const json = text ? JSON.parse(text) : {};
    if (!response.ok) { const e = new Error(json.message || '送れませんでした。'); e.status = response.status; throw e; }
    return json;
  }

  // Passkeys: the options come with base64url fields, which the browser's API wants as bytes, and
  // the answer goes back with its bytes in base64url again.
  const fromB64 = s => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), c => c.charCodeAt(0));
  const toB64 = b => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\+/g, '-').replace(/\//g, '_')
    .replace(/=+$/, '');
  const passkeysWork = () => !!(window.PublicKeyCredential && navigator.credentials);

  function answer(credential) {
    const r = credential.response;
    const response = { clientDataJSON: toB64(r.clientDataJSON) };
    if (r.attestationObject) { response.attestationObject = toB64(r.attestationObject); }
    if (r.authenticatorData) { response.authenticatorData = toB64(r.authenticatorData); }
    if (r.signature) { response.signature = toB64(r.signature); }
    if (r.userHandle) { response.userHandle = toB64(r.userHandle); }
    return { credential: { id: credential.id, rawId: toB64(credential.rawId), type: credential.type, response } };
  }

  async function passkeyLogin() {
    const options = await call('POST', '/api/v1/family/auth/passkey/options');
    options.challenge = fromB64(options.challenge);
    const credential = await navigator.credentials.get({ publicKey: options });
    return call('POST', '/api/v1/family/auth/passkey', answer(credential));
  }

  async function passkeyRegister() {
    const options = await call('POST', '/api/v1/family/passkeys/options');
    options.challenge = fromB64(options.challenge);
    options.user.id = fromB64(options.user.id);
    (options.excludeCredentials || []).forEach(c => { c.id = fromB64(c.id); });
    const credential = await navigator.credentials.create({ publicKey: options });
    return call('POST', '/api/v1/family/passkeys', answer(credential));
  }

  // A photo as the raw body, as the phone took it; the answer is the stored photo's id.
  async function sendPhoto(entryId, file) {
    const response = await fetch(`/api/v1/family/notebook/entries/${encodeURIComponent(entryId)}/photos`, {
      method: 'POST', credentials: 'same-origin', body: file, headers: { Accept: 'application/json',
        'Content-Type': file.type || 'application/octet-stream', 'X-CSRF-Token': sessionStorage.getItem('fn-csrf') || '' } });
    const text = await response.text();
    const json = text ? JSON.parse(text) : {};
    if (!response.ok) { throw new Error(json.message || '写真を送れませんでした。'); }
    return json;
  }

  async function visitorToken() {
    const json = await call('GET', '/api/v1/auth/csrf');
    sessionStorage.setItem('fn-csrf', json.csrfToken);
  }

  async function start() {
    try {
      showNotebook(await call('GET', '/api/v1/family/notebook'));
    } catch (e) {
      if (e.status === 404) { showLogin(); } else { main.innerHTML = `<p class="fn-problem">${esc(e.message)}</p>`; }
    }
  }

  async function showLogin(message) {
    logout.hidden = true;
    await visitorToken();
    main.innerHTML = `<h2>ログイン</h2>${message ? `<p id="fn-message">${esc(message)}</p>` : ''}
      ${passkeysWork() ? `<button class="primary" id="fn-passkey-login" type="button">パスキーでログイン</button>
        <p id="fn-passkey-problem" class="fn-problem" role="alert"></p>
        <p>または、パスワードと<ruby>確認<rt>かくにん</rt></ruby>コードで</p>` : ''}
      <form id="fn-login"><label for="fn-login-id">ログインID</label>
        <input id="fn-login-id" inputmode="numeric" autocomplete="username" required>
        <label for="fn-password">パスワード</label>
        <input id="fn-password" type="password" autocomplete="current-password" required>
        <label for="fn-code"><ruby>確認<rt>かくにん</rt></ruby>コード（アプリの6けた）</label>
        <input id="fn-code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" required>
        <p id="fn-login-problem" class="fn-problem" role="alert"></p>
        <button class="primary" type="submit">ログイン</button></form>
      <h2>はじめての方</h2>
      <form id="fn-activate"><label for="fn-activation">登録コード（チームから受け取った16けた）</label>
        <input id="fn-activation" inputmode="numeric" required>
        <label for="fn-new-password">新しいパスワード（10文字以上）</label>
        <input id="fn-new-password" type="password" autocomplete="new-password" required>
        <p id="fn-activate-problem" class="fn-problem" role="alert"></p>
        <button class="primary" type="submit">登録する</button></form>`;
    const byPasskey = main.querySelector('#fn-passkey-login');
    if (byPasskey) {
      byPasskey.addEventListener('click', async () => {
        try {
          const json = await passkeyLogin();
          sessionStorage.setItem('fn-csrf', json.csrfToken);
          start();
        } catch (err) {
          main.querySelector('#fn-passkey-problem').textContent = err.status ? err.message
            : 'パスキーでログインできませんでした。パスワードと確認コードでログインしてください。';
        }
      });
    }
    main.querySelector('#fn-login').addEventListener('submit', async e => {
      e.preventDefault();
      try {
        const json = await call('POST', '/api/v1/family/auth/login', { loginId: val('fn-login-id'),
          password: val('fn-password'), code: val('fn-code') });
        sessionStorage.setItem('fn-csrf', json.csrfToken);
        start();
      } catch (err) { main.querySelector('#fn-login-problem').textContent = err.message; }
    });
    main.querySelector('#fn-activate').addEventListener('submit', async e => {
      e.preventDefault();
      try {
        const json = await call('POST', '/api/v1/family/auth/activation', { code: val('fn-activation'),
          password: val('fn-new-password') });
        main.innerHTML = `<h2>登録できました</h2><p>ログインID: <strong id="fn-new-login-id">${esc(json.loginId)}</strong></p>
          <p><ruby>認証<rt>にんしょう</rt></ruby>アプリに次のキーを登録してください。</p>
          <p class="fn-secret" id="fn-totp-secret">${esc(json.totpSecret)}</p>
          <p><a href="${esc(json.totpUri)}">アプリで開く</a></p>
          <button class="primary" id="fn-to-login" type="button">ログインへ</button>`;
        main.querySelector('#fn-to-login').addEventListener('click', () => showLogin());
      } catch (err) { main.querySelector('#fn-activate-problem').textContent = err.message; }
    });
  }

  const val = id => main.querySelector('#' + id).value.trim();

  function showNotebook(notebook) {
    logout.hidden = false;
    let kind = notebook.kinds[0];
    main.innerHTML = `<p>${esc(notebook.relation)}・${esc(notebook.name)} さん</p>
      <h2>きょうの<ruby>記録<rt>きろく</rt></ruby></h2>
      <div class="fn-kinds" id="fn-kinds">${notebook.kinds.map(k => `<button type="button" data-kind="${esc(k)}"
        aria-pressed="${k === kind}">${RUBY[k] || esc(k)}</button>`).join('')}</div>
      <form id="fn-entry"><label for="fn-body">ようす・<ruby>質問<rt>しつもん</rt></ruby></label>
        <textarea id="fn-body" required></textarea>
        <label for="fn-photo"><ruby>写真<rt>しゃしん</rt></ruby>（あれば）</label>
        <input type="file" id="fn-photo" accept="image/*">
        <p id="fn-entry-problem" class="fn-problem" role="alert"></p>
        <button class="primary" type="submit">チームに<ruby>送<rt>おく</rt></ruby>る</button></form>
      <h2>チームから</h2>
      <ul class="fn-entries" id="fn-shared">${(notebook.shared || []).map(p => `<li><span class="fn-when">${esc(when(p.createdAt))}
        ${esc(p.author)}</span><div>${lines(p.body)}</div></li>`).join('') || '<li>まだありません</li>'}</ul>
      <h2><ruby>訪問<rt>ほうもん</rt></ruby>の<ruby>予定<rt>よてい</rt></ruby></h2>
      <ul class="fn-entries" id="fn-visits">${(notebook.visits || []).map(v => `<li><span class="fn-when">${esc(day(v.date))}
        ${esc(v.from)}〜${esc(v.to)}</span><div>${esc(v.professionLabel)}</div></li>`).join('') || '<li>いまはありません</li>'}</ul>
      <h2><ruby>会議<rt>かいぎ</rt></ruby>のお<ruby>知<rt>し</rt></ruby>らせ</h2>
      <ul class="fn-entries" id="fn-meetings">${(notebook.meetings || []).map(meeting).join('') || '<li>いまはありません</li>'}</ul>
      <h2>これまでの<ruby>記録<rt>きろく</rt></ruby></h2>
      <ul class="fn-entries" id="fn-entries">${notebook.entries.map(entry).join('')}</ul>
      <h2><ruby>記録<rt>きろく</rt></ruby>を<ruby>見<rt>み</rt></ruby>た<ruby>人<rt>ひと</rt></ruby></h2>
      <button type="button" id="fn-report-open">今月の一覧を見る</button>
      <div id="fn-report" class="fn-report"></div>
      ${passkeysWork() ? `<h2>パスキー</h2>
        <p>スマートフォンの<ruby>指紋<rt>しもん</rt></ruby>・<ruby>顔<rt>かお</rt></ruby>・暗証番号でログインできます。</p>
        <ul class="fn-entries" id="fn-passkeys"></ul>
        <p id="fn-passkey-problem" class="fn-problem" role="alert"></p>
        <button type="button" id="fn-passkey-add">パスキーを登録する</button>` : ''}`;
    main.querySelectorAll('#fn-kinds button').forEach(b => b.addEventListener('click', () => {
      kind = b.dataset.kind;
      main.querySelectorAll('#fn-kinds button').forEach(o => o.setAttribute('aria-pressed', String(o === b)));
    }));
    main.querySelector('#fn-entry').addEventListener('submit', async e => {
      e.preventDefault();
      try {
        const written = await call('POST', '/api/v1/family/notebook/entries', { kind, body: val('fn-body') });
        main.querySelector('#fn-body').value = '';
        main.querySelector('#fn-entry-problem').textContent = '';
        const input = main.querySelector('#fn-photo');
        written.photos = [];
        if (input.files.length) {
          try { written.photos.push((await sendPhoto(written.id, input.files[0])).id); input.value = ''; } catch (err) {
            main.querySelector('#fn-entry-problem').textContent = err.message;
          }
        }
        main.querySelector('#fn-entries').insertAdjacentHTML('afterbegin', entry(Object.assign({ by: '' }, written)));
      } catch (err) { main.querySelector('#fn-entry-problem').textContent = err.message; }
    });
    main.querySelector('#fn-report-open').addEventListener('click', showReport);
    answering(main.querySelector('#fn-meetings'));
    const add = main.querySelector('#fn-passkey-add');
    if (add) {
      add.addEventListener('click', async () => {
        try { await passkeyRegister(); main.querySelector('#fn-passkey-problem').textContent = ''; showPasskeys(); } catch (err) {
          main.querySelector('#fn-passkey-problem').textContent = err.status ? err.message : 'パスキーを登録できませんでした。';
        }
      });
      showPasskeys();
    }
  }

  async function showPasskeys() {
    const list = main.querySelector('#fn-passkeys');
    const json = await call('GET', '/api/v1/family/passkeys');
    list.innerHTML = json.passkeys.map(p => `<li data-passkey="${esc(p.id)}"><span class="fn-when">${esc(when(p.createdAt))}
      に登録</span><div>${p.lastUsedAt ? `最後の利用: ${esc(when(p.lastUsedAt))}` : 'まだ使っていません'}</div>
      <button type="button" class="fn-passkey-remove">削除する</button></li>`).join('') || '<li>まだありません</li>';
    list.querySelectorAll('.fn-passkey-remove').forEach(b => b.addEventListener('click', async () => {
      try { await call('DELETE', `/api/v1/family/passkeys/${encodeURIComponent(b.closest('li').dataset.passkey)}`); showPasskeys(); }
      catch (err) { main.querySelector('#fn-passkey-problem').textContent = err.message; }
    }));
  }

  // A meeting the family is invited to: when, kind, and where, or the link to join (https only).
  function meeting(m) {
    const where = m.online && /^https:\/\//.test(m.videoUrl)
      ? `<a class="fn-join" href="${esc(m.videoUrl)}" target="_blank" rel="noopener noreferrer"><ruby>参加<rt>さんか</rt></ruby>する</a>`
      : `<span class="fn-place">${esc(m.place)}</span>`;
    const ANSWER = { attend: '出席', decline: '欠席' };
    return `<li data-meeting="${esc(m.id)}"><span class="fn-kind">${esc(m.kindLabel)}</span><span class="fn-when">${esc(m.when)}</span>
      <div>${esc(m.title)}</div><div>${where}</div>
      <div class="fn-answer"><span class="fn-answered">${ANSWER[m.response] ? `お返事: ${ANSWER[m.response]}` : 'お返事はまだです'}</span>
        ${Object.keys(ANSWER).map(a => `<button type="button" data-answer="${a}" aria-pressed="${m.response === a}">${ANSWER[a]}</button>`).join('')}</div>
      <p class="fn-problem" role="alert"></p></li>`;
  }

  // 出欠: the answer goes to the team's meeting; the item is drawn again from the answer.
  function answering(list) {
    list.addEventListener('click', async e => {
      const button = e.target.closest('button[data-answer]');
      if (!button) { return; }
      const item = button.closest('li[data-meeting]');
      try {
        const m = await call('POST', `/api/v1/family/notebook/meetings/${encodeURIComponent(item.dataset.meeting)}/response`,
          { response: button.dataset.answer });
        item.outerHTML = meeting(m);
      } catch (err) { item.querySelector('.fn-problem').textContent = err.message; }
    });
  }

  function entry(e) {
    return `<li><span class="fn-kind">${RUBY[e.kind] || esc(e.kind)}</span><span class="fn-when">${esc(when(e.createdAt))}
      ${esc(e.by)}</span><div>${lines(e.body)}</div>${(e.photos || []).map(id => `<a href="/api/v1/family/notebook/photos/${esc(id)}"
      target="_blank"><img class="fn-photo" alt="写真" src="/api/v1/family/notebook/photos/${esc(id)}?size=thumbnail"></a>`).join('')}</li>`;
  }

  async function showReport() {
    const now = new Date();
    const month = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
    const box = main.querySelector('#fn-report');
    try {
      const r = await call('GET', `/api/v1/family/access-report?month=${month}`);
      box.innerHTML = `<table id="fn-viewers"><thead><tr><th>だれが</th><th>回数</th><th>日</th></tr></thead><tbody>
        ${r.viewers.map(v => `<tr><td>${esc(v.description)}<br><small>${esc(v.facility)}</small></td>
          <td>${v.count}</td><td>${v.days.map(d => esc(d.slice(5).replace('-', '/'))).join('、')}</td></tr>`).join('')
          || '<tr><td colspan="3">いません</td></tr>'}</tbody></table>
        <h2><ruby>緊急<rt>きんきゅう</rt></ruby>の<ruby>閲覧<rt>えつらん</rt></ruby></h2>
        <ul class="fn-entries" id="fn-emergencies">${r.emergencyAccesses.map(a => `<li>${esc(a.day)} ${esc(a.by)}<br>
          理由: ${esc(a.reason)}</li>`).join('') || '<li>ありません</li>'}</ul>
        <p>写しを持つ連携先: <span id="fn-replicas">${r.replicaNodes.map(esc).join('、') || 'ありません'}</span></p>
        ${(r.unanswered || []).length ? `<p class="fn-problem" id="fn-unanswered">次の連携先から閲覧の記録を受け取れませんでした（この表に含まれていません）: ${r.unanswered.map(u => esc(u.node)).join('、')}</p>` : ''}
        <p><a id="fn-report-pdf" href="/api/v1/family/access-report/pdf?month=${month}" target="_blank"
          rel="noopener">印刷用（PDF）</a></p>`;
    } catch (err) { box.innerHTML = `<p class="fn-problem">${esc(err.message)}</p>`; }
  }

  logout.addEventListener('click', async () => {
    try { await call('POST', '/api/v1/family/auth/logout'); } catch (e) { /* already out */ }
    sessionStorage.removeItem('fn-csrf');
    showLogin('ログアウトしました。');
  });

  start();
}());
