// Care screens: the patient page (timeline with a category filter, post form with attachments,
// comments and 既読, vitals chart, forms, team), groups (プロジェクト) and the 情報カテゴリー settings;
// 患者一覧 and registering or editing a patient are in care-patients.js.
// Views plug into the shell through window.Tsunagu; every text from the API is escaped before it
// becomes HTML.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  let csrf = null;
  let live = null;
  let myId = null;
  let offered = [];

  async function token() {
    if (!csrf) { csrf = (await T.getJson('/api/v1/auth/csrf')).csrfToken; }
    return csrf;
  }

  async function send(method, path, body, headers) {
    const h = Object.assign({ 'X-CSRF-Token': await token(), Accept: 'application/json' }, headers || {});
    let payload = body;
    if (body !== undefined && !(body instanceof Blob) && !(body instanceof ArrayBuffer)) {
      h['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    // A POST goes with a fresh Idempotency-Key, kept for its own retries (app.js keyedPost).
    const init = { method, headers: h, body: payload, credentials: 'same-origin' };
    const response = method === 'POST' ? await T.keyedPost(path, init) : await fetch(path, init);
    const json = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(json.message || response.statusText);
      Object.assign(error, { code: json.code, rows: json.rows, requestId: json.requestId, status: response.status, body: json });
      throw error;
    }
    return json;
  }

  function when(iso) {
    const d = new Date(iso);
    return `${d.getMonth() + 1}/${d.getDate()} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  }

  function age(birth) {
    const b = new Date(birth); const now = new Date();
    let years = now.getFullYear() - b.getFullYear();
    if (now < new Date(now.getFullYear(), b.getMonth(), b.getDate())) { years--; }
    return years;
  }

  function failure(main, error) {
    // An ended session has already sent the person to the login page (app.js); leave it drawn.
    if (error.status === 401 && location.hash.startsWith('#/login')) { return; }
    main.innerHTML = `<section class="card"><h1>表示できません</h1><p>${esc(error.message)}</p>
      <p><a href="${esc(T.loginHref())}">ログイン</a>してから、もう一度お試しください。</p>${T.forms.supportLine(error)}</section>`;
  }

  // How a person is shown wherever one is picked or listed: name, profession, facility and
  // municipality, and the partner badge for a professional of a partner municipality, so that two
  // people of the same name and profession are never mistaken for each other.
  function whereFrom(m) {
    return `${esc(m.facility || '所属施設の登録なし')}・${esc(m.municipality || '')}`;
  }
  function partnerBadge(m) {
    return m.partner ? `<span class="badge partner-badge">連携先 ${esc(m.municipality)}</span>` : '';
  }
  T.care = Object.assign(T.care || {}, { whereFrom, partnerBadge });

  // The municipalities of partner nodes, as the team's members say (a direct post's recipients name
  // a partner's professional by her node).
  let partnerPlaces = {};
  function directTo(p) {
    const details = p.recipientDetails || (p.recipients || []).map(name => ({ name }));
    return details.map(r => {
      const where = [r.facility, r.homeNode ? partnerPlaces[r.homeNode] || r.homeNode : r.municipality]
        .filter(Boolean).map(esc).join('・');
      return `<span class="direct-to">${esc(r.name)}${where ? `（${where}）` : ''}</span>`;
    }).join('、');
  }

  // The author of a post or comment as people are shown everywhere else: name（職種）, the 連携先 badge
  // for a partner's professional, then facility・municipality (a partner's by her node).
  function authorOf(a) {
    const m = {
      facility: a.authorFacility, partner: !!a.authorHomeNode,
      municipality: a.authorHomeNode ? partnerPlaces[a.authorHomeNode] || a.authorHomeNode : a.authorMunicipality
    };
    return `<span class="author"><strong class="author-name">${esc(a.authorName)}</strong>（${esc(a.authorProfession)}）${partnerBadge(m)}
      <small class="author-where">${whereFrom(m)}</small></span>`;
  }

  function closeLive() {
    if (live) { live.close(); live = null; }
  }
  window.addEventListener('hashchange', closeLive);
  // For the other care screens (care-patients.js).
  Object.assign(T.care, { send, age, failure });

  // The patient page and the group page share the board view.
  T.views.patient = main => board(main, 'patients');
  T.views.group = main => board(main, 'groups');

  async function board(main, kind) {
    const id = location.hash.split('/')[2];
    const base = `/api/v1/${kind}/${id}`;
    let info;
    let team;
    let categories;
    let me;
    try {
      [info, team, categories, me] = await Promise.all([T.getJson(base), T.getJson(base + '/team'),
        T.getJson('/api/v1/care/categories'), T.getJson('/api/v1/auth/me')]);
    } catch (e) { failure(main, e); return; }
    myId = me.user.id;
    partnerPlaces = Object.fromEntries(team.members.filter(m => m.partner).map(m => [m.homeNode, m.municipality]));
    offered = categories.categories;
    const title = kind === 'patients' ? `${info.familyName} ${info.givenName} 様` : info.name;
    const subtitle = kind === 'patients' ? `${info.familyKana} ${info.givenKana}・${age(info.birthDate)}歳・${info.careLevel}・${info.address}` : info.description;
    // 特別便 recipients: the other active members, in the node's stable order (the author is never one
    // of the choices: the node adds her itself).
    const others = team.members.filter(m => m.status === 'active' && m.userId !== me.user.id);
    const home = info.homeMunicipality ? `<p class="home-note"><span class="badge home-badge">${esc(info.homeMunicipality)}</span>
      ${esc(info.homeMunicipality)}の支援対象者です（広域連携）。基本情報は${esc(info.homeMunicipality)}のノードで管理されます。</p>` : '';
    main.innerHTML = `<section class="card"><h1>${esc(title)}</h1><p>${esc(subtitle)}</p>${home}
      ${kind === 'patients' ? '<div id="vaccination-badges"></div>' : ''}
      <nav class="tabs" aria-label="表示の切り替え" role="tablist"><a href="#" data-tab="timeline" role="tab" aria-selected="true" aria-controls="tab-timeline">タイムライン</a>
      ${kind === 'patients' ? ['vitals:バイタル', 'vaccination:予防接種', 'forms:書類', 'acp:人生会議', 'family:ここのーと', 'nearby:周辺資源', 'sensors:センサー', 'info:基本情報'].map(t => t.split(':'))
        .map(([k, label]) => `<a href="#" data-tab="${k}" role="tab" aria-selected="false" aria-controls="tab-${k}">${label}</a>`).join('') : ''}
      <a href="#" data-tab="team" role="tab" aria-selected="false" aria-controls="tab-team">${kind === 'patients' ? '支援チーム' : 'メンバー'}</a></nav></section>
      <section class="card tab" id="tab-timeline"><form id="post-form">
        <div class="field"><label for="post-category">情報カテゴリー</label><select id="post-category">
          ${categories.categories.map(c => `<option>${esc(c)}</option>`).join('')}</select></div>
        <div class="field"><label for="post-body">本文</label><textarea id="post-body" rows="4" maxlength="10000"></textarea></div>
        <div class="field"><label for="post-files">添付（写真・PDF・Word・Excel・FAX・DICOM）</label><input id="post-files" type="file" multiple>
          <span id="upload-status" class="upload-status" role="status" hidden><progress id="upload-progress" class="upload-progress" max="100" value="0"></progress>
          <span id="upload-text"></span></span></div>
        <details id="post-recipients"><summary>特別便（宛先を選ぶ）</summary>
          <p class="hint">選んだ方とご自身だけが読めます。施設と市町村を確かめて選んでください。</p>
          ${others.length ? others.map(m => `<label class="check recipient"><input type="checkbox" name="recipient"
          value="${esc(m.userId)}"> <span><strong>${esc(m.name)}</strong>（${esc(m.professionName)}）${partnerBadge(m)}
          <small class="recipient-where">${whereFrom(m)}</small></span></label>`).join('')
          : '<p class="hint">ほかのメンバーがいないため、特別便は送れません。</p>'}</details>
        <div id="post-confirm" class="post-confirm" hidden></div>
        <p id="post-error" class="form-error" role="alert"></p><button class="primary" type="submit" id="post-submit">投稿する</button></form>
        <div class="field timeline-filter"><label for="timeline-category">表示する情報カテゴリー</label><select id="timeline-category">
          <option value="">すべて</option>${categories.all.map(c => `<option value="${esc(c.name)}">${esc(c.name)}${c.active ? '' : '（停止中）'}</option>`).join('')}</select></div>
        <ol id="timeline" class="timeline"></ol></section>
      <section class="card tab" id="tab-vitals" hidden></section>
      <section class="card tab" id="tab-vaccination" hidden></section>
      <section class="card tab" id="tab-forms" hidden></section>
      <section class="card tab" id="tab-acp" hidden></section>
      <section class="card tab" id="tab-family" hidden></section>
      <section class="card tab" id="tab-nearby" hidden></section>
      <section class="card tab" id="tab-sensors" hidden></section>
      <section class="card tab" id="tab-info" hidden></section>
      <section class="card tab" id="tab-team" hidden></section>`;
    main.querySelectorAll('[data-tab]').forEach(a => a.addEventListener('click', e => {
      e.preventDefault();
      main.querySelectorAll('.tab').forEach(t => { t.hidden = t.id !== 'tab-' + a.dataset.tab; });
      main.querySelectorAll('[data-tab]').forEach(other => other.setAttribute('aria-selected', String(other === a)));
      if (a.dataset.tab === 'vitals') { window.TsunaguVitals.show(document.getElementById('tab-vitals'), base, send); }
      if (a.dataset.tab === 'team') {
        T.getJson(base + '/team').then(now => showTeam(document.getElementById('tab-team'), base, now, kind === 'patients'));
      }
      if (a.dataset.tab === 'vaccination') { window.TsunaguVaccination.show(document.getElementById('tab-vaccination'), id); }
      if (a.dataset.tab === 'forms') { showForms(document.getElementById('tab-forms'), base, main); }
      if (a.dataset.tab === 'info') { T.care.patientInfo(document.getElementById('tab-info'), info); }
      if (a.dataset.tab === 'acp') { window.TsunaguAcp.show(document.getElementById('tab-acp'), id); }
      if (a.dataset.tab === 'family') { window.TsunaguFamily.show(document.getElementById('tab-family'), id); }
      if (a.dataset.tab === 'nearby') { window.TsunaguNearby.show(document.getElementById('tab-nearby'), id); }
      if (a.dataset.tab === 'sensors') { window.TsunaguSensors.show(document.getElementById('tab-sensors'), id); }
    }));
    document.getElementById('post-form').addEventListener('submit', e => { e.preventDefault(); confirmPost(base, others); });
    document.getElementById('post-form').addEventListener('change', e => {
      if (e.target.name === 'recipient') { hideConfirm(); }
    });
    document.getElementById('timeline-category').addEventListener('change', () => timeline(base));
    document.getElementById('timeline').addEventListener('click', e => postAction(e, base, main));
    document.getElementById('timeline').addEventListener('submit', e => comment(e, base));
    older.key = '';
    if (kind === 'patients' && window.TsunaguVaccination) {
      window.TsunaguVaccination.badges(document.getElementById('vaccination-badges'), id);
    }
    await timeline(base);
    closeLive();
    // Open again after a cut (a failover of a clustered node), the stream sends what was posted meanwhile;
    // where it cannot (its reset, or no event heard before the cut) the timeline and team are read anew.
    live = window.Tsunagu.liveStream(base + '/live', () => {
      timeline(base);
      refreshMembers(base).catch(() => {});
    });
    live.addEventListener('post', () => timeline(base));
    live.addEventListener('read', () => timeline(base));
    live.addEventListener('comment', () => timeline(base));
    live.addEventListener('edit', () => timeline(base));
    live.addEventListener('delete', () => timeline(base));
    live.addEventListener('sync', () => timeline(base));
    live.addEventListener('team', () => refreshMembers(base).catch(() => {}));
  }

  // A 特別便 goes out only after its author has seen to whom: the recipients, with facility and
  // municipality, and 送信する / 宛先を直す. A post to everyone is sent at once, as before.
  function confirmPost(base, others) {
    const chosen = [...document.querySelectorAll('input[name=recipient]:checked')].map(c => c.value);
    if (!chosen.length) { submitPost(base); return; }
    const box = document.getElementById('post-confirm');
    const people = others.filter(m => chosen.includes(m.userId));
    box.innerHTML = `<p><strong>この特別便は、次の${people.length}人とあなただけが読めます。宛先に間違いはありませんか？</strong></p>
      <ul class="rows confirm-recipients">${people.map(m => `<li><strong>${esc(m.name)}</strong>（${esc(m.professionName)}）
        ${partnerBadge(m)}<small>${whereFrom(m)}</small></li>`).join('')}</ul>
      <div class="actions"><button type="button" class="primary" id="post-confirm-send">この宛先に送信する</button>
        <button type="button" id="post-confirm-back">宛先を直す</button></div>`;
    box.hidden = false;
    document.getElementById('post-submit').hidden = true;
    box.querySelector('#post-confirm-send').addEventListener('click', () => { hideConfirm(); submitPost(base); });
    box.querySelector('#post-confirm-back').addEventListener('click', () => {
      hideConfirm();
      document.getElementById('post-recipients').open = true;
    });
  }

  function hideConfirm() {
    const box = document.getElementById('post-confirm');
    if (!box) { return; }
    box.hidden = true;
    box.innerHTML = '';
    document.getElementById('post-submit').hidden = false;
  }

  async function submitPost(base) {
    const error = document.getElementById('post-error');
    const button = document.getElementById('post-submit');
    button.disabled = true;
    error.textContent = '';
    try {
      const attachments = [];
      const files = [...document.getElementById('post-files').files];
      for (const [n, file] of files.entries()) {
        const up = await upload(file, n, files.length);
        attachments.push(up.id);
      }
      const recipients = [...document.querySelectorAll('input[name=recipient]:checked')].map(c => c.value);
      await send('POST', base + '/posts', { category: document.getElementById('post-category').value,
        body: document.getElementById('post-body').value, recipients, attachments });
      document.getElementById('post-form').reset();
      await timeline(base);
    } catch (e) { T.forms.showError(error, e); } finally { button.disabled = false; }
  }

  // One attachment sent with its progress shown (fetch cannot report an upload's progress, XHR can),
  // with an Idempotency-Key: a send that failed on the way is tried again, up to twice, with the same
  // key, so the file is stored once however many times it went.
  async function upload(file, n, count) {
    const status = document.getElementById('upload-status');
    const bar = document.getElementById('upload-progress');
    const text = document.getElementById('upload-text');
    const show = percent => {
      status.hidden = false;
      bar.value = percent;
      text.textContent = `添付を送信中（${n + 1}/${count}）${file.name}：${percent}%`;
    };
    show(0);
    const headers = { 'X-CSRF-Token': await token(), Accept: 'application/json',
      'Content-Type': file.type || 'application/octet-stream', 'X-File-Name': encodeURIComponent(file.name),
      'Idempotency-Key': crypto.randomUUID() };
    const again = (attempt, resolve, reject, error) => attempt < 2
      ? setTimeout(() => sendOnce(attempt + 1).then(resolve, reject), 1000 * (attempt + 1)) : reject(error);
    const sendOnce = attempt => new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/v1/uploads');
      Object.entries(headers).forEach(([k, v]) => xhr.setRequestHeader(k, v));
      xhr.upload.onprogress = e => { if (e.lengthComputable) { show(Math.round(e.loaded * 100 / e.total)); } };
      xhr.onload = () => {
        const body = (() => { try { return JSON.parse(xhr.responseText); } catch (e) { return {}; } })();
        if (xhr.status >= 200 && xhr.status < 300) { resolve(body); return; }
        const error = Object.assign(new Error(body.message || xhr.statusText),
          { code: body.code, requestId: body.requestId, status: xhr.status, body });
        if (body.code === 'idempotency.in_progress') { again(attempt, resolve, reject, error); return; }
        reject(error);
      };
      xhr.onerror = () => again(attempt, resolve, reject,
        new Error('添付を送信できませんでした。通信状態を確かめてください。'));
      xhr.send(file);
    });
    const json = await sendOnce(0);
    show(100);
    if (n + 1 === count) { text.textContent = `添付 ${count} 件を送信しました。`; }
    return json;
  }

  // Older pages the user asked for with さらに表示; a live update draws the first page again and
  // keeps these below it. Emptied when another board or category is shown.
  const older = { key: '', posts: [], fetched: false, more: false };
  const PAGE = 50;

  async function timeline(base) {
    const list = document.getElementById('timeline');
    if (!list) { return; }
    // Live updates wait while the user edits a post in place or types a comment; saving or
    // cancelling draws again.
    if (list.querySelector('.note-edit') || [...list.querySelectorAll('.comment-form input')].some(i => i.value)) { return; }
    const category = document.getElementById('timeline-category').value;
    const query = category ? '?category=' + encodeURIComponent(category) : '';
    if (older.key !== base + query) { Object.assign(older, { key: base + query, posts: [], fetched: false, more: false }); }
    const data = await T.getJson(base + '/posts' + query);
    const posts = data.posts.concat(older.posts.filter(p => !data.posts.some(q => q.id === p.id)));
    const more = older.fetched ? older.more : data.posts.length === PAGE;
    list.innerHTML = posts.map(postItem).join('')
      || `<li>${category ? `「${esc(category)}」の記事はありません。` : 'まだ投稿はありません。'}</li>`;
    if (more) {
      list.insertAdjacentHTML('beforeend', '<li class="more"><button type="button" data-older>さらに表示</button></li>');
      list.querySelector('[data-older]').addEventListener('click', async () => {
        const page = await T.getJson(base + '/posts' + (query ? query + '&' : '?') + 'before=' + posts[posts.length - 1].seq);
        Object.assign(older, { posts: older.posts.concat(page.posts), fetched: true, more: page.posts.length === PAGE });
        await timeline(base);
      });
    }
    const unread = posts.filter(p => !p.readByMe && !p.deleted).map(p => p.id);
    if (unread.length) { send('POST', base + '/reads', { postIds: unread }).catch(() => {}); }
  }

  function postItem(p) {
    return `<li class="post${p.direct ? ' direct' : ''}" data-post="${esc(p.id)}">
      <header>${authorOf(p)}
        <span class="badge">${esc(p.category)}</span>${p.direct ? `<span class="badge direct-badge">特別便: ${directTo(p)}</span>` : ''}
        <time>${when(p.createdAt)}</time>${p.editedAt && !p.deleted ? '<small>（編集済み）</small>' : ''}
        ${p.syncState === 'pending' ? '<span class="badge sync-pending" title="住所地の市町村のノードへの送信を待っています">送信待ち</span>' : ''}
        ${p.syncState === 'rejected' ? '<span class="badge sync-rejected">送信できませんでした</span>' : ''}</header>
      ${p.deleted ? '<p class="deleted">削除済み</p>' : `<p class="body">${esc(p.body)}</p>`}
      ${p.kind === 'form' && !p.deleted ? `<p class="form-links"><a href="/api/v1/posts/${esc(p.id)}/print" target="_blank" rel="noopener">印刷</a>
        <a href="/api/v1/posts/${esc(p.id)}/pdf" target="_blank" rel="noopener">PDF</a>
        ${p.authorId === myId ? '<a href="#" data-edit-form>編集</a>' : ''}</p>` : ''}
      ${p.authorId === myId && !p.deleted ? `<p class="post-actions">${p.kind === 'note' ? '<a href="#" data-edit-note>編集</a>' : ''}${
        p.kind === 'vitals' ? '<a href="#" data-edit-vitals>修正</a>' : ''}<a href="#" data-delete-post>削除</a></p>` : ''}
      ${p.version > 1 && !p.deleted ? '<p class="history-link"><a href="#" data-history>変更履歴</a></p><div class="history"></div>' : ''}
      <div class="attachments">${(p.attachments || []).map(a => a.thumbnail
        ? `<a href="/api/v1/attachments/${esc(a.id)}"><img alt="${esc(a.name)}" src="/api/v1/attachments/${esc(a.id)}/thumbnail"></a>`
        : `<a href="/api/v1/attachments/${esc(a.id)}">📎 ${esc(a.name)}</a>`).join('')}</div>
      <footer><a href="#" class="read-count" data-readers title="既読のメンバーを表示">既読 ${p.readCount}</a><div class="readers"></div>
        <ul class="comments">${p.comments.map(c => `<li>${authorOf(c)} <span class="comment-body">${esc(c.body)}</span></li>`).join('')}</ul>
        ${p.deleted ? '' : `<form class="comment-form"><input name="body" maxlength="4000" placeholder="コメントを書く" aria-label="コメント">
          <button type="submit">送信</button><span class="form-error" role="alert"></span></form>`}</footer></li>`;
  }

  async function postAction(e, base, main) {
    const link = e.target.closest('a[data-edit-form], a[data-history], a[data-edit-note], a[data-edit-vitals], a[data-delete-post], a[data-readers]');
    if (!link) { return; }
    e.preventDefault();
    const post = link.closest('[data-post]');
    try {
      if (link.matches('[data-edit-form]')) {
        await editForm(post.dataset.post, base, main);
      } else if (link.matches('[data-edit-note]')) {
        editNote(post, base);
      } else if (link.matches('[data-edit-vitals]')) {
        await window.TsunaguVitals.correct(post.querySelector('.body'), post.dataset.post, send, () => timeline(base));
      } else if (link.matches('[data-readers]')) {
        await readers(post.dataset.post, post.querySelector('.readers'));
      } else if (link.matches('[data-delete-post]')) {
        if (confirm('この記事を削除しますか？ メンバーには「削除済み」と表示されます。')) {
          await send('DELETE', `/api/v1/posts/${post.dataset.post}`);
          await timeline(base);
        }
      } else {
        await history(post.dataset.post, post.querySelector('.history'));
      }
    } catch (err) { link.textContent = err.message; }
  }

  async function comment(e, base) {
    if (!e.target.matches('.comment-form')) { return; }
    e.preventDefault();
    const form = e.target;
    const post = form.closest('[data-post]');
    try {
      await send('POST', `/api/v1/posts/${post.dataset.post}/comments`, { body: form.elements.body.value });
      form.elements.body.value = '';
      await timeline(base);
    } catch (err) { form.querySelector('.form-error').textContent = err.message; }
  }

  // 既読: who has read the post and when; a second click folds the list away.
  async function readers(postId, box) {
    if (box.innerHTML) { box.innerHTML = ''; return; }
    const data = await T.getJson(`/api/v1/posts/${postId}/reads`);
    box.innerHTML = data.readers.length ? `<ul class="reader-list">${data.readers.map(r => `<li>${esc(r.name)}
      ${partnerBadge(r)}<small>${esc(r.professionName)}・${whereFrom(r)}</small> <time>${when(r.readAt)}</time></li>`).join('')}</ul>`
      : '<p class="reader-list">まだ誰も読んでいません。</p>';
  }

  // Editing one's own note in place: category and text; the version before stays in 変更履歴.
  function editNote(post, base) {
    const body = post.querySelector('.body');
    const current = post.querySelector('header .badge').textContent;
    const choices = offered.includes(current) ? offered : [current, ...offered];
    const form = document.createElement('form');
    form.className = 'note-edit';
    form.innerHTML = `<div class="field"><label>情報カテゴリー<select name="category">${choices.map(c =>
      `<option${c === current ? ' selected' : ''}>${esc(c)}</option>`).join('')}</select></label></div>
      <div class="field"><label>本文<textarea name="body" rows="4" maxlength="10000"></textarea></label></div>
      <p class="form-error" role="alert"></p><div class="actions"><button class="primary" type="submit">保存する</button>
      <button type="button" data-cancel>やめる</button></div>`;
    form.elements.body.value = body.textContent;
    body.replaceWith(form);
    form.querySelector('[data-cancel]').addEventListener('click', () => { form.remove(); timeline(base); });
    form.addEventListener('submit', async e => {
      e.preventDefault();
      try {
        await send('PUT', `/api/v1/posts/${post.dataset.post}`, { category: form.elements.category.value,
          body: form.elements.body.value });
        form.remove();
        await timeline(base);
      } catch (err) { form.querySelector('.form-error').textContent = err.message; }
    });
  }

  // 変更履歴: every version of an edited post as it was written; a form's versions open in print.
  async function history(postId, box) {
    const data = await T.getJson(`/api/v1/posts/${postId}/versions`);
    box.innerHTML = `<ol class="versions">${data.versions.map(v => `<li><strong>第${v.version}版</strong>
      <time>${when(v.writtenAt)}</time> <span class="badge">${esc(v.category)}</span><p class="body">${esc(v.body)}</p>
      ${v.form ? `<a href="/api/v1/posts/${esc(postId)}/print?version=${v.version}" target="_blank" rel="noopener">第${v.version}版を印刷</a>` : ''}</li>`).join('')}</ol>`;
  }

  async function editForm(postId, base, main) {
    const form = await T.getJson(`/api/v1/posts/${postId}/form`);
    main.querySelectorAll('.tab').forEach(t => { t.hidden = t.id !== 'tab-forms'; });
    await showForms(document.getElementById('tab-forms'), base, main);
    fillForm(document.getElementById('form-fill'), base, main, form.template, form);
  }

  // 書類: pick a template, fill it in section by section, submit; it then appears on the timeline.
  // The author of a filed form edits it in the same screen, filled with its current answers.
  let formTemplates = null;

  async function showForms(box, base, main) {
    try {
      formTemplates = formTemplates || (await T.getJson('/api/v1/care/form-templates')).templates;
    } catch (e) { box.innerHTML = `<p class="form-error">${esc(e.message)}</p>`; return; }
    box.innerHTML = `<h2>書類を作成</h2><form id="form-pick" class="actions"><label for="form-template">様式</label>
      <select id="form-template">${formTemplates.map(t => `<option value="${esc(t.id)}">${esc(t.title)}</option>`).join('')}</select>
      <button type="submit" id="form-start">記入する</button></form><div id="form-fill"></div>`;
    document.getElementById('form-pick').addEventListener('submit', e => {
      e.preventDefault();
      const template = formTemplates.find(t => t.id === document.getElementById('form-template').value);
      fillForm(document.getElementById('form-fill'), base, main, template);
    });
  }

  function formField(f) {
    const id = 'ff-' + f.key;
    const label = `<label for="${id}">${esc(f.label)}${f.required ? ' <span class="required">必須</span>' : ''}</label>`;
    const hint = f.hint ? `<small>${esc(f.hint)}</small>` : '';
    const req = f.required ? ' required' : '';
    if (f.kind === 'checkboxes') {
      return `<fieldset class="field checks" data-key="${esc(f.key)}"><legend>${esc(f.label)}</legend>${hint}
        ${f.options.map(o => `<label class="check"><input type="checkbox" name="${esc(f.key)}" value="${esc(o)}"> ${esc(o)}</label>`).join('')}</fieldset>`;
    }
    let input;
    if (f.kind === 'long_text') {
      input = `<textarea id="${id}" name="${esc(f.key)}" rows="5" maxlength="${f.max}"${req}></textarea>`;
    } else if (f.kind === 'choice') {
      input = `<select id="${id}" name="${esc(f.key)}"${req}><option value="">（選択）</option>
        ${f.options.map(o => `<option>${esc(o)}</option>`).join('')}</select>`;
    } else {
      input = `<input id="${id}" name="${esc(f.key)}" type="${f.kind === 'date' ? 'date' : 'text'}"${f.kind === 'text' ? ` maxlength="${f.max}"` : ''}${req}>`;
    }
    return `<div class="field">${label}${hint}${input}</div>`;
  }

  function fillForm(box, base, main, template, filed) {
    box.innerHTML = `<form id="form-fill-form" class="form-fill" data-template="${esc(template.id)}">
      <h2>${esc(template.title)}${filed ? `の編集 <small>（第${filed.version}版を変更して第${filed.version + 1}版にします）</small>` : ''}</h2>
      <p><small>${esc(template.description)}</small></p>
      ${template.sections.map(s => `<fieldset class="form-section"><legend>${esc(s.title)}</legend>
        ${s.fields.map(formField).join('')}</fieldset>`).join('')}
      <p id="form-error" class="form-error" role="alert"></p>
      <div class="actions"><button class="primary" type="submit" id="form-submit">${filed ? '更新する' : '提出する'}</button>
      ${filed ? '' : '<button type="button" id="form-draft-save">下書き保存</button>'}</div>
      <p id="form-draft-status" class="hint" role="status"></p></form>`;
    const form = document.getElementById('form-fill-form');
    const collect = () => {
      const values = {};
      for (const s of template.sections) {
        for (const f of s.fields) {
          values[f.key] = f.kind === 'checkboxes'
            ? [...form.querySelectorAll(`input[name="${f.key}"]:checked`)].map(c => c.value)
            : form.elements[f.key].value;
        }
      }
      return values;
    };
    if (filed) { fillIn(form, template, filed.values); } else { drafts(form, base, template, collect); }
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const values = collect();
      const button = document.getElementById('form-submit');
      button.disabled = true;
      try {
        if (filed) {
          await send('PUT', `/api/v1/posts/${filed.postId}/form`, { values });
        } else {
          await send('POST', base + '/forms', { template: template.id, values });
        }
        box.innerHTML = '';
        main.querySelector('[data-tab=timeline]').click();
        await timeline(base);
      } catch (err) {
        T.forms.showError(document.getElementById('form-error'), err);
        button.disabled = false;
      }
    });
    form.scrollIntoView();
  }

  // 下書き保存: the author's unsent answers, kept on the node for this patient and form, filled in again
  // when the same form is opened; the node deletes the draft when the form is sent.
  async function drafts(form, base, template, collect) {
    const path = `${base}/form-drafts/${encodeURIComponent(template.id)}`;
    const status = form.querySelector('#form-draft-status');
    const saved = at => `${when(at)} に下書き保存しました。`;
    try {
      const data = await T.getJson(path);
      if (data.draft) {
        fillIn(form, template, data.draft.values);
        status.textContent = `下書き（${when(data.draft.savedAt)} 保存）を読み込みました。`;
      }
    } catch (e) { T.forms.showError(status, e); }
    form.querySelector('#form-draft-save').addEventListener('click', async () => {
      try {
        const draft = await send('PUT', path, { values: collect() });
        status.classList.remove('form-error');
        status.textContent = saved(draft.savedAt);
      } catch (e) { T.forms.showError(status, e); }
    });
  }

  function fillIn(form, template, values) {
    for (const s of template.sections) {
      for (const f of s.fields) {
        const value = values[f.key];
        if (f.kind === 'checkboxes') {
          form.querySelectorAll(`input[name="${f.key}"]`).forEach(c => { c.checked = (value || []).includes(c.value); });
        } else {
          form.elements[f.key].value = value == null ? '' : value;
        }
      }
    }
  }

  // The team tab: who is in the team (leaving it oneself, removing another member or taking back an
  // invitation, offered only where the node says the viewer may: members[].removable), then the one
  // invitation flow (care-invite.js) with the roles the viewer may invite with (inviteRoles). The member
  // list is drawn again when the team changes (live), the invitation search stays as it is.
  function showTeam(box, base, team, partners) {
    box.innerHTML = '<h2>メンバー</h2><div id="team-members"></div><p class="form-error" id="team-error" role="alert"></p>';
    drawMembers(box.querySelector('#team-members'), team);
    box.querySelector('#team-members').addEventListener('click', e => memberAction(e, base));
    T.inviteToTeam(box, { teamRoles: team.inviteRoles || team.teamRoles, partners, members: () => current.members,
      invite: (userId, profile, teamRole) => send('POST', base + '/team/invitations', { userId, profile, teamRole }) });
  }

  // The team as last drawn: the invitation search marks who is in it already.
  let current = { members: [] };

  function drawMembers(list, team) {
    current = team;
    list.innerHTML = `<ul class="rows members">${team.members.map(m => `<li class="member" data-member="${esc(m.userId)}">
      <span class="member-name"><strong>${esc(m.name)}</strong> <span class="badge team-role">${esc(m.teamRole)}</span>
        ${partnerBadge(m)}${m.status === 'invited' ? '<small>（招待中）</small>' : ''}</span>
      <span class="member-detail"><span class="member-profession">${esc(m.professionName)}</span>・<span class="member-facility">${esc(m.facility || '所属施設の登録なし')}</span>・<span class="member-municipality">${esc(m.municipality || '')}</span></span>
      ${m.userId === myId ? '<button type="button" data-leave>このチームから退出する</button>'
        : m.removable ? `<button type="button" data-remove>${m.status === 'invited' ? '招待を取り消す' : 'チームから外す'}</button>`
        : ''}</li>`).join('')}</ul>
    ${team.members.some(m => m.removable) ? '' : '<p class="hint">メンバーを外せるのは、登録した方・主治医・ケアマネジャー（グループでは管理者）です。</p>'}`;
  }

  async function refreshMembers(base) {
    const list = document.getElementById('team-members');
    if (list) { drawMembers(list, await T.getJson(base + '/team')); }
  }

  async function memberAction(e, base) {
    const button = e.target.closest('button[data-leave], button[data-remove]');
    if (!button) { return; }
    const member = button.closest('[data-member]');
    const name = member.querySelector('strong').textContent;
    const leaving = button.matches('[data-leave]');
    if (!confirm(leaving ? 'このチームから退出しますか？ 以後この記録は見られなくなります。' : `${name}さんをチームから外しますか？`)) { return; }
    try {
      if (leaving) {
        await send('POST', base + '/team/leave', {});
        location.hash = base.includes('/groups/') ? '#/groups' : '#/patients';
      } else {
        await send('POST', `${base}/team/members/${encodeURIComponent(member.dataset.member)}/remove`, {});
        await refreshMembers(base);
      }
    } catch (err) { document.getElementById('team-error').textContent = err.message; }
  }

  // 情報カテゴリーの設定 (municipal staff), in care-categories.js
  T.views.categories = main => window.TsunaguCategories.show(main, send);
  // 重複の可能性がある登録 (municipal staff), in care-duplicates.js
  T.views['patient-duplicates'] = main => window.TsunaguDuplicates.show(main, send);

  // グループ
  T.views.groups = async function (main) {
    main.innerHTML = `<section class="card"><h1>グループ（プロジェクト）</h1><div id="invitations"></div><ul id="group-list" class="rows care-list"></ul>
      <h2>新しいグループ</h2><form id="group-form" novalidate><div class="field"><label for="g-name">グループ名</label><input id="g-name" name="name" required maxlength="60"></div>
      <div class="field"><label for="g-desc">説明</label><input id="g-desc" name="description"></div><button class="primary" type="submit">作成</button></form></section>`;
    try {
      const data = await T.getJson('/api/v1/groups');
      document.getElementById('group-list').innerHTML = data.groups.map(g => `<li><a href="#/group/${esc(g.id)}">
        <strong>${esc(g.name)}</strong> <small>${esc(g.description)}</small></a>${g.unread ? `<span class="badge unread">${g.unread}</span>` : ''}</li>`).join('')
        || '<li>参加しているグループはありません。</li>';
    } catch (e) { failure(main, e); return; }
    T.care.invitations(document.getElementById('invitations'), 'group');
    const groupForm = document.getElementById('group-form');
    T.forms.markRequired(groupForm);
    groupForm.addEventListener('submit', async e => {
      e.preventDefault();
      try {
        const g = await send('POST', '/api/v1/groups', { name: document.getElementById('g-name').value,
          description: document.getElementById('g-desc').value });
        location.hash = '#/group/' + g.id;
      } catch (err) { T.forms.showProblems(groupForm, err, 'name'); }
    });
  };
})();
