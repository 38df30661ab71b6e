// Installable portal: registers the service worker (scope "/") and, when the device still
// holds a report not yet confirmed by the server (drafted offline, or posted online while its
// answer has not come: both in the same localStorage list), loads offline-drafts.js to send
// or settle it. Both URLs come from this script tag's data attributes (static URLs are hashed
// in production).
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me) return;
  if ("serviceWorker" in navigator && me.dataset.sw) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register(me.dataset.sw, { scope: "/" }).catch(function () {});
    });
  }
  var pending = false;
  try { pending = !!window.localStorage.getItem("loket.drafts.v1"); } catch (e) { pending = false; }
  if (pending && me.dataset.drafts && !document.querySelector("script[data-offline-drafts]")) {
    var script = document.createElement("script");
    script.src = me.dataset.drafts;
    script.defer = true;
    script.setAttribute("data-offline-drafts", "");
    document.head.appendChild(script);
  }
})();
