/* Staff console: the open conversation (facts, actions, transcript, reply box), updated in
 * place. Its parts are built once per conversation and only touched when they change: the
 * transcript gets new lines appended and follows them only while it is scrolled to the bottom,
 * the action buttons are rebuilt only when the chat's state changes (focus then moves to the
 * reply box, the next button or the heading), and a draft reply is never lost. */
(function () {
  "use strict";

  var page = window.StaffConsole.page;
  var wording = window.StaffConsole.wording;
  var el = page.el;
  var setText = page.setText;
  var fill = page.fill;
  /* One column (a phone): the open conversation is below the lists, so opening one moves
   * focus (and the view) to it; side by side, focus stays in the list. */
  var STACKED = window.matchMedia("(max-width: 760px)");
  var view = null;   // the open conversation's nodes and what they show
  var state = null;  // shared with console.js: me, selected, refresh(), focusList

  /* A button that runs `handler` once at a time; aria-disabled (not disabled) keeps keyboard
   * focus on it. `handler` resolves to the confirmation to announce, or nothing. */
  function action(label, handler, cls) {
    var button = el("button", { type: "button", "class": cls || "" }, label);
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-disabled") === "true") { return; }
      button.setAttribute("aria-disabled", "true");
      handler().then(function (confirmation) {
        page.problem("");
        if (confirmation) { page.say(confirmation); }
        return state.refresh();
      }).catch(function (error) { page.problem(error.message); })
        .then(function () { button.removeAttribute("aria-disabled"); });
    });
    return button;
  }

  /* Closes the conversation; focus goes to the heading of `list` once the lists are drawn. */
  function clear(text, list) {
    state.selected = null;
    view = null;
    document.getElementById("detail").replaceChildren(el("p", { "class": "empty" }, text || wording.emptyDetail));
    state.focusList = list || null;
  }

  function listOf(h) {
    return h.status === "callback" ? "callbacks" : h.status === "active" ? "active" : "waiting";
  }

  function exportFile(h) {
    var file = "conversation-handoff-" + h.id + ".json";
    return fetch("/api/handoffs/" + h.id + "/export", { credentials: "same-origin", headers: { "X-Clinic-Console": "1" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(fill(wording.exportFailed, { status: response.status })); }
        return response.blob();
      }).then(function (blob) {
        var link = el("a", { href: URL.createObjectURL(blob), download: file });
        document.body.appendChild(link);
        link.click();
        link.remove();
        window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
        return fill(wording.confirm.exported, { id: h.id, file: file });
      });
  }

  function erase(h) {
    var question = h.callback ? fill(wording.confirmEraseWithCallback, { reference: h.callback.reference })
      : wording.confirmErase;
    if (!window.confirm(question)) { return Promise.resolve(null); }
    return page.call("POST", "/api/handoffs/" + h.id + "/erase", { confirm: true }).then(function (done) {
      var text = fill(wording.confirm.erased, { id: h.id, events: done.events, handoffs: done.handoffs,
                                                callbacks: done.callbacks });
      clear(text, listOf(h));
      return text;
    });
  }

  /* A patient's copy of the conversation (JSON file) and its erasure everywhere (asks first). */
  function privacyActions() {
    var bar = el("div", { "class": "actions actions--privacy", role: "group", "aria-label": wording.privacyGroup });
    bar.appendChild(action(wording.buttons.export, function () { return exportFile(view.h); }, "secondary"));
    bar.appendChild(action(wording.buttons.erase, function () { return erase(view.h); }, "danger"));
    return bar;
  }

  function skeleton(h) {
    var v = { id: h.id, h: h, signature: null, callback: null, lines: [], drawn: false };
    v.heading = el("h2", { tabindex: "-1" });
    v.meta = el("p", { "class": "detail__meta" });
    v.problem = el("p", { "class": "problem", hidden: "" });
    v.facts = el("div");
    v.bar = el("div", { "class": "actions", role: "group", "aria-label": wording.chatGroup });
    v.log = el("div", { "class": "transcript", role: "log", tabindex: "0",
                        "aria-label": wording.transcript });
    v.list = el("ol", { "class": "transcript__lines" });
    v.log.appendChild(v.list);
    v.replyBox = el("div");
    document.getElementById("detail").replaceChildren(
      v.heading, v.meta, v.problem, v.facts, v.bar, privacyActions(), v.log, v.replyBox);
    return v;
  }

  function renderFacts(h) {
    var signature = JSON.stringify(h.callback || null);
    if (signature === view.callback) { return; }
    view.callback = signature;
    view.facts.replaceChildren();
    if (!h.callback) { return; }
    var facts = el("dl", { "class": "facts" });
    var names = wording.facts;
    [[names.reference, h.callback.reference], [names.name, h.callback.name],
     [h.callback.contact_kind === "email" ? names.email : names.phone, h.callback.contact],
     [names.bestTime, h.callback.preferred_time], [names.reason, h.callback.reason],
     [names.asked, new Date(h.callback.consented_at).toLocaleString()]].forEach(function (pair) {
      facts.appendChild(el("dt", {}, pair[0]));
      facts.appendChild(el("dd", {}, pair[1]));
    });
    view.facts.appendChild(facts);
  }

  function post(h, path, confirmation, values) {
    return function () {
      return page.call("POST", "/api/handoffs/" + h.id + "/" + path).then(function () {
        return fill(confirmation, values || { id: h.id });
      });
    };
  }

  function chatActions(h) {
    var nodes = [];
    if (h.callback) {
      var done = post(h, "called-back", wording.confirm.calledBack, { reference: h.callback.reference });
      nodes.push(action(wording.buttons.calledBack, function () {
        return done().then(function (text) { clear(null, "callbacks"); return text; });
      }));
    }
    if (h.status === "waiting") {
      nodes.push(action(wording.buttons.claim, post(h, "claim", wording.confirm.claim)));
    }
    if (h.status === "active" && h.assigned_staff !== state.me.username) {
      nodes.push(el("p", {}, fill(wording.colleagueChatting, { name: h.assigned_staff })));
    }
    if (h.status === "waiting" || h.status === "active") {
      nodes.push(action(wording.buttons.handBack, post(h, "hand-back", wording.confirm.handBack), "secondary"));
      nodes.push(action(wording.buttons.close, post(h, "close", wording.confirm.close), "secondary"));
    }
    return nodes;
  }

  function lineNode(line) {
    var who = line.from === "staff" ? line.name || wording.speakers.staff : wording.speakers[line.from];
    var li = el("li", { "class": "line line--" + line.from });
    if (who) { li.appendChild(el("span", { "class": "line__who" }, who + " · " + page.clock(line.time))); }
    li.appendChild(el("span", { "class": "line__text" }, line.text));
    return li;
  }

  /* How many old lines dropped off the front (the server sends the newest 300) so that the rest
   * of `old` begins `lines`; old.length when nothing is shared. */
  function dropped(old, lines) {
    for (var start = 0; start < old.length; start += 1) {
      if (old.length - start <= lines.length) {
        var same = true;
        for (var i = start; i < old.length && same; i += 1) { same = old[i] === lines[i - start]; }
        if (same) { return start; }
      }
    }
    return old.length;
  }

  /* Appends new lines (and drops old ones) in place; follows them only from the bottom. */
  function renderTranscript(lines) {
    var keys = lines.map(function (line) { return JSON.stringify(line); });
    var box = view.log;
    var atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 24;
    var drop = dropped(view.lines, keys);
    for (var d = 0; d < drop; d += 1) { view.list.firstChild.remove(); }
    for (var i = view.lines.length - drop; i < lines.length; i += 1) { view.list.appendChild(lineNode(lines[i])); }
    view.lines = keys;
    if (!view.drawn || atBottom) { box.scrollTop = box.scrollHeight; }
    view.drawn = true;
  }

  function replyForm(h) {
    var form = el("form", { "class": "reply" });
    var label = el("label", { "for": "reply-text" }, wording.replyLabel);
    var box = el("textarea", { id: "reply-text", rows: "3", maxlength: "2000" });
    var send = el("button", { type: "submit" }, wording.buttons.send);
    form.appendChild(label); form.appendChild(box); form.appendChild(send);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = box.value.trim();
      if (!text || send.getAttribute("aria-disabled") === "true") { return; }
      send.setAttribute("aria-disabled", "true");
      page.call("POST", "/api/handoffs/" + h.id + "/reply", { text: text })
        .then(function () {
          box.value = "";
          page.problem("");
          page.say(fill(wording.confirm.reply, { id: h.id }));
          return state.refresh();
        })
        .catch(function (error) { page.problem(error.message); })
        .then(function () { send.removeAttribute("aria-disabled"); });
    });
    return form;
  }

  /* Draws handoff `h` (with its transcript) into #detail, in place if it is already open. */
  function render(h, shared) {
    state = shared;
    var fresh = !view || view.id !== h.id;
    if (fresh) { view = skeleton(h); }
    var opened = fresh && STACKED.matches && document.activeElement &&
      document.activeElement.classList.contains("item");
    view.h = h;
    setText(view.heading, wording.reasons[h.reason] || h.reason);
    setText(view.meta, fill(h.callback ? wording.metaCallback : wording.meta, {
      id: h.id, status: wording.statuses[h.status] || h.status, reference: h.callback && h.callback.reference }));
    setText(view.problem, h.problem || "");
    view.problem.hidden = !h.problem;
    renderFacts(h);
    var mine = h.status === "active" && h.assigned_staff === state.me.username;
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
        (document.getElementById("reply-text") || view.bar.querySelector("button") || view.heading).focus();
      }
    }
    renderTranscript(h.transcript || []);
    if (opened) { view.heading.focus(); }
  }

  function init(shared) {
    state = shared;
  }

  window.StaffConsole.detail = { init: init, render: render, clear: clear };
}());
