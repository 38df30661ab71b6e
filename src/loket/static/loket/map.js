// Map pins: turns <div data-map ...> into a Leaflet map with one draggable pin.
//
// Markup (the page works without JavaScript: the inputs stay ordinary fields):
//   {% block map_assets %}{% include "includes/map_assets.html" %}{% endblock %}
//   <div data-map data-tiles="{{ MAP_TILE_URL }}" data-lat="-5.43" data-lng="105.26"
//        data-zoom="15" data-input-lat="id_latitude" data-input-lng="id_longitude"
//        data-attribution="© OpenStreetMap" data-label="{% translate 'Peta lokasi' %}"
//        data-readonly></div>
// data-input-lat / data-input-lng name the ids of the inputs the pin writes to; values
// already in those inputs win over data-lat / data-lng. Without a position the map shows
// data-lat/data-lng (or Indonesia) and the pin is placed at the first tap.
// data-readonly shows the pin without letting it move.
(function () {
  "use strict";
  var script = document.currentScript;
  var INDONESIA = [-2.5, 118.0];

  function num(value) {
    if (value === null || value === undefined || String(value).trim() === "") return null;
    var n = parseFloat(String(value).replace(",", "."));
    return isFinite(n) ? n : null;
  }

  function icon() {
    if (!script || !script.dataset.icon) return new L.Icon.Default();
    return L.icon({
      iconUrl: script.dataset.icon,
      iconRetinaUrl: script.dataset.icon2x || script.dataset.icon,
      shadowUrl: script.dataset.shadow,
      iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41],
    });
  }

  function enhance(el) {
    if (el.dataset.mapReady) return;
    el.dataset.mapReady = "1";
    var latInput = el.dataset.inputLat ? document.getElementById(el.dataset.inputLat) : null;
    var lngInput = el.dataset.inputLng ? document.getElementById(el.dataset.inputLng) : null;
    var lat = num(latInput && latInput.value);
    var lng = num(lngInput && lngInput.value);
    if (lat === null || lng === null) {
      lat = num(el.dataset.lat);
      lng = num(el.dataset.lng);
    }
    var hasPoint = lat !== null && lng !== null;
    var readonly = el.hasAttribute("data-readonly");
    var zoom = num(el.dataset.zoom) || (hasPoint ? 15 : 5);

    el.classList.add("map");
    if (!el.hasAttribute("role")) el.setAttribute("role", "region");
    if (el.dataset.label) el.setAttribute("aria-label", el.dataset.label);
    var map = L.map(el, { scrollWheelZoom: false }).setView(
      hasPoint ? [lat, lng] : INDONESIA, zoom
    );
    if (el.dataset.tiles) {
      L.tileLayer(el.dataset.tiles, {
        maxZoom: 19,
        attribution: el.dataset.attribution || "© OpenStreetMap",
      }).addTo(map);
    }

    var marker = null;
    function write(point) {
      if (latInput) latInput.value = point.lat.toFixed(6);
      if (lngInput) lngInput.value = point.lng.toFixed(6);
      [latInput, lngInput].forEach(function (input) {
        if (input) input.dispatchEvent(new Event("change", { bubbles: true }));
      });
    }
    function place(point) {
      if (marker) {
        marker.setLatLng(point);
        return;
      }
      marker = L.marker(point, { draggable: !readonly, keyboard: true, icon: icon() }).addTo(map);
      marker.on("dragend", function () { write(marker.getLatLng()); });
    }
    if (hasPoint) place([lat, lng]);
    if (!readonly) {
      map.on("click", function (event) {
        place(event.latlng);
        write(event.latlng);
      });
    }
    // Typing coordinates moves the pin too.
    [latInput, lngInput].forEach(function (input) {
      if (!input) return;
      input.addEventListener("input", function () {
        var a = num(latInput && latInput.value), b = num(lngInput && lngInput.value);
        if (a !== null && b !== null && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
          place([a, b]);
          map.panTo([a, b]);
        }
      });
    });
    el.loketMap = map;
  }

  function init(root) {
    if (typeof L === "undefined") return;
    (root || document).querySelectorAll("[data-map]").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(); });
  } else {
    init();
  }
  // Maps inside fragments swapped in by htmx.
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();
