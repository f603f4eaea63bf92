// Identity pages: 施設登録申請 (form → confirmation → pending), ログイン, 証明書の取得, 申請の審査 (行政),
// 施設の管理 (facility administrators) and アカウント. State-changing calls carry the CSRF token.
(function () {
  'use strict';
  const T = window.Tsunagu;
  const esc = T.escapeHtml;
  const DEVICE = { windows: 'Windows', mac: 'Mac', android: 'Android', ios: 'iOS' };
  const STATE = { active: '有効', revoked: '失効', expired: '期限切れ', awaiting_download: '未ダウンロード' };
  // known: whether the session has been asked about yet (a page drawn before that must not send
  // a logged-in person to the login page, as a reload of any page would).
  const me = { user: null, csrf: null, known: false };

  async function csrf() {
    if (!me.csrf) { me.csrf = (await T.getJson('/api/v1/auth/csrf')).csrfToken; }
    return me.csrf;
  }

  // Every POST goes with a fresh Idempotency-Key, kept for its own retries (app.js keyedPost): a
  // 施設登録申請 or a new staff account sent again on a flaky network is made once.
  async function send(path, body, raw) {
    const response = await T.keyedPost(path, {
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': await csrf() },
      body: JSON.stringify(body || {})
    });
    if (raw && response.ok) { return response; }
    const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(data.message || response.statusText);
      Object.assign(error, { code: data.code, requestId: data.requestId, status: response.status, body: data });
      throw error;
    }
    return data;
  }

  // Credentials whose mail did not go out, shown once for hand-over (手渡し). The server returned
  // them in this one answer and audited it; nothing can show them again, so the box says so.
  function showHandOver(container, c, who) {
    container.querySelector('#handover')?.remove();
    const rows = [['ログインID', c.loginId], ['初期パスワード', c.initialPassword], ['証明書の取得番号', c.retrievalNumber],
      ['証明書のパスワード', c.certificatePassword], ['証明書の取得ページ', c.certificateUrl], ['ログインページ', c.loginUrl]]
      .filter(([, value]) => value);
    const box = document.createElement('section');
    box.className = 'card handover';
    box.id = 'handover';
    box.setAttribute('role', 'alert');
    box.innerHTML = `<h2>手渡しが必要です${who ? `（${esc(who)}）` : ''}</h2>
      <p class="form-error">メールを送信できませんでした。下の内容は今回だけ表示され、再表示できません。印刷するか書き写して、本人に直接手渡してください。表示したことは記録されています。</p>
      <dl class="facts">${rows.map(([label, value]) => `<dt>${esc(label)}</dt><dd><code>${esc(value)}</code></dd>`).join('')}</dl>
      <button type="button" class="handover-done">手渡しました（閉じる）</button>`;
    container.prepend(box);
    box.querySelector('.handover-done').addEventListener('click', () => box.remove());
    box.scrollIntoView();
  }

  const main = () => document.querySelector('main');

  function formData(form) {
    const out = {};
    new FormData(form).forEach((value, key) => { out[key] = value; });
    return out;
  }

  // The plain message and the お問い合わせ用番号; the node's code stays out of sight (forms.js).
  function showError(element, error) {
    T.forms.showError(element, error);
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
    me.known = true;
    showWho();
    document.querySelectorAll('#nav-list [data-when]').forEach(li => {
      const when = li.dataset.when;
      li.hidden = when === 'anonymous' ? !!me.user : !me.user || (when !== 'user' && me.user.role !== when);
    });
  }

  // Who is logged in, at which node, in the header of every page.
  function showWho() {
    const who = document.getElementById('whoami');
    if (!who) { return; }
    const u = me.user;
    who.hidden = !u;
    who.innerHTML = u ? `<span class="who-name">${esc(u.familyName)} ${esc(u.givenName)}さん（${esc(u.roleLabel)}）</span>
      <small class="who-node">${esc(u.facilityName ? u.facilityName + '・' : '')}${esc(T.state.node ? T.state.node.displayName : '')}</small>` : '';
  }

  // Where a person goes after logging in: back to the page they were on, else their role's first page.
  function landing(user) {
    const next = T.safeNext(T.hashParam('next'));
    if (next) { return next; }
    return { municipal_staff: '#/approvals', professional: '#/patients', facility_admin: '#/guide',
      emergency_responder: '#/guide', watch_centre: '#/watch', review_secretariat: '#/review' }[user.role] || '#/account';
  }

  function go(target) {
    if (target.startsWith('#')) { location.hash = target; } else { location.assign(target); }
  }

  function requireLogin(main) {
    if (me.user) { return false; }
    if (!me.known) { // drawn again once the session is known
      main.innerHTML = '<section class="card"><p>読み込んでいます…</p></section>';
      return true;
    }
    main.innerHTML = `<section class="card"><h1>ログインが必要です</h1><p><a href="${esc(T.loginHref())}">ログイン</a>してください。</p></section>`;
    location.hash = T.loginHref();
    return true;
  }

  T.identity = { requireLogin, me };

  T.views.login = function (main) {
    main.innerHTML = `<section class="card narrow"><h1>ログイン</h1>
      <p>この端末にインストールした電子証明書と、ログインID・パスワードでログインします。</p>
      <form id="login-form" novalidate>
        ${T.safeNext(T.hashParam('next')) ? '<p class="hint" id="login-return">ログインすると、前に開いていた画面に戻ります。</p>' : ''}
        ${text('loginId', 'ログインID', 'autocomplete="username" maxlength="64"')}
        ${text('password', 'パスワード', 'type="password" autocomplete="current-password" maxlength="128"')}
        <p id="login-error" role="alert" hidden></p>
        <button type="submit" class="primary">ログイン</button>
      </form></section>`;
    if (T.state.node && T.state.node.demo) { showDemoAccounts(main); }
    document.getElementById('login-form').addEventListener('submit', async event => {
      event.preventDefault();
      const button = event.target.querySelector('button');
      button.disabled = true;
      try {
        const data = await send('/api/v1/auth/login', formData(event.target));
        me.csrf = data.csrfToken;
        await refreshMe();
        go(landing(me.user));
      } catch (error) {
        showError(document.getElementById('login-error'), error);
        button.disabled = false;
      }
    });
  };

  // A demo node lists its demo logins under the form; choosing one fills the form in.
  async function showDemoAccounts(main) {
    const data = await T.getJson('/api/v1/auth/demo-accounts').catch(() => ({ accounts: [] }));
    if (data.accounts.length === 0 || !document.getElementById('login-form')) { return; }
    const card = document.createElement('section');
    card.className = 'card narrow';
    card.id = 'demo-accounts';
    card.innerHTML = `<h2>デモ用アカウント</h2>
      <p>どのアカウントもパスワードは <code>${esc(data.password)}</code> です。選ぶとログイン欄に入ります。</p>
      <ul class="rows">${data.accounts.map(a => `<li><button type="button" class="demo-login" data-login="${esc(a.loginId)}">${esc(a.loginId)}</button>
        <small>${esc(a.who)}</small></li>`).join('')}</ul>`;
    main.appendChild(card);
    card.querySelectorAll('button.demo-login').forEach(button => button.addEventListener('click', () => {
      document.getElementById('f-loginId').value = button.dataset.login;
      document.getElementById('f-password').value = data.password;
      document.getElementById('f-password').focus();
    }));
  }

  // What was typed on 施設登録申請, kept while the person checks it on the confirmation step.
  let typed = null;

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
        <div class="pair">${text('familyKana', '姓（カナ）', 'maxlength="40"', '全角カタカナ')}${text('givenKana', '名（カナ）', 'maxlength="40"', '全角カタカナ')}</div>
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
    T.forms.markRequired(form);
    if (typed) {
      Object.entries(typed).forEach(([k, v]) => { if (form.elements[k]) { form.elements[k].value = v; } });
    }
    form.addEventListener('submit', async event => {
      event.preventDefault();
      const values = formData(form);
      try {
        const checked = await send('/api/v1/registration/confirm', values);
        typed = values;
        confirmStep(main, values, checked, options);
      } catch (error) {
        T.forms.showProblems(form, error);
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
        typed = null;
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

  function resultBox(id) {
    const box = document.getElementById(id);
    return {
      ok(message) { box.hidden = false; box.className = 'form-ok'; box.textContent = message; },
      fail(error) { showError(box, error); }
    };
  }

  // A login id or address another account or application holds: the applicant was not told (that
  // would let anyone list the login ids); staff reject with a reason, which is mailed to the applicant.
  function conflictNote(conflicts) {
    if (!conflicts.length) { return ''; }
    const what = conflicts.map(c => c === 'loginId' ? 'ログインID' : 'メールアドレス').join('・');
    return `<p class="error conflict">この${what}は、すでに別のアカウントまたは審査待ちの申請で使われています。`
      + '先に承認された方が使えます。使えない場合は、別のものを選ぶよう却下理由に書いて却下してください。</p>';
  }

  T.views.approvals = async function (main) {
    if (requireLogin(main)) { return; }
    const [data, withdrawals, failedRegistrations, failedWithdrawals] = await Promise.all([
      T.getJson('/api/v1/municipal/registrations'), T.getJson('/api/v1/municipal/withdrawals'),
      T.getJson('/api/v1/municipal/registrations?status=mail_failed'),
      T.getJson('/api/v1/municipal/withdrawals?status=mail_failed')]);
    const unsent = failedRegistrations.registrations.map(r => ({ path: `/api/v1/municipal/registrations/${r.id}/resend-mail`,
      label: `施設登録申請（${r.status === 'approved' ? '承認' : '却下'}）：${r.facilityName}　${r.email}` }))
      .concat(failedWithdrawals.withdrawals.map(w => ({ path: `/api/v1/municipal/withdrawals/${w.id}/resend-mail`,
        label: `利用廃止申請（${w.status === 'approved' ? '承認' : '却下'}）：${w.facilityName}` })));
    main.innerHTML = `<section class="card"><h1>施設登録申請の審査</h1>
      ${data.registrations.length === 0 ? '<p id="no-applications">審査待ちの申請はありません。</p>' : ''}
      <ul class="rows" id="applications">${data.registrations.map(r => `<li data-id="${esc(r.id)}">
        <div><strong>${esc(r.facilityName)}</strong>（${esc(r.categoryLabel)}）<br>
        <small>${esc(r.familyName)} ${esc(r.givenName)} ・ ${esc(r.email)} ・ ログインID ${esc(r.loginId)}</small>
        ${conflictNote(r.conflicts || [])}</div>
        <div class="actions"><button type="button" class="primary approve">承認</button>
        <input class="reason" aria-label="却下理由" placeholder="却下理由" maxlength="500">
        <button type="button" class="reject">却下</button></div></li>`).join('')}</ul>
      <p id="approval-result" role="status" hidden></p></section>
      <section class="card"><h2>利用廃止申請</h2>
      ${withdrawals.withdrawals.length === 0 ? '<p id="no-withdrawals">審査待ちの利用廃止申請はありません。</p>' : ''}
      <ul class="rows" id="withdrawals">${withdrawals.withdrawals.map(w => `<li data-id="${esc(w.id)}">
        <div><strong>${esc(w.facilityName)}</strong><br><small>廃止理由：${esc(w.reason)} ・ 申請日 ${esc(w.requestedAt.slice(0, 10))}</small></div>
        <div class="actions"><button type="button" class="primary approve">承認（全アカウント停止）</button>
        <input class="reason" aria-label="却下理由" placeholder="却下理由" maxlength="500">
        <button type="button" class="reject">却下</button></div></li>`).join('')}</ul>
      <p id="withdrawal-result" role="status" hidden></p></section>
      <section class="card"><h2>送信できなかったメール</h2>
      ${unsent.length === 0 ? '<p id="no-unsent">ありません。</p>' : ''}
      <ul class="rows" id="unsent-mails">${unsent.map(u => `<li data-path="${esc(u.path)}"><div>${esc(u.label)}</div>
        <div class="actions"><button type="button" class="resend">メールを再送</button></div></li>`).join('')}</ul>
      <p id="resend-result" role="status" hidden></p></section>`;
    bindDecisions('#applications', 'registrations', resultBox('approval-result'), {
      approved: () => '承認し、3通のメールを送信しました。', rejected: () => '却下し、申請者にお知らせしました。' });
    bindDecisions('#withdrawals', 'withdrawals', resultBox('withdrawal-result'), {
      confirm: '利用廃止を承認しますか？この施設のすべてのアカウントが停止され、電子証明書が失効します。',
      approved: out => `承認しました。${out.usersDisabled}人のアカウントを停止し、${out.certificatesRevoked}件の電子証明書を失効させました。施設にメールでお知らせしました。`,
      rejected: () => '却下し、施設にお知らせしました。' });
    const resend = resultBox('resend-result');
    main.querySelectorAll('#unsent-mails li').forEach(li => bindResend(li, resend));
  };

  function bindResend(li, box) {
    li.querySelector('.resend').addEventListener('click', async () => {
      try {
        const out = await send(li.dataset.path);
        if (!out.mailSent) {
          if (out.credentials) { showHandOver(main(), out.credentials, li.querySelector('div').textContent.trim()); }
          throw new Error('メールを送信できませんでした。メールサーバーの状態を確認してください。' + (out.credentials ? '表示された内容を手渡してください。' : ''));
        }
        box.ok('メールを再送しました。' + (out.certificateReplaced ? '電子証明書は新しい取得番号で再発行しました。' : ''));
        li.remove();
      } catch (error) { box.fail(error); }
    });
  }

  // Approve and reject buttons of a list of applications; a decision whose mail failed moves to
  // the list of mails to send again.
  function bindDecisions(list, kind, box, messages) {
    document.querySelectorAll(`${list} li`).forEach(li => {
      const decide = async (action, body, message) => {
        try {
          const out = await send(`/api/v1/municipal/${kind}/${li.dataset.id}/${action}`, body);
          if (out.mailSent) {
            box.ok(message(out));
          } else {
            box.ok('決定しました。メールは送信できませんでした。「送信できなかったメール」から再送するか、表示された内容を手渡してください。');
            if (out.credentials) { showHandOver(main(), out.credentials, li.querySelector('strong').textContent); }
            document.getElementById('no-unsent')?.remove();
            const row = document.createElement('li');
            row.dataset.path = `/api/v1/municipal/${kind}/${li.dataset.id}/resend-mail`;
            row.innerHTML = `<div>${esc(li.querySelector('strong').textContent)}</div>
              <div class="actions"><button type="button" class="resend">メールを再送</button></div>`;
            document.getElementById('unsent-mails').appendChild(row);
            bindResend(row, resultBox('resend-result'));
          }
          li.remove();
        } catch (error) { box.fail(error); }
      };
      li.querySelector('.approve').addEventListener('click', () => {
        if (!messages.confirm || window.confirm(messages.confirm)) { decide('approve', {}, messages.approved); }
      });
      li.querySelector('.reject').addEventListener('click', () =>
        decide('reject', { reason: li.querySelector('.reason').value }, messages.rejected));
    });
  }

  T.views.accounts = async function (main) {
    if (requireLogin(main)) { return; }
    const [data, options] = await Promise.all([T.getJson('/api/v1/municipal/accounts'),
      T.getJson('/api/v1/registration/options')]);
    const professions = options.professions.filter(p => ['municipal_staff', 'public_health_nurse', 'social_worker',
      'community_support_center', 'ems_crew', 'fire_dispatcher'].includes(p.code));
    main.innerHTML = `<section class="card"><h1>行政・救急アカウント</h1>
      <ul class="rows" id="accounts">${data.accounts.map(u => `<li><div><strong>${esc(u.familyName)} ${esc(u.givenName)}</strong>
        <small>${esc(u.loginId)} ・ ${esc(u.roleLabel)}${u.active ? '' : ' ・ 利用停止中'}</small></div></li>`).join('')}</ul></section>
      <section class="card"><h2>アカウントの追加</h2>
      <p>市町村の職員（行政）と、救急隊・消防指令の職員（救急・消防）、市が委託する見守りセンターの相談員のアカウントを追加します。初期パスワードと電子証明書の取得番号は本人にメールで送るか、この画面に一度だけ表示して手渡します。</p>
      <form id="account-form" novalidate>
        ${field('role', '役割', `<select id="f-role" name="role">${option('municipal_staff', '行政')}${option('emergency_responder', '救急・消防')}${option('watch_centre', '見守りセンター')}${option('review_secretariat', '審査会事務局')}</select>`)}
        <div class="pair">${text('familyName', '姓', 'maxlength="40"')}${text('givenName', '名', 'maxlength="40"')}</div>
        <div class="pair">${text('familyKana', '姓（カナ）', 'maxlength="40"', '全角カタカナ')}${text('givenKana', '名（カナ）', 'maxlength="40"', '全角カタカナ')}</div>
        ${field('profession', '職種', `<select id="f-profession" name="profession">${professions.map(p => option(p.code, p.name)).join('')}</select>`)}
        ${text('email', 'メールアドレス', 'type="email" maxlength="254"')}
        ${text('loginId', 'ログインID', 'maxlength="32"', '半角英数字と . _ - で4〜32文字')}
        ${field('deviceType', '端末種別', `<select id="f-deviceType" name="deviceType">${options.deviceTypes.map(d => option(d, DEVICE[d])).join('')}</select>`)}
        ${field('remark', '備考', '<input id="f-remark" name="remark" maxlength="100">')}
        ${field('delivery', '通知方法', `<select id="f-delivery" name="delivery">${data.mailConfigured ? option('mail', 'メールで本人に送る') : ''}${option('hand', 'この画面に表示して手渡す')}</select>`)}
        <p id="account-error" role="alert" hidden></p>
        <button type="submit" class="primary">アカウントを追加</button></form></section>
      <section class="card" id="credentials-card" hidden><h2>初期パスワードと電子証明書の取得番号</h2>
        <p class="form-error">この内容は再表示できません。印刷するか書き写して、本人に直接手渡してください。</p>
        <dl class="facts" id="credentials"></dl></section>`;
    const role = document.getElementById('f-role');
    const emergencyOnly = () => {
      document.querySelectorAll('#f-profession option').forEach(o => {
        const emergency = ['ems_crew', 'fire_dispatcher'].includes(o.value);
        o.hidden = o.disabled = role.value === 'emergency_responder' ? !emergency : emergency;
      });
      const profession = document.getElementById('f-profession');
      if (profession.selectedOptions[0].disabled) { profession.value = [...profession.options].find(o => !o.disabled).value; }
    };
    role.addEventListener('change', emergencyOnly);
    emergencyOnly();
    T.forms.markRequired(document.getElementById('account-form'));
    document.getElementById('account-form').addEventListener('submit', async event => {
      event.preventDefault();
      try {
        const out = await send('/api/v1/municipal/accounts', formData(event.target));
        if (out.credentials) {
          const c = out.credentials;
          const card = document.getElementById('credentials-card');
          document.getElementById('credentials').innerHTML = `<dt>ログインID</dt><dd>${esc(c.loginId)}</dd>
            <dt>初期パスワード</dt><dd><code>${esc(c.initialPassword)}</code></dd>
            <dt>証明書の取得番号</dt><dd><code>${esc(c.retrievalNumber)}</code></dd>
            <dt>証明書のパスワード</dt><dd><code>${esc(c.certificatePassword)}</code></dd>
            <dt>証明書の取得ページ</dt><dd>${esc(c.certificateUrl)}</dd>`;
          card.hidden = false;
          document.getElementById('account-form').reset();
          const list = document.getElementById('accounts');
          list.insertAdjacentHTML('beforeend', `<li><div><strong>${esc(out.user.familyName)} ${esc(out.user.givenName)}</strong>
            <small>${esc(out.user.loginId)} ・ ${esc(out.user.roleLabel)}</small></div></li>`);
          card.scrollIntoView();
        } else {
          T.render();
        }
      } catch (e) { T.forms.showProblems(event.target, e); }
    });
  };

  const deviceName = c => `${DEVICE[c.deviceType] || c.deviceType}${c.remark ? `（${c.remark}）` : ''}`;

  // Each certificate's details first, then 失効させる as a small danger-styled button beneath them (never
  // the row's most prominent control), confirmed in a dialog that names the device.
  function certificateRows(list, revokePath) {
    return `<ul class="rows certificates">${list.map(c => `<li data-id="${esc(c.id)}">
      <div class="cert-details"><strong class="cert-device">${esc(deviceName(c))}</strong><br><small>状態: <span class="cert-state">${esc(STATE[c.state] || c.state)}</span>
      ・ 有効期限 ${esc(c.notAfter.slice(0, 10))}</small>
      ${c.state === 'revoked' ? '' : `<div class="cert-revoke"><button type="button" class="revoke danger" data-path="${esc(revokePath(c.id))}"
        data-device="${esc(deviceName(c))}">失効させる</button></div>`}</div></li>`).join('')}</ul>`;
  }

  function bindRevoke(container, after) {
    container.querySelectorAll('button.revoke').forEach(button => button.addEventListener('click', async () => {
      if (!window.confirm(`「${button.dataset.device}」の電子証明書を失効させますか？\n失効させると、この端末の証明書ではログインできなくなります。取り消せません。`)) { return; }
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
        <div class="pair">${text('familyKana', '姓（カナ）', 'maxlength="40"', '全角カタカナ')}${text('givenKana', '名（カナ）', 'maxlength="40"', '全角カタカナ')}</div>
        ${field('profession', '職種', `<select id="f-profession" name="profession">${options.professions.map(p => option(p.code, p.name)).join('')}</select>`)}
        ${field('role', '役割', `<select id="f-role" name="role">${option('professional', '専門職')}${option('facility_admin', '施設管理者')}</select>`)}
        ${text('email', 'メールアドレス', 'type="email" maxlength="254"')}
        ${text('loginId', 'ログインID', 'maxlength="32"', '半角英数字と . _ - で4〜32文字')}
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
      const name = li.querySelector('strong').textContent;
      const showCerts = async () => {
        const certs = await T.getJson(`/api/v1/facility/staff/${id}/certificates`);
        const box = li.querySelector('.cert-list');
        box.innerHTML = certificateRows(certs.certificates, c => `/api/v1/facility/certificates/${c}/revoke`)
          + `<form class="issue"><select name="deviceType" aria-label="端末種別">${options.deviceTypes.map(d => option(d, DEVICE[d])).join('')}</select>
             <input name="remark" aria-label="備考" placeholder="備考" maxlength="100"><button type="submit">証明書を発行</button></form>`;
        bindRevoke(box, showCerts);
        box.querySelector('form.issue').addEventListener('submit', async event => {
          event.preventDefault();
          try {
            const out = await send(`/api/v1/facility/staff/${id}/certificates`, formData(event.target));
            if (out.credentials) { showHandOver(main, out.credentials, name); } else { ok('証明書を発行し、取得番号をメールで送りました。'); }
            showCerts();
          } catch (e) { showError(result, e); }
        });
      };
      li.querySelector('.show-certs').addEventListener('click', showCerts);
      const toggle = li.querySelector('.toggle');
      if (toggle) {
        toggle.addEventListener('click', async () => {
          try { await send(`/api/v1/facility/staff/${id}/${toggle.textContent === '利用停止' ? 'disable' : 'enable'}`); T.render(); } catch (e) { showError(result, e); }
        });
        li.querySelector('.reset').addEventListener('click', async () => {
          try {
            const out = await send(`/api/v1/facility/staff/${id}/reset-password`);
            if (out.credentials) { showHandOver(main, out.credentials, name); } else { ok('新しいパスワードをメールで送りました。'); }
          } catch (e) { showError(result, e); }
        });
      }
    });
    T.forms.markRequired(document.getElementById('staff-form'));
    document.getElementById('staff-form').addEventListener('submit', async event => {
      event.preventDefault();
      try {
        const out = await send('/api/v1/facility/staff', formData(event.target));
        if (out.credentials) {
          await T.render();
          showHandOver(document.querySelector('main'), out.credentials, `${out.user.familyName} ${out.user.givenName}`);
        } else { T.render(); }
      } catch (e) { T.forms.showProblems(event.target, e); }
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
    T.forms.markRequired(document.getElementById('password-form'));
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
      } catch (e) { T.forms.showProblems(event.target, e, 'currentPassword'); }
    });
  };

  // ご利用案内: what an account is for, for the roles whose screens are still few (救急・消防, 施設管理者).
  const GUIDES = {
    emergency_responder: {
      title: '救急・消防アカウントでできること',
      body: `<p>このアカウントは、救急隊・消防指令の職員が、搬送や出動の際に支援対象者の<strong>緊急時の情報</strong>
        （かかりつけ医、緊急連絡先、人生会議（ACP）の記録など）を確認するためのものです。</p>
        <p>「救急情報の検索」で氏名と生年月日、電話番号または住所から探し、<strong>閲覧の理由と出場番号</strong>を入力すると、
        30分間だけ救急情報（かかりつけ医、支援チーム、病歴・服薬・アレルギー、家族の連絡先、人生会議、最新のバイタル）を閲覧できます。
        閲覧はすべて記録され、本人の支援チームと行政に伝わります。</p>`,
      links: [['#/emergency', '救急情報の検索を開く'], ['#/account', 'アカウント（電子証明書・パスワード）']]
    },
    facility_admin: {
      title: '施設管理者アカウントでできること',
      body: `<p>このアカウントは、施設の<strong>職員のアカウントと電子証明書を管理する</strong>ためのものです。
        患者の記録は見られません。職員の追加、利用停止・再開、パスワードの再発行、端末の電子証明書の発行・失効、
        施設の利用廃止の申請ができます。</p>
        <p>患者を担当する場合は、専門職のアカウントを「施設の管理」で作成し、そのアカウントでログインしてください。</p>`,
      links: [['#/facility', '施設の管理を開く'], ['#/account', 'アカウント（電子証明書・パスワード）']]
    }
  };

  T.views.guide = function (main) {
    if (requireLogin(main)) { return; }
    const g = GUIDES[me.user.role] || { title: 'ご利用案内', body: '<p>メニューから使う画面を選んでください。</p>', links: [] };
    main.innerHTML = `<section class="card" id="role-guide" data-role="${esc(me.user.role)}"><h1>${esc(g.title)}</h1>${g.body}
      <ul class="guide-links">${g.links.map(([href, label]) => `<li><a href="${esc(href)}">${esc(label)}</a></li>`).join('')}</ul></section>`;
  };

  // Pages render once the node is known and again once it is known who is logged in; the body says
  // when the second render is done (browser tests wait for it before they touch a form).
  document.addEventListener('tsunagu:node', () => {
    refreshMe().then(() => T.render()).then(() => { document.body.dataset.identity = 'ready'; });
  });
})();
