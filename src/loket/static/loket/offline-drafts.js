// Reports kept on the device until the server has them. On the report form
// (form[data-offline-drafts]), a submit keeps the text fields and the ids of photos already
// uploaded (not the files) in localStorage, with the form's idempotency key:
// - offline: instead of sending; the form gets a fresh key for the next report;
// - online: the browser still posts the form (it works without this file), but a weak
//   connection may lose the request or its answer, so a copy is kept "in flight" with the key
//   being sent, and the key is noted in sessionStorage. The next page of this tab settles it:
//   the "submitted" page ([data-report-submitted]), or the form sent back with that key and its
//   errors, removes the copy; any other page turns it into an ordinary draft. Other tabs leave
//   an in-flight copy alone for HOLD ms, while its answer may still come.
// On any page (pwa.js loads this file while a draft is waiting): when the device is online —
// at page load and on the "online" event — each draft is POSTed once to the form's address
// with its own idempotency key, so a draft sent twice still files one report; it is then
// removed and the tracking page is linked. Texts come from data-* attributes rendered by the
// form template and are kept with the draft for the pages that do not have them.
(function () {
  "use strict";
  if (window.loketDrafts) return;
  var STORE = "loket.drafts.v1";
  var TAB = "loket.drafts.inflight"; // sessionStorage: the key this tab has just posted
  var HOLD = 120000; // ms other tabs wait before sending a copy still in flight
  var TEXTS = ["saved", "photosSkipped", "sending", "sent", "open", "failed", "check"];
  var syncing = false;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(STORE) || "[]") || []; } catch (e) { return []; }
  }
  function save(drafts) {
    try {
      if (drafts.length) window.localStorage.setItem(STORE, JSON.stringify(drafts));
      else window.localStorage.removeItem(STORE);
      return true;
    } catch (e) { return false; }
  }
  function newKey() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function statusBox() {
    var box = document.querySelector("[data-draft-status]");
    if (box) return box;
    var main = document.getElementById("main") || document.body;
    var list = document.createElement("ul");
    list.className = "messages";
    list.setAttribute("role", "status");
    box = document.createElement("li");
    box.className = "msg-info";
    box.setAttribute("data-draft-status", "");
    list.appendChild(box);
    main.insertBefore(list, main.firstChild);
    return box;
  }
  function show(text, link, linkText, testid) {
    var box = statusBox();
    box.textContent = text || "";
    box.hidden = false;
    if (link) {
      box.appendChild(document.createTextNode(" "));
      var a = document.createElement("a");
      a.href = link;
      a.textContent = linkText || link;
      a.setAttribute("data-testid", testid || "draft-link");
      box.appendChild(a);
    }
  }
  function csrfToken(draft) {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : draft.csrf;
  }

  function sendOne(draft) {
    var body = new FormData();
    draft.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    body.set("csrfmiddlewaretoken", csrfToken(draft));
    body.set("idempotency_key", draft.key);
    body.set("action", "submit");
    return fetch(draft.action, { method: "POST", body: body, credentials: "same-origin" }).then(function (response) {
      // Filed: the form redirects to its "submitted" page (the tracking number is in its URL).
      if (response.redirected && response.ok) return { sent: true, url: response.url };
      return { sent: false, status: response.status };
    });
  }

  function sync() {
    if (syncing || navigator.onLine === false) return Promise.resolve([]);
    var drafts = load().filter(function (d) {
      return !d.failed && !(d.inflight && Date.now() - d.inflight < HOLD);
    });
    if (!drafts.length) return Promise.resolve([]);
    syncing = true;
    show(drafts[0].texts.sending);
    var results = [];
    return drafts.reduce(function (chain, draft) {
      return chain.then(function () {
        return sendOne(draft).then(function (result) {
          var rest = load().filter(function (d) { return d.key !== draft.key; });
          if (result.sent) {
            save(rest);
            var number = decodeURIComponent(result.url.replace(/\/$/, "").split("/").pop());
            show(draft.texts.sent + " " + number + ".", result.url, draft.texts.open);
          } else {
            // Refused by the server (e.g. a field no longer valid): keep it, ask to check.
            draft.failed = true;
            draft.status = result.status;
            save(rest.concat([draft]));
            show(draft.texts.failed, draft.page, draft.texts.check, "draft-check");
          }
          results.push(result);
        }, function () { /* still no connection: keep the draft for the next try */ });
      });
    }, Promise.resolve()).then(function () { syncing = false; return results; });
  }

  function keepDraft(form, inflight) {
    var texts = {};
    TEXTS.forEach(function (name) { texts[name] = form.dataset["draft" + name.charAt(0).toUpperCase() + name.slice(1)] || ""; });
    var fields = [];
    var skipped = false;
    var csrf = "";
    new FormData(form).forEach(function (value, name) {
      if (typeof value !== "string") { if (value && value.size) skipped = true; return; }
      if (name === "csrfmiddlewaretoken") { csrf = value; return; }
      if (name === "idempotency_key" || name === "action") return;
      fields.push([name, value]);
    });
    var keyInput = form.querySelector("input[name=idempotency_key]");
    var key = (keyInput && keyInput.value) || newKey();
    var drafts = load();
    var old = drafts.filter(function (d) { return d.key === key; })[0];
    // The same submission again (the form posts this key, or is resent after a lost answer)
    // replaces its copy; any other draft with this key is another report.
    if (old && (inflight || old.inflight)) drafts.splice(drafts.indexOf(old), 1);
    else if (old) key = newKey();
    drafts.push({
      // form.action would be the button named "action": read the attribute.
      key: key, action: new URL(form.getAttribute("action") || "", window.location.href).href, page: window.location.pathname + window.location.search,
      fields: fields, csrf: csrf, texts: texts, savedAt: new Date().toISOString(),
      inflight: inflight ? Date.now() : undefined,
    });
    if (!save(drafts)) return false;
    if (inflight) {
      try { window.sessionStorage.setItem(TAB, key); } catch (e) { /* other tabs send it later */ }
      return true;
    }
    // The next report from this page is a different report.
    if (keyInput) keyInput.value = newKey();
    show(texts.saved + (skipped ? " " + texts.photosSkipped : ""));
    return true;
  }

  // The report this tab posted online, on the next page: answered (this is its "submitted"
  // page, or the form sent back with its key and errors), its copy goes; otherwise the copy
  // becomes an ordinary draft, sent now by sync().
  function settle() {
    var key = null;
    try {
      key = window.sessionStorage.getItem(TAB);
      window.sessionStorage.removeItem(TAB);
    } catch (e) { return; }
    if (!key) return;
    // The errors tell the server's answer from the service worker's copy of the form, which
    // may carry the same key.
    var keyInput = document.querySelector("form[data-offline-drafts] input[name=idempotency_key]");
    var answered = !!document.querySelector("[data-report-submitted]") ||
      !!(keyInput && keyInput.value === key && document.getElementById("error-summary"));
    var drafts = load();
    drafts.forEach(function (d) { if (d.key === key) delete d.inflight; });
    save(answered ? drafts.filter(function (d) { return d.key !== key; }) : drafts);
  }

  // A draft the server refused goes back into the form, to be checked and sent again.
  function restore(form) {
    var drafts = load();
    var failed = drafts.filter(function (d) { return d.failed; })[0];
    if (!failed) return;
    failed.fields.forEach(function (pair) {
      form.querySelectorAll("[name='" + pair[0].replace(/'/g, "") + "']").forEach(function (el) {
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.value === pair[1]) el.checked = true;
        } else if (el.type !== "hidden" && el.type !== "file") {
          el.value = pair[1];
        }
      });
    });
    var keyInput = form.querySelector("input[name=idempotency_key]");
    // Refused as invalid: nothing was filed, the key may be used again. A conflict: a new one.
    if (keyInput) keyInput.value = failed.status === 409 ? newKey() : failed.key;
    save(drafts.filter(function (d) { return d !== failed; }));
    show(failed.texts.failed);
  }

  settle();
  var form = document.querySelector("form[data-offline-drafts]");
  if (form) {
    restore(form);
    // A form opened from the device's copy (offline) must not reuse the key of that copy.
    var keyInput = form.querySelector("input[name=idempotency_key]");
    if (navigator.onLine === false && keyInput) keyInput.value = newKey();
    form.addEventListener("submit", function (event) {
      var action = event.submitter && event.submitter.name === "action" ? event.submitter.value : "submit";
      if (action !== "submit" || event.defaultPrevented) return;
      if (navigator.onLine !== false) keepDraft(form, true); // posted by the browser
      else if (keepDraft(form, false)) event.preventDefault();
    });
  }
  window.addEventListener("online", function () { sync(); });
  window.loketDrafts = { sync: sync, pending: function () { return load(); } };
  sync();
})();
