// Photo admin: a click on the preview sets the focal point inputs (which also work alone).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const frame = document.querySelector(".focal-point");
  const across = document.getElementById("id_focal_x");
  const down = document.getElementById("id_focal_y");
  if (!frame || !across || !down) return;
  const show = () => {
    frame.style.setProperty("--focal-x", `${across.value || 50}%`);
    frame.style.setProperty("--focal-y", `${down.value || 50}%`);
  };
  frame.classList.add("focal-point-clickable");
  frame.querySelector("img").addEventListener("click", (event) => {
    const box = event.target.getBoundingClientRect();
    across.value = (((event.clientX - box.left) / box.width) * 100).toFixed(1);
    down.value = (((event.clientY - box.top) / box.height) * 100).toFixed(1);
    show();
  });
  across.addEventListener("input", show);
  down.addEventListener("input", show);
});
