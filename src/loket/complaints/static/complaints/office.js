// Officer complaint pages: htmx swaps the answer of a refused form (400/403/409) into the
// section too, so the messages show in place. Every form also works without this file.
document.addEventListener("htmx:beforeSwap", (event) => {
  const status = event.detail.xhr.status;
  const source = event.detail.elt;
  if ([400, 403, 409].includes(status) && source && source.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
