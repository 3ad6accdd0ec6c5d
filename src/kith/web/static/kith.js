/* kith's few lines of JavaScript, on top of htmx: clear old messages, refuse an upload past
   the server's limit before sending it, and show the upload's own progress. No inline
   scripts (the Content-Security-Policy allows only files served by kith). */
(function () {
  "use strict";

  function errorSlot(form) {
    return form.querySelector(".form-error");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var slot = elt && elt.querySelector ? errorSlot(elt) : null;
    if (slot) slot.textContent = "";
    var flash = document.getElementById("flash");
    if (flash) flash.textContent = "";
  });

  // An upload past the limit is refused here, with the server's wording, without sending it.
  document.addEventListener("htmx:confirm", function (event) {
    var form = event.detail.elt;
    if (!form || form.id !== "import-form") return;
    var input = form.querySelector('input[type="file"]');
    var limit = Number(form.getAttribute("data-max-bytes"));
    var file = input && input.files && input.files[0];
    if (file && limit && file.size > limit) {
      event.preventDefault();
      errorSlot(form).textContent =
        "The file is larger than the upload limit of " + form.getAttribute("data-max-label") +
        "; nothing was imported. Import it with 'kith import', or start the server with a " +
        "higher 'kith serve --max-upload-mb'.";
    }
  });

  function uploadBar(event) {
    var form = event.detail.elt;
    if (!form || form.id !== "import-form") return null;
    return form.querySelector(".upload-progress");
  }

  document.addEventListener("htmx:xhr:loadstart", function (event) {
    var bar = uploadBar(event);
    if (bar) bar.hidden = false;
  });

  document.addEventListener("htmx:xhr:progress", function (event) {
    var bar = uploadBar(event);
    if (bar && event.detail.lengthComputable) {
      bar.querySelector("progress").value = Math.round((event.detail.loaded / event.detail.total) * 100);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var bar = uploadBar(event);
    if (bar) bar.hidden = true;
  });
})();
