/* Staff console: the words its scripts show (list headings and "Sign out" are in
 * console.html). Staff may change the words; keep the {placeholders}, and reload the page.
 * The browser tests (tests/web/) look for some of them. Confirmations name handoff numbers and
 * call-back references, never patient text. */
(function () {
  "use strict";

  window.StaffConsole = window.StaffConsole || {};
  window.StaffConsole.wording = {
    /* Why a patient is waiting (the handoff's reason). */
    reasons: {
      requested: "Asked to talk to a person",
      red_flag: "Urgent symptoms: emergency advice was given",
      fallback: "The assistant did not understand",
      consultation: "Wants to book a consultation",
      personal_question: "Asked about their own situation"
    },
    /* Under the open conversation's heading: "Handoff #12 · waiting for a person". */
    statuses: {
      waiting: "waiting for a person",
      active: "chat in progress",
      closed: "ended",
      callback: "call-back request"
    },
    /* The status line after each action: {id} is the handoff's number, {reference} the
     * call-back reference, {file} the export's file name. */
    confirm: {
      claim: "You took handoff #{id}. The patient has been told you joined.",
      reply: "Reply sent to the patient (handoff #{id}).",
      handBack: "Handoff #{id} handed back to the assistant.",
      close: "Handoff #{id} closed. The patient has been told.",
      calledBack: "Call-back request {reference} marked as called back.",
      exported: "Handoff #{id} exported as {file}.",
      erased: "Erased handoff #{id}: {events} stored events, {handoffs} handoff record(s), " +
        "{callbacks} call-back request(s)."
    },
    buttons: {
      claim: "Take this chat",
      handBack: "Hand back to the assistant",
      close: "Close chat",
      calledBack: "Mark as called back",
      export: "Export",
      erase: "Erase",
      send: "Send"
    },
    /* A call-back request's details. */
    facts: {
      reference: "Reference", name: "Name", email: "Email", phone: "Phone",
      bestTime: "Best time", reason: "Reason", asked: "Asked"
    },
    /* Who wrote a line of the transcript (staff lines show the staff member's name). */
    speakers: { patient: "Patient", assistant: "Assistant", staff: "Staff", notice: "" },
    meta: "Handoff #{id} · {status}",
    metaCallback: "Handoff #{id} · {status} · {reference}",
    transcript: "Conversation with the patient",
    replyLabel: "Your reply to the patient",
    chatGroup: "Chat",
    privacyGroup: "Patient's data",
    /* {count} is a number. */
    title: {
      base: "Staff console",
      waiting: "{count} waiting",
      newCallback: "{count} new call-back",
      newCallbacks: "{count} new call-backs"
    },
    newItem: "New",
    newCount: "{count} new",
    noItems: "None",
    you: "You",
    waitingSince: "Waiting since {time} ({ago})",
    activeSince: "{who} · since {time}",
    justNow: "just now",
    oneMinuteAgo: "1 minute ago",
    minutesAgo: "{count} minutes ago",
    colleagueChatting: "{name} is chatting with this patient.",
    emptyDetail: "Choose a conversation from the lists. New requests appear in them on their own.",
    liveChatOn: "Live chat is on: patients can reach you while you are signed in.",
    liveChatOff: "Outside staff hours: patients are offered a call-back instead of a live chat.",
    couldNotUpdate: "Could not update: {problem}",
    exportFailed: "The export failed (the server answered {status}).",
    serverAnswered: "The server answered {status}",
    confirmErase: "Erase this conversation everywhere? Every message, this handoff record " +
      "will be deleted for good. The audit trail will show that you did it.",
    confirmEraseWithCallback: "Erase this conversation everywhere? Every message, this handoff " +
      "record and the call-back request {reference} will be deleted for good. The audit trail " +
      "will show that you did it."
  };
}());
