// Puts the resources of a server-rendered list on a Leaflet map. The list is the page's content:
// when Leaflet or the tiles cannot load, the list still shows everything, and the map box is hidden.
(function () {
  'use strict';
  // Leaflet's marker images in the node's WebJar (PortalLayout.LEAFLET): said explicitly, since
  // Leaflet's guess from its stylesheet fails when the stylesheet has not loaded yet.
  const IMAGES = '/webjars/leaflet/1.9.4/dist/images/';

  function start() {
    const box = document.getElementById('map');
    if (!box) { return; }
    if (typeof L === 'undefined') {
      box.classList.add('map-unavailable');
      return;
    }
    L.Icon.Default.imagePath = IMAGES;
    const list = document.getElementById(box.dataset.list);
    const items = list ? Array.from(list.querySelectorAll('[data-lat][data-lon]')) : [];
    const map = L.map(box, { scrollWheelZoom: false });
    const attribution = document.createElement('a');
    attribution.href = box.dataset.attributionUrl;
    attribution.textContent = box.dataset.attribution;
    attribution.rel = 'noopener';
    L.tileLayer(box.dataset.tileUrl, { maxZoom: 18, attribution: attribution.outerHTML }).addTo(map);
    const points = [];
    items.forEach(item => {
      const point = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
      if (Number.isNaN(point[0]) || Number.isNaN(point[1])) { return; }
      const link = document.createElement('a');
      link.href = item.dataset.href;
      link.textContent = item.dataset.name;
      L.marker(point, { title: item.dataset.name, alt: item.dataset.name }).addTo(map).bindPopup(link);
      points.push(point);
    });
    const origin = box.dataset.originLat ? [parseFloat(box.dataset.originLat), parseFloat(box.dataset.originLon)] : null;
    if (origin) {
      L.circleMarker(origin, { radius: 9, color: '#e07a2e', weight: 3 }).addTo(map).bindPopup('基準地点');
      points.push(origin);
    }
    if (points.length === 1) {
      map.setView(points[0], 15);
    } else if (points.length > 1) {
      map.fitBounds(points, { padding: [24, 24], maxZoom: 16 });
    } else {
      map.setView([36.2, 138.0], 5);
    }
    box.dataset.markers = String(items.length);
  }

  document.addEventListener('DOMContentLoaded', start);
})();
