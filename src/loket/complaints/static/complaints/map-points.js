// The public map: loads the pins of the visible area from the map-data endpoint (compact
// JSON) and shows a popup per report. Popup text is set as text, never as HTML.
(function () {
  "use strict";
  var el = document.getElementById("report-map");
  if (!el) return;

  function clamp(value, low, high) { return Math.min(high, Math.max(low, value)); }

  function start() {
    var map = el.loketMap;
    if (!map || typeof L === "undefined") return;
    var labelsEl = document.getElementById("map-labels");
    var labels = labelsEl ? JSON.parse(labelsEl.textContent) : {};
    var status = document.getElementById("map-status");
    var layer = L.layerGroup().addTo(map);
    var lat = parseFloat(el.dataset.centerLat), lng = parseFloat(el.dataset.centerLng);
    if (isFinite(lat) && isFinite(lng)) map.setView([lat, lng], 13);

    function say(text) { if (status) status.textContent = text || ""; }

    function popup(number, category, state) {
      var box = document.createElement("div");
      var title = document.createElement("strong");
      title.textContent = number;
      box.appendChild(title);
      var meta = document.createElement("p");
      meta.textContent = ((labels.category || {})[category] || category) + " · " +
        ((labels.status || {})[state] || state);
      box.appendChild(meta);
      var link = document.createElement("a");
      link.href = (el.dataset.detailUrl || "/pengaduan/") + encodeURIComponent(number) + "/";
      link.textContent = labels.open || number;
      box.appendChild(link);
      return box;
    }

    var timer = null, seq = 0;
    function load() {
      var b = map.getBounds();
      var box = [
        clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
        clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90),
      ].map(function (v) { return v.toFixed(5); }).join(",");
      var params = new URLSearchParams({ bbox: box });
      if (el.dataset.kategori) params.set("kategori", el.dataset.kategori);
      if (el.dataset.status) params.set("status", el.dataset.status);
      var mine = ++seq;
      fetch(el.dataset.pointsUrl + "?" + params.toString(), { credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (data) {
          if (mine !== seq) return;
          layer.clearLayers();
          (data.points || []).forEach(function (p) {
            L.circleMarker([p[1], p[2]], { radius: 8, color: "#08457f", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.7 })
              .bindPopup(popup(p[0], p[3], p[4]))
              .addTo(layer);
          });
          var n = (data.points || []).length;
          if (data.truncated) say(labels.truncated);
          else say(n ? (labels.count || "%(n)s").replace("%(n)s", String(n)) : labels.empty);
        })
        .catch(function () { if (mine === seq) say(labels.error); });
    }
    map.on("moveend", function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(load, 250);
    });
    load();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
