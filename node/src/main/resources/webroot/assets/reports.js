// レポート (分析／評価): 行政's usage report. A period (months), one area at a time (each municipality the
// node serves, and the whole node for what cannot be told apart by municipality), a line chart of the
// team's activity over the months, a bar chart of the professionals by 職種 in the last month, every
// figure as a table (which screen readers read, and which stays when the chart library cannot load),
// and the CSV export of the same period. Counts only: no patient is named here.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;
  const API = '/api/v1/reports/usage';
  // The WebJar's version is pinned in the root pom (chartjs.version).
  const CHART_JS = '/webjars/chart.js/4.4.7/dist/chart.umd.js';
  const TREND = ['care.posts', 'care.comments', 'care.attachments', 'care.teams_active'];
  const STOCKS = ['care.patients', 'identity.facilities', 'identity.professionals', 'identity.professionals_active_7d',
    'identity.professionals_active_30d', 'resources.published', 'teamsync.teams_spanning'];
  const COLOURS = ['#2e6da4', '#c0392b', '#16a085', '#8e44ad', '#d35400', '#7f8c8d'];

  let loading = null;
  function loadChartJs() {
    if (window.Chart) { return Promise.resolve(window.Chart); }
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const script = document.createElement('script');
        script.src = CHART_JS;
        script.onload = () => resolve(window.Chart);
        script.onerror = () => { loading = null; reject(new Error('グラフを読み込めませんでした。')); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function keysOf(area) {
    const keys = [];
    area.months.forEach(m => Object.keys(m.figures).forEach(k => { if (!keys.includes(k)) { keys.push(k); } }));
    return keys;
  }

  function table(report, area) {
    const keys = keysOf(area);
    if (!keys.length) { return '<p id="report-empty">この期間の数字はありません。</p>'; }
    return `<div class="table-scroll"><table class="data-table" id="report-table"><caption>${esc(area.name)}の月別の数字</caption>
      <thead><tr><th scope="col">項目</th>${area.months.map(m => `<th scope="col">${esc(m.month)}</th>`).join('')}</tr></thead>
      <tbody>${keys.map(k => `<tr data-key="${esc(k)}"><th scope="row">${esc(report.labels[k] || k)}</th>${area.months.map(m =>
        `<td>${m.figures[k] == null ? '' : esc(String(m.figures[k]))}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`;
  }

  async function charts(box, report, area) {
    const keys = keysOf(area);
    const trend = TREND.filter(k => keys.includes(k));
    const last = area.months[area.months.length - 1];
    const bars = keys.filter(k => k.includes(':'));
    box.innerHTML = `${trend.length ? `<figure class="vitals-chart report-chart"><figcaption>チームの活動（月別）</figcaption>
        <div class="vitals-canvas"><canvas id="report-trend" role="img" aria-label="記事・コメント・添付の月別の推移"></canvas></div></figure>` : ''}
      ${bars.length ? `<figure class="vitals-chart report-chart"><figcaption>内訳（${esc(last.month)}）</figcaption>
        <div class="vitals-canvas"><canvas id="report-bars" role="img" aria-label="職種別などの内訳"></canvas></div></figure>` : ''}`;
    let Chart;
    try { Chart = await loadChartJs(); } catch (e) { box.insertAdjacentHTML('beforeend', `<p class="form-error">${esc(e.message)}</p>`); return; }
    const common = { responsive: true, maintainAspectRatio: false, animation: false };
    const labels = area.months.map(m => m.month);
    if (trend.length) {
      new Chart(document.getElementById('report-trend'), { type: 'line', data: { labels, datasets: trend.map((k, i) => ({
        label: report.labels[k] || k, data: area.months.map(m => m.figures[k] || 0), borderColor: COLOURS[i % COLOURS.length] })) },
        options: common });
    }
    if (bars.length) {
      new Chart(document.getElementById('report-bars'), { type: 'bar', data: { labels: bars.map(k => report.labels[k] || k),
        datasets: [{ label: last.month, data: bars.map(k => last.figures[k] || 0), backgroundColor: '#2e6da4' }] },
        options: Object.assign({ indexAxis: 'y' }, common) });
    }
    box.dataset.charts = 'drawn';
  }

  // The pact report: per node (this one first) the period's counts summed over its months (a stock at the
  // last month); a count a node suppressed is "<5", and a month where it was suppressed makes the sum a
  // lower bound ("以上").
  async function pact(box, from, to) {
    box.innerHTML = '<p role="status">連携先に問い合わせています…</p>';
    let data;
    try { data = await T.getJson(`${API.replace('/usage', '/pact')}?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`); } catch (e) {
      box.innerHTML = `<p class="form-error">${esc(e.message)}</p>`; return;
    }
    const keys = Object.keys(data.labels);
    const cell = (node, key) => {
      let sum = 0; let hidden = false;
      // A stock (registered at the month's end) is read at the last month; a flow is summed.
      const months = STOCKS.some(p => key === p || key.startsWith(p + ':')) ? Object.keys(node.months).sort().slice(-1)
        : Object.keys(node.months);
      months.forEach(m => {
        if (node.months[m][key] != null) { sum += node.months[m][key]; }
        if ((node.suppressed[m] || []).includes(key)) { hidden = true; }
      });
      return hidden ? (sum ? `${sum} 以上` : `<${data.smallCell}`) : String(sum);
    };
    box.innerHTML = `<div class="table-scroll"><table class="data-table" id="report-pact-table"><caption>${esc(from)}〜${esc(to)}（登録数は最終月、件数は期間の合計）</caption>
      <thead><tr><th scope="col">項目</th>${data.nodes.map(n => `<th scope="col">${esc(n.node)}</th>`).join('')}</tr></thead>
      <tbody>${keys.map(k => `<tr data-key="${esc(k)}"><th scope="row">${esc(data.labels[k])}</th>${data.nodes.map(n =>
        `<td>${esc(cell(n, k))}</td>`).join('')}</tr>`).join('')}</tbody></table></div>
      ${data.nodes.length === 1 && !data.unanswered.length ? '<p id="report-pact-none">statistics の協定を結んだ連携先はありません。</p>' : ''}
      ${data.unanswered.length ? `<p id="report-pact-unanswered" class="form-error">回答のなかったノード: ${data.unanswered.map(u =>
        `${esc(u.node)}（${esc(u.code)}）`).join('、')}</p>` : ''}`;
  }

  T.views.reports = async function (main) {
    if (T.identity && T.identity.requireLogin(main)) { return; }
    const from = T.hashParam('from') || '';
    const to = T.hashParam('to') || '';
    main.innerHTML = `<section class="card"><h1>レポート（利用状況）</h1>
      <p>在宅医療・介護連携推進事業の評価のための月別の数字です。患者の氏名は含みません。期間は最長 5 年です。</p>
      <form id="report-form" class="stack report-form"><div class="actions">
        <label>開始月 <input type="month" id="report-from" name="from" value="${esc(from)}"></label>
        <label>終了月 <input type="month" id="report-to" name="to" value="${esc(to)}"></label>
        <button type="submit" class="primary">集計</button></div>
        <p class="form-error" id="report-error" role="alert" hidden></p></form>
      <p id="report-generated" class="notice" hidden>デモ用に生成した1年分の利用状況（月ごとの集計値）を含みます。</p></section>
      <section class="card" id="report-body"><p role="status">読み込み中…</p></section>`;
    const form = document.getElementById('report-form');
    form.addEventListener('submit', e => {
      e.preventDefault();
      const q = new URLSearchParams();
      if (form.elements.from.value) { q.set('from', form.elements.from.value); }
      if (form.elements.to.value) { q.set('to', form.elements.to.value); }
      const hash = `#/reports?${q}`;
      if (location.hash === hash) { T.views.reports(main); } else { location.hash = hash; }
    });
    const query = new URLSearchParams();
    if (from) { query.set('from', from); }
    if (to) { query.set('to', to); }
    let report;
    try { report = await T.getJson(`${API}?${query}`); } catch (e) {
      const problem = document.getElementById('report-error');
      problem.hidden = false;
      problem.textContent = e.message;
      document.getElementById('report-body').innerHTML = '';
      return;
    }
    form.elements.from.value = report.from;
    form.elements.to.value = report.to;
    document.getElementById('report-generated').hidden = !report.generated;
    const body = document.getElementById('report-body');
    const csv = `${API}.csv?from=${encodeURIComponent(report.from)}&to=${encodeURIComponent(report.to)}`;
    body.innerHTML = `<div class="actions"><label>地域 <select id="report-area">${report.areas.map((a, i) =>
        `<option value="${i}">${esc(a.name)}</option>`).join('')}</select></label>
      <a class="button" id="report-csv" href="${esc(csv)}" download>CSV（Excel 用）をダウンロード</a></div>
      <div id="report-charts"></div><div id="report-figures"></div>
      <section class="report-pact"><h2>広域連携のレポート</h2>
        <p>協定（statistics）を結んだ連携先に、同じ期間の件数だけを尋ねます。5 未満の件数は各ノードで伏せられます。</p>
        <button type="button" id="report-pact-ask">連携先の数字を集める</button><div id="report-pact"></div></section>`;
    document.getElementById('report-pact-ask').addEventListener('click', () =>
      pact(document.getElementById('report-pact'), report.from, report.to));
    const select = document.getElementById('report-area');
    const draw = async () => {
      const area = report.areas[Number(select.value)];
      document.getElementById('report-figures').innerHTML = table(report, area);
      await charts(document.getElementById('report-charts'), report, area);
    };
    select.addEventListener('change', draw);
    await draw();
  };
})();
