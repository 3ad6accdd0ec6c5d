/* The person page (/people/ID), on top of htmx: the action bar opens one form at a time in
   place, and the Copy button copies the suggested wording. No inline scripts (the
   Content-Security-Policy allows only files served by kith). */
(function () {
  "use strict";

  // -- the action bar: disclosure buttons, one panel open at a time -----------------------
  function toggle(tab) {
    var bar = tab.closest(".action-bar");
    if (!bar) return;
    var opening = tab.getAttribute("aria-expanded") !== "true";
    var tabs = bar.querySelectorAll("[data-panel]");
    for (var i = 0; i < tabs.length; i++) {
      var other = tabs[i];
      var panel = document.getElementById(other.getAttribute("aria-controls"));
      var shown = opening && other === tab;
      other.setAttribute("aria-expanded", shown ? "true" : "false");
      if (panel) panel.hidden = !shown;
    }
  }

  // -- Copy: the suggested wording to the clipboard, then "Copied" for a moment ----------
  function copied(button, label) {
    var text = button.querySelector(".copy-label");
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    if (text) text.textContent = label;
    if (status) status.textContent = label === "Copied" ? "Copied the suggested wording." : label;
    button.classList.toggle("is-copied", label === "Copied");
    window.clearTimeout(button.kithTimer);
    button.kithTimer = window.setTimeout(function () {
      if (text) text.textContent = "Copy";
      if (status) status.textContent = "";
      button.classList.remove("is-copied");
    }, 2500);
  }

  function copyBySelection(text, button) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "copy-buffer";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try {
      done = document.execCommand("copy");
    } catch (error) {
      done = false;
    }
    document.body.removeChild(area);
    button.focus();
    return done;
  }

  function copy(button) {
    var source = document.getElementById(button.getAttribute("data-copy-from"));
    var words = source && source.querySelector(".phrasing-text");
    var text = words ? words.textContent.trim() : "";
    if (!text) return;
    function fallback() {
      copied(button, copyBySelection(text, button) ? "Copied" : "Select the words to copy them");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        copied(button, "Copied");
      }, fallback);
    } else {
      fallback();
    }
  }

  // -- a form folded after a change opens again -------------------------------------------
  function reveal(button) {
    var form = document.getElementById(button.getAttribute("data-reveal"));
    if (!form) return;
    form.hidden = false;
    button.hidden = true;
    var first = form.querySelector("select, input:not([type=hidden]), textarea");
    if (first) first.focus();
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    var tab = event.target.closest(".action-bar [data-panel]");
    if (tab) {
      toggle(tab);
      return;
    }
    var button = event.target.closest("button[data-copy-from]");
    if (button) {
      copy(button);
      return;
    }
    var again = event.target.closest("button[data-reveal]");
    if (again) reveal(again);
  });
})();
