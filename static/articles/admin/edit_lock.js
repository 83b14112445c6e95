// Keep "being edited by" fresh while the story's change page stays open (the lock lapses
// by itself otherwise). Saving never depends on this: stale saves are refused on the server.
(function () {
  "use strict";
  var url = document.getElementById("edit-lock-url");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!url || !token) return;
  setInterval(function () {
    fetch(url.value, {
      method: "POST",
      headers: { "X-CSRFToken": token.value },
      credentials: "same-origin",
    });
  }, 60000);
})();
