// 会議 (ビデオ会議開催支援): a board's meetings and the scheduling form (from a patient's team or a
// group), one meeting with 参加 (the video link in one tap), 出欠, participants and documents, and for
// its organiser changes, cancellation and minutes; the 予定 of this week and next week with the
// personal calendar feed. The board pages get a 会議 link beside their tabs.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const API = '/api/v1/meetings';
  const ANSWERS = { attend: '出席', decline: '欠席', tentative: '未定', pending: '未回答' };
  const needsLogin = main => !!(T.identity && T.identity.requireLogin(main));
  const failure = (main, e) => { main.innerHTML = `<section class="card"><h1>会議</h1><p class="form-error" role="alert">${esc(e.message)}</p></section>`; };

  // The board pages (care.js) draw their tabs; a 会議 link joins them once they are drawn.
  function boardLink() {
    const match = location.hash.match(/^#\/(patient|group)\/([^/?]+)/);
    const tabs = document.querySelector('#main nav.tabs');
    if (!match || !tabs || tabs.querySelector('.meetings-link')) { return; }
    const link = document.createElement('a');
    link.href = `#/meetings?board=${encodeURIComponent(match[2])}`;
    link.className = 'meetings-link';
    link.textContent = '会議';
    tabs.appendChild(link);
  }
  document.addEventListener('DOMContentLoaded', () => {
    new MutationObserver(boardLink).observe(document.getElementById('main'), { childList: true, subtree: true });
  });

  function form(data, m) {
    const v = m || {};
    const chosen = new Set((v.participants || []).map(p => p.userId));
    const family = (v.participants || []).filter(p => p.family);
    return `<form id="meeting-form" class="meeting-form" novalidate>
      <div class="field"><label for="m-kind">種類</label><select id="m-kind">${data.kinds.map(k =>
        `<option value="${esc(k.code)}"${k.code === v.kind ? ' selected' : ''}>${esc(k.label)}</option>`).join('')}</select></div>
      <div class="field"><label for="m-title">会議名</label><input id="m-title" maxlength="100" required value="${esc(v.title || '')}"></div>
      <div class="meeting-when"><div class="field"><label for="m-date">日付</label><input id="m-date" type="date" required value="${esc(v.date || '')}"></div>
      <div class="field"><label for="m-time">開始</label><input id="m-time" type="time" required value="${esc(v.time || '')}"></div>
      <div class="field"><label for="m-duration">長さ（分）</label><input id="m-duration" type="number" min="5" max="1440" step="5" value="${v.durationMinutes || 60}"></div></div>
      <div class="field"><label class="inline"><input type="checkbox" id="m-online"${v.online === false ? '' : ' checked'}> オンライン（ビデオ会議）</label></div>
      <fieldset id="m-video"><legend>ビデオ会議</legend>
        <label class="inline"><input type="radio" name="m-provider" value="jitsi"${v.videoProvider === 'link' ? '' : ' checked'}> つなぐで発行（Jitsi Meet）</label>
        <label class="inline"><input type="radio" name="m-provider" value="link"${v.videoProvider === 'link' ? ' checked' : ''}> Teams・Zoom のリンクを貼り付け</label>
        <input id="m-link" type="url" maxlength="500" placeholder="https://" value="${v.videoProvider === 'link' ? esc(v.videoUrl || '') : ''}"></fieldset>
      <div class="field"><label for="m-place">場所</label><input id="m-place" maxlength="200" value="${esc(v.place || '')}" placeholder="オンラインのみなら空欄"></div>
      <div class="field"><label for="m-agenda">議題</label><textarea id="m-agenda" rows="3" maxlength="2000">${esc(v.agenda || '')}</textarea></div>
      <fieldset><legend>参加者</legend><div id="m-members">${data.members.map(p => `<label class="inline"><input type="checkbox" name="m-member" value="${esc(p.userId)}"${chosen.has(p.userId) ? ' checked' : ''}> ${esc(p.name)}${p.partner ? ` <span class="badge">${esc(p.homeNode)}</span>` : ''}</label>`).join(' ')}</div></fieldset>
      <fieldset><legend>ご家族（メールで招待）</legend><div class="meeting-family"><input id="m-family-name" maxlength="60" placeholder="氏名" value="${esc(family[0] ? family[0].name : '')}">
        <input id="m-family-email" type="email" maxlength="254" placeholder="メールアドレス" value="${esc(family[0] ? family[0].email : '')}"></div></fieldset>
      <div class="actions"><button class="primary" type="submit" id="meeting-save">${m ? '変更する' : '会議を設定する'}</button></div>
      <p id="meeting-error" class="form-error" role="alert"></p><p id="meeting-sent" class="form-note" role="status"></p></form>`;
  }

  function readForm(boardId) {
    const val = id => document.getElementById(id).value.trim();
    const online = document.getElementById('m-online').checked;
    const provider = (document.querySelector('input[name=m-provider]:checked') || {}).value || 'jitsi';
    const family = val('m-family-name') && val('m-family-email') ? [{ name: val('m-family-name'), email: val('m-family-email') }] : [];
    return { boardId, kind: val('m-kind'), title: val('m-title'), date: val('m-date'), time: val('m-time'),
      durationMinutes: Number(val('m-duration') || 60), online, videoProvider: provider, videoUrl: val('m-link'),
      place: val('m-place'), agenda: val('m-agenda'),
      participants: [...document.querySelectorAll('input[name=m-member]:checked')].map(c => c.value), familyContacts: family };
  }

  function list(meetings) {
    if (!meetings.length) { return '<p>会議はまだありません。</p>'; }
    return `<ul class="rows meeting-list">${meetings.map(m => `<li data-meeting="${esc(m.id)}"${m.status === 'cancelled' ? ' class="cancelled"' : ''}>
      <a href="#/meetings/${esc(m.id)}"><strong>${esc(m.title)}</strong></a> <span class="badge">${esc(m.kindLabel)}</span>
      <span>${esc(m.when)}</span>${m.status === 'cancelled' ? '<span class="badge cancelled">中止</span>' : ''}
      ${m.myResponse ? `<span class="badge">${ANSWERS[m.myResponse]}</span>` : ''}</li>`).join('')}</ul>`;
  }

  // What she sent to a partner's home node (set up, changed, cancelled): 送信待ち until it answers, then
  // 送信できませんでした with the home node's reason if it refused, as a post written there shows.
  const SENT = { scheduled: '新しい会議', changed: '変更', cancelled: '中止', minutes: '議事録' };
  function submissions(list) {
    if (!list || !list.length) { return ''; }
    return `<ul class="rows meeting-submissions" id="meeting-submissions">${list.map(x => `<li data-submission="${esc(x.id)}">
      <strong>${esc(x.title)}</strong>（${SENT[x.action] || ''}）
      ${x.syncState === 'pending' ? '<span class="badge sync-pending" title="住所地の市町村のノードへの送信を待っています">送信待ち</span>' : ''}
      ${x.syncState === 'rejected' ? `<span class="badge sync-rejected">送信できませんでした</span> <span class="sync-reason">${esc(x.reason || '')}</span>` : ''}</li>`).join('')}</ul>`;
  }

  async function boardMeetings(main, boardId) {
    let data;
    try { data = await T.getJson(`${API}/boards/${encodeURIComponent(boardId)}`); } catch (e) { failure(main, e); return; }
    const back = data.boardKind === 'patient' ? `#/patient/${esc(boardId)}` : `#/group/${esc(boardId)}`;
    main.innerHTML = `<section class="card"><h1>会議 <small>${esc(data.boardName)}</small></h1>
      <p><a href="${back}">← ${data.boardKind === 'patient' ? '支援チーム' : 'グループ'}へ戻る</a></p>
      ${submissions(data.submissions)}<div id="meeting-list">${list(data.meetings)}</div></section>
      <section class="card"><h2>新しい会議</h2>${form(data)}</section>`;
    bindForm(main, data, boardId, null);
  }

  function bindForm(main, data, boardId, meeting) {
    const online = document.getElementById('m-online');
    const video = document.getElementById('m-video');
    const sync = () => { video.hidden = !online.checked; };
    online.addEventListener('change', sync);
    sync();
    document.getElementById('meeting-form').addEventListener('submit', async e => {
      e.preventDefault();
      const error = document.getElementById('meeting-error');
      error.textContent = '';
      try {
        const body = readForm(boardId);
        const saved = meeting ? await T.send('PUT', `${API}/${encodeURIComponent(meeting.id)}`, body)
          : await T.send('POST', API, body);
        if (saved.syncState === 'pending') {
          // A partner's patient: the home node checks the meeting and sends it back to every member's node.
          document.getElementById('meeting-form').reset();
          error.textContent = '';
          document.getElementById('meeting-sent').textContent = meeting
            ? `「${saved.title}」への変更を患者の登録先の地域に送信しました（送信待ち）。確認されると会議に反映されます。`
            : `「${saved.title}」を患者の登録先の地域に送信しました（送信待ち）。確認されると一覧に表示されます。`;
          return;
        }
        location.hash = `#/meetings/${encodeURIComponent(saved.id)}`;
      } catch (err) { error.textContent = err.message; }
    });
  }

  function detail(m) {
    const people = m.participants.map(p => `<tr data-participant="${esc(p.key)}"><td>${esc(p.name)}${p.family ? ' <small>（ご家族）</small>' : ''}</td>
      <td class="answer">${ANSWERS[p.response]}</td><td class="attended">${p.attended ? '出席' : ''}</td></tr>`).join('');
    const join = m.videoUrl && m.status !== 'cancelled'
      ? `<a id="meeting-join" class="button primary join" href="${esc(m.videoUrl)}" target="_blank" rel="noopener noreferrer">参加</a>` : '';
    const answer = m.participant && m.status !== 'cancelled' ? `<div class="actions" id="meeting-answer" role="group" aria-label="出欠">
      ${['attend', 'decline', 'tentative'].map(a => `<button type="button" data-answer="${a}" aria-pressed="${m.myResponse === a}">${ANSWERS[a]}</button>`).join('')}</div>` : '';
    const docs = m.documents.length ? `<ul class="rows" id="meeting-documents">${m.documents.map(d =>
      `<li><a href="${API}/${esc(m.id)}/documents/${esc(d.id)}">${esc(d.name)}</a></li>`).join('')}</ul>` : '';
    const change = m.mayChange && m.status !== 'cancelled' ? `<div class="actions"><a href="#/meetings/${esc(m.id)}?edit=1">会議を変更する</a><button type="button" class="danger" id="meeting-cancel">会議を中止する</button></div>` : '';
    const minutesForm = m.mayMinute ? `<h2>議事録</h2><form id="minutes-form"><div class="field"><label for="minutes-text">議事録</label><textarea id="minutes-text" rows="4" maxlength="8000">${esc(m.minutes)}</textarea></div>
      <div class="field"><label for="minutes-decisions">決定事項</label><textarea id="minutes-decisions" rows="2" maxlength="4000">${esc(m.decisions)}</textarea></div>
      <fieldset><legend>出席者</legend>${m.participants.map(p => `<label class="inline"><input type="checkbox" name="attended" value="${esc(p.key)}"${p.attended ? ' checked' : ''}> ${esc(p.name)}</label>`).join(' ')}</fieldset>
      <button type="submit" class="primary">議事録を記録する</button></form>`
      : m.mayChange && m.status !== 'cancelled' ? '<p class="form-note" id="minutes-later">議事録は会議の開始後に記録できます。</p>' : '';
    const organizer = m.mayRecord && m.status !== 'cancelled' ? `<section class="card"><h2>資料の配布</h2>
      <form id="document-form" class="actions"><input type="file" id="document-file"><button type="submit">配布する</button></form>
      ${minutesForm}${change}</section>`
      : change || minutesForm ? `<section class="card"><h2>会議の変更・中止・議事録</h2><p class="form-note">患者の登録先の地域に送信され、確認されると参加者全員に知らされます。</p>${minutesForm}${change}</section>` : '';
    return `<section class="card meeting"><h1>${esc(m.title)}</h1>
      <p><span class="badge">${esc(m.kindLabel)}</span>${m.status === 'cancelled' ? ' <span class="badge cancelled" id="meeting-cancelled">中止</span>' : ''}</p>
      <dl class="facts"><dt>日時</dt><dd id="meeting-when">${esc(m.when)}</dd><dt>場所</dt><dd>${esc(m.place || (m.online ? 'オンライン' : ''))}</dd>
      <dt>ボード</dt><dd><a href="#/${m.boardKind === 'patient' ? 'patient' : 'group'}/${esc(m.boardId)}">${esc(m.boardName)}</a></dd>
      ${m.agenda ? `<dt>議題</dt><dd class="pre">${esc(m.agenda)}</dd>` : ''}</dl>
      <div class="actions">${join}<a href="${API}/${esc(m.id)}/ics">カレンダーに追加（.ics）</a></div>${answer}
      <p id="meeting-message" role="status"></p>${submissions(m.submissions)}
      <h2>参加者</h2><div class="table-scroll"><table class="data-table" id="meeting-participants"><thead><tr><th>氏名</th><th>出欠</th><th>出席</th></tr></thead><tbody>${people}</tbody></table></div>
      ${docs ? `<h2>資料</h2>${docs}` : ''}
      ${m.minutesAt ? `<h2>議事録</h2><p class="pre" id="meeting-minutes">${esc(m.minutes)}</p>${m.decisions ? `<h3>決定事項</h3><p class="pre">${esc(m.decisions)}</p>` : ''}` : ''}</section>${organizer}`;
  }

  async function oneMeeting(main, id) {
    let m;
    try { m = await T.getJson(`${API}/${encodeURIComponent(id)}`); } catch (e) { failure(main, e); return; }
    if (T.hashParam('edit') && m.mayChange && m.status !== 'cancelled') {
      const data = await T.getJson(`${API}/boards/${encodeURIComponent(m.boardId)}`);
      main.innerHTML = `<section class="card"><h1>会議の変更</h1>${form(data, m)}</section>`;
      bindForm(main, data, m.boardId, m);
      return;
    }
    main.innerHTML = detail(m);
    const say = text => { document.getElementById('meeting-message').textContent = text; };
    main.querySelectorAll('[data-answer]').forEach(b => b.addEventListener('click', async () => {
      try {
        await T.send('POST', `${API}/${encodeURIComponent(id)}/responses`, { response: b.dataset.answer });
        await oneMeeting(main, id);
        document.getElementById('meeting-message').textContent = `「${ANSWERS[b.dataset.answer]}」で回答しました。`;
      } catch (e) { say(e.message); }
    }));
    const cancel = document.getElementById('meeting-cancel');
    if (cancel) {
      cancel.addEventListener('click', async () => {
        if (!window.confirm('この会議を中止して、参加者全員に知らせますか？')) { return; }
        try {
          const sent = await T.send('POST', `${API}/${encodeURIComponent(id)}/cancel`, {});
          await oneMeeting(main, id);
          if (sent.syncState === 'pending') {
            document.getElementById('meeting-message').textContent = '中止を患者の登録先の地域に送信しました（送信待ち）。確認されると参加者全員に知らされます。';
          }
        } catch (e) { say(e.message); }
      });
    }
    if (document.getElementById('minutes-form')) {
      document.getElementById('minutes-form').addEventListener('submit', async e => {
        e.preventDefault();
        try {
          const sent = await T.send('PUT', `${API}/${encodeURIComponent(id)}/minutes`, { minutes: document.getElementById('minutes-text').value,
            decisions: document.getElementById('minutes-decisions').value,
            attended: [...main.querySelectorAll('input[name=attended]:checked')].map(c => c.value) });
          await oneMeeting(main, id);
          document.getElementById('meeting-message').textContent = sent && sent.syncState === 'pending'
            ? '議事録を患者の登録先の地域に送信しました。' : '議事録を記録し、ボードに投稿しました。';
        } catch (err) { say(err.message); }
      });
    }
    if (document.getElementById('document-form')) {
      document.getElementById('document-form').addEventListener('submit', async e => {
        e.preventDefault();
        const file = document.getElementById('document-file').files[0];
        if (!file) { say('ファイルを選んでください。'); return; }
        try {
          await T.send('POST', `${API}/${encodeURIComponent(id)}/documents`, file, { 'X-File-Name': encodeURIComponent(file.name) });
          await oneMeeting(main, id);
        } catch (err) { say(err.message); }
      });
    }
  }

  T.views.meetings = async function (main) {
    if (needsLogin(main)) { return; }
    const id = location.hash.replace(/^#\/meetings\/?/, '').split('?')[0];
    const board = T.hashParam('board');
    if (id) { return oneMeeting(main, id); }
    if (board) { return boardMeetings(main, board); }
    location.hash = '#/calendar';
  };

  // 予定: this week and next week, by day, and the personal calendar feed.
  T.views.calendar = async function (main) {
    if (needsLogin(main)) { return; }
    const week = T.hashParam('week') === '1' ? 1 : 0;
    let data;
    try { data = await T.getJson(`/api/v1/calendar?week=${week}`); } catch (e) { failure(main, e); return; }
    const days = {};
    data.meetings.forEach(m => { (days[m.date] = days[m.date] || []).push(m); });
    const label = d => new Date(`${d}T00:00:00+09:00`).toLocaleDateString('ja-JP', { month: 'long', day: 'numeric', weekday: 'short', timeZone: 'Asia/Tokyo' });
    main.innerHTML = `<section class="card"><h1>予定</h1>
      <nav class="tabs" aria-label="週の切り替え"><a href="#/calendar" id="week-this" aria-selected="${week === 0}">今週</a><a href="#/calendar?week=1" id="week-next" aria-selected="${week === 1}">来週</a></nav>
      <p>${esc(data.from)} 〜 ${esc(data.to)}</p>
      <div id="calendar-days">${Object.keys(days).length ? Object.keys(days).sort().map(d => `<h2>${esc(label(d))}</h2>${list(days[d])}`).join('')
        : '<p id="calendar-empty">この週の会議はありません。</p>'}</div></section>
      <section class="card"><h2>カレンダーアプリとの連携</h2>
      <p>個人用のアドレスをカレンダーアプリ（iPhone・Google カレンダー・Outlook）に登録すると、会議の予定が表示されます。アドレスは他の人に教えないでください。</p>
      <div class="actions"><button type="button" id="feed-new">${data.feedActive ? 'アドレスを発行し直す' : 'アドレスを発行する'}</button>
      ${data.feedActive ? '<button type="button" class="danger" id="feed-revoke">アドレスを無効にする</button>' : ''}</div>
      <p id="feed-url" class="pre"></p></section>`;
    document.getElementById('feed-new').addEventListener('click', async () => {
      try {
        const made = await T.send('POST', '/api/v1/calendar/feed', {});
        document.getElementById('feed-url').innerHTML = `発行しました（この画面でのみ表示されます）:<br><code id="feed-address">${esc(made.url)}</code>`;
      } catch (e) { document.getElementById('feed-url').textContent = e.message; }
    });
    const revoke = document.getElementById('feed-revoke');
    if (revoke) {
      revoke.addEventListener('click', async () => {
        try {
          await T.send('POST', '/api/v1/calendar/feed/revoke', {});
          document.getElementById('feed-url').textContent = 'アドレスを無効にしました。';
          revoke.remove();
        } catch (e) { document.getElementById('feed-url').textContent = e.message; }
      });
    }
  };
})();
