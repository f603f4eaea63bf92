// 地域資源の分類・タグ, for municipal staff (行政): the categories and sub-categories resources are
// classified by, and the tags residents search with. Staff add categories (a code of lower-case
// letters, digits, _ and ., a Japanese name, optionally a parent and an open data set) and tags;
// what the API refuses is shown beside the field it concerns, and the lists are drawn again from
// the API's answer. Built on /api/v1/staff/resource-vocabulary and /api/v1/staff/resource-{categories,tags}.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const DATASETS = { care_service: '介護サービス事業所一覧', public_facility: '公共施設一覧' };
  // Which field a refusal concerns, so the message stands beside it.
  const FIELD_OF = { 'resources.category_exists': 'cat-code', 'resources.unknown_category': 'cat-parent',
    'resources.invalid_tag': 'tag-name', 'resources.tag_exists': 'tag-name' };

  function categories(vocabulary) {
    return vocabulary.categories.map(c => `<li data-code="${esc(c.code)}"><div><strong>${esc(c.name)}</strong>
      <small class="code">${esc(c.code)}</small>${c.openDataSet ? ` <span class="badge">オープンデータ: ${esc(DATASETS[c.openDataSet] || c.openDataSet)}</span>` : ''}
      ${c.subCategories.length ? `<ul class="sub-categories">${c.subCategories.map(s => `<li data-code="${esc(s.code)}">${esc(s.name)}
        <small class="code">${esc(s.code)}</small></li>`).join('')}</ul>` : '<br><small>サブカテゴリはありません。</small>'}</div></li>`).join('');
  }

  function clearErrors(form) {
    form.querySelectorAll('[aria-invalid]').forEach(f => f.removeAttribute('aria-invalid'));
    form.querySelectorAll('.field-error').forEach(p => { p.textContent = ''; });
  }

  function fieldError(id, message) {
    const field = document.getElementById(id);
    field.setAttribute('aria-invalid', 'true');
    document.getElementById(id + '-error').textContent = message;
    field.focus();
  }

  // The checks the API makes, first in the page, so most mistakes are shown before anything is sent.
  function checkCategory(code, name) {
    if (!/^[a-z][a-z0-9_.]{1,59}$/.test(code)) {
      return ['cat-code', 'コードは英小文字で始まる2〜60文字の英小文字・数字・_ . で入力してください（例: gathering.farm）。'];
    }
    if (!name || name.length > 60) { return ['cat-name', '名前を60文字以内で入力してください。']; }
    return null;
  }

  function checkTag(name) {
    if (!name || name.length > 30 || /[;；、,，]/.test(name)) {
      return ['tag-name', 'タグは区切り記号（、 , ;）を含まない30文字以内にしてください。'];
    }
    return null;
  }

  T.views['staff-resource-vocabulary'] = async function (main) {
    main.innerHTML = `<section class="card"><p><a href="#/staff-resources">← 地域資源の管理</a></p>
      <h1>地域資源の分類・タグ</h1>
      <p>地域資源を登録するときに選ぶカテゴリ・サブカテゴリと、住民がさがすときに使うタグです。追加したものはすぐに登録画面・CSV 取り込み・公開ページの検索で使えます。</p>
      <p id="voc-result" role="status" hidden></p>
      <h2>カテゴリ</h2><ul id="voc-categories" class="rows vocabulary-list"></ul>
      <h3>カテゴリ・サブカテゴリを追加</h3>
      <form id="category-form" novalidate>
        <div class="pair"><div class="field"><label for="cat-name">名前</label>
          <input id="cat-name" maxlength="60" placeholder="例: 農作業の場" aria-describedby="cat-name-error">
          <p id="cat-name-error" class="field-error form-error" role="alert"></p></div>
        <div class="field"><label for="cat-code">コード（英小文字・数字・_ .）</label>
          <input id="cat-code" maxlength="60" placeholder="例: gathering.farm" autocapitalize="off" spellcheck="false"
            aria-describedby="cat-code-error">
          <p id="cat-code-error" class="field-error form-error" role="alert"></p></div></div>
        <div class="pair"><div class="field"><label for="cat-parent">親カテゴリ（サブカテゴリにするとき）</label>
          <select id="cat-parent" aria-describedby="cat-parent-error"></select>
          <p id="cat-parent-error" class="field-error form-error" role="alert"></p></div>
        <div class="field"><label for="cat-dataset">オープンデータの出力先</label>
          <select id="cat-dataset"><option value="">なし</option>${Object.entries(DATASETS).map(([k, v]) =>
            `<option value="${k}">${esc(v)}</option>`).join('')}</select></div></div>
        <button type="submit" class="primary">カテゴリを追加</button></form>
      <h2>タグ</h2><ul id="voc-tags" class="tag-list"></ul>
      <form id="tag-form" class="actions" novalidate><label for="tag-name">追加するタグ</label>
        <input id="tag-name" maxlength="30" placeholder="例: 畑" aria-describedby="tag-name-error">
        <button type="submit" class="primary">タグを追加</button>
        <p id="tag-name-error" class="field-error form-error" role="alert"></p></form></section>`;
    const result = document.getElementById('voc-result');
    const say = (message, ok) => { result.hidden = false; result.className = ok ? 'form-ok' : 'form-error'; result.textContent = message; };
    const draw = vocabulary => {
      document.getElementById('voc-categories').innerHTML = categories(vocabulary);
      document.getElementById('voc-tags').innerHTML = vocabulary.tags.map(t => `<li>${esc(t)}</li>`).join('');
      const parent = document.getElementById('cat-parent');
      const chosen = parent.value;
      parent.innerHTML = '<option value="">なし（カテゴリとして追加）</option>' + vocabulary.categories.map(c =>
        `<option value="${esc(c.code)}">${esc(c.name)}</option>`).join('');
      parent.value = chosen;
    };
    const submit = async (form, check, call, fallbackField, done) => {
      clearErrors(form);
      result.hidden = true;
      const problem = check();
      if (problem) { fieldError(problem[0], problem[1]); return; }
      try {
        draw(await call());
        done();
      } catch (e) {
        if (e.status === 400 || e.status === 409) {
          fieldError(FIELD_OF[e.code] || fallbackField, e.message);
        } else { say(e.message, false); }
      }
    };
    const categoryForm = document.getElementById('category-form');
    categoryForm.addEventListener('submit', e => {
      e.preventDefault();
      const code = document.getElementById('cat-code').value.trim();
      const name = document.getElementById('cat-name').value.trim();
      const parent = document.getElementById('cat-parent').value;
      const openDataSet = document.getElementById('cat-dataset').value;
      submit(categoryForm, () => checkCategory(code, name),
        () => T.send('POST', '/api/v1/staff/resource-categories', { code, name, parent, openDataSet }), 'cat-code', () => {
          categoryForm.reset();
          say(`${parent ? 'サブカテゴリ' : 'カテゴリ'}「${name}」を追加しました。`, true);
        });
    });
    const tagForm = document.getElementById('tag-form');
    tagForm.addEventListener('submit', e => {
      e.preventDefault();
      const name = document.getElementById('tag-name').value.trim();
      submit(tagForm, () => checkTag(name), () => T.send('POST', '/api/v1/staff/resource-tags', { name }), 'tag-name',
        () => { tagForm.reset(); say(`タグ「${name}」を追加しました。`, true); });
    });
    try {
      draw(await T.getJson('/api/v1/staff/resource-vocabulary'));
    } catch (e) {
      main.innerHTML = `<section class="card"><h1>表示できません</h1><p>${esc(e.message)}</p></section>`;
    }
  };
})();
