// The report form, enhanced: cascading region lists, a character counter, photos uploaded as
// soon as they are chosen (the first photo with GPS moves the map pin). Without this file the
// form still works: its extra buttons refresh the lists, upload photos and offer the location.
(function () {
  "use strict";
  var form = document.querySelector("form[data-report-form]");
  if (!form) return;
  form.querySelectorAll(".no-js-only").forEach(function (el) { el.remove(); });

  // Cascading selects: kabupaten/kota → kecamatan → desa/kelurahan.
  var regionUrl = form.dataset.regionUrl || "/wilayah/";
  form.querySelectorAll("select[data-region-next]").forEach(function (select) {
    select.addEventListener("change", function () {
      var next = document.getElementById(select.dataset.regionNext);
      var clear = next;
      while (clear) {
        var first = clear.querySelector("option[value='']");
        clear.innerHTML = "";
        if (first) clear.appendChild(first);
        clear = clear.dataset.regionNext ? document.getElementById(clear.dataset.regionNext) : null;
      }
      if (!select.value || !next) return;
      fetch(regionUrl + encodeURIComponent(select.value) + "/anak/", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { if (html) next.innerHTML = html; });
    });
  });

  // Characters left in the description.
  form.querySelectorAll("textarea[data-counter]").forEach(function (area) {
    var out = document.getElementById(area.dataset.counter);
    if (!out) return;
    var max = parseInt(out.dataset.max || area.getAttribute("maxlength") || "0", 10);
    var template = out.dataset.template || "%(n)s / %(max)s";
    function update() {
      out.textContent = template.replace("%(n)s", String(area.value.length)).replace("%(max)s", String(max));
    }
    area.addEventListener("input", update);
    update();
  });

  // Photos: upload each one right away and keep it in the form by id.
  var input = document.getElementById("id_photos");
  var list = document.getElementById("photo-list");
  var status = document.getElementById("photo-status");
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var maxPhotos = parseInt((input && input.dataset.max) || "5", 10);
  function say(text) { if (status) status.textContent = text || ""; }
  function count() { return list ? list.querySelectorAll("input[name=photo_ids]:checked").length : 0; }
  function addPhoto(data) {
    var li = document.createElement("li");
    var label = document.createElement("label");
    label.className = "choice";
    var box = document.createElement("input");
    box.type = "checkbox"; box.name = "photo_ids"; box.value = data.id; box.checked = true;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" "));
    if (data.thumbnail_url) {
      var img = document.createElement("img");
      img.src = data.thumbnail_url; img.alt = ""; img.width = 48; img.height = 36;
      label.appendChild(img);
      label.appendChild(document.createTextNode(" "));
    }
    label.appendChild(document.createTextNode(data.name || ""));
    li.appendChild(label);
    list.appendChild(li);
  }
  function usePin(pin) {
    if (!pin || !lat || !lng || lat.value || lng.value) return false;
    lat.value = Number(pin[0]).toFixed(6);
    lng.value = Number(pin[1]).toFixed(6);
    [lat, lng].forEach(function (el) {
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
    return true;
  }
  function upload(files) {
    if (!files.length) { input.value = ""; return; }
    var file = files.shift();
    if (count() >= maxPhotos) {
      say(status.dataset.max);
      input.value = "";
      return;
    }
    say(status.dataset.uploading);
    var body = new FormData();
    body.append("photo", file);
    fetch(form.dataset.photoUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    })
      .then(function (r) { return r.json().then(function (data) { return { ok: r.ok, data: data }; }); })
      .then(function (result) {
        if (!result.ok) {
          say((file.name ? file.name + ": " : "") + (result.data.error || status.dataset.failed));
          return;
        }
        addPhoto(result.data);
        say(usePin(result.data.pin) ? status.dataset.pinUsed : status.dataset.done);
      })
      .catch(function () { say(status.dataset.failed); })
      .then(function () { upload(files); });
  }
  if (input && list && status && form.dataset.photoUrl) {
    input.addEventListener("change", function () {
      upload(Array.prototype.slice.call(input.files || []));
    });
  }
})();
