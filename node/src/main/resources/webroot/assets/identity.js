// Identity pages: 施設登録申請 (form → confirmation → pending), ログイン, 証明書の取得, 申請の審査 (行政),
// 施設の管理 (facility administrators) and アカウント. State-changing calls carry the CSRF token.
(function () {
  'use strict';
  const T = window.Tsunagu;
  const esc = T.escapeHtml;
  const DEVICE = { windows: 'Windows', mac: 'Mac', android: 'Android', ios: 'iOS' };
  const STATE = { active: '有効', revoked: '失効', expired: '期限切れ', awaiting_download: '未ダウンロード' };
  const me = { user: null, csrf: null };

  async function csrf() {
    if (!me.csrf) { me.csrf = (await T.getJson('/api/v1/auth/csrf')).csrfToken; }
    return me.csrf;
  }

  async function send(path, body, raw) {
    const response = await fetch(path, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': await csrf() },
      body: JSON.stringify(body || {})
    });
    if (raw && response.ok) { return response; }
    const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(data.message || response.statusText);
      error.code = data.code;
      throw error;
    }
    return data;
  }

  function formData(form) {
    const out = {};
    new FormData(form).forEach((value, key) => { out[key] = value; });
    return out;
  }

  function showError(element, error) {
    element.hidden = false;
    element.className = 'form-error';
    element.textContent = error.message + (error.code ? `（${error.code}）` : '');
  }

  function option(value, label, selected) {
    return `<option value="${esc(value)}"${selected ? ' selected' : ''}>${esc(label)}</option>`;
  }

  function field(name, label, input, hint) {
    return `<div class="field"><label for="f-${name}">${esc(label)}</label>${input}${hint ? `<small>${esc(hint)}</small>` : ''}</div>`;
  }

  function text(name, label, attrs, hint) {
    return field(name, label, `<input id="f-${name}" name="${name}" ${attrs || ''} required>`, hint);
  }

  async function refreshMe() {
    try {
      const data = await T.getJson('/api/v1/auth/me');
      me.user = data.user;
      me.csrf = data.csrfToken;
    } catch (e) {
      me.user = null;
    }
    document.querySelectorAll('#nav-list [data-when]').forEach(li => {
      const when = li.dataset.when;
      li.hidden = when === 'anonymous' ? !!me.user : !me.user || (when !== 'user' && me.user.role !== when);
    });
  }

  function requireLogin(main) {
    if (me.user) { return false; }
    main.innerHTML = '<section class="card"><h1>ログインが必要です</h1><p><a href="#/login">ログイン</a>してください。</p></section>';
    return true;
  }

  T.views.login = function (main) {
    main.innerHTML = `<section class="card narrow"><h1>ログイン</h1>
      <p>この端末にインストールした電子証明書と、ログインID・パスワードでログインします。</p>
      <form id="login-form" novalidate>
        ${text('loginId', 'ログインID', 'autocomplete="username" maxlength="64"')}
        ${text('password', 'パスワード', 'type="password" autocomplete="current-password" maxlength="128"')}
        <p id="login-error" role="alert" hidden></p>
        <button type="submit" class="primary">ログイン</button>
      </form></section>`;
    document.getElementById('login-form').addEventListener('submit', async event => {
      event.preventDefault();
      const button = event.target.querySelector('button');
      button.disabled = true;
      try {
        const data = await send('/api/v1/auth/login', formData(event.target));
        me.csrf = data.csrfToken;
        await refreshMe();
        location.hash = me.user.role === 'municipal_staff' ? '#/approvals'
          : me.user.role === 'facility_admin' ? '#/facility' : '#/account';
      } catch (error) {
        showError(document.getElementById('login-error'), error);
        button.disabled = false;
      }
    });
  };

  T.views.register = async function (main) {
    const options = await T.getJson('/api/v1/registration/options');
    const prefectures = [...new Set(options.municipalities.map(m => m.prefecture))];
    main.innerHTML = `<section class="card"><h1>施設登録申請</h1>
      <p>${esc(T.state.node.displayName)}を利用する施設の登録を申請します。市町村の担当者が審査し、結果をメールでお知らせします。</p>
      <form id="register-form" novalidate>
        <fieldset><legend>施設</legend>
        ${text('facilityName', '施設名', 'maxlength="100"')}
        ${field('prefecture', '都道府県', `<select id="f-prefecture" name="prefecture">${prefectures.map(p => option(p, p)).join('')}</select>`)}
        ${field('municipalityCode', '市区町村', `<select id="f-municipalityCode" name="municipalityCode">${options.municipalities.map(m => option(m.code, m.name)).join('')}</select>`)}
        ${field('category', '施設種別', `<select id="f-category" name="category">${options.categories.map(c => option(c.code, c.name)).join('')}</select>`)}
        </fieldset>
        <fieldset><legend>施設管理者</legend>
        <div class="pair">${text('familyName', '姓', 'maxlength="40"')}${text('givenName', '名', 'maxlength="40"')}</div>
        <div class="pair">${text('familyKana', '姓（カナ）', 'maxlength="40"')}${text('givenKana', '名（カナ）', 'maxlength="40"')}</div>
        ${field('profession', '職種', `<select id="f-profession" name="profession">${options.professions.map(p => option(p.code, p.name)).join('')}</select>`)}
        ${text('email', 'メールアドレス', 'type="email" maxlength="254" autocomplete="email"')}
        ${text('emailConfirm', 'メールアドレス（確認）', 'type="email" maxlength="254"')}
        ${text('loginId', 'ログインID', 'maxlength="32" autocomplete="username"', '半角英数字と . _ - で4〜32文字')}
        ${text('password', 'パスワード', 'type="password" maxlength="128" autocomplete="new-password"', '10文字以上')}
        ${field('deviceType', '端末種別（最初の電子証明書）', `<select id="f-deviceType" name="deviceType">${options.deviceTypes.map(d => option(d, DEVICE[d])).join('')}</select>`)}
        </fieldset>
        <p id="register-error" role="alert" hidden></p>
        <button type="submit" class="primary">確認画面へ</button>
      </form></section>`;
    const form = document.getElementById('register-form');
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const values = formData(form);
      try {
        const checked = await send('/api/v1/registration/confirm', values);
        confirmStep(main, values, checked, options);
      } catch (error) {
        showError(document.getElementById('register-error'), error);
      }
    });
  };

  function confirmStep(main, values, checked, options) {
    const profession = (options.professions.find(p => p.code === checked.profession) || {}).name;
    const municipality = (options.municipalities.find(m => m.code === checked.municipalityCode) || {}).name;
    main.innerHTML = `<section class="card"><h1>申請内容の確認</h1>
      <dl class="facts" id="confirm-facts">
        <dt>施設名</dt><dd>${esc(checked.facilityName)}</dd>
        <dt>所在地</dt><dd>${esc(checked.prefecture)}${esc(municipality)}</dd>
        <dt>施設種別</dt><dd>${esc(checked.categoryLabel)}</dd>
        <dt>施設管理者</dt><dd>${esc(checked.familyName)} ${esc(checked.givenName)}（${esc(checked.familyKana)} ${esc(checked.givenKana)}）</dd>
        <dt>職種</dt><dd>${esc(profession)}</dd>
        <dt>メールアドレス</dt><dd>${esc(checked.email)}</dd>
        <dt>ログインID</dt><dd>${esc(checked.loginId)}</dd>
        <dt>端末種別</dt><dd>${esc(DEVICE[checked.deviceType])}</dd>
      </dl>
      <p id="confirm-error" role="alert" hidden></p>
      <div class="actions"><button type="button" id="back">修正する</button>
      <button type="button" id="submit-application" class="primary">この内容で申請する</button></div></section>`;
    document.getElementById('back').addEventListener('click', () => T.render());
    document.getElementById('submit-application').addEventListener('click', async event => {
      event.target.disabled = true;
      try {
        await send('/api/v1/registrations', values);
        main.innerHTML = `<section class="card"><h1>申請を受け付けました</h1>
          <p id="pending-message">現在、審査待ちです。市町村の担当者が審査し、結果を ${esc(checked.email)} にお知らせします。</p></section>`;
      } catch (error) {
        showError(document.getElementById('confirm-error'), error);
        event.target.disabled = false;
      }
    });
  }

  T.views.certificate = function (main) {
    main.innerHTML = `<section class="card narrow"><h1>電子証明書の取得</h1>
      <p>メールでお知らせした取得番号とパスワードを入力してください。証明書は1回だけダウンロードできます。</p>
      <form id="certificate-form" novalidate>
        ${text('retrievalNumber', '取得番号', 'inputmode="numeric" maxlength="40" autocomplete="off"', '16桁（ハイフンは省略可）')}
        ${text('password', 'パスワード', 'type="password" maxlength="128" autocomplete="off"')}
        <p id="certificate-result" role="status" hidden></p>
        <button type="submit" class="primary">ダウンロード</button>
      </form></section>`;
    document.getElementById('certificate-form').addEventListener('submit', async event => {
      event.preventDefault();
      const result = document.getElementById('certificate-result');
      try {
        const response = await send('/api/v1/certificates/download', formData(event.target), true);
        const url = URL.createObjectURL(await response.blob());
        const link = document.createElement('a');
        link.href = url;
        link.download = 'tsunagu-device.p12';
        document.body.appendChild(link);
        link.click();
        link.remove();
        result.hidden = false;
        result.className = 'form-ok';
        result.textContent = 'ダウンロードしました。ファイルを開き、同じパスワードで端末にインストールしてください。';
      } catch (error) {
        showError(result, error);
      }
    });
  };

  T.views.approvals = async function (main) {
    if (requireLogin(main)) { return; }
    const data = await T.getJson('/api/v1/municipal/registrations');
    const withdrawals = await T.getJson('/api/v1/municipal/withdrawals');
    main.innerHTML = `<section class="card"><h1>施設登録申請の審査</h1>
      ${data.registrations.length === 0 ? '<p id="no-applications">審査待ちの申請はありません。</p>' : ''}
      <ul class="rows" id="applications">${data.registrations.map(r => `<li data-id="${esc(r.id)}">
        <div><strong>${esc(r.facilityName)}</strong>（${esc(r.categoryLabel)}）<br>
        <small>${esc(r.familyName)} ${esc(r.givenName)} ・ ${esc(r.email)} ・ ログインID ${esc(r.loginId)}</small></div>
        <div class="actions"><button type="button" class="primary approve">承認</button>
        <input class="reason" aria-label="却下理由" placeholder="却下理由" maxlength="500">
        <button type="button" class="reject">却下</button></div></li>`).join('')}</ul>
      <p id="approval-result" role="status" hidden></p></section>
      <section class="card"><h2>利用廃止申請</h2>${withdrawals.withdrawals.length === 0 ? '<p>ありません。</p>'
        : `<ul class="rows">${withdrawals.withdrawals.map(w => `<li>${esc(w.facilityName)}：${esc(w.reason)}</li>`).join('')}</ul>`}</section>`;
    main.querySelectorAll('#applications li').forEach(li => {
      const result = document.getElementById('approval-result');
      li.querySelector('.approve').addEventListener('click', async () => {
        try {
          const out = await send(`/api/v1/municipal/registrations/${li.dataset.id}/approve`);
          result.hidden = false;
          result.className = 'form-ok';
          result.textContent = out.mailSent ? '承認し、3通のメールを送信しました。' : '承認しました（メールは送信できませんでした）。';
          li.remove();
        } catch (error) { showError(result, error); }
      });
      li.querySelector('.reject').addEventListener('click', async () => {
        try {
          await send(`/api/v1/municipal/registrations/${li.dataset.id}/reject`, { reason: li.querySelector('.reason').value });
          result.hidden = false;
          result.className = 'form-ok';
          result.textContent = '却下し、申請者にお知らせしました。';
          li.remove();
        } catch (error) { showError(result, error); }
      });
    });
  };

  function certificateRows(list, revokePath) {
    return `<ul class="rows certificates">${list.map(c => `<li data-id="${esc(c.id)}">
      <div>${esc(DEVICE[c.deviceType] || c.deviceType)} ${esc(c.remark)}<br><small>状態: <span class="cert-state">${esc(STATE[c.state] || c.state)}</span>
      ・ 有効期限 ${esc(c.notAfter.slice(0, 10))}</small></div>
      ${c.state === 'revoked' ? '' : `<button type="button" class="revoke" data-path="${esc(revokePath(c.id))}">失効させる</button>`}</li>`).join('')}</ul>`;
  }

  function bindRevoke(container, after) {
    container.querySelectorAll('button.revoke').forEach(button => button.addEventListener('click', async () => {
      if (!window.confirm('この電子証明書を失効させますか？失効した証明書ではログインできなくなります。')) { return; }
      await send(button.dataset.path);
      after();
    }));
  }

  T.views.facility = async function (main) {
    if (requireLogin(main)) { return; }
    const options = await T.getJson('/api/v1/registration/options');
    const data = await T.getJson('/api/v1/facility/staff');
    main.innerHTML = `<section class="card"><h1>施設の管理 <small>${esc(me.user.facilityName || '')}</small></h1>
      <ul class="rows" id="staff">${data.staff.map(u => `<li data-id="${esc(u.id)}">
        <div><strong>${esc(u.familyName)} ${esc(u.givenName)}</strong> <small>${esc(u.loginId)} ・ ${esc(u.roleLabel)}${u.active ? '' : ' ・ 利用停止中'}</small></div>
        <div class="actions"><button type="button" class="show-certs">証明書</button>
        ${u.id === me.user.id ? '' : `<button type="button" class="toggle">${u.active ? '利用停止' : '利用再開'}</button>
        <button type="button" class="reset">パスワード再発行</button>`}</div><div class="cert-list"></div></li>`).join('')}</ul>
      <p id="facility-result" role="status" hidden></p></section>
      <section class="card"><h2>職員の追加</h2><form id="staff-form" novalidate>
        <div class="pair">${text('familyName', '姓', 'maxlength="40"')}${text('givenName', '名', 'maxlength="40"')}</div>
        <div class="pair">${text('familyKana', '姓（カナ）', 'maxlength="40"')}${text('givenKana', '名（カナ）', 'maxlength="40"')}</div>
        ${field('profession', '職種', `<select id="f-profession" name="profession">${options.professions.map(p => option(p.code, p.name)).join('')}</select>`)}
        ${field('role', '役割', `<select id="f-role" name="role">${option('professional', '専門職')}${option('facility_admin', '施設管理者')}</select>`)}
        ${text('email', 'メールアドレス', 'type="email" maxlength="254"')}
        ${text('loginId', 'ログインID', 'maxlength="32"')}
        ${field('deviceType', '端末種別', `<select id="f-deviceType" name="deviceType">${options.deviceTypes.map(d => option(d, DEVICE[d])).join('')}</select>`)}
        ${field('remark', '備考', '<input id="f-remark" name="remark" maxlength="100">')}
        <button type="submit" class="primary">追加して通知メールを送る</button></form></section>
      <section class="card"><h2>利用廃止申請</h2><form id="withdraw-form" novalidate>
        ${text('reason', '廃止理由', 'maxlength="500"')}
        <button type="submit">利用廃止を申請する</button></form></section>`;
    const result = document.getElementById('facility-result');
    const ok = message => { result.hidden = false; result.className = 'form-ok'; result.textContent = message; };
    main.querySelectorAll('#staff > li').forEach(li => {
      const id = li.dataset.id;
      const showCerts = async () => {
        const certs = await T.getJson(`/api/v1/facility/staff/${id}/certificates`);
        const box = li.querySelector('.cert-list');
        box.innerHTML = certificateRows(certs.certificates, c => `/api/v1/facility/certificates/${c}/revoke`)
          + `<form class="issue"><select name="deviceType" aria-label="端末種別">${options.deviceTypes.map(d => option(d, DEVICE[d])).join('')}</select>
             <input name="remark" aria-label="備考" placeholder="備考" maxlength="100"><button type="submit">証明書を発行</button></form>`;
        bindRevoke(box, showCerts);
        box.querySelector('form.issue').addEventListener('submit', async event => {
          event.preventDefault();
          try { await send(`/api/v1/facility/staff/${id}/certificates`, formData(event.target)); ok('証明書を発行し、取得番号をメールで送りました。'); showCerts(); } catch (e) { showError(result, e); }
        });
      };
      li.querySelector('.show-certs').addEventListener('click', showCerts);
      const toggle = li.querySelector('.toggle');
      if (toggle) {
        toggle.addEventListener('click', async () => {
          try { await send(`/api/v1/facility/staff/${id}/${toggle.textContent === '利用停止' ? 'disable' : 'enable'}`); T.render(); } catch (e) { showError(result, e); }
        });
        li.querySelector('.reset').addEventListener('click', async () => {
          try { await send(`/api/v1/facility/staff/${id}/reset-password`); ok('新しいパスワードをメールで送りました。'); } catch (e) { showError(result, e); }
        });
      }
    });
    document.getElementById('staff-form').addEventListener('submit', async event => {
      event.preventDefault();
      try { await send('/api/v1/facility/staff', formData(event.target)); T.render(); } catch (e) { showError(result, e); }
    });
    document.getElementById('withdraw-form').addEventListener('submit', async event => {
      event.preventDefault();
      if (!window.confirm('施設の利用廃止を申請しますか？')) { return; }
      try { await send('/api/v1/facility/withdrawal', formData(event.target)); ok('利用廃止を申請しました。市町村の担当者が確認します。'); } catch (e) { showError(result, e); }
    });
  };

  T.views.account = async function (main) {
    if (requireLogin(main)) { return; }
    const certs = await T.getJson('/api/v1/account/certificates');
    const u = me.user;
    main.innerHTML = `<section class="card"><h1>アカウント</h1><dl class="facts" id="account-facts">
        <dt>氏名</dt><dd>${esc(u.familyName)} ${esc(u.givenName)}</dd><dt>ログインID</dt><dd>${esc(u.loginId)}</dd>
        <dt>役割</dt><dd>${esc(u.roleLabel)}</dd><dt>所属</dt><dd>${esc(u.facilityName || '—')}</dd></dl>
        <button type="button" id="logout">ログアウト</button></section>
      <section class="card"><h2>電子証明書</h2><div id="my-certs">${certificateRows(certs.certificates, c => `/api/v1/account/certificates/${c}/revoke`)}</div></section>
      <section class="card narrow"><h2>パスワードの変更</h2><form id="password-form" novalidate>
        ${text('currentPassword', '現在のパスワード', 'type="password" maxlength="128" autocomplete="current-password"')}
        ${text('newPassword', '新しいパスワード', 'type="password" maxlength="128" autocomplete="new-password"', '10文字以上。変更するとすべての端末でログアウトします。')}
        <p id="password-error" role="alert" hidden></p><button type="submit" class="primary">変更する</button></form></section>`;
    bindRevoke(main, () => T.render());
    document.getElementById('logout').addEventListener('click', async () => {
      await send('/api/v1/auth/logout');
      me.csrf = null;
      await refreshMe();
      location.hash = '#/login';
    });
    document.getElementById('password-form').addEventListener('submit', async event => {
      event.preventDefault();
      try {
        await send('/api/v1/account/password', formData(event.target));
        me.csrf = null;
        await refreshMe();
        location.hash = '#/login';
      } catch (e) { showError(document.getElementById('password-error'), e); }
    });
  };

  document.addEventListener('tsunagu:node', () => { refreshMe().then(() => T.render()); });
})();
