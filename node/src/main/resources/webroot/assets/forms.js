// The one way every form tells people what is wrong (the approach 地域資源の新規登録 started): a summary
// of all problems at the top of the form, each problem again beside its field, fields marked 必須,
// and messages in plain Japanese. The node's stable code never reaches the page; the request id does,
// as a small お問い合わせ用番号 line, so support can find the whole story in the log.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const esc = T.escapeHtml;

  // "お問い合わせ用番号: …" for an error the node answered, as HTML ('' when there is no request id).
  function supportLine(error) {
    return error && error.requestId
      ? `<small class="support-id">お問い合わせ用番号: <code>${esc(error.requestId)}</code></small>` : '';
  }

  // One error in one message element: the plain message, then the support line.
  function showError(element, error) {
    if (!element) { return; }
    element.hidden = false;
    element.classList.remove('form-ok');
    element.classList.add('form-error');
    const support = supportLine(error);
    element.innerHTML = esc(error.message) + (support ? '<br>' + support : '');
  }

  function control(form, name) {
    const el = form.elements[name];
    return el && el.length !== undefined && !el.tagName ? el[0] : el;
  }

  // Where a field's own message goes: after its .field block, or after the label holding the control.
  function slot(form, name) {
    const el = control(form, name);
    if (!el) { return null; }
    const holder = el.closest('.field') || el.closest('label') || el;
    let box = form.querySelector(`.field-error[data-for="${CSS.escape(name)}"]`);
    if (!box) {
      box = document.createElement('small');
      box.className = 'field-error';
      box.dataset.for = name;
      box.id = `${form.id || 'form'}-error-${name}`;
      if (holder.classList.contains('field')) { holder.appendChild(box); } else { holder.after(box); }
    }
    return { el, box };
  }

  function clearProblems(form) {
    form.querySelectorAll('.field-error[data-for]').forEach(b => { b.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
    const summary = form.querySelector('.problem-summary');
    if (summary) { summary.hidden = true; summary.innerHTML = ''; }
  }

  // Every problem of a refused form: the node's `fields` list when it sent one, otherwise the one
  // message (beside `fallbackField` when given). The summary goes first in the form.
  function showProblems(form, error, fallbackField) {
    clearProblems(form);
    let problems = (error.body && error.body.fields) || [];
    if (!problems.length && fallbackField) { problems = [{ field: fallbackField, message: error.message }]; }
    let summary = form.querySelector('.problem-summary');
    if (!summary) {
      summary = document.createElement('div');
      summary.className = 'problem-summary';
      summary.setAttribute('role', 'alert');
      summary.tabIndex = -1;
      form.prepend(summary);
    }
    summary.hidden = false;
    summary.innerHTML = (problems.length
      ? `<p>入力内容に誤りがあります（${problems.length} 件）。</p><ul>${problems.map(p => {
        const target = control(form, p.field);
        return `<li>${target && target.id ? `<a href="#${esc(target.id)}" data-focus="${esc(target.id)}">${esc(p.message)}</a>` : esc(p.message)}</li>`;
      }).join('')}</ul>`
      : `<p>${esc(error.message)}</p>`) + supportLine(error);
    summary.querySelectorAll('[data-focus]').forEach(a => a.addEventListener('click', e => {
      e.preventDefault();
      document.getElementById(a.dataset.focus).focus();
    }));
    problems.forEach(p => {
      const found = slot(form, p.field);
      if (!found) { return; }
      found.box.textContent = (found.box.textContent ? found.box.textContent + ' ' : '') + p.message;
      found.el.setAttribute('aria-invalid', 'true');
      found.el.setAttribute('aria-describedby', found.box.id);
    });
    summary.scrollIntoView({ block: 'start' });
  }

  // A 必須 mark on the label of every required control of the form (once).
  function markRequired(form) {
    form.querySelectorAll('[required]').forEach(el => {
      const label = (el.id && form.querySelector(`label[for="${CSS.escape(el.id)}"]`)) || el.closest('label');
      if (!label || label.querySelector('.required')) { return; }
      const mark = document.createElement('span');
      mark.className = 'required';
      mark.textContent = '必須';
      const inner = label.firstChild;
      if (label.contains(el) && inner && inner.nodeType === Node.TEXT_NODE) { inner.after(mark); } else { label.appendChild(mark); }
    });
  }

  T.forms = { supportLine, showError, showProblems, clearProblems, markRequired };
})();
