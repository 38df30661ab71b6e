// Application forms: cascading region selects and fields shown on a condition.
// Every form works without this file: the server ignores hidden fields and checks regions.
(function () {
  "use strict";
  function valueOf(form, code) {
    var inputs = form.querySelectorAll('[name="' + code + '"]');
    var values = [];
    inputs.forEach(function (el) {
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      if (el.value) values.push(el.type === "checkbox" && el.value === "on" ? "true" : el.value);
    });
    return values;
  }
  function refresh(form) {
    form.querySelectorAll("[data-show-if-field]").forEach(function (box) {
      var values = valueOf(form, box.dataset.showIfField);
      var wanted = box.dataset.showIfValue;
      var show = wanted ? values.indexOf(wanted) !== -1 : values.length > 0;
      box.hidden = !show;
    });
  }
  function cascade(select) {
    var next = select.dataset.regionNext && document.getElementById(select.dataset.regionNext);
    if (!next) return;
    var clear = next;
    while (clear) {
      clear.innerHTML = '<option value="">—</option>';
      clear = clear.dataset.regionNext && document.getElementById(clear.dataset.regionNext);
    }
    if (!select.value) return;
    fetch("/wilayah/" + encodeURIComponent(select.value) + "/anak/", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) { if (html) next.innerHTML = html; });
  }
  document.querySelectorAll("form[data-app-form]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      var el = event.target;
      if (el instanceof HTMLSelectElement && el.dataset.regionLevel) cascade(el);
      refresh(form);
    });
    refresh(form);
  });
})();
