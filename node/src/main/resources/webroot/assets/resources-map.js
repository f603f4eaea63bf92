// Leaflet for the shell's screens (地域資源の管理, 周辺資源): loaded from the node's WebJar only when
// a screen draws a map, with the tile URL and attribution the node is configured with. Without
// Leaflet or tiles the screens still work: coordinates can be typed, lists show every resource.
(function () {
  'use strict';
  const T = window.Tsunagu;
  if (!T) { return; }
  const LEAFLET = '/webjars/leaflet/1.9.4/dist/';
  let loading = null;

  // Leaflet guesses its marker images' folder from its stylesheet, which may not have loaded yet when
  // the script has: a wrong guess shows broken markers. The WebJar's folder is known, so say it.
  function withImages(L) {
    L.Icon.Default.imagePath = LEAFLET + 'images/';
    return L;
  }

  function load() {
    if (window.L) { return Promise.resolve(withImages(window.L)); }
    if (!loading) {
      loading = new Promise((resolve, reject) => {
        const css = document.createElement('link');
        css.rel = 'stylesheet';
        css.href = LEAFLET + 'leaflet.css';
        document.head.appendChild(css);
        const script = document.createElement('script');
        script.src = LEAFLET + 'leaflet.js';
        script.onload = () => resolve(withImages(window.L));
        script.onerror = () => { loading = null; reject(new Error('地図を読み込めませんでした。')); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  // Leaflet.markercluster (the disaster map's clusters), loaded after Leaflet when a screen asks for it.
  const CLUSTER = '/webjars/leaflet-markercluster/1.4.1/';
  let clustering = null;

  function loadClusters() {
    if (!clustering) {
      clustering = load().then(L => L.markerClusterGroup ? L : new Promise((resolve, reject) => {
        ['MarkerCluster.css', 'MarkerCluster.Default.css'].forEach(name => {
          const css = document.createElement('link');
          css.rel = 'stylesheet';
          css.href = CLUSTER + name;
          document.head.appendChild(css);
        });
        const script = document.createElement('script');
        script.src = CLUSTER + 'leaflet.markercluster.js';
        script.onload = () => resolve(window.L);
        script.onerror = () => { clustering = null; reject(new Error('地図のまとめ表示を読み込めませんでした。')); };
        document.head.appendChild(script);
      }));
    }
    return clustering;
  }

  // A map in `box` with the configured background; centred on `settings.centre` or on Japan.
  async function create(box, settings) {
    const L = await load();
    const map = L.map(box, { scrollWheelZoom: false });
    const attribution = document.createElement('a');
    attribution.href = settings.attributionUrl;
    attribution.textContent = settings.attribution;
    attribution.rel = 'noopener';
    L.tileLayer(settings.tileUrl, { maxZoom: 18, attribution: attribution.outerHTML }).addTo(map);
    if (settings.centre) {
      map.setView([settings.centre.latitude, settings.centre.longitude], 13);
    } else {
      map.setView([36.2, 138.0], 5);
    }
    return { L, map };
  }

  T.maps = { load, loadClusters, create };
})();
