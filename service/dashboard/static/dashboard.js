// Keyboard moderation for the queue pages: j/k move, a/r/s decide, x select, o open, ? help.
// Plain script, no library: every action still works without it through the buttons.
(function () {
  "use strict";

  var help = document.getElementById("kbd-help");
  function toggleHelp() {
    if (!help) return;
    if (help.open) help.close(); else help.showModal();
  }
  document.querySelectorAll(".kbd-help-open").forEach(function (button) {
    button.addEventListener("click", toggleHelp);
  });

  var selectAll = document.querySelector("[data-select-all]");
  if (selectAll) {
    selectAll.addEventListener("click", function () {
      var boxes = document.querySelectorAll('input[name="selected"]');
      var all = Array.prototype.every.call(boxes, function (box) { return box.checked; });
      boxes.forEach(function (box) { box.checked = !all; });
      selectAll.textContent = all ? "Select all" : "Select none";
    });
  }

  var list = document.querySelector("[data-queue]");
  if (!list) return;
  var storageKey = "moderato.position:" + location.pathname + location.search;
  var index = -1;

  function items() { return Array.prototype.slice.call(list.querySelectorAll(":scope > li.comment")); }

  function move(to) {
    var all = items();
    if (!all.length) return;
    to = Math.max(0, Math.min(to, all.length - 1));
    all.forEach(function (item) { item.classList.remove("current"); item.removeAttribute("aria-current"); });
    var item = all[to];
    item.classList.add("current");
    item.setAttribute("aria-current", "true");
    item.focus({ preventScroll: true });
    item.scrollIntoView({ block: "nearest" });
    index = to;
    try { sessionStorage.setItem(storageKey, String(to)); } catch (e) { /* private mode: no memory */ }
  }

  function current() { return index >= 0 ? items()[index] : null; }

  function decide(key) {
    var item = current();
    var button = item && item.querySelector('form.actions button[data-key="' + key + '"]');
    if (button) button.form.requestSubmit(button);
  }

  // After a decision the page reloads without that comment: stay at the same position.
  var saved = null;
  try { saved = sessionStorage.getItem(storageKey); } catch (e) { saved = null; }
  if (saved !== null && items().length) move(parseInt(saved, 10) || 0);

  list.addEventListener("click", function (event) {
    var item = event.target.closest("li.comment");
    if (item) {
      var i = items().indexOf(item);
      if (i >= 0) { index = i; try { sessionStorage.setItem(storageKey, String(i)); } catch (e) { /* ignore */ } }
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    // Typing in a field or an open dialog is not a shortcut. Only an open one: right after the
    // help closes, focus can still sit on its (now hidden) button for a moment.
    if (target.closest && target.closest("input, textarea, select, [contenteditable], dialog[open]")) {
      if (!(event.key === "?" && help && help.open)) return;
    }
    switch (event.key) {
      case "j": move(index + 1); break;
      case "k": move(index - 1); break;
      case "a": decide("a"); break;
      case "r": decide("r"); break;
      case "s": decide("s"); break;
      case "x": {
        var item = current();
        var box = item && item.querySelector('input[name="selected"]');
        if (box) box.checked = !box.checked;
        break;
      }
      case "o": {
        var link = current() && current().querySelector(".meta a[id$='-title']");
        if (link) link.click();
        break;
      }
      case "?": toggleHelp(); break;
      default: return;
    }
    event.preventDefault();
  });
})();
