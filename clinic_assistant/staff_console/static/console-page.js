/* Staff console: small helpers shared by its scripts: building nodes, changing text only when
 * it differs, filling wording placeholders, times, the problem and status lines, and calling
 * the console's JSON API. Patient text only ever goes in as text (textContent), never HTML. */
(function () {
  "use strict";

  var wording = window.StaffConsole.wording;

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
    return minutes < 1 ? wording.justNow : minutes === 1 ? wording.oneMinuteAgo
      : fill(wording.minutesAgo, { count: minutes });
  }

  function clock(iso) {
    return iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "";
  }

  function problem(text) {
    var box = document.getElementById("problem");
    setText(box, text || "");
    box.hidden = !text;
  }

  /* The polite status region (role="status"): what was just done. The same text twice is
   * announced twice. */
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
        if (!response.ok) { throw new Error(data.error || fill(wording.serverAnswered, { status: response.status })); }
        return data;
      });
    });
  }

  window.StaffConsole.page = {
    el: el, setText: setText, fill: fill, since: since, clock: clock,
    problem: problem, say: say, call: call
  };
}());
