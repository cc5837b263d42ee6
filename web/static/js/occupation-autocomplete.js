// Occupation autocomplete: fills the <datalist> of every input[data-autocomplete-url] with
// the server's fuzzy matches. Without JavaScript the form still works: the server resolves
// the typed label. No inline script, so a strict Content-Security-Policy can apply.
// With data-autocomplete-multiple the input holds a comma-separated list: the last item is
// looked up, and an option keeps the items before it.
(function () {
  "use strict";

  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-autocomplete-url");
    if (!list || !url) {
      return;
    }
    var timer = null;
    var lastQuery = "";
    var controller = null;
    var multiple = input.hasAttribute("data-autocomplete-multiple");

    function cut() {
      // Where the item being typed starts ("lag" in "bager, lag").
      return multiple ? input.value.lastIndexOf(",") + 1 : 0;
    }

    function head() {
      // The items before the one being typed, as an option repeats them ("bager, ").
      var at = cut();
      return at > 0 ? input.value.slice(0, at).trim() + " " : "";
    }

    function fill(hits) {
      var before = head();
      while (list.firstChild) {
        list.removeChild(list.firstChild);
      }
      hits.forEach(function (hit) {
        var option = document.createElement("option");
        option.value = before + hit.label;
        if (hit.matched && hit.matched !== hit.label) {
          option.label = hit.label + " (" + hit.matched + ")";
        }
        list.appendChild(option);
      });
    }

    function lookUp() {
      var query = input.value.slice(cut()).trim();
      if (query.length < 2 || query === lastQuery) {
        return;
      }
      lastQuery = query;
      if (controller) {
        controller.abort();
      }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(fill)
        .catch(function () {
          /* offline or aborted: the server resolves the typed text on submit */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookUp, 200);
    });
  }

  function start() {
    var inputs = document.querySelectorAll("input[data-autocomplete-url][list]");
    Array.prototype.forEach.call(inputs, attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
