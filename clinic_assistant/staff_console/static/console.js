/* Staff console: lists waiting chats, chats in progress and call-back requests, and lets staff
 * take a chat, reply, hand back to the assistant or close it. Polls the server every 2 s; a poll
 * with no key press, click or pointer movement since the previous one is marked as background
 * (X-Clinic-Background), so that the session's 30-minute idle timeout keeps counting.
 * Every patient text is put on the page as text (textContent), never as HTML. */
(function () {
  "use strict";

  var POLL_MS = 2000;
  var REASONS = {
    requested: "Asked to talk to a person",
    red_flag: "Urgent symptoms: emergency advice was given",
    fallback: "The assistant did not understand",
    consultation: "Wants to book a consultation",
    personal_question: "Asked about their own situation"
  };
  var selected = null;   // {kind: "handoff", id: 3}
  var me = null;
  var lastDetail = "";
  var interacted = false;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
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
    box.textContent = text || "";
    box.hidden = !text;
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

  function item(listId, label, sub, key) {
    var li = el("li");
    var button = el("button", { type: "button", "class": "item", "data-key": key });
    if (selected && selected.key === key) { button.setAttribute("aria-current", "true"); }
    button.appendChild(el("span", { "class": "item__title" }, label));
    button.appendChild(el("span", { "class": "item__sub" }, sub));
    button.addEventListener("click", function () {
      selected = { key: key, id: Number(key.split("-")[1]) };
      lastDetail = "";
      refresh();
    });
    li.appendChild(button);
    document.getElementById(listId).appendChild(li);
  }

  function renderLists(data) {
    ["waiting", "active", "callbacks"].forEach(function (name) {
      document.getElementById(name).replaceChildren();
      document.getElementById(name + "-count").textContent = String(data[name].length);
    });
    data.waiting.forEach(function (h) {
      item("waiting", REASONS[h.reason] || h.reason, "Waiting since " + clock(h.created_at) + " (" + since(h.created_at) + ")", "h-" + h.id);
    });
    data.active.forEach(function (h) {
      var who = h.assigned_staff === me.username ? "You" : h.assigned_staff;
      item("active", REASONS[h.reason] || h.reason, who + " · since " + clock(h.claimed_at), "h-" + h.id);
    });
    data.callbacks.forEach(function (h) {
      item("callbacks", h.callback.name + " · " + h.callback.reference, h.callback.preferred_time, "h-" + h.id);
    });
    ["waiting", "active", "callbacks"].forEach(function (name) {
      if (!data[name].length) { document.getElementById(name).appendChild(el("li", { "class": "none" }, "None")); }
    });
    document.title = (data.waiting.length ? "(" + data.waiting.length + ") " : "") + "Staff console";
    document.getElementById("hours-note").textContent = data.within_staff_hours
      ? "Live chat is on: patients can reach you while you are signed in."
      : "Outside staff hours: patients are offered a call-back instead of a live chat.";
  }

  function action(label, handler, cls) {
    var button = el("button", { type: "button", "class": cls || "" }, label);
    button.addEventListener("click", function () {
      button.disabled = true;
      handler().then(function () { problem(""); lastDetail = ""; refresh(); })
        .catch(function (error) { problem(error.message); button.disabled = false; });
    });
    return button;
  }

  function renderTranscript(container, lines) {
    var log = el("ol", { "class": "transcript", "aria-label": "Conversation" });
    lines.forEach(function (line) {
      var who = { patient: "Patient", assistant: "Assistant", staff: line.name || "Staff", notice: "" }[line.from];
      var li = el("li", { "class": "line line--" + line.from });
      if (who) { li.appendChild(el("span", { "class": "line__who" }, who + " · " + clock(line.time))); }
      li.appendChild(el("span", { "class": "line__text" }, line.text));
      log.appendChild(li);
    });
    container.appendChild(log);
    log.scrollTop = log.scrollHeight;
  }

  /* A patient's copy of the conversation (JSON file) and its erasure everywhere (asks first). */
  function privacyActions(h) {
    var bar = el("div", { "class": "actions actions--privacy", role: "group", "aria-label": "Patient's data" });
    bar.appendChild(action("Export", function () {
      return fetch("/api/handoffs/" + h.id + "/export", { credentials: "same-origin", headers: { "X-Clinic-Console": "1" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("The export failed (the server answered " + response.status + ")."); }
          return response.blob();
        }).then(function (blob) {
          var link = el("a", { href: URL.createObjectURL(blob), download: "conversation-handoff-" + h.id + ".json" });
          document.body.appendChild(link);
          link.click();
          link.remove();
          window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
        });
    }, "secondary"));
    bar.appendChild(action("Erase", function () {
      var ok = window.confirm("Erase this conversation everywhere? Every message, this handoff record" +
        (h.callback ? " and the call-back request " + h.callback.reference : "") +
        " will be deleted for good. The audit trail will show that you did it.");
      if (!ok) { return Promise.resolve(); }
      return call("POST", "/api/handoffs/" + h.id + "/erase", { confirm: true }).then(function (done) {
        selected = null;
        document.getElementById("detail").replaceChildren(el("p", { "class": "empty", role: "status" },
          "Erased handoff #" + h.id + ": " + done.events + " stored events, " + done.handoffs +
          " handoff record(s), " + done.callbacks + " call-back request(s)."));
      });
    }, "danger"));
    return bar;
  }

  function renderHandoff(h) {
    var detail = document.getElementById("detail");
    var draft = document.getElementById("reply-text");
    var keep = draft ? draft.value : "";
    detail.replaceChildren();
    detail.appendChild(el("h2", {}, REASONS[h.reason] || h.reason));
    if (h.problem) { detail.appendChild(el("p", { "class": "problem" }, h.problem)); }
    if (h.callback) {
      var facts = el("dl", { "class": "facts" });
      [["Reference", h.callback.reference], ["Name", h.callback.name],
       [h.callback.contact_kind === "email" ? "Email" : "Phone", h.callback.contact],
       ["Best time", h.callback.preferred_time], ["Reason", h.callback.reason],
       ["Asked", new Date(h.callback.consented_at).toLocaleString()]].forEach(function (pair) {
        facts.appendChild(el("dt", {}, pair[0]));
        facts.appendChild(el("dd", {}, pair[1]));
      });
      detail.appendChild(facts);
      detail.appendChild(action("Mark as called back", function () {
        return call("POST", "/api/handoffs/" + h.id + "/called-back").then(function () { selected = null; });
      }));
    }
    var bar = el("div", { "class": "actions" });
    if (h.status === "waiting") {
      bar.appendChild(action("Take this chat", function () { return call("POST", "/api/handoffs/" + h.id + "/claim"); }));
    }
    if (h.status === "active" && h.assigned_staff !== me.username) {
      bar.appendChild(el("p", {}, h.assigned_staff + " is chatting with this patient."));
    }
    if (h.status === "waiting" || h.status === "active") {
      bar.appendChild(action("Hand back to the assistant", function () { return call("POST", "/api/handoffs/" + h.id + "/hand-back"); }, "secondary"));
      bar.appendChild(action("Close chat", function () { return call("POST", "/api/handoffs/" + h.id + "/close"); }, "secondary"));
    }
    detail.appendChild(bar);
    detail.appendChild(privacyActions(h));
    renderTranscript(detail, h.transcript || []);
    if (h.status === "active" && h.assigned_staff === me.username) {
      var form = el("form", { "class": "reply" });
      var label = el("label", { "for": "reply-text" }, "Your reply to the patient");
      var box = el("textarea", { id: "reply-text", rows: "3", maxlength: "2000" });
      box.value = keep;
      var send = el("button", { type: "submit" }, "Send");
      form.appendChild(label); form.appendChild(box); form.appendChild(send);
      box.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var text = box.value.trim();
        if (!text) { return; }
        send.disabled = true;
        call("POST", "/api/handoffs/" + h.id + "/reply", { text: text })
          .then(function () { box.value = ""; problem(""); lastDetail = ""; refresh(); })
          .catch(function (error) { problem(error.message); })
          .then(function () { send.disabled = false; box.focus(); });
      });
      detail.appendChild(form);
      if (keep || document.activeElement === document.body) { box.focus(); }
    }
  }

  function refresh(background) {
    return call("GET", "/api/overview", undefined, background).then(function (data) {
      me = data.me;
      document.getElementById("me").textContent = me.name;
      renderLists(data);
      if (!selected) { return null; }
      return call("GET", "/api/handoffs/" + selected.id, undefined, background).then(function (h) {
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
    refresh(false);
    window.setInterval(function () {
      var background = !interacted;
      interacted = false;
      refresh(background);
    }, POLL_MS);
  });
}());
