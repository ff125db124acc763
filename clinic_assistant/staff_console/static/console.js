/* Staff console: lists waiting chats, chats in progress and call-back requests, and lets staff
 * take a chat, reply, hand back to the assistant or close it (console-lists.js,
 * console-detail.js; wording in console-wording.js). Polls the server every 2 s; a poll with
 * no key press, click or pointer movement since the previous one is marked as background
 * (X-Clinic-Background), so that the session's 30-minute idle timeout keeps counting. Each
 * action is confirmed in the polite status region (#status). */
(function () {
  "use strict";

  var POLL_MS = 2000;
  var app = window.StaffConsole;
  var page = app.page;
  var wording = app.wording;
  var lastDetail = "";
  var interacted = false;
  /* Shared with the lists and the open conversation. */
  var state = {
    me: null,
    selected: null,    // {key: "h-3", id: 3, list: "waiting"}
    focusList: null,   // give this list's heading focus after the next drawing of the lists
    open: function (selection) {
      state.selected = selection;
      lastDetail = "";
      return refresh();
    },
    refresh: function () { return refresh(); }
  };

  function refresh(background) {
    return page.call("GET", "/api/overview", undefined, background).then(function (data) {
      state.me = data.me;
      page.setText(document.getElementById("me"), data.me.name);
      page.setText(document.getElementById("hours-note"),
                   data.within_staff_hours ? wording.liveChatOn : wording.liveChatOff);
      app.lists.render(data, state);
      if (!state.selected) { return null; }
      var wanted = state.selected.id;
      return page.call("GET", "/api/handoffs/" + wanted, undefined, background).then(function (h) {
        if (!state.selected || state.selected.id !== wanted) { return; }
        var snapshot = JSON.stringify(h);
        if (snapshot !== lastDetail) { lastDetail = snapshot; app.detail.render(h, state); }
      });
    }).then(function () { page.problem(""); }).catch(function (error) {
      if (error.message !== "signed out") { page.problem(page.fill(wording.couldNotUpdate, { problem: error.message })); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"].forEach(function (name) {
      document.addEventListener(name, function () { interacted = true; }, { passive: true });
    });
    app.detail.init(state);
    refresh(false);
    window.setInterval(function () {
      var background = !interacted;
      interacted = false;
      refresh(background);
    }, POLL_MS);
  });
}());
