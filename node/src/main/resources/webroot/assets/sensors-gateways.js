// みまもりセンサーのゲートウェイ, for municipal staff (行政): register a sensor provider's gateway by the
// public key the provider generated (the private key never comes to the node), see each gateway's state
// and last delivery, and revoke one. The node answers the gateway id the provider puts in every batch.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const API = '/api/v1/sensors/gateways';
  const seen = ms => ms ? new Date(ms).toLocaleString('ja-JP', { dateStyle: 'medium', timeStyle: 'short' }) : 'まだありません';

  function row(g) {
    const active = g.status === 'active';
    return `<li data-gateway="${esc(g.id)}"><div><strong>${esc(g.name)}</strong>（${esc(g.provider)}）
        ${active ? '' : '<span class="badge">失効</span>'}<br><small>ID: <code>${esc(g.id)}</code>・
        1分あたり ${g.ratePerMinute} 回まで・センサー ${g.devices} 台・最終受信: ${esc(seen(g.lastSeenMs))}</small></div>
      ${active ? `<div class="actions"><button type="button" class="danger" data-revoke>失効させる</button>
        <span data-confirm hidden>このゲートウェイからの送信をすべて拒否します。
          <button type="button" class="danger" data-revoke-confirm>失効を確定する</button>
          <button type="button" data-revoke-cancel>やめる</button></span></div>` : ''}</li>`;
  }

  T.views['sensor-gateways'] = async function (main) {
    if (T.identity && T.identity.requireLogin(main)) { return; }
    main.innerHTML = `<section class="card"><h1>みまもりセンサーのゲートウェイ</h1>
      <p>センサー事業者のサーバーや宅内の機器（ゲートウェイ）が、測定値に署名して送ります。事業者が作った鍵の<strong>公開鍵だけ</strong>を登録してください。秘密鍵は事業者の手元から出しません。</p>
      <p id="gateway-result" role="status" hidden></p>
      <ul id="gateway-list" class="rows"></ul>
      <h2>ゲートウェイを登録する</h2>
      <form id="gateway-form" class="narrow">
        <div class="field"><label for="gateway-name">名称</label><input id="gateway-name" maxlength="100" required placeholder="例: 西箕輪地区"></div>
        <div class="field"><label for="gateway-provider">事業者</label><input id="gateway-provider" maxlength="100" required></div>
        <div class="field"><label for="gateway-key">公開鍵（Ed25519 の JWK）</label>
          <textarea id="gateway-key" rows="4" required spellcheck="false" placeholder='{"kty":"OKP","crv":"Ed25519","x":"…"}'></textarea>
          <small>事業者から受け取った公開鍵をそのまま貼り付けてください。</small></div>
        <div class="field"><label for="gateway-rate">1分あたりの送信回数の上限</label><input id="gateway-rate" type="number" min="1" max="600" value="60" required></div>
        <button class="primary" type="submit" id="gateway-issue">登録する</button></form></section>`;
    const result = document.getElementById('gateway-result');
    const list = document.getElementById('gateway-list');
    const say = (message, ok) => { result.hidden = false; result.className = ok ? 'form-ok' : 'form-error'; result.textContent = message; };
    const draw = async () => {
      const answer = await T.getJson(API);
      list.innerHTML = answer.gateways.length ? answer.gateways.map(row).join('') : '<li>登録されたゲートウェイはありません。</li>';
    };
    list.addEventListener('click', async e => {
      const item = e.target.closest('[data-gateway]');
      if (!item) { return; }
      const confirm = item.querySelector('[data-confirm]');
      if (e.target.matches('[data-revoke]')) { confirm.hidden = false; return; }
      if (e.target.matches('[data-revoke-cancel]')) { confirm.hidden = true; return; }
      if (e.target.matches('[data-revoke-confirm]')) {
        try {
          const g = await T.send('POST', `${API}/${encodeURIComponent(item.dataset.gateway)}/revoke`, {});
          say(`「${g.name}」を失効させました。`, true);
          await draw();
        } catch (error) { say(error.message, false); }
      }
    });
    document.getElementById('gateway-form').addEventListener('submit', async e => {
      e.preventDefault();
      let publicKey;
      try {
        publicKey = JSON.parse(document.getElementById('gateway-key').value);
      } catch (error) {
        say('公開鍵が JSON（JWK）として読めません。受け取ったものをそのまま貼り付けてください。', false);
        return;
      }
      const button = document.getElementById('gateway-issue');
      button.disabled = true;
      try {
        const g = await T.send('POST', API, { name: document.getElementById('gateway-name').value,
          provider: document.getElementById('gateway-provider').value, publicKey,
          ratePerMinute: Number(document.getElementById('gateway-rate').value) });
        say(`登録しました。ゲートウェイID ${g.id} を事業者に伝えてください（鍵の指紋 ${g.keyFingerprint}）。`, true);
        e.target.reset();
        await draw();
      } catch (error) {
        say(error.message, false);
      } finally { button.disabled = false; }
    });
    try {
      await draw();
    } catch (error) { say(error.message, false); }
  };
})();
