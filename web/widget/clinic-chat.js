/*
 * Clinic chat widget: talks to the clinic assistant over Rasa's socketio channel.
 *
 * Add it to any page with one tag (all assets come from the same folder, nothing from a CDN):
 *   <script src="https://assistant.example/widget/clinic-chat.js" defer
 *           data-server-url="https://assistant.example" data-title="Riverside Spine Clinic"
 *           data-phone="+1 555 010 2030" data-color="#0b5394" data-greeting="on-open"></script>
 *
 * Options (data-* attributes): server-url (Rasa server, required), title, phone (shown when the
 * assistant cannot be reached), color (header, launcher and own-message colour), greeting
 * ("on-open": start the conversation when the chat is first opened; "none": wait for the
 * patient), reply-timeout (seconds to wait for a reply, default 10), open ("true" to start open).
 *
 * Safety: every text from the patient, the assistant or staff is put on the page as text nodes,
 * never as HTML; links are made only from http(s) URLs and open in a new tab.
 *
 * Under an answer, the short "Sources: NHS, FDA ..." line comes with the full list of its sources
 * (message.sources: title, url, publisher): a "Show sources" disclosure lists their titles as
 * links, one tap away; only http(s) addresses become links.
 *
 * Buttons whose payload starts with "/feedback" rate the answer above them: they are shown as a
 * separate small "Was this helpful?" row, and after a click both are disabled and the patient's
 * choice stays marked.
 *
 * "Delete this conversation" (under the message box) asks first, then erases the conversation
 * on the server (POST <server-url>/webhooks/privacy/erase-own with the chat's own session id;
 * see docs/security.md) and only then in this browser (localStorage), and says what was deleted.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.ClinicChatLoaded) { return; }
  window.ClinicChatLoaded = true;

  var base = script.src.replace(/[^/]*$/, "");
  var options = {
    serverUrl: (script.dataset.serverUrl || "").replace(/\/$/, ""),
    title: script.dataset.title || "Clinic assistant",
    phone: script.dataset.phone || "",
    color: script.dataset.color || "#0b5394",
    greeting: script.dataset.greeting || "on-open",
    replyTimeoutMs: 1000 * (parseFloat(script.dataset.replyTimeout) || 10),
    startOpen: script.dataset.open === "true"
  };
  var STORAGE_KEY = "clinic-chat:" + options.serverUrl;
  var CONNECT_TIMEOUT_MS = 6000;
  var URL_PATTERN = /https?:\/\/[^\s<>"')]+[^\s<>"').,;:!?]/g;
  var FEEDBACK_PREFIX = "/feedback";
  var RATING_LABEL = "Was this helpful?";
  var SOURCES_LABEL = "Show sources";
  var URGENT_LABEL = "Urgent";
  var LAUNCHER_OPEN = "Questions? Chat with us";
  var LAUNCHER_CLOSE = "Close chat";
  var ERASE_PATH = "/webhooks/privacy/erase-own";
  var ERASE_QUESTION = "Delete this conversation? Your messages and the assistant's replies are " +
    "deleted from the clinic's assistant and from this browser, with any call-back request you " +
    "left (the clinic will then not call you back). This cannot be undone.";

  var state = loadState();
  var socket = null;
  var connected = false;
  var unreachable = false;
  var pending = [];  /* messages typed before the connection was ready: sent once it is */
  var replyTimer = null;
  var ratingRows = 0;
  var replyStart = null;  /* first message of the latest reply, read from its start */
  var ui = {};

  function loadState() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "null");
      if (saved && saved.sessionId && Array.isArray(saved.transcript)) { return saved; }
    } catch (error) { /* storage unavailable or corrupt: start afresh */ }
    return { sessionId: null, transcript: [], greeted: false, handoff: null, staffName: "" };
  }

  function saveState() {
    try { window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state)); } catch (error) { /* private mode */ }
  }

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  /* Short link text: the site's name, so long source URLs do not flood a phone screen. */
  function linkLabel(url) {
    var host = url.replace(/^https?:\/\//, "").split("/")[0].replace(/^www\./, "");
    return host + " \u2197";
  }

  /* Text with the number to call as a tel: link (its first whole-word occurrence). */
  function withCallLink(text, number) {
    var fragment = document.createDocumentFragment();
    var at = number ? findWord(text, number) : -1;
    if (at < 0) { fragment.appendChild(richText(text)); return fragment; }
    fragment.appendChild(richText(text.slice(0, at)));
    fragment.appendChild(el("a", { href: "tel:" + number.replace(/[^\d+]/g, ""), "class": "clinic-chat__call" },
      [number]));
    fragment.appendChild(richText(text.slice(at + number.length)));
    return fragment;
  }

  function findWord(text, word) {
    var from = 0;
    while (true) {
      var at = text.indexOf(word, from);
      if (at < 0) { return -1; }
      var before = at === 0 ? " " : text.charAt(at - 1);
      var after = text.charAt(at + word.length) || " ";
      if (!/[\w]/.test(before) && !/[\w]/.test(after)) { return at; }
      from = at + 1;
    }
  }

  /* Text with http(s) links, built from text nodes and <a> elements only. */
  function richText(text) {
    var fragment = document.createDocumentFragment();
    var last = 0;
    String(text).replace(URL_PATTERN, function (url, offset) {
      fragment.appendChild(document.createTextNode(text.slice(last, offset)));
      var link = el("a", { href: url, target: "_blank", rel: "noopener noreferrer", title: url },
        [linkLabel(url)]);
      fragment.appendChild(link);
      last = offset + url.length;
      return url;
    });
    fragment.appendChild(document.createTextNode(String(text).slice(last)));
    return fragment;
  }

  /* "Show sources": the titles of an answer's sources as links, from the list the assistant
   * sends with its short "Sources: ..." line (never found in the text). Null if none is a link. */
  function sourcesList(sources) {
    var items = (Array.isArray(sources) ? sources : []).filter(function (source) {
      return source && /^https?:\/\//i.test(String(source.url || ""));
    }).map(function (source) {
      var url = String(source.url);
      return el("li", {}, [el("a", { href: url, target: "_blank", rel: "noopener noreferrer" },
        [String(source.title || url), el("span", { "aria-hidden": "true" }, [" \u2197"])])]);
    });
    if (!items.length) { return null; }
    return el("details", { "class": "clinic-chat__sources" },
      [el("summary", {}, [SOURCES_LABEL]), el("ul", {}, items)]);
  }

  /* An icon drawn as SVG from one path (no emoji font or icon font needed). */
  function svgIcon(pathData, size, className) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", String(size));
    svg.setAttribute("height", String(size));
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    if (className) { svg.setAttribute("class", className); }
    var path = document.createElementNS(ns, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", pathData);
    svg.appendChild(path);
    return svg;
  }

  /* A warning triangle for emergency advice. */
  function warningIcon() {
    return svgIcon("M12 2 1 21h22L12 2zm0 5 7.5 12h-15L12 7zm-1 4v4h2v-4h-2zm0 5v2h2v-2h-2z", 18,
      "clinic-chat__urgent-icon");
  }

  /* A speech bubble for the launcher. */
  function chatIcon() {
    return svgIcon("M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z", 22, "");
  }

  /* A cross for the launcher while the chat is open (a press closes it). */
  function closeIcon() {
    return svgIcon("M6.4 5 5 6.4 10.6 12 5 17.6 6.4 19l5.6-5.6 5.6 5.6 1.4-1.4-5.6-5.6L19 6.4 17.6 5 12 10.6z",
      22, "");
  }

  function injectStyles() {
    var link = el("link", { rel: "stylesheet", href: base + "clinic-chat.css" });
    document.head.appendChild(link);
  }

  function buildUi() {
    var root = el("div", { "class": "clinic-chat", id: "clinic-chat" });
    root.style.setProperty("--clinic-chat-color", options.color);

    /* Named by its visible text (so speech control finds it by what it shows): the text says
     * what a press does, and changes when the chat opens. */
    ui.launcherText = el("span", { "class": "clinic-chat__launcher-text" }, [LAUNCHER_OPEN]);
    ui.launcher = el("button", {
      type: "button", "class": "clinic-chat__launcher", "aria-expanded": "false",
      "aria-controls": "clinic-chat-panel"
    }, [chatIcon(), ui.launcherText]);

    ui.close = el("button", { type: "button", "class": "clinic-chat__close", "aria-label": "Close chat" }, [closeIcon()]);
    var heading = el("h2", { "class": "clinic-chat__title", id: "clinic-chat-title" }, [options.title]);
    var header = el("div", { "class": "clinic-chat__header" }, [heading, ui.close]);

    ui.log = el("div", {
      "class": "clinic-chat__log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
      "aria-label": "Conversation", tabindex: "0"
    });
    ui.typing = el("div", { "class": "clinic-chat__typing", "aria-hidden": "true", hidden: "" },
      [el("span"), el("span"), el("span")]);
    ui.status = el("div", { "class": "clinic-chat__status", role: "status" });
    ui.handoff = el("div", { "class": "clinic-chat__handoff", role: "status", hidden: "" });

    ui.input = el("textarea", {
      id: "clinic-chat-input", "class": "clinic-chat__input", rows: "1", maxlength: "4000",
      placeholder: "Type your question", autocomplete: "off"
    });
    var label = el("label", { "for": "clinic-chat-input", "class": "clinic-chat__visually-hidden" }, ["Your message"]);
    ui.send = el("button", { type: "submit", "class": "clinic-chat__send" }, ["Send"]);
    ui.form = el("form", { "class": "clinic-chat__form" }, [label, ui.input, ui.send]);

    ui.erase = el("button", { type: "button", "class": "clinic-chat__erase" }, ["Delete this conversation"]);
    ui.eraseYes = el("button", { type: "button", "class": "clinic-chat__erase-yes" }, ["Delete"]);
    ui.eraseNo = el("button", { type: "button", "class": "clinic-chat__erase-no" }, ["Keep it"]);
    ui.eraseConfirm = el("div", {
      "class": "clinic-chat__erase-confirm", role: "alertdialog", "aria-modal": "false",
      "aria-labelledby": "clinic-chat-erase-question", hidden: ""
    }, [el("p", { id: "clinic-chat-erase-question" }, [ERASE_QUESTION]),
        el("div", { "class": "clinic-chat__erase-buttons" }, [ui.eraseYes, ui.eraseNo])]);
    var footer = el("div", { "class": "clinic-chat__footer" }, [ui.erase]);

    ui.panel = el("section", {
      id: "clinic-chat-panel", "class": "clinic-chat__panel", role: "dialog",
      "aria-labelledby": "clinic-chat-title", hidden: ""
    }, [header, ui.handoff, ui.log, ui.typing, ui.status, ui.form, ui.eraseConfirm, footer]);

    root.appendChild(ui.panel);
    root.appendChild(ui.launcher);
    document.body.appendChild(root);

    ui.launcher.addEventListener("click", function () { setOpen(ui.panel.hidden); });
    ui.close.addEventListener("click", function () { setOpen(false); });
    ui.panel.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      if (!ui.eraseConfirm.hidden) { askErase(false); return; }
      setOpen(false);
    });
    ui.erase.addEventListener("click", function () { askErase(true); });
    ui.eraseNo.addEventListener("click", function () { askErase(false); });
    ui.eraseYes.addEventListener("click", eraseConversation);
    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      sendText(ui.input.value);
    });
    ui.input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        sendText(ui.input.value);
      }
    });
  }

  /* The confirmation row: focus goes to "Keep it" (the safe choice) and back afterwards. */
  function askErase(show) {
    ui.eraseConfirm.hidden = !show;
    ui.erase.hidden = show;
    ui.erase.setAttribute("aria-expanded", String(show));
    if (show) { ui.eraseNo.focus(); } else { ui.erase.focus(); }
  }

  function eraseRequest() {
    if (!state.sessionId) { return Promise.resolve({ events: 0, callbacks: 0, references: [] }); }
    return window.fetch(options.serverUrl + ERASE_PATH, {
      method: "POST", headers: { "Content-Type": "application/json" }, credentials: "omit",
      body: JSON.stringify({ session_id: state.sessionId })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.error || ("The server answered " + response.status + ".")); }
        return data;
      });
    });
  }

  /* What was deleted, in plain words (shown, never stored). */
  function erasedText(report) {
    var text = report.events > 0
      ? "This conversation was deleted from the clinic's assistant and from this browser."
      : "This conversation was deleted from this browser. Nothing of it was stored by the clinic's assistant.";
    if (report.callbacks > 0) {
      text += " Your call-back request " + (report.references || []).join(", ") +
        " was deleted too, so the clinic will not call you back.";
    }
    return text + " You can start a new conversation below.";
  }

  /* Forget the conversation on this page: socket, transcript, state; the next message starts a
   * new conversation. `text` says what happened (shown, never stored). */
  function forgetConversation(text) {
    if (socket) { socket.off(); socket.disconnect(); }
    socket = null;
    connected = false;
    pending = [];
    window.clearTimeout(replyTimer);
    showTyping(false);
    state = { sessionId: null, transcript: [], greeted: true, handoff: null, staffName: "" };
    showHandoff();
    ui.log.replaceChildren();
    replyStart = null;
    ui.status.textContent = "";
    if (!ui.eraseConfirm.hidden) { askErase(false); }
    var done = render({ from: "info", text: text }, false);
    done.setAttribute("role", "status");
  }

  /* Deleted in another tab of the same site: this tab must not write it back. */
  function watchOtherTabs() {
    window.addEventListener("storage", function (event) {
      if ((event.key === STORAGE_KEY || event.key === null) && event.newValue === null && state.sessionId) {
        forgetConversation("This conversation was deleted in another tab or window.");
      }
    });
  }

  function eraseConversation() {
    ui.eraseYes.disabled = true;
    ui.eraseNo.disabled = true;
    eraseRequest().then(function (report) {
      try { window.localStorage.removeItem(STORAGE_KEY); } catch (error) { /* nothing stored */ }
      askErase(false);
      forgetConversation(erasedText(report));
      ui.input.focus();
    }).catch(function (error) {
      askErase(false);
      var phone = options.phone ? " or call us on " + options.phone : "";
      ui.log.appendChild(el("div", { "class": "clinic-chat__message clinic-chat__message--notice", role: "alert" },
        [el("p", {}, ["Sorry, the conversation could not be deleted on the clinic's server (" + error.message +
          "). Nothing was deleted; it is still in this browser. Please try again later" + phone + "."])]));
      scrollToEnd();
    }).then(function () {
      ui.eraseYes.disabled = false;
      ui.eraseNo.disabled = false;
    });
  }

  function setOpen(open) {
    ui.panel.hidden = !open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    ui.launcherText.textContent = open ? LAUNCHER_CLOSE : LAUNCHER_OPEN;
    ui.launcher.replaceChild(open ? closeIcon() : chatIcon(), ui.launcher.firstChild);
    if (open) {
      connect();
      ui.input.focus();
      scrollToReply();
    } else {
      ui.launcher.focus();
    }
  }

  function scrollToEnd() { ui.log.scrollTop = ui.log.scrollHeight; }

  function scrollToReply() {
    var end = ui.log.scrollHeight - ui.log.clientHeight;
    if (!replyStart) { ui.log.scrollTop = end; return; }
    ui.log.scrollTop = Math.max(0, Math.min(end, replyStart.offsetTop - 8));
  }

  /* A clicked button is disabled, which would drop keyboard focus to the page: return it to
   * the text box, without scrolling the reply away. */
  function keepFocusInChat() { ui.input.focus({ preventScroll: true }); }

  function isRating(button) { return String(button.payload || "").indexOf(FEEDBACK_PREFIX) === 0; }

  /* Quick replies: clicking one sends it and disables the group. */
  function replyButtons(entry, buttons, live) {
    var group = el("div", { "class": "clinic-chat__buttons", role: "group", "aria-label": "Suggested replies" });
    buttons.forEach(function (button) {
      var node = el("button", { type: "button", "class": "clinic-chat__button" }, [button.title]);
      if (!live || entry.used) {
        node.disabled = true;
      } else {
        node.addEventListener("click", function () {
          entry.used = true;
          Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) { b.disabled = true; });
          sendPayload(button.title, button.payload);
          keepFocusInChat();
        });
      }
      group.appendChild(node);
    });
    return group;
  }

  /* "Was this helpful?" row: one click rates the answer, then the row shows the choice. */
  function ratingButtons(entry, buttons, live) {
    var labelId = "clinic-chat-rating-" + (++ratingRows);
    var row = el("div", { "class": "clinic-chat__rating", role: "group", "aria-labelledby": labelId },
      [el("span", { "class": "clinic-chat__rating-label", id: labelId }, [RATING_LABEL])]);
    var choice = el("span", { "class": "clinic-chat__rating-choice" });
    var nodes = buttons.map(function (button) {
      var node = el("button", { type: "button", "class": "clinic-chat__rate", "aria-pressed": "false" }, [button.title]);
      node.disabled = !live || Boolean(entry.rated);
      node.addEventListener("click", function () {
        if (entry.rated) { return; }
        entry.rated = button.payload;
        saveState();
        nodes.forEach(function (other) { other.disabled = true; });
        markChosen(node, choice, button.title);
        sendPayload(button.title, button.payload);
        keepFocusInChat();
      });
      if (entry.rated === button.payload) { markChosen(node, choice, button.title); }
      row.appendChild(node);
      return node;
    });
    row.appendChild(choice);
    return row;
  }

  function markChosen(node, choice, title) {
    node.setAttribute("aria-pressed", "true");
    node.classList.add("clinic-chat__rate--chosen");
    choice.textContent = "You said: " + title;
  }

  /* Render one transcript entry; `live` entries get their buttons enabled. */
  function render(entry, live) {
    var classes = "clinic-chat__message clinic-chat__message--" + entry.from;
    var bubble = el("div", { "class": classes });
    if (entry.from === "staff") {
      bubble.appendChild(el("span", { "class": "clinic-chat__sender" }, [(entry.name || "Clinic team") + " (clinic team)"]));
    } else if (entry.from === "notice") {
      bubble.setAttribute("role", "alert");
    }
    if (entry.kind === "emergency") {
      bubble.classList.add("clinic-chat__message--emergency");
      bubble.setAttribute("role", "alert");
      bubble.appendChild(el("strong", { "class": "clinic-chat__urgent" }, [warningIcon(), URGENT_LABEL]));
    }
    var label = { user: "You", bot: "Assistant", staff: "", notice: "", info: "" }[entry.from];
    if (label) { bubble.appendChild(el("span", { "class": "clinic-chat__visually-hidden" }, [label + ": "])); }
    bubble.appendChild(el("p", {}, [entry.kind === "emergency" ? withCallLink(entry.text || "", entry.tel || "")
      : richText(entry.text || "")]));
    var sources = entry.sources ? sourcesList(entry.sources) : null;
    if (sources) { bubble.appendChild(sources); }
    var buttons = entry.buttons || [];
    var replies = buttons.filter(function (button) { return !isRating(button); });
    var ratings = buttons.filter(isRating);
    if (replies.length) { bubble.appendChild(replyButtons(entry, replies, live)); }
    if (ratings.length) { bubble.appendChild(ratingButtons(entry, ratings, live)); }
    ui.log.appendChild(bubble);
    return bubble;
  }

  /* A reply is read from its start: the log scrolls to the first message of the latest reply
   * (or to its emergency advice), never past it, so a long answer or the emergency advice is
   * not scrolled out of view by the sources and buttons that follow. */
  function add(entry) {
    state.transcript.push(entry);
    state.transcript = state.transcript.slice(-200);
    saveState();
    noteReplyStart(entry, render(entry, true));
    scrollToReply();
  }

  /* The first message of the latest reply, or its emergency advice. */
  function noteReplyStart(entry, bubble) {
    if (entry.from === "user") {
      replyStart = null;
    } else if (!replyStart || entry.kind === "emergency") {
      replyStart = bubble;
    }
  }

  function notice(text) {
    var phone = options.phone ? " Please call us on " + options.phone + "." : "";
    add({ from: "notice", text: text + phone });
  }

  function showTyping(on) { ui.typing.hidden = !on; }

  /* While a person from the clinic is joining or chatting, the assistant is paused: no typing
   * dots and no "no reply" warning, since staff answer when they can. */
  function showHandoff() {
    var text = state.handoff === "waiting" ? "Waiting for a member of our team to join\u2026"
      : state.handoff === "active" ? "You are chatting with " + (state.staffName || "our team") + " from the clinic team."
      : "";
    ui.handoff.textContent = text;
    ui.handoff.hidden = !text;
  }

  function setHandoff(status, name) {
    state.handoff = status === "waiting" || status === "active" ? status : null;
    state.staffName = state.handoff ? (name || state.staffName || "") : "";
    saveState();
    showHandoff();
  }

  function waitForReply() {
    window.clearTimeout(replyTimer);
    if (state.handoff) { return; }
    showTyping(true);
    replyTimer = window.setTimeout(function () {
      showTyping(false);
      notice("Sorry, no reply has arrived. The assistant may be having a problem.");
    }, options.replyTimeoutMs);
  }

  function emit(text) {
    if (!socket) { connect(); }
    if (!connected) {
      pending.push(text);
      if (unreachable) { notice("Sorry, we can't reach the assistant right now."); } else { waitForReply(); }
      return;
    }
    socket.emit("user_uttered", { message: text, session_id: state.sessionId });
    waitForReply();
  }

  function flushPending() {
    pending.splice(0).forEach(function (text) {
      socket.emit("user_uttered", { message: text, session_id: state.sessionId });
      waitForReply();
    });
  }

  function markUnreachable() {
    if (unreachable || connected) { return; }
    unreachable = true;
    window.clearTimeout(replyTimer);
    showTyping(false);
    notice("Sorry, we can't reach the assistant right now.");
  }

  function sendText(raw) {
    var text = String(raw || "").trim();
    if (!text) { return; }
    ui.input.value = "";
    add({ from: "user", text: text });
    emit(text);
  }

  function sendPayload(title, payload) {
    add({ from: "user", text: title });
    emit(payload);
  }

  function receive(message) {
    window.clearTimeout(replyTimer);
    showTyping(false);
    if (message && message.handoff) {
      setHandoff(message.handoff, message.name);
      if (message.text) { add({ from: "info", text: String(message.text) }); }
      return;
    }
    if (message && message.sender === "staff") {
      add({ from: "staff", text: String(message.text || ""), name: String(message.name || "") });
      return;
    }
    if (message && (message.text || (message.quick_replies || message.buttons || []).length)) {
      add({ from: "bot", text: message.text || "", buttons: message.quick_replies || message.buttons || [],
            sources: Array.isArray(message.sources) && message.sources.length ? message.sources : undefined,
            kind: message.kind === "emergency" ? "emergency" : undefined,
            tel: message.kind === "emergency" ? String(message.tel || "") : undefined });
    }
  }

  function connect() {
    if (socket || !window.io) { return; }
    if (!options.serverUrl) { notice("The chat is not configured (no server URL)."); return; }
    socket = window.io(options.serverUrl, { transports: ["websocket"], reconnectionAttempts: 5 });
    var connectTimer = window.setTimeout(markUnreachable, CONNECT_TIMEOUT_MS);

    socket.on("connect", function () {
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", function (sessionId) {
      window.clearTimeout(connectTimer);
      connected = true;
      unreachable = false;
      ui.status.textContent = "";
      var fresh = sessionId !== state.sessionId;
      state.sessionId = sessionId;
      saveState();
      if (fresh && !state.greeted && options.greeting === "on-open") {
        state.greeted = true;
        saveState();
        socket.emit("user_uttered", { message: "/session_start", session_id: sessionId });
        waitForReply();
      }
      flushPending();
    });
    socket.on("bot_uttered", receive);
    socket.on("connect_error", function () {
      window.clearTimeout(connectTimer);
      markUnreachable();
    });
    socket.on("disconnect", function () {
      connected = false;
      ui.status.textContent = "Reconnecting\u2026";
    });
  }

  function start() {
    injectStyles();
    buildUi();
    state.transcript.forEach(function (entry, index) {
      noteReplyStart(entry, render(entry, index === state.transcript.length - 1));
    });
    showHandoff();
    watchOtherTabs();
    var loader = el("script", { src: base + "vendor/socket.io.min.js" });
    loader.addEventListener("load", function () { if (!ui.panel.hidden || state.sessionId) { connect(); } });
    loader.addEventListener("error", function () { notice("Sorry, the chat could not load."); });
    document.head.appendChild(loader);
    if (options.startOpen) { setOpen(true); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
