"use strict";
// Keyboard work in the moderation queue: j/k move between comments, a approves (or keeps a
// reported comment), r chooses a reason to reject (Enter in the list rejects), s marks as spam.
// Every action is also a button. And the box that selects every card for the bulk actions.
(function () {
    const cards = () => Array.from(document.querySelectorAll(".queue-card"));
    const typing = (element) =>
        element.matches("textarea, select, [contenteditable], input:not([type=checkbox]):not([type=radio])");

    function show(card) {
        if (card) {
            card.focus();
            card.scrollIntoView({block: "nearest"});
        }
    }

    function press(card, selector) {
        const button = card && card.querySelector(selector);
        if (button) {
            button.click();
        }
    }

    function selectAll() {
        const all = document.getElementById("queue-select-all");
        if (!all) {
            return;
        }
        const boxes = () => Array.from(document.querySelectorAll(".queue-card .action-select"));
        const reflect = () => {
            const ticked = boxes().filter((box) => box.checked).length;
            all.checked = ticked > 0 && ticked === boxes().length;
            all.indeterminate = ticked > 0 && ticked < boxes().length;
        };
        all.closest(".queue-select-all").hidden = false;
        all.addEventListener("change", function () {
            boxes().forEach((box) => { box.checked = all.checked; });
        });
        boxes().forEach((box) => box.addEventListener("change", reflect));
        reflect();
    }

    document.addEventListener("DOMContentLoaded", function () {
        selectAll();
        const target = location.hash && document.getElementById(location.hash.slice(1));
        if (target && target.classList.contains("queue-card")) {
            show(target);
        }
    });

    document.addEventListener("keydown", function (event) {
        if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) {
            return;
        }
        const element = event.target;
        if (element.classList && element.classList.contains("queue-reason") && event.key === "Enter") {
            event.preventDefault();
            press(element.closest(".queue-card"), ".queue-reject");
            return;
        }
        if (typing(element)) {
            return;
        }
        const all = cards();
        const card = element.closest && element.closest(".queue-card");
        const index = all.indexOf(card);
        switch (event.key) {
        case "j":
            show(all[Math.min(index + 1, all.length - 1)]);
            break;
        case "k":
            show(all[Math.max(index - 1, 0)]);
            break;
        case "a":
            press(card, ".queue-approve, .queue-keep");
            break;
        case "r":
            if (card && card.querySelector(".queue-reason")) {
                card.querySelector(".queue-reason").focus();
            }
            break;
        case "s":
            press(card, ".queue-spam");
            break;
        default:
            return;
        }
        event.preventDefault();
    });
}());
