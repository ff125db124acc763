/* Staff console: lists waiting chats, chats in progress and call-back requests, and lets staff
 * take a chat, reply, hand back to the assistant or close it. Polls the server every 2 s; a poll
 * with no key press, click or pointer movement since the previous one is marked as background
 * (X-Clinic-Background), so that the session's 30-minute idle timeout keeps counting.
 *
 * Updates happen in place: list items are keyed by the handoff's number and the open
 * conversation's parts are only touched when they change, so keyboard focus, a screen
 * reader's place and scroll positions survive every poll. Each action is confirmed in the
 * polite status region (#status). Every patient text is put on the page as text
 * (textContent), never as HTML; confirmations name handoff numbers and references only. */
(function () {
  "use strict";

  var POLL_MS = 2000;
  var LISTS = ["waiting", "active", "callbacks"];
  /* Lists whose new arrivals are marked "New" until opened (and counted in the tab title). */
  var NEW_LISTS = { waiting: true, callbacks: true };
  var SEEN_STORAGE = "clinic-console-seen";
  var REASONS = {
    requested: "Asked to talk to a person",
    red_flag: "Urgent symptoms: emergency advice was given",
    fallback: "The assistant did not understand",
    consultation: "Wants to book a consultation",
    personal_question: "Asked about their own situation"
  };
  var STATUSES = {
    waiting: "waiting for a person",
    active: "chat in progress",
    closed: "ended",
    callback: "call-back request"
  };
  /* What the status region says after each action: {id} is the handoff's number, {reference}
   * the call-back reference, {file} the export's file name. Never patient text. */
  var CONFIRM = {
    claim: "You took handoff #{id}. The patient has been told you joined.",
    reply: "Reply sent to the patient (handoff #{id}).",
    handBack: "Handoff #{id} handed back to the assistant.",
    close: "Handoff #{id} closed. The patient has been told.",
    calledBack: "Call-back request {reference} marked as called back.",
    exported: "Handoff #{id} exported as {file}.",
    erased: "Erased handoff #{id}: {events} stored events, {handoffs} handoff record(s), " +
      "{callbacks} call-back request(s)."
  };
  var EMPTY_DETAIL = "Choose a conversation from the lists. New requests appear in them on their own.";

  /* One column (a phone): the open conversation is below the lists, so opening one moves
   * focus (and the view) to it; side by side, focus stays in the list. */
  var STACKED = window.matchMedia("(max-width: 760px)");
  var selected = null;   // {key: "h-3", id: 3, list: "waiting"}
  var view = null;       // the open conversation's nodes and what they show
  var me = null;
  var lastDetail = "";
  var interacted = false;
  var seen = null;       // {"callbacks:h-4": true}: items this browser has shown or opened
  var focusHeadingOf = null;  // after a record leaves the detail, focus this list's heading

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /* Changes a node's text only when it differs, so that unchanged text is not re-announced. */
  function setText(node, text) {
    text = text === undefined || text === null ? "" : String(text);
    if (node.textContent !== text) { node.textContent = text; }
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }

  function since(iso) {
    if (!iso) { return ""; }
    var minutes = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 60000));
    return minutes < 1 ? "just now" : minutes === 1 ? "1 minute ago" : minutes + " minutes ago";
  }

  function clock(iso) {
    return iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "";
  }

  function problem(text) {
    var box = document.getElementById("problem");
    setText(box, text || "");
    box.hidden = !text;
  }

  /* The polite status region: what was just done. The same text twice is announced twice. */
  function say(text) {
    var box = document.getElementById("status");
    if (box.textContent === text) {
      box.textContent = "";
      window.setTimeout(function () { box.textContent = text; }, 100);
    } else {
      box.textContent = text;
    }
  }

  function call(method, url, body, background) {
    var options = { method: method, credentials: "same-origin", headers: { "X-Clinic-Console": "1" } };
    if (background) { options.headers["X-Clinic-Background"] = "1"; }
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      if (response.status === 401) { window.location.assign("/login?signed_out=1"); throw new Error("signed out"); }
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.error || ("The server answered " + response.status)); }
        return data;
      });
    });
  }

  /* ---- Which items are new: remembered per browser (handoff numbers only). ---- */

  function loadSeen() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(SEEN_STORAGE) || "null");
      return stored && typeof stored === "object" ? stored : null;
    } catch (error) {
      return null;
    }
  }

  function saveSeen(present) {
    var kept = {};
    Object.keys(seen).forEach(function (key) { if (present[key]) { kept[key] = true; } });
    seen = kept;
    try { window.localStorage.setItem(SEEN_STORAGE, JSON.stringify(seen)); } catch (error) { /* private mode */ }
  }

  function markSeen(list, key) {
    if (seen) { seen[list + ":" + key] = true; }
  }

  /* ---- The three lists, updated in place ---- */

  function describe(list, h) {
    var key = "h-" + h.id;
    if (list === "callbacks") {
      return { key: key, title: h.callback.name + " · " + h.callback.reference, sub: h.callback.preferred_time };
    }
    if (list === "active") {
      var who = h.assigned_staff === me.username ? "You" : h.assigned_staff;
      return { key: key, title: REASONS[h.reason] || h.reason, sub: who + " · since " + clock(h.claimed_at) };
    }
    return { key: key, title: REASONS[h.reason] || h.reason,
             sub: "Waiting since " + clock(h.created_at) + " (" + since(h.created_at) + ")" };
  }

  function newItem(list, key) {
    var li = el("li", { "data-key": key });
    var button = el("button", { type: "button", "class": "item" });
    var line = el("span", { "class": "item__title" });
    line.appendChild(el("span", { "class": "item__label" }));
    line.appendChild(document.createTextNode(" "));
    line.appendChild(el("span", { "class": "item__new", hidden: "" }, "New"));
    button.appendChild(line);
    button.appendChild(el("span", { "class": "item__sub" }));
    button.addEventListener("click", function () {
      selected = { key: key, id: Number(key.split("-")[1]), list: list };
      markSeen(list, key);
      button.querySelector(".item__new").hidden = true;
      lastDetail = "";
      refresh();
    });
    li.appendChild(button);
    return li;
  }

  function updateItem(li, wanted, isNew) {
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

  function syncList(list, records, present) {
    var ul = document.getElementById(list);
    var none = ul.querySelector("li.none");
    var existing = {};
    Array.prototype.forEach.call(ul.querySelectorAll("li[data-key]"), function (li) {
      existing[li.getAttribute("data-key")] = li;
    });
    var wanted = records.map(function (h) { return describe(list, h); });
    var keep = {};
    wanted.forEach(function (w) { keep[w.key] = true; });
    Object.keys(existing).forEach(function (key) {
      if (!keep[key]) { removeItem(list, existing[key]); }
    });
    var newCount = 0;
    wanted.forEach(function (w, index) {
      var seenKey = list + ":" + w.key;
      present[seenKey] = true;
      var isNew = Boolean(NEW_LISTS[list] && seen && !seen[seenKey]);
      if (isNew) { newCount += 1; }
      var li = existing[w.key] && keep[w.key] ? existing[w.key] : newItem(list, w.key);
      updateItem(li, w, isNew);
      var at = ul.children[index];
      if (at !== li) {
        var focused = li.contains(document.activeElement) ? document.activeElement : null;
        ul.insertBefore(li, at || none);
        if (focused && document.activeElement !== focused) { focused.focus({ preventScroll: true }); }
      }
    });
    none.hidden = wanted.length > 0;
    setText(document.getElementById(list + "-count"), wanted.length);
    var badge = document.getElementById(list + "-new");
    if (badge) {
      setText(badge, newCount + " new");
      badge.hidden = newCount === 0;
    }
    return newCount;
  }

  function title(waiting, newCallbacks) {
    var parts = [];
    if (waiting) { parts.push(waiting + " waiting"); }
    if (newCallbacks) { parts.push(newCallbacks + (newCallbacks === 1 ? " new call-back" : " new call-backs")); }
    return (parts.length ? "(" + parts.join(", ") + ") " : "") + "Staff console";
  }

  function renderLists(data) {
    var present = {};
    var firstLoad = seen === null;
    if (firstLoad) {
      seen = loadSeen();
      if (seen === null) {  // a browser's first visit: what is there already is not "new"
        seen = {};
        LISTS.forEach(function (list) { data[list].forEach(function (h) { seen[list + ":h-" + h.id] = true; }); });
      }
    }
    var newCounts = {};
    LISTS.forEach(function (list) { newCounts[list] = syncList(list, data[list], present); });
    saveSeen(present);
    var wantedTitle = title(data.waiting.length, newCounts.callbacks);
    if (document.title !== wantedTitle) { document.title = wantedTitle; }
    setText(document.getElementById("hours-note"), data.within_staff_hours
      ? "Live chat is on: patients can reach you while you are signed in."
      : "Outside staff hours: patients are offered a call-back instead of a live chat.");
    if (focusHeadingOf) {
      heading(focusHeadingOf).focus();
      focusHeadingOf = null;
    }
  }

  /* ---- The open conversation ---- */

  /* A button that runs `handler` once at a time; aria-disabled keeps keyboard focus on it. */
  function action(label, handler, cls) {
    var button = el("button", { type: "button", "class": cls || "" }, label);
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-disabled") === "true") { return; }
      button.setAttribute("aria-disabled", "true");
      handler().then(function (confirmation) {
        problem("");
        if (confirmation) { say(confirmation); }
        lastDetail = "";
        return refresh();
      }).catch(function (error) { problem(error.message); })
        .then(function () { button.removeAttribute("aria-disabled"); });
    });
    return button;
  }

  function showEmpty(text, list) {
    selected = null;
    view = null;
    lastDetail = "";
    document.getElementById("detail").replaceChildren(el("p", { "class": "empty" }, text || EMPTY_DETAIL));
    focusHeadingOf = list || null;
  }

  function listOf(h) {
    return h.status === "callback" ? "callbacks" : h.status === "active" ? "active" : "waiting";
  }

  function exportFile(h) {
    var file = "conversation-handoff-" + h.id + ".json";
    return fetch("/api/handoffs/" + h.id + "/export", { credentials: "same-origin", headers: { "X-Clinic-Console": "1" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("The export failed (the server answered " + response.status + ")."); }
        return response.blob();
      }).then(function (blob) {
        var link = el("a", { href: URL.createObjectURL(blob), download: file });
        document.body.appendChild(link);
        link.click();
        link.remove();
        window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
        return fill(CONFIRM.exported, { id: h.id, file: file });
      });
  }

  function erase(h) {
    var ok = window.confirm("Erase this conversation everywhere? Every message, this handoff record" +
      (h.callback ? " and the call-back request " + h.callback.reference : "") +
      " will be deleted for good. The audit trail will show that you did it.");
    if (!ok) { return Promise.resolve(null); }
    return call("POST", "/api/handoffs/" + h.id + "/erase", { confirm: true }).then(function (done) {
      var text = fill(CONFIRM.erased, { id: h.id, events: done.events, handoffs: done.handoffs,
                                        callbacks: done.callbacks });
      showEmpty(text, listOf(h));
      return text;
    });
  }

  /* A patient's copy of the conversation (JSON file) and its erasure everywhere (asks first). */
  function privacyActions() {
    var bar = el("div", { "class": "actions actions--privacy", role: "group", "aria-label": "Patient's data" });
    bar.appendChild(action("Export", function () { return exportFile(view.h); }, "secondary"));
    bar.appendChild(action("Erase", function () { return erase(view.h); }, "danger"));
    return bar;
  }

  function skeleton(h) {
    var detail = document.getElementById("detail");
    var v = { id: h.id, h: h, signature: null, callback: null, lines: [] };
    v.heading = el("h2", { tabindex: "-1" });
    v.meta = el("p", { "class": "detail__meta" });
    v.problem = el("p", { "class": "problem", hidden: "" });
    v.facts = el("div", { "class": "facts-box" });
    v.bar = el("div", { "class": "actions", role: "group", "aria-label": "Chat" });
    v.log = el("div", { "class": "transcript", role: "log", tabindex: "0",
                        "aria-label": "Conversation with the patient" });
    v.list = el("ol", { "class": "transcript__lines" });
    v.log.appendChild(v.list);
    v.replyBox = el("div");
    detail.replaceChildren(v.heading, v.meta, v.problem, v.facts, v.bar, privacyActions(), v.log, v.replyBox);
    return v;
  }

  function renderFacts(h) {
    var signature = JSON.stringify(h.callback || null);
    if (signature === view.callback) { return; }
    view.callback = signature;
    view.facts.replaceChildren();
    if (!h.callback) { return; }
    var facts = el("dl", { "class": "facts" });
    [["Reference", h.callback.reference], ["Name", h.callback.name],
     [h.callback.contact_kind === "email" ? "Email" : "Phone", h.callback.contact],
     ["Best time", h.callback.preferred_time], ["Reason", h.callback.reason],
     ["Asked", new Date(h.callback.consented_at).toLocaleString()]].forEach(function (pair) {
      facts.appendChild(el("dt", {}, pair[0]));
      facts.appendChild(el("dd", {}, pair[1]));
    });
    view.facts.appendChild(facts);
  }

  function chatActions(h) {
    var nodes = [];
    var id = { id: h.id };
    if (h.callback) {
      nodes.push(action("Mark as called back", function () {
        return call("POST", "/api/handoffs/" + h.id + "/called-back").then(function () {
          showEmpty(null, "callbacks");
          return fill(CONFIRM.calledBack, { reference: h.callback.reference });
        });
      }));
    }
    if (h.status === "waiting") {
      nodes.push(action("Take this chat", function () {
        return call("POST", "/api/handoffs/" + h.id + "/claim").then(function () { return fill(CONFIRM.claim, id); });
      }));
    }
    if (h.status === "active" && h.assigned_staff !== me.username) {
      nodes.push(el("p", {}, h.assigned_staff + " is chatting with this patient."));
    }
    if (h.status === "waiting" || h.status === "active") {
      nodes.push(action("Hand back to the assistant", function () {
        return call("POST", "/api/handoffs/" + h.id + "/hand-back").then(function () { return fill(CONFIRM.handBack, id); });
      }, "secondary"));
      nodes.push(action("Close chat", function () {
        return call("POST", "/api/handoffs/" + h.id + "/close").then(function () { return fill(CONFIRM.close, id); });
      }, "secondary"));
    }
    return nodes;
  }

  function lineNode(line) {
    var who = { patient: "Patient", assistant: "Assistant", staff: line.name || "Staff", notice: "" }[line.from];
    var li = el("li", { "class": "line line--" + line.from });
    if (who) { li.appendChild(el("span", { "class": "line__who" }, who + " · " + clock(line.time))); }
    li.appendChild(el("span", { "class": "line__text" }, line.text));
    return li;
  }

  /* How many of the old lines dropped off the front (the server sends the newest 300), or -1. */
  function overlap(old, lines) {
    for (var start = 0; start <= old.length; start += 1) {
      var same = true;
      for (var i = start; i < old.length && same; i += 1) { same = old[i] === lines[i - start]; }
      if (same && old.length - start <= lines.length) { return start; }
    }
    return -1;
  }

  /* Appends new lines (and drops old ones) in place; stays at the bottom only if it was there. */
  function renderTranscript(lines) {
    var keys = lines.map(function (line) { return JSON.stringify(line); });
    var box = view.log;
    var first = view.lines.length === 0 && !view.drawn;
    var atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 24;
    var dropped = overlap(view.lines, keys);
    if (dropped < 0) {
      view.list.replaceChildren();
      dropped = 0;
      view.lines = [];
    }
    for (var d = 0; d < dropped; d += 1) { view.list.firstChild.remove(); }
    for (var i = view.lines.length - dropped; i < lines.length; i += 1) { view.list.appendChild(lineNode(lines[i])); }
    view.lines = keys;
    view.drawn = true;
    if (first || atBottom) { box.scrollTop = box.scrollHeight; }
  }

  function replyForm(h) {
    var form = el("form", { "class": "reply" });
    var label = el("label", { "for": "reply-text" }, "Your reply to the patient");
    var box = el("textarea", { id: "reply-text", rows: "3", maxlength: "2000" });
    var send = el("button", { type: "submit" }, "Send");
    form.appendChild(label); form.appendChild(box); form.appendChild(send);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = box.value.trim();
      if (!text || send.getAttribute("aria-disabled") === "true") { return; }
      send.setAttribute("aria-disabled", "true");
      call("POST", "/api/handoffs/" + h.id + "/reply", { text: text })
        .then(function () {
          box.value = "";
          problem("");
          say(fill(CONFIRM.reply, { id: h.id }));
          lastDetail = "";
          return refresh();
        })
        .catch(function (error) { problem(error.message); })
        .then(function () { send.removeAttribute("aria-disabled"); });
    });
    return form;
  }

  function renderHandoff(h) {
    var fresh = !view || view.id !== h.id;
    if (fresh) { view = skeleton(h); }
    var opened = fresh && STACKED.matches && document.activeElement &&
      document.activeElement.classList.contains("item");
    view.h = h;
    setText(view.heading, REASONS[h.reason] || h.reason);
    setText(view.meta, "Handoff #" + h.id + " · " + (STATUSES[h.status] || h.status) +
      (h.callback ? " · " + h.callback.reference : ""));
    setText(view.problem, h.problem || "");
    view.problem.hidden = !h.problem;
    renderFacts(h);
    var mine = h.status === "active" && h.assigned_staff === me.username;
    var signature = [h.status, h.assigned_staff, mine, Boolean(h.callback)].join("|");
    if (signature !== view.signature) {
      var hadFocus = view.bar.contains(document.activeElement) || view.replyBox.contains(document.activeElement);
      view.signature = signature;
      view.bar.replaceChildren.apply(view.bar, chatActions(h));
      view.bar.hidden = !view.bar.firstChild;
      var form = view.replyBox.firstChild;
      if (mine && !form) { view.replyBox.appendChild(replyForm(h)); }
      if (!mine && form) { view.replyBox.replaceChildren(); }
      if (hadFocus || (!fresh && document.activeElement === document.body)) {
        var box = document.getElementById("reply-text");
        var firstButton = view.bar.querySelector("button");
        (box || firstButton || view.heading).focus();
      }
    }
    renderTranscript(h.transcript || []);
    if (opened) { view.heading.focus(); }
  }

  function refresh(background) {
    return call("GET", "/api/overview", undefined, background).then(function (data) {
      me = data.me;
      setText(document.getElementById("me"), me.name);
      renderLists(data);
      if (!selected) { return null; }
      var wanted = selected.id;
      return call("GET", "/api/handoffs/" + wanted, undefined, background).then(function (h) {
        if (!selected || selected.id !== wanted) { return; }
        var snapshot = JSON.stringify(h);
        if (snapshot !== lastDetail) { lastDetail = snapshot; renderHandoff(h); }
      });
    }).then(function () { problem(""); }).catch(function (error) {
      if (error.message !== "signed out") { problem("Could not update: " + error.message); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"].forEach(function (name) {
      document.addEventListener(name, function () { interacted = true; }, { passive: true });
    });
    LISTS.forEach(function (list) {
      document.getElementById(list).appendChild(el("li", { "class": "none" }, "None"));
    });
    refresh(false);
    window.setInterval(function () {
      var background = !interacted;
      interacted = false;
      refresh(background);
    }, POLL_MS);
  });
}());
