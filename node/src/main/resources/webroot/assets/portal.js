// Small behaviours of the portal pages that cannot be inline (the CSP allows only this site's scripts).
(function () {
  'use strict';
  document.addEventListener('click', event => {
    const target = event.target.closest('[data-action="print"]');
    if (target) {
      event.preventDefault();
      window.print();
    }
  });
})();
