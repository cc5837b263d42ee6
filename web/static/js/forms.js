// Feedback while working, for every form of every page (loaded by base.html; no inline
// script, so the strict Content-Security-Policy of web/headers.py applies):
// - a busy state on the submit button that was used (aria-busy, a spinner, the busy label
//   from <body data-busy-label>), and a second click does not post twice;
// - a character counter under each text field rendered with data-maxlength (the field
//   macro in _macros.html): "120 of 10.000 characters", and a clear message once the text
//   is too long. The browser does not cut the text; the server's Length validator answers.
(function () {
  "use strict";

  var body = document.body;
  var busyLabel = body.getAttribute("data-busy-label") || "…";
  var numberFormat = new Intl.NumberFormat(document.documentElement.lang || "da");

  function restore(form) {
    delete form.dataset.busy;
    Array.prototype.forEach.call(form.querySelectorAll("[aria-busy=true]"), function (button) {
      button.removeAttribute("aria-busy");
      button.removeAttribute("aria-disabled");
      button.classList.remove("is-busy");
      var label = button.querySelector(".busy-label");
      if (label) {
        label.parentNode.removeChild(label);
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented) {
      return;
    }
    if (form.dataset.busy) {
      event.preventDefault(); // already on its way
      return;
    }
    if (tooLong(form)) {
      event.preventDefault();
      return;
    }
    form.dataset.busy = "1";
    var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
    if (button) {
      // Not disabled: a disabled submitter would drop its name/value from the post.
      button.setAttribute("aria-busy", "true");
      button.setAttribute("aria-disabled", "true");
      button.classList.add("is-busy");
      var label = document.createElement("span");
      label.className = "busy-label";
      label.setAttribute("role", "status");
      label.textContent = busyLabel;
      button.appendChild(label);
    }
    // A download or a slow answer: give the button back after a while.
    window.setTimeout(function () { restore(form); }, 15000);
  });

  // Back/forward cache: a restored page must not keep a busy button.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.forms, restore);
  });

  function counterOf(field) {
    return document.getElementById(field.id + "-count");
  }

  function update(field) {
    var counter = counterOf(field);
    if (!counter) {
      return false;
    }
    var max = parseInt(field.getAttribute("data-maxlength"), 10);
    var length = field.value.length;
    var over = length - max;
    var message = document.getElementById(field.id + "-toolong");
    counter.textContent = counter.getAttribute("data-template")
      .replace("%(count)s", numberFormat.format(length))
      .replace("%(max)s", numberFormat.format(max));
    if (message) {
      if (over > 0) {
        message.textContent = message.getAttribute("data-template")
          .replace("%(over)s", numberFormat.format(over))
          .replace("%(max)s", numberFormat.format(max));
        message.hidden = false;
        field.setAttribute("aria-invalid", "true");
      } else if (!message.hidden) {
        message.hidden = true;
        message.textContent = "";
        if (!field.closest(".has-error")) {
          field.removeAttribute("aria-invalid");
        }
      }
    }
    counter.classList.toggle("over", over > 0);
    return over > 0;
  }

  function tooLong(form) {
    var first = null;
    Array.prototype.forEach.call(form.querySelectorAll("[data-maxlength]"), function (field) {
      if (update(field) && !first) {
        first = field;
      }
    });
    if (first) {
      first.focus();
      return true;
    }
    return false;
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-maxlength]"), function (field) {
    update(field);
    field.addEventListener("input", function () { update(field); });
  });
})();
