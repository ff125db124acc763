/* Staff console: the three lists (waiting chats, chats in progress, call-back requests), updated
 * in place. Items are keyed by the handoff's number: an unchanged item keeps its node, so
 * keyboard focus, a screen reader's place and the page's scroll position survive every poll;
 * only added, removed or changed items are touched. New waiting chats and call-back requests
 * (not yet opened in this browser) are marked "New", counted next to the list's heading and, for
 * call-backs, in the tab title; which ones were opened is remembered in localStorage (handoff
 * numbers only). */
(function () {
  "use strict";

  var page = window.StaffConsole.page;
  var wording = window.StaffConsole.wording;
  var el = page.el;
  var setText = page.setText;
  var fill = page.fill;
  var LISTS = ["waiting", "active", "callbacks"];
  var NEW_LISTS = { waiting: true, callbacks: true };
  var SEEN_STORAGE = "clinic-console-seen";
  var seen = null;  // {"callbacks:h-4": true}: items this browser has shown or opened

  function loadSeen() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(SEEN_STORAGE) || "null");
      return stored && typeof stored === "object" ? stored : null;
    } catch (error) {
      return null;
    }
  }

  /* Forgets what left the lists, and remembers the rest. */
  function saveSeen(present) {
    var kept = {};
    Object.keys(seen).forEach(function (key) { if (present[key]) { kept[key] = true; } });
    seen = kept;
    try { window.localStorage.setItem(SEEN_STORAGE, JSON.stringify(seen)); } catch (error) { /* private mode */ }
  }

  function describe(list, h, me) {
    var key = "h-" + h.id;
    if (list === "callbacks") {
      return { key: key, title: h.callback.name + " · " + h.callback.reference, sub: h.callback.preferred_time };
    }
    var reason = wording.reasons[h.reason] || h.reason;
    if (list === "active") {
      var who = h.assigned_staff === me.username ? wording.you : h.assigned_staff;
      return { key: key, title: reason, sub: fill(wording.activeSince, { who: who, time: page.clock(h.claimed_at) }) };
    }
    return { key: key, title: reason,
             sub: fill(wording.waitingSince, { time: page.clock(h.created_at), ago: page.since(h.created_at) }) };
  }

  function newItem(list, key, state) {
    var li = el("li", { "data-key": key });
    var button = el("button", { type: "button", "class": "item" });
    var line = el("span", { "class": "item__title" });
    line.appendChild(el("span", { "class": "item__label" }));
    line.appendChild(document.createTextNode(" "));
    line.appendChild(el("span", { "class": "item__new", hidden: "" }, wording.newItem));
    button.appendChild(line);
    button.appendChild(el("span", { "class": "item__sub" }));
    button.addEventListener("click", function () {
      if (seen) { seen[list + ":" + key] = true; }
      button.querySelector(".item__new").hidden = true;
      state.open({ key: key, id: Number(key.split("-")[1]), list: list });
    });
    li.appendChild(button);
    return li;
  }

  function updateItem(li, wanted, isNew, selected) {
    var button = li.firstChild;
    setText(button.querySelector(".item__label"), wanted.title);
    setText(button.querySelector(".item__sub"), wanted.sub);
    button.querySelector(".item__new").hidden = !isNew;
    if (selected && selected.key === wanted.key) {
      if (button.getAttribute("aria-current") !== "true") { button.setAttribute("aria-current", "true"); }
    } else if (button.hasAttribute("aria-current")) {
      button.removeAttribute("aria-current");
    }
  }

  function heading(list) {
    return document.getElementById(list + "-heading");
  }

  /* Removes an item; if it had keyboard focus, focus moves to its neighbour or the heading. */
  function removeItem(list, li) {
    if (li.contains(document.activeElement)) {
      var next = li.nextElementSibling && li.nextElementSibling.hasAttribute("data-key") ? li.nextElementSibling
        : li.previousElementSibling;
      li.remove();
      (next ? next.firstChild : heading(list)).focus();
      return;
    }
    li.remove();
  }

  /* Brings one list up to date; how many of its items are new. */
  function syncList(list, records, present, state) {
    var ul = document.getElementById(list);
    var none = ul.querySelector("li.none");
    if (!none) { none = ul.appendChild(el("li", { "class": "none" }, wording.noItems)); }
    var existing = {};
    Array.prototype.forEach.call(ul.querySelectorAll("li[data-key]"), function (li) {
      existing[li.getAttribute("data-key")] = li;
    });
    var wanted = records.map(function (h) { return describe(list, h, state.me); });
    var keep = {};
    wanted.forEach(function (w) { keep[w.key] = true; });
    Object.keys(existing).forEach(function (key) {
      if (!keep[key]) { removeItem(list, existing[key]); }
    });
    var newCount = 0;
    wanted.forEach(function (w, index) {
      var seenKey = list + ":" + w.key;
      present[seenKey] = true;
      var isNew = Boolean(NEW_LISTS[list] && !seen[seenKey]);
      if (isNew) { newCount += 1; }
      var li = existing[w.key] || newItem(list, w.key, state);
      updateItem(li, w, isNew, state.selected);
      var at = ul.children[index];
      if (at !== li) {  // moving a node blurs it: give focus back
        var focused = li.contains(document.activeElement) ? document.activeElement : null;
        ul.insertBefore(li, at || none);
        if (focused && document.activeElement !== focused) { focused.focus({ preventScroll: true }); }
      }
    });
    none.hidden = wanted.length > 0;
    setText(document.getElementById(list + "-count"), wanted.length);
    var badge = document.getElementById(list + "-new");
    if (badge) {
      setText(badge, fill(wording.newCount, { count: newCount }));
      badge.hidden = newCount === 0;
    }
    return newCount;
  }

  function title(waiting, newCallbacks) {
    var parts = [];
    if (waiting) { parts.push(fill(wording.title.waiting, { count: waiting })); }
    if (newCallbacks) {
      parts.push(fill(newCallbacks === 1 ? wording.title.newCallback : wording.title.newCallbacks,
                      { count: newCallbacks }));
    }
    return (parts.length ? "(" + parts.join(", ") + ") " : "") + wording.title.base;
  }

  /* Draws the overview `data`; `state` has me, selected, open(selection) and focusList (a list
   * whose heading gets focus once, after its record left the open conversation). */
  function render(data, state) {
    if (seen === null) {
      seen = loadSeen();
      if (seen === null) {  // this browser's first visit: what is there already is not "new"
        seen = {};
        LISTS.forEach(function (list) { data[list].forEach(function (h) { seen[list + ":h-" + h.id] = true; }); });
      }
    }
    var present = {};
    var newCounts = {};
    LISTS.forEach(function (list) { newCounts[list] = syncList(list, data[list], present, state); });
    saveSeen(present);
    var wantedTitle = title(data.waiting.length, newCounts.callbacks);
    if (document.title !== wantedTitle) { document.title = wantedTitle; }
    if (state.focusList) {
      heading(state.focusList).focus();
      state.focusList = null;
    }
  }

  window.StaffConsole.lists = { render: render };
}());
