// The web shell: header, navigation and views. Views render from the node's JSON API; there is
// no build step, and no HTML is built from API text without escaping it first.
(function () {
  'use strict';

  const state = { node: null };

  function escapeHtml(text) {
    return String(text ?? '').replace(/[&<>"']/g, c => ({
      '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'
    })[c]);
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(body.message || response.statusText);
      Object.assign(error, { code: body.code, requestId: body.requestId, status: response.status, body });
      sessionEnded(path, error);
      throw error;
    }
    return body;
  }

  let csrfToken = null;

  async function csrf(fresh) {
    if (!csrfToken || fresh) { csrfToken = (await getJson('/api/v1/auth/csrf')).csrfToken; }
    return csrfToken;
  }

  const RETRIES = 2;
  const pause = attempt => new Promise(resolve => setTimeout(resolve, 1000 * (attempt + 1)));
  // The API's create routes, which honour Idempotency-Key (those listing it in /api/v1/openapi.json):
  // only these are sent again by themselves after a failure on the way, since a repeat of them is
  // answered without a second create. Another POST (an approval, a new password) is never repeated.
  const CREATES = [/\/(patients|groups)\/[^/]+\/(posts|team\/invitations)$/, /^\/api\/v1\/posts\/[^/]+\/comments$/,
    /^\/api\/v1\/(uploads|patients|patients\/import|groups|care\/categories|referrals|registrations)$/,
    /^\/api\/v1\/patients\/[^/]+\/(vitals|forms)$/, /^\/api\/v1\/municipal\/accounts$/, /^\/api\/v1\/emergency\/accesses$/,
    /^\/api\/v1\/disaster\/(register\/imports|declarations)$/, /^\/api\/v1\/sensors\/gateways$/,
    /^\/api\/v1\/staff\/(resources|resources\/import|resources\/[^/]+\/photos|resource-categories|resource-tags)$/,
    /^\/api\/v1\/facility\/(staff|staff\/[^/]+\/certificates|withdrawal)$/];
  const isCreate = path => CREATES.some(pattern => pattern.test(path.split('?')[0]));

  // A POST with an Idempotency-Key: a fresh one per call (or the given one, for a retry of it). The
  // node answers a repeat of the key with the first answer and creates nothing, so a create whose
  // answer was lost on a flaky network is sent again with the same key, up to twice, and so is one
  // the node is still carrying out (409 idempotency.in_progress).
  async function keyedPost(path, init, key) {
    const headers = Object.assign({}, init.headers, { 'Idempotency-Key': key || crypto.randomUUID() });
    const request = Object.assign({}, init, { method: 'POST', headers });
    for (let attempt = 0; ; attempt++) {
      let response;
      try {
        response = await fetch(path, request);
      } catch (e) {
        if (attempt >= RETRIES || !isCreate(path)) { throw e; }
        await pause(attempt);
        continue;
      }
      if (response.status === 409 && attempt < RETRIES
          && (await response.clone().json().catch(() => ({}))).code === 'idempotency.in_progress') {
        await pause(attempt);
        continue;
      }
      return Object.assign(response, { idempotencyKey: headers['Idempotency-Key'] });
    }
  }

  // A state-changing call with the session's CSRF token: JSON for objects, the raw bytes for a
  // Blob or File; a POST to a create route goes with its Idempotency-Key (keyedPost), any other POST
  // (a search, an approval) without one, since the node would ignore it. The token changes at login,
  // so a refusal as csrf.invalid is retried once afresh, with the same key.
  async function send(method, path, body, headers, retried, key) {
    const h = Object.assign({ 'X-CSRF-Token': await csrf(retried), Accept: 'application/json' }, headers || {});
    let payload = body;
    if (body !== undefined && !(body instanceof Blob)) {
      h['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const init = { method, headers: h, body: payload, credentials: 'same-origin' };
    const response = method === 'POST' && isCreate(path) ? await keyedPost(path, init, key)
      : await fetch(path, init);
    const json = response.status === 204 ? {} : await response.json().catch(() => ({}));
    if (response.status === 403 && json.code === 'csrf.invalid' && !retried) {
      return send(method, path, body, headers, true, response.idempotencyKey);
    }
    if (!response.ok) {
      const error = new Error(json.message || response.statusText);
      Object.assign(error, { code: json.code, requestId: json.requestId, status: response.status, body: json });
      sessionEnded(path, error);
      throw error;
    }
    return json;
  }

  // Where the person was, to come back to after logging in again: a page of this shell ("#/…") or a
  // path of this site ("/…", never "//…"). Anything else, such as another site's address, is ignored.
  function safeNext(next) {
    if (typeof next !== 'string' || next.length > 500) { return null; }
    if (/^#\/[^\s]*$/.test(next) && !next.startsWith('#/login')) { return next; }
    if (/^\/(?![\/\\])[^\s]*$/.test(next)) { return next; }
    return null;
  }

  function hashParam(name) {
    const query = location.hash.split('?')[1];
    return query ? new URLSearchParams(query).get(name) : null;
  }

  // The login page, remembering the page the person is on.
  function loginHref() {
    const here = location.hash && location.hash !== '#/' ? location.hash : null;
    const next = here && safeNext(here);
    return '#/login' + (next ? '?next=' + encodeURIComponent(next) : '');
  }

  // A call refused because the session ended (expired, logged out elsewhere): to the login page, and
  // back here after it. The calls that ask whether anyone is logged in are not such a refusal.
  function sessionEnded(path, error) {
    if (error.status !== 401 || /\/api\/v1\/auth\/(me|login|csrf)$/.test(path)) { return; }
    if (!location.hash.startsWith('#/login')) { location.hash = loginHref(); }
  }

  function municipalityNames(node) {
    return node.municipalities.map(m => m.name || m.code).join('・');
  }

  const views = {
    home(main) {
      const node = state.node;
      main.innerHTML = `
        <section class="card">
          <h1>${escapeHtml(node.displayName)}</h1>
          <p>${escapeHtml(municipalityNames(node))}の在宅医療・介護連携ネットワークです。
             医師・看護師・薬剤師・ケアマネジャー・ヘルパーなど多職種で、支援対象者の日々の様子をチームで共有します。</p>
        </section>
        <div class="grid">
          <section class="card"><h2>対象地域</h2><ul class="muni-list">
            ${node.municipalities.map(m => `<li>${escapeHtml(m.prefecture || '')}${escapeHtml(m.name || m.code)}
              <small>（${escapeHtml(m.code)}）</small></li>`).join('')}</ul></section>
          <section class="card"><h2>稼働状況</h2><p id="ready-status" role="status">確認中…</p></section>
        </div>`;
      getJson('/health/ready')
        .then(() => setStatus('ready-status', true, '正常に稼働しています'))
        .catch(() => setStatus('ready-status', false, '現在ご利用いただけません'));
    },
    about(main) {
      const node = state.node;
      main.innerHTML = `
        <section class="card"><h1>このネットワークについて</h1>
          <dl class="facts">
            <dt>ネットワーク名</dt><dd>${escapeHtml(node.displayName)}</dd>
            <dt>ノード名</dt><dd><code>${escapeHtml(node.name)}</code></dd>
            <dt>対象市町村</dt><dd>${escapeHtml(municipalityNames(node))}</dd>
            <dt>連携用証明書ピン</dt><dd><code>${escapeHtml(node.federationPin)}</code></dd>
            <dt>バージョン</dt><dd>${escapeHtml(node.version)}</dd>
          </dl></section>`;
    }
  };

  // A live stream (server-sent events) that catches up after a cut. The browser opens a cut stream
  // again by itself (an instance of a clustered node gone in a failover, a proxy restarted), sending
  // the id of the last event it heard (Last-Event-ID), and a stream whose events carry ids sends first
  // what was missed; one opened again here passes that id as `lastEventId`. Where nothing was missed
  // that the server can replay (its `reset` event: too much, or too long ago), and for streams whose
  // events carry no id, `reopened` reads the view anew. A stream the server refused (a proxy with no
  // instance ready answers 503) the browser gives up on; it is opened again here, waiting longer each
  // time up to half a minute.
  const LIVE_RETRY_MS = 2000;
  const LIVE_RETRY_MAX_MS = 30000;

  function liveStream(url, reopened) {
    const listeners = [];
    let source = null;
    let opened = false;
    let closed = false;
    let retry = null;
    let wait = LIVE_RETRY_MS;
    let lastId = '';
    const heard = event => { if (event.lastEventId) { lastId = event.lastEventId; } };
    const connect = () => {
      source = new EventSource(lastId
        ? url + (url.includes('?') ? '&' : '?') + 'lastEventId=' + encodeURIComponent(lastId) : url);
      listeners.forEach(([type, handler]) => source.addEventListener(type, handler));
      source.addEventListener('reset', event => { heard(event); if (reopened) { reopened(); } });
      source.addEventListener('open', () => {
        wait = LIVE_RETRY_MS;
        if (opened && reopened && !lastId) { reopened(); }
        opened = true;
      });
      source.addEventListener('error', () => {
        if (source.readyState !== EventSource.CLOSED || closed || retry) { return; }
        retry = setTimeout(() => { retry = null; if (!closed) { connect(); } }, wait);
        wait = Math.min(wait * 2, LIVE_RETRY_MAX_MS);
      });
    };
    connect();
    return {
      addEventListener(type, handler) {
        const noting = event => { heard(event); handler(event); };
        listeners.push([type, noting]);
        source.addEventListener(type, noting);
      },
      close() { closed = true; clearTimeout(retry); source.close(); }
    };
  }

  // Other scripts (identity.js, …) add their views and navigation through this hook.
  window.Tsunagu = { views, state, escapeHtml, getJson, send, keyedPost, csrf, safeNext, hashParam, loginHref,
    liveStream, render: () => render() };

  function setStatus(id, ok, text) {
    const element = document.getElementById(id);
    if (element) {
      element.textContent = text;
      element.className = ok ? 'status-ok' : 'status-ng';
    }
  }

  function currentView() {
    const name = (location.hash.replace(/^#\/?/, '') || 'home').split(/[/?]/)[0];
    return views[name] ? name : 'home';
  }

  function render() {
    const main = document.getElementById('main');
    const name = currentView();
    document.querySelectorAll('#nav-list a').forEach(a => {
      if (a.dataset.view === name) { a.setAttribute('aria-current', 'page'); } else { a.removeAttribute('aria-current'); }
    });
    const shown = views[name](main);
    document.getElementById('site-nav').classList.remove('open');
    document.getElementById('menu-toggle').setAttribute('aria-expanded', 'false');
    return Promise.resolve(shown); // settles once a view that loads data has drawn it
  }

  function showFailure(error) {
    document.getElementById('main').innerHTML = `<section class="card"><h1>読み込めませんでした</h1>
      <p>${escapeHtml(error.message)}</p>${error.requestId ? `<p><small class="support-id">お問い合わせ用番号: <code>${escapeHtml(error.requestId)}</code></small></p>` : ''}</section>`;
  }

  document.addEventListener('DOMContentLoaded', () => {
    const toggle = document.getElementById('menu-toggle');
    toggle.addEventListener('click', () => {
      const nav = document.getElementById('site-nav');
      const open = nav.classList.toggle('open');
      toggle.setAttribute('aria-expanded', String(open));
    });
    getJson('/api/v1/node').then(node => {
      state.node = node;
      document.getElementById('network-name').textContent = node.displayName;
      document.getElementById('node-version').textContent = 'version ' + node.version;
      document.getElementById('demo-banner').hidden = !node.demo;
      document.title = node.displayName + ' — つなぐ';
      window.addEventListener('hashchange', render);
      document.dispatchEvent(new CustomEvent('tsunagu:node', { detail: node }));
      render();
    }).catch(showFailure);
  });
})();
