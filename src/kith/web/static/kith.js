/* kith's few lines of JavaScript, on top of htmx: clear old messages, refuse an upload past
   the server's limit before sending it, show the upload's own progress, and let toasts go
   after their time. No inline
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
    // an earlier confirmation in the same section must not stand beside a new error
    var section = elt && elt.closest ? elt.closest("section") : null;
    if (section) {
      section.querySelectorAll(".flash").forEach(function (note) {
        note.remove();
      });
    }
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
        "; nothing was imported. Whoever runs kith here can raise the limit, or import the " +
        "file on that machine.";
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

  // Toasts (partials/toast.html): gone after their time, but never while the pointer or the
  // keyboard focus is on them; the close button dismisses at once.
  function clearToast(region) {
    region.innerHTML = "";
  }

  function armToast() {
    var region = document.getElementById("toast");
    var box = region && region.querySelector(".toast:not([data-armed])");
    if (!box) return;
    box.setAttribute("data-armed", "");
    var wait = Number(box.getAttribute("data-timeout")) || 10000;
    function later() {
      window.setTimeout(function () {
        if (!region.contains(box)) return;
        if (box.matches(":hover") || box.contains(document.activeElement)) {
          wait = 1000;
          later();
        } else {
          clearToast(region);
        }
      }, wait);
    }
    later();
  }

  document.addEventListener("htmx:afterSettle", armToast);
  document.addEventListener("click", function (event) {
    var close = event.target.closest ? event.target.closest(".toast-close") : null;
    if (close) clearToast(document.getElementById("toast"));
  });
})();

/* -- A toast that outlives a page change --------------------------------------------------
   A response can ask for a toast on the next page (`HX-Trigger: {"kith-toast-next":
   {"message": ...}}`, with `HX-Redirect`): the person page's Forget, then People. The
   message waits in sessionStorage and shows once, as text, in the page's #toast region. */
(function () {
  "use strict";
  var KEY = "kith-toast-next";

  document.addEventListener(KEY, function (event) {
    var message = event.detail && event.detail.message;
    try {
      if (message) window.sessionStorage.setItem(KEY, String(message));
    } catch (error) {
      /* storage off: the next page simply shows no message */
    }
  });

  function show(message) {
    var region = document.getElementById("toast");
    if (!region) return;
    var box = document.createElement("div");
    box.className = "toast";
    var text = document.createElement("p");
    text.className = "toast-text";
    text.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "toast-close quiet small";
    close.setAttribute("aria-label", "Dismiss the message");
    close.textContent = "\u2715";
    box.appendChild(text);
    box.appendChild(close);
    region.innerHTML = "";
    region.appendChild(box);
    box.setAttribute("data-armed", "");
    function later(wait) {
      window.setTimeout(function () {
        if (!region.contains(box)) return;
        if (box.matches(":hover") || box.contains(document.activeElement)) {
          later(1000);
        } else {
          region.removeChild(box);
        }
      }, wait);
    }
    later(10000);
  }

  var waiting = null;
  try {
    waiting = window.sessionStorage.getItem(KEY);
    window.sessionStorage.removeItem(KEY);
  } catch (error) {
    waiting = null;
  }
  if (waiting) show(waiting);
})();
