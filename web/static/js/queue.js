// The review queue: after a refused decision the page is the queue again (its URL, not the
// form's), scrolled to the card, with the focus on the card's message.
(function () {
  "use strict";
  function ready() {
    var queue = document.querySelector("[data-queue-url]");
    var message = document.querySelector("[data-focus]");
    if (!message) return;
    if (queue && window.history && window.history.replaceState) {
      window.history.replaceState(null, "", queue.getAttribute("data-queue-url") + "#" + message.id);
    }
    message.scrollIntoView({ block: "center" });
    message.focus({ preventScroll: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
