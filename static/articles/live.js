// Live coverage (templates/includes/live_entries.html). The page is complete without this script;
// with it, the page asks the story's poll address every few seconds: one fixed address for every
// reader, answered by Varnish and refreshed by the story's purge, with no cookie and no cursor.
// Updates the page does not show yet are offered behind a button ("3 new updates") and inserted
// when the reader asks, so nothing moves under their eyes. Once the desk closes the coverage the
// page stops asking and says so.
(function () {
  "use strict";
  var live = document.querySelector(".live[data-poll]");
  if (!live || !window.fetch || !window.JSON) {
    return;
  }
  var address = live.getAttribute("data-poll");
  var seconds = parseInt(live.getAttribute("data-poll-seconds"), 10) || 20;
  var list = live.querySelector(".live-entries");
  var status = live.querySelector(".live-new");
  var waiting = []; // newest first, not on the page yet
  // The words, in the page's language, from the page itself (a reader page loads no catalog):
  // the button's for 1, 2… new updates (each language has its own plurals), and the ending's.
  var labels = [];
  try {
    labels = JSON.parse(live.getAttribute("data-new-updates") || "[]");
  } catch (error) {
    labels = [];
  }

  function newUpdates(count) {
    return labels[Math.min(count, labels.length) - 1] || String(count);
  }

  function onPage(id) {
    return document.getElementById("entry-" + id) !== null;
  }

  function showButton() {
    status.textContent = "";
    if (!waiting.length) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "live-new-button";
    button.textContent = newUpdates(waiting.length);
    button.addEventListener("click", insert);
    status.appendChild(button);
  }

  function insert() {
    var empty = list.querySelector(".live-empty");
    if (empty) {
      empty.parentNode.removeChild(empty);
    }
    var first = null;
    for (var i = waiting.length - 1; i >= 0; i--) {
      if (onPage(waiting[i].id)) {
        continue;
      }
      var item = document.createElement("li");
      item.innerHTML = waiting[i].html; // rendered and escaped by the site, as the page is
      list.insertBefore(item, list.firstChild);
      first = item.querySelector(".live-entry");
    }
    waiting = [];
    showButton();
    if (first) {
      // Keyboard and screen reader users continue from the newest update.
      first.setAttribute("tabindex", "-1");
      first.focus();
    }
  }

  function freeze(answer) {
    live.removeAttribute("data-poll");
    var note = document.createElement("p");
    note.className = "live-closed";
    note.textContent = live.getAttribute("data-ended");
    var heading = live.querySelector(".live-heading");
    heading.textContent = live.getAttribute("data-ended-heading");
    heading.parentNode.insertBefore(note, heading.nextSibling);
  }

  function poll() {
    fetch(address, { cache: "no-cache", credentials: "omit" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer) {
          waiting = answer.entries.filter(function (entry) {
            return !onPage(entry.id);
          });
          showButton();
          if (!answer.open) {
            freeze(answer);
            return;
          }
        }
        window.setTimeout(poll, seconds * 1000);
      })
      .catch(function () {
        window.setTimeout(poll, seconds * 1000);
      });
  }

  window.setTimeout(poll, seconds * 1000);
})();
