// 周辺資源, a tab of the patient page: published resources nearest the patient's home with category,
// tag and keyword filters, on a list and a map; the professional picks some and makes a referral
// sheet (print page and PDF) for the patient, and sees the referrals made before. Resources that
// partner municipalities publish under a wide-area agreement follow in a section of their own,
// marked with the partner municipality, and can go on the sheet too.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const MAX_PICKED = 10;

  function distance(metres) {
    return metres < 1000 ? `約${Math.round(metres / 10) * 10}m` : `約${(metres / 1000).toFixed(1)}km`;
  }

  function when(iso) {
    const d = new Date(iso);
    return `${d.getFullYear()}/${d.getMonth() + 1}/${d.getDate()}`;
  }

  async function show(box, patientId) {
    let vocabulary;
    let me;
    try {
      [vocabulary, me] = await Promise.all([T.getJson('/api/v1/resource-vocabulary'), T.getJson('/api/v1/auth/me')]);
    } catch (e) { box.innerHTML = `<p class="form-error">${esc(e.message)}</p>`; return; }
    const user = me.user || {};
    box.innerHTML = `<h2>周辺資源</h2><p id="nearby-origin" class="hint">ご自宅からの距離が近い順に表示します。</p>
      <form id="nearby-filters" class="search-row" role="search">
        <input id="nearby-q" type="search" aria-label="キーワード" placeholder="キーワード（例: 体操、送迎）">
        <select id="nearby-category" aria-label="種類"><option value="">すべての種類</option>${vocabulary.categories.map(c =>
          `<option value="${esc(c.code)}">${esc(c.name)}</option>${c.subCategories.map(s =>
          `<option value="${esc(s.code)}">　${esc(s.name)}</option>`).join('')}`).join('')}</select>
        <select id="nearby-tag" aria-label="タグ"><option value="">すべてのタグ</option>${vocabulary.tags.map(t =>
          `<option>${esc(t)}</option>`).join('')}</select>
        <button type="submit">絞り込む</button></form>
      <p id="nearby-count" role="status"></p>
      <div id="nearby-map" class="nearby-map" aria-label="周辺資源の地図"></div>
      <ol id="nearby-list" class="rows nearby-list"></ol>
      <section id="nearby-partner" class="partner-resources" hidden><h3>連携市町村の地域資源</h3>
        <p class="hint">広域連携協定を結んだ市町村が公開している地域資源です（内容は各市町村が管理しています）。</p>
        <p id="nearby-partner-count" role="status"></p><ol id="nearby-partner-list" class="rows nearby-list"></ol></section>
      <section class="referral-box"><h3>紹介状をつくる</h3>
        <p>選んだ資源（最大${MAX_PICKED}件）:</p><ul id="nearby-picked" class="picked-list"></ul>
        <form id="referral-form">
          <div class="pair"><div class="field"><label for="ref-name">紹介者</label><input id="ref-name" maxlength="60"
            value="${esc([user.familyName, user.givenName].filter(Boolean).join(' '))}"></div>
          <div class="field"><label for="ref-org">所属</label><input id="ref-org" maxlength="100" value="${esc(user.facilityName || '')}"></div></div>
          <div class="field"><label for="ref-comment">ひとこと</label><textarea id="ref-comment" rows="3" maxlength="1000"
            placeholder="例: 木曜日の午前に通ってみませんか。"></textarea></div>
          <p id="referral-error" class="form-error" role="alert"></p>
          <button type="submit" class="primary" id="referral-submit">紹介状を作成</button></form>
        <p id="referral-made" role="status"></p></section>
      <section><h3>これまでの紹介</h3><ul id="referral-history" class="rows"></ul></section>`;
    const state = { picked: new Map(), origin: null, map: null, markers: null };
    document.getElementById('nearby-filters').addEventListener('submit', e => { e.preventDefault(); search(state, patientId); });
    document.getElementById('referral-form').addEventListener('submit', e => { e.preventDefault(); refer(state, patientId); });
    renderPicked(state);
    await Promise.all([search(state, patientId), history(patientId)]);
  }

  async function search(state, patientId) {
    const params = new URLSearchParams({ q: document.getElementById('nearby-q').value,
      category: document.getElementById('nearby-category').value, tag: document.getElementById('nearby-tag').value, limit: '50' });
    const count = document.getElementById('nearby-count');
    const list = document.getElementById('nearby-list');
    const partnerList = document.getElementById('nearby-partner-list');
    let data;
    try {
      data = await T.getJson(`/api/v1/patients/${patientId}/nearby-resources?${params}`);
    } catch (e) {
      count.className = 'form-error';
      count.textContent = `ご自宅の場所から探せませんでした: ${e.message}`;
      list.innerHTML = '';
      partnerList.innerHTML = '';
      document.getElementById('nearby-partner').hidden = true;
      return;
    }
    state.origin = data.origin;
    count.className = '';
    document.getElementById('nearby-origin').textContent = `基準: ${data.origin.label}。近い順に表示します。`;
    count.textContent = `${data.total} 件` + (data.total > data.resources.length ? `（近い ${data.resources.length} 件を表示）` : '');
    list.innerHTML = data.resources.map(r => item(state, r, r.id, '')).join('') || '<li>条件に合う資源はありません。</li>';
    const partners = data.partnerResources || [];
    document.getElementById('nearby-partner').hidden = partners.length === 0;
    document.getElementById('nearby-partner-count').textContent = `${partners.length} 件（近い順）`;
    partnerList.innerHTML = partners.map(r => item(state, r, `${r.partner}/${r.id}`,
      `<span class="badge partner-badge">${esc(r.partnerMunicipalities)}</span> `)).join('');
    document.querySelectorAll('#nearby-list .pick-resource, #nearby-partner-list .pick-resource').forEach(box =>
      box.addEventListener('change', () => {
        const li = box.closest('li');
        if (box.checked && state.picked.size >= MAX_PICKED) {
          box.checked = false;
          document.getElementById('referral-error').textContent = `紹介状に載せられるのは${MAX_PICKED}件までです。`;
          return;
        }
        if (box.checked) {
          state.picked.set(li.dataset.id, { name: li.dataset.name, partner: li.dataset.partner || '', id: li.dataset.resource });
        } else { state.picked.delete(li.dataset.id); }
        renderPicked(state);
      }));
    draw(state, data, partners);
  }

  // One resource of the list; key is its id, or partner/id for a partner's (ids are unique per node only).
  function item(state, r, key, badge) {
    return `<li data-id="${esc(key)}" data-name="${esc(r.name)}" data-resource="${esc(r.id)}"${r.partner ? ` data-partner="${esc(r.partner)}"` : ''}>
      <label class="check-inline pick"><input type="checkbox" class="pick-resource"${state.picked.has(key) ? ' checked' : ''}
        aria-label="${esc(r.name)}を選ぶ"></label>
      <div class="nearby-item">${badge}<a href="${esc(r.page)}" target="_blank" rel="noopener"><strong class="nearby-name">${esc(r.name)}</strong></a>
        <span class="distance">${distance(r.distanceMetres)}</span><br>
        <small>${esc(r.subCategoryName || r.categoryName)}${r.scheduleText ? '・' + esc(r.scheduleText) : ''}${r.fee ? '・' + esc(r.fee) : ''}
        ・紹介 ${r.introductions} 回${r.partnerName ? `・掲載: ${esc(r.partnerName)}` : ''}</small></div></li>`;
  }

  async function draw(state, data, partners) {
    const box = document.getElementById('nearby-map');
    try {
      if (!state.map) {
        const made = await T.maps.create(box, data.map);
        state.L = made.L;
        state.map = made.map;
      }
    } catch (e) {
      box.hidden = true;
      return;
    }
    const L = state.L;
    if (state.markers) { state.markers.remove(); }
    state.markers = L.layerGroup().addTo(state.map);
    const home = [data.origin.latitude, data.origin.longitude];
    L.circleMarker(home, { radius: 9, color: '#e07a2e', weight: 3 }).addTo(state.markers).bindPopup('ご自宅');
    const points = [home];
    data.resources.concat(partners).forEach(r => {
      const link = document.createElement('a');
      link.href = r.page;
      link.target = '_blank';
      link.textContent = r.partner ? `${r.name}（${r.partnerMunicipalities}）` : r.name;
      L.marker([r.latitude, r.longitude], { title: link.textContent, alt: link.textContent }).addTo(state.markers).bindPopup(link);
      points.push([r.latitude, r.longitude]);
    });
    if (points.length > 1) { state.map.fitBounds(points, { padding: [24, 24], maxZoom: 16 }); } else { state.map.setView(home, 15); }
    box.dataset.markers = String(data.resources.length + partners.length);
  }

  function renderPicked(state) {
    const list = document.getElementById('nearby-picked');
    list.innerHTML = [...state.picked].map(([key, p]) => `<li data-id="${esc(key)}">${esc(p.name)}${p.partner ? '（連携市町村）' : ''}
      <button type="button" class="unpick" aria-label="${esc(p.name)}を外す">外す</button></li>`).join('') || '<li>まだ選んでいません。一覧のチェックで選びます。</li>';
    list.querySelectorAll('.unpick').forEach(b => b.addEventListener('click', () => {
      const id = b.closest('li').dataset.id;
      state.picked.delete(id);
      const check = document.querySelector(`.nearby-list li[data-id="${CSS.escape(id)}"] .pick-resource`);
      if (check) { check.checked = false; }
      renderPicked(state);
    }));
    document.getElementById('referral-submit').disabled = state.picked.size === 0;
  }

  async function refer(state, patientId) {
    const error = document.getElementById('referral-error');
    const made = document.getElementById('referral-made');
    error.textContent = '';
    try {
      const picked = [...state.picked.values()];
      const saved = await T.send('POST', '/api/v1/referrals', { patientId,
        resourceIds: picked.filter(p => !p.partner).map(p => p.id),
        partnerResources: picked.filter(p => p.partner).map(p => ({ node: p.partner, id: p.id })),
        referrerName: document.getElementById('ref-name').value, referrerOrganization: document.getElementById('ref-org').value,
        comment: document.getElementById('ref-comment').value, originLabel: 'ご自宅',
        origin: state.origin ? { latitude: state.origin.latitude, longitude: state.origin.longitude } : undefined });
      made.innerHTML = `紹介状を作成しました。<a href="${esc(saved.sheet)}" target="_blank" rel="noopener" id="referral-sheet-link">印刷用ページ</a>
        <a href="${esc(saved.pdf)}" target="_blank" rel="noopener">PDF</a>`;
      state.picked.clear();
      document.querySelectorAll('.pick-resource').forEach(c => { c.checked = false; });
      document.getElementById('ref-comment').value = '';
      renderPicked(state);
      await Promise.all([history(patientId), search(state, patientId)]);
    } catch (e) { error.textContent = e.message; }
  }

  async function history(patientId) {
    const list = document.getElementById('referral-history');
    try {
      const data = await T.getJson(`/api/v1/patients/${patientId}/referrals`);
      list.innerHTML = data.referrals.map(r => `<li data-id="${esc(r.id)}"><div>${when(r.createdAt)} ${esc(r.referrerName)}
        ${r.referrerOrganization ? `（${esc(r.referrerOrganization)}）` : ''}<br><small>${r.resources.map(x => esc(x.name)).join('、')}</small></div>
        <div class="actions"><a href="${esc(r.sheet)}" target="_blank" rel="noopener">印刷</a>
        <a href="${esc(r.pdf)}" target="_blank" rel="noopener">PDF</a></div></li>`).join('') || '<li>まだありません。</li>';
    } catch (e) { list.innerHTML = `<li class="form-error">${esc(e.message)}</li>`; }
  }

  window.TsunaguNearby = { show };
})();
