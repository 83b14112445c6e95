// The story's blocks as cards (articles/admin/block_editor.py): add between any two, move,
// remove, find photos in the library by typing. The JSON textarea stays the form's field: every
// change is written back to it, and the server checks and sanitises what is saved.
"use strict";
(() => {
  // The edition's language: the admin's catalog script (admin:jsi18n, before this one on the
  // story form) defines gettext with our djangojs catalog (locale/); English without it.
  const _ = window.gettext || ((text) => text);
  const LABELS = {
    text: _("Text"), heading: _("Subheading"), photo: _("Photo"), gallery: _("Gallery"),
    embed: _("Embed"), quote: _("Pull quote"), factbox: _("Fact box"), table: _("Table"),
    story: _("Story card"),
  };
  const EMPTY = {
    text: () => ({ type: "text", html: "" }),
    heading: () => ({ type: "heading", text: "" }),
    photo: () => ({ type: "photo", photo: null, caption: "", size: "column" }),
    gallery: () => ({ type: "gallery", caption: "", photos: [] }),
    embed: () => ({ type: "embed", url: "" }),
    quote: () => ({ type: "quote", text: "", attribution: "" }),
    factbox: () => ({ type: "factbox", title: "", html: "" }),
    table: () => ({ type: "table", caption: "", header: [], rows: [] }),
    story: () => ({ type: "story", story: null }),
  };

  let popups = 0;
  const el = (tag, props = {}, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    for (const child of children) node.append(child);
    return node;
  };

  function field(labelText, input) {
    input.setAttribute("aria-label", labelText);
    return el("label", { className: "block-field" }, el("span", {}, labelText), input);
  }

  // Text in the rich-text editor the body always had (django-prose-editor, ProseMirror): a
  // textarea it takes over when told a form row was added; its value is read back on save.
  const richAreas = new Map();
  function richText(root, block, key, label) {
    const area = el("textarea", { value: block[key] || "", rows: 6, className: "vLargeTextField" });
    area.setAttribute("data-django-prose-editor-configurable", root.dataset.textEditor);
    area.setAttribute("aria-label", label);
    richAreas.set(area, () => { block[key] = area.value; });
    const wrap = el("div", { className: "block-rich-wrap" }, area);
    // After the card is in the page: the editor's script initialises editors in "added" rows.
    queueMicrotask(() => wrap.dispatchEvent(new CustomEvent("formset:added", { bubbles: true })));
    return wrap;
  }

  function readRichText() {
    for (const [area, read] of richAreas) {
      if (area.isConnected) read(); else richAreas.delete(area);
    }
  }

  function picker(root, kind, current, onPick) {
    // Type to search the library (the admin's own autocomplete), pick a result.
    const url = kind === "photo"
      ? `${root.dataset.photoSearch}?app_label=articles&model_name=article&field_name=lead_photo`
      : `${root.dataset.photoSearch}?app_label=articles&model_name=correction&field_name=article`;
    const chosen = el("span", { className: "block-chosen", textContent: current ? `#${current}` : _("none chosen") });
    const results = el("ul", { className: "block-results" });
    const search = el("input", { type: "search", placeholder: kind === "photo" ? _("Search photos…") : _("Search stories…") });
    let timer;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const response = await fetch(`${url}&term=${encodeURIComponent(search.value)}`, { credentials: "same-origin" });
        if (!response.ok) return;
        const { results: found } = await response.json();
        results.replaceChildren(...found.slice(0, 10).map((item) => el("li", {},
          el("button", {
            type: "button", textContent: `#${item.id} ${item.text}`,
            onclick: () => {
              chosen.textContent = `#${item.id} ${item.text}`;
              results.replaceChildren();
              onPick(Number(item.id));
            },
          }))));
      }, 250);
    });
    const parts = [field(kind === "photo" ? _("Find a photo") : _("Find a story"), search), chosen, results];
    if (kind === "photo") {
      // Upload there and then: the admin's own add-photo popup, which hands the new photo's id
      // back to an input named after its window (RelatedObjectLookups.js), as for the lead photo.
      const target = el("input", { type: "hidden", id: `id_blockphoto_${++popups}` });
      const $ = window.django && window.django.jQuery;
      if ($) {
        $(target).on("change", () => {
          chosen.textContent = `#${target.value} ${_("(just uploaded)")}`;
          onPick(Number(target.value));
        });
      }
      parts.push(target, el("a", {
        href: root.dataset.photoAdd, textContent: _("Upload a new photo"),
        onclick: (event) => {
          const url = new URL(root.dataset.photoAdd, window.location.href);
          url.searchParams.set("_popup", "1");
          if (window.open(url, target.id, "height=600,width=820,resizable=yes,scrollbars=yes")) {
            event.preventDefault();
          }
        },
      }));
    }
    return el("div", { className: "block-picker" }, ...parts);
  }

  function editorFor(root, block, changed) {
    const set = (key) => (value) => { block[key] = value; changed(); };
    const input = (key, label, type = "text") => {
      const node = el("input", { type, value: block[key] ?? "", className: "vTextField" });
      node.addEventListener("input", () => set(key)(node.value));
      return field(label, node);
    };
    switch (block.type) {
      case "text":
        return [richText(root, block, "html", _("Text"))];
      case "heading":
        return [input("text", _("Subheading"))];
      case "photo": {
        const size = el("select", {}, ...root.dataset.sizes.split(",").map((s) => el("option", { value: s, textContent: s, selected: s === block.size })));
        size.addEventListener("change", () => set("size")(size.value));
        return [picker(root, "photo", block.photo, set("photo")), input("caption", _("Caption for this use (optional)")), field(_("Size"), size)];
      }
      case "gallery": {
        const list = el("ol", { className: "block-gallery" });
        const draw = () => list.replaceChildren(...block.photos.map((item, i) => {
          const caption = el("input", { type: "text", value: item.caption || "", className: "vTextField" });
          caption.addEventListener("input", () => { item.caption = caption.value; changed(); });
          return el("li", {}, `${_("Photo")} #${item.photo} `, field(_("Caption"), caption),
            el("button", { type: "button", textContent: _("Remove photo"), onclick: () => { block.photos.splice(i, 1); draw(); changed(); } }));
        }));
        draw();
        const add = picker(root, "photo", null, (id) => { block.photos.push({ photo: id, caption: "" }); draw(); changed(); });
        return [input("caption", _("Gallery title (optional)")), list, add];
      }
      case "embed":
        return [input("url", _("Address of the video, post, track, chart or map"), "url")];
      case "quote":
        return [input("text", _("Quote")), input("attribution", _("Who said it"))];
      case "factbox":
        return [input("title", _("Title")), richText(root, block, "html", _("Fact box text"))];
      case "table": {
        const header = el("input", { type: "text", value: block.header.join(" | "), className: "vTextField" });
        header.addEventListener("input", () => set("header")(header.value ? header.value.split("|").map((c) => c.trim()) : []));
        const rows = el("textarea", { rows: 5, value: block.rows.map((r) => r.join(" | ")).join("\n"), className: "vLargeTextField" });
        rows.addEventListener("input", () => set("rows")(rows.value.split("\n").filter((r) => r.trim()).map((r) => r.split("|").map((c) => c.trim()))));
        return [input("caption", _("Caption")), field(_("Header row (cells separated by |, optional)"), header), field(_("Rows (one a line, cells separated by |)"), rows)];
      }
      case "story":
        return [picker(root, "story", block.story, set("story"))];
      default:
        return [el("p", { textContent: JSON.stringify(block) })];
    }
  }

  function start(root) {
    const textarea = document.getElementById(root.dataset.blocksEditor);
    let blocks;
    try {
      blocks = JSON.parse(textarea.value || "[]");
      if (!Array.isArray(blocks)) return;
    } catch {
      return; // not JSON (a bad post shown again): leave the textarea to fix it
    }
    const types = root.dataset.types.split(",");
    // Empty text blocks (a new story's first, never typed in) are not blocks yet.
    const written = (block) => block.type !== "text" || !/^(<p><\/p>|\s*)$/.test(block.html || "");
    const save = () => {
      readRichText();
      textarea.value = JSON.stringify(blocks.filter(written));
    };
    if (!blocks.length) blocks.push(EMPTY.text());  // a new story starts with its text
    const list = el("div", { className: "blocks-list" });

    const adder = (at) => {
      const select = el("select", {}, ...types.map((t) => el("option", { value: t, textContent: LABELS[t] || t })));
      select.setAttribute("aria-label", _("Kind of block to add"));
      return el("div", { className: "block-adder" }, select,
        el("button", { type: "button", textContent: _("Add block here"), onclick: () => {
          blocks.splice(at, 0, EMPTY[select.value]());
          draw();
          list.querySelectorAll(".block-card")[at]?.querySelector("input, [contenteditable]")?.focus();
        } }));
    };

    const draw = () => {
      readRichText();
      save();
      const cards = [adder(0)];
      blocks.forEach((block, i) => {
        const move = (to) => () => { blocks.splice(to, 0, blocks.splice(i, 1)[0]); draw(); };
        const tools = el("div", { className: "block-tools" },
          el("button", { type: "button", textContent: _("Move up"), disabled: i === 0, onclick: move(i - 1) }),
          el("button", { type: "button", textContent: _("Move down"), disabled: i === blocks.length - 1, onclick: move(i + 1) }),
          el("button", { type: "button", className: "block-remove", textContent: _("Remove"), onclick: () => { blocks.splice(i, 1); draw(); } }));
        const card = el("fieldset", { className: `block-card block-card--${block.type}` },
          el("legend", { textContent: `${i + 1}. ${LABELS[block.type] || block.type}` }), tools, ...editorFor(root, block, save));
        cards.push(card, adder(i + 1));
      });
      list.replaceChildren(...cards);
    };

    textarea.form?.addEventListener("submit", save, true);
    textarea.hidden = true;
    root.querySelector(".blocks-json-help").hidden = true;
    root.append(list);
    draw();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-blocks-editor]").forEach(start);
  });
})();
