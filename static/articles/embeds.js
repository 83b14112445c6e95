// Embeds that respect readers: the page shows a local placeholder and nothing is fetched from
// the provider until the reader asks. Without JavaScript the placeholder's link opens the
// original; with it, a button puts the provider's player in place of the placeholder.
(function () {
  "use strict";
  document.querySelectorAll("figure.embed[data-embed-player]").forEach(function (figure) {
    var button = figure.querySelector("button.embed-load");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = figure.getAttribute("data-embed-player");
      // The frame's name, in the page's language (templates/includes/blocks/embed.html).
      frame.title = figure.getAttribute("data-embed-title");
      frame.setAttribute("allowfullscreen", "");
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      frame.setAttribute(
        "sandbox",
        "allow-scripts allow-same-origin allow-popups allow-presentation"
      );
      frame.className = "embed-frame";
      figure.querySelector(".embed-placeholder").replaceWith(frame);
      figure.classList.add("embed--loaded");
      frame.focus();
    });
  });
})();
