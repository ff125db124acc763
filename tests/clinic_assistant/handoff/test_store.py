"""HandoffStore on a real SQLite file: handoffs, call-backs, staff accounts and sessions."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import select, update

from clinic_assistant.handoff import store as store_module
from clinic_assistant.handoff import totp
from clinic_assistant.handoff.database import make_session_factory
from clinic_assistant.handoff.records import CallbackRequest, Handoff, HandoffStatus, utc_now
from clinic_assistant.handoff.store import HandoffStore

PASSWORD = "correct horse battery"


def save(store: HandoffStore, conversation: str = "patient-1", contact: str = "+15550102030"):
    """A consented call-back request with plain example values."""
    return store.save_callback(conversation, "requested", name="Sam", contact=contact,
                               preferred_time="mornings", reason_text="cost questions")


def test_a_live_handoff_goes_from_waiting_to_active_to_closed(handoff_store: HandoffStore) -> None:
    """Claim assigns staff; hand back closes with an outcome; no open handoff is left."""
    started = handoff_store.start_live("patient-1", "red_flag")
    assert (started.status, started.reason, started.outcome) == ("waiting", "red_flag", None)
    assert handoff_store.open_handoff("patient-1") == started
    assert handoff_store.open_handoff("patient-2") is None

    claimed = handoff_store.claim(started.id, "anna")
    assert claimed is not None
    assert (claimed.status, claimed.assigned_staff) == ("active", "anna")
    assert claimed.claimed_at is not None and claimed.closed_at is None
    assert handoff_store.open_handoff("patient-1") == claimed

    handed_back = handoff_store.hand_back(started.id, "anna")
    assert handed_back is not None
    assert (handed_back.status, handed_back.outcome) == ("closed", "handed_back")
    assert handed_back.closed_at is not None
    assert handoff_store.open_handoff("patient-1") is None
    assert handoff_store.get(started.id) == handed_back


def test_staff_can_close_a_waiting_or_active_handoff(handoff_store: HandoffStore) -> None:
    """close() records closed_by_staff and who closed it."""
    waiting = handoff_store.start_live("patient-1", "requested")
    closed = handoff_store.close(waiting.id, "ben")
    assert closed is not None
    assert (closed.status, closed.outcome, closed.assigned_staff) == (
        "closed", "closed_by_staff", "ben")
    assert handoff_store.close(waiting.id, "ben") is None
    assert handoff_store.hand_back(waiting.id, "ben") is None


def test_only_a_waiting_handoff_can_be_claimed(handoff_store: HandoffStore) -> None:
    """A second claim, a claim after closing and a claim of an unknown id all give None."""
    handoff = handoff_store.start_live("patient-1", "requested")
    assert handoff_store.claim(handoff.id, "anna") is not None
    assert handoff_store.claim(handoff.id, "ben") is None
    assert handoff_store.get(handoff.id).assigned_staff == "anna"
    handoff_store.close(handoff.id, "anna")
    assert handoff_store.claim(handoff.id, "ben") is None
    assert handoff_store.claim(9999, "ben") is None
    assert handoff_store.get(9999) is None


def test_unknown_reasons_are_refused(handoff_store: HandoffStore) -> None:
    """Only the reasons in records.REASONS are stored."""
    with pytest.raises(ValueError):
        handoff_store.start_live("patient-1", "bored")
    with pytest.raises(ValueError):
        handoff_store.save_callback("patient-1", "bored", name="Sam", contact="+15550102030",
                                    preferred_time="x", reason_text="y")
    assert handoff_store.queue() == []


def test_queue_holds_open_handoffs_and_open_callbacks_oldest_first(
    handoff_store: HandoffStore,
) -> None:
    """Closed handoffs and call-backs already done are left out."""
    first = handoff_store.start_live("patient-1", "requested")
    callback = save(handoff_store, "patient-2")
    active = handoff_store.start_live("patient-3", "fallback")
    handoff_store.claim(active.id, "anna")
    closed = handoff_store.start_live("patient-4", "requested")
    handoff_store.close(closed.id, "anna")
    done = save(handoff_store, "patient-5")
    handoff_store.mark_called_back(done.id, "anna")

    queue = handoff_store.queue()
    assert [h.id for h in queue] == [first.id, callback.id, active.id]
    assert [h.status for h in queue] == ["waiting", "callback", "active"]


def test_unclaimed_handoffs_expire_only_after_the_timeout(handoff_store: HandoffStore) -> None:
    """Waiting handoffs older than the timeout close as unclaimed; claimed ones stay."""
    waiting = handoff_store.start_live("patient-1", "requested")
    claimed = handoff_store.start_live("patient-2", "requested")
    handoff_store.claim(claimed.id, "anna")
    created = handoff_store.get(waiting.id).created_at

    assert handoff_store.expire_unclaimed(created + dt.timedelta(seconds=179), 180) == []
    assert handoff_store.get(waiting.id).status == "waiting"

    later = created + dt.timedelta(seconds=181)
    expired = handoff_store.expire_unclaimed(later, 180)
    assert [(h.id, h.status, h.outcome, h.closed_at) for h in expired] == [
        (waiting.id, "closed", "unclaimed", later)]
    assert handoff_store.get(claimed.id).status == "active"
    assert handoff_store.expire_unclaimed(later, 180) == []


def test_a_callback_request_is_stored_with_a_reference(handoff_store: HandoffStore) -> None:
    """Status callback, the typed values, the contact kind, a readable reference."""
    phone = save(handoff_store)
    email = save(handoff_store, "patient-2", contact="sam@example.com")
    assert phone.status == "callback" and phone.callback is not None
    assert (phone.callback.name, phone.callback.contact, phone.callback.contact_kind,
            phone.callback.preferred_time, phone.callback.reason_text) == (
        "Sam", "+15550102030", "phone", "mornings", "cost questions")
    assert email.callback.contact_kind == "email"
    assert re.fullmatch(r"CB-[2-9A-HJKMNP-Z]{5}", phone.callback.reference)
    assert phone.callback.reference != email.callback.reference
    assert phone.callback.done_at is None
    assert handoff_store.open_handoff("patient-1") is None


def test_a_taken_reference_is_drawn_again(handoff_store: HandoffStore,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A collision with an existing reference retries instead of failing or duplicating."""
    drawn: Iterator[str] = iter(["CB-AAAAA", "CB-AAAAA", "CB-BBBBB"])
    monkeypatch.setattr(store_module, "new_reference", lambda: next(drawn))
    assert save(handoff_store).callback.reference == "CB-AAAAA"
    assert save(handoff_store, "patient-2").callback.reference == "CB-BBBBB"
    assert len(handoff_store.queue()) == 2


def test_endless_collisions_give_up_with_an_error(handoff_store: HandoffStore,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """After a few collisions in a row the store stops and stores nothing more."""
    monkeypatch.setattr(store_module, "new_reference", lambda: "CB-AAAAA")
    save(handoff_store)
    with pytest.raises(RuntimeError):
        save(handoff_store, "patient-2")
    assert len(handoff_store.queue()) == 1


def test_mark_called_back_records_who_and_leaves_the_queue(handoff_store: HandoffStore) -> None:
    """A call-back is done once; live handoffs have no call-back to mark."""
    request = save(handoff_store)
    done = handoff_store.mark_called_back(request.id, "anna")
    assert done is not None
    assert done.outcome == "called_back" and done.assigned_staff == "anna"
    assert done.callback.done_at is not None
    assert handoff_store.queue() == []
    assert handoff_store.mark_called_back(request.id, "ben") is None
    live = handoff_store.start_live("patient-2", "requested")
    assert handoff_store.mark_called_back(live.id, "anna") is None


def test_purge_deletes_only_callbacks_older_than_the_retention(
    handoff_store: HandoffStore, handoff_db_url: str
) -> None:
    """Old requests and their handoff go; recent requests and live handoffs stay."""
    old = save(handoff_store)
    recent = save(handoff_store, "patient-2")
    live = handoff_store.start_live("patient-3", "requested")
    sessions = make_session_factory(handoff_db_url)
    with sessions.begin() as session:
        session.execute(update(CallbackRequest).where(CallbackRequest.handoff_id == old.id)
                        .values(consented_at=utc_now() - dt.timedelta(days=31)))

    assert handoff_store.purge_callbacks(utc_now(), 30) == 1
    assert handoff_store.get(old.id) is None
    assert handoff_store.get(recent.id) is not None
    assert handoff_store.get(live.id) is not None
    with sessions() as session:
        assert session.scalars(select(CallbackRequest.handoff_id)).all() == [recent.id]
        assert sorted(session.scalars(select(Handoff.id)).all()) == [recent.id, live.id]
    assert handoff_store.purge_callbacks(utc_now(), 30) == 0


def test_purge_with_a_future_now_deletes_every_callback(handoff_store: HandoffStore) -> None:
    """Done requests are purged too; the retention counts from the consent."""
    first, second = save(handoff_store), save(handoff_store, "patient-2")
    handoff_store.mark_called_back(first.id, "anna")
    assert handoff_store.purge_callbacks(utc_now() + dt.timedelta(days=29), 30) == 0
    assert handoff_store.purge_callbacks(utc_now() + dt.timedelta(days=31), 30) == 2
    assert handoff_store.get(first.id) is None and handoff_store.get(second.id) is None


def test_staff_sign_in_with_the_right_password_only(handoff_store: HandoffStore) -> None:
    """Right password: the member; wrong password or unknown user: None."""
    handoff_store.add_staff("anna", "Anna (nurse)", PASSWORD)
    member = handoff_store.authenticate("anna", PASSWORD)
    assert member is not None
    assert (member.username, member.display_name) == ("anna", "Anna (nurse)")
    assert handoff_store.authenticate("anna", PASSWORD + "!") is None
    assert handoff_store.authenticate("anna", "") is None
    assert handoff_store.authenticate("nobody", PASSWORD) is None


def test_an_unknown_username_costs_one_password_check_like_a_wrong_password(
        handoff_store: HandoffStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """So the answer's timing does not tell which usernames exist."""
    handoff_store.add_staff("anna", "Anna (nurse)", PASSWORD)
    calls = []
    real_scrypt = hashlib.scrypt

    def counted(*args, **kwargs):
        calls.append(1)
        return real_scrypt(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counted)
    costs = {}
    for username in ("nobody", "anna", "someone-else", "anna"):
        calls.clear()
        assert handoff_store.sign_in(username, "a wrong password").member is None
        costs.setdefault(username, set()).add(len(calls))
    assert costs == {"nobody": {1}, "anna": {1}, "someone-else": {1}}


def test_adding_an_existing_account_resets_name_and_password(handoff_store: HandoffStore) -> None:
    """The old password stops working."""
    handoff_store.add_staff("anna", "Anna", PASSWORD)
    handoff_store.add_staff("anna", "Anna B.", "another long password")
    assert handoff_store.authenticate("anna", PASSWORD) is None
    assert handoff_store.authenticate("anna", "another long password").display_name == "Anna B."


def test_session_tokens_are_valid_until_they_expire_or_end(handoff_store: HandoffStore) -> None:
    """A live token gives the member; expired, ended or made-up tokens give None."""
    handoff_store.add_staff("anna", "Anna", PASSWORD)
    token = handoff_store.start_session("anna", 3600)
    now = utc_now()
    assert handoff_store.session_member(token, now).username == "anna"
    assert handoff_store.session_member(token, now + dt.timedelta(seconds=3601)) is None
    assert handoff_store.session_member("made-up", now) is None
    handoff_store.end_session(token)
    assert handoff_store.session_member(token, now) is None


def test_tokens_are_random_and_not_stored_in_clear(handoff_store: HandoffStore,
                                                   handoff_db_url: str) -> None:
    """Two sessions get different tokens; the database only holds hashes."""
    handoff_store.add_staff("anna", "Anna", PASSWORD)
    first = handoff_store.start_session("anna", 3600)
    second = handoff_store.start_session("anna", 3600)
    assert first != second and len(first) >= 32
    if not handoff_db_url.startswith("sqlite:///"):
        pytest.skip("reads the SQLite file's bytes")
    path = Path(handoff_db_url[len("sqlite:///"):])
    raw = b"".join(f.read_bytes() for f in path.parent.glob(path.name + "*"))  # with the WAL
    assert hashlib.sha256(first.encode()).hexdigest().encode() in raw
    assert first.encode() not in raw and second.encode() not in raw


def test_staff_presence_follows_last_seen(handoff_store: HandoffStore) -> None:
    """Present within presence_seconds of the last check-in; absent after, or signed out."""
    assert not handoff_store.staff_present(utc_now(), 60)
    handoff_store.add_staff("anna", "Anna", PASSWORD)
    token = handoff_store.start_session("anna", 3600)
    start = utc_now()
    assert handoff_store.staff_present(start, 60)
    assert not handoff_store.staff_present(start + dt.timedelta(seconds=120), 60)

    handoff_store.session_member(token, start + dt.timedelta(seconds=100))  # the page checks in
    assert handoff_store.staff_present(start + dt.timedelta(seconds=120), 60)
    handoff_store.end_session(token)
    assert not handoff_store.staff_present(start + dt.timedelta(seconds=120), 60)


def test_an_expired_session_does_not_count_as_present(handoff_store: HandoffStore) -> None:
    """A session past expires_at is absent even if it was seen a moment ago."""
    handoff_store.add_staff("anna", "Anna", PASSWORD)
    handoff_store.start_session("anna", 30)
    assert not handoff_store.staff_present(utc_now() + dt.timedelta(seconds=31), 60)


def test_a_session_ends_after_the_idle_time_without_activity(handoff_store: HandoffStore) -> None:
    """Background check-ins keep a session present but not active; 30 idle minutes end it."""
    handoff_store.add_staff("anna", "Anna", PASSWORD)
    token = handoff_store.start_session("anna", 12 * 3600)
    start, idle = utc_now(), 30 * 60
    later = start + dt.timedelta(minutes=20)
    assert handoff_store.session_member(token, later, idle, active=False).username == "anna"
    assert handoff_store.staff_present(later, 60)
    assert handoff_store.session_member(token, start + dt.timedelta(minutes=31), idle,
                                        active=False) is None
    assert handoff_store.session_member(token, start + dt.timedelta(minutes=31)) is None  # gone


def test_activity_restarts_the_idle_time(handoff_store: HandoffStore) -> None:
    handoff_store.add_staff("anna", "Anna", PASSWORD)
    token = handoff_store.start_session("anna", 12 * 3600)
    start, idle = utc_now(), 30 * 60
    assert handoff_store.session_member(token, start + dt.timedelta(minutes=25), idle) is not None
    assert handoff_store.session_member(token, start + dt.timedelta(minutes=50), idle) is not None
    assert handoff_store.session_member(token, start + dt.timedelta(minutes=81), idle) is None


def test_a_password_change_signs_the_account_out_everywhere(handoff_store: HandoffStore) -> None:
    """Resetting anna's password ends both of her sessions, not ben's."""
    handoff_store.add_staff("anna", "Anna", PASSWORD)
    handoff_store.add_staff("ben", "Ben", PASSWORD)
    first, second = (handoff_store.start_session("anna", 3600) for _ in range(2))
    bens = handoff_store.start_session("ben", 3600)
    assert handoff_store.add_staff("anna", "Anna", "a brand new long password") is True
    now = utc_now()
    assert handoff_store.session_member(first, now) is None
    assert handoff_store.session_member(second, now) is None
    assert handoff_store.session_member(bens, now).username == "ben"


def test_with_a_second_factor_the_code_is_needed_and_works_once(
        handoff_store: HandoffStore) -> None:
    """Right password and a fresh code: signed in; no code, a wrong or a used code: refused."""
    secret = totp.new_secret()
    handoff_store.add_staff("anna", "Anna", "ten chars!", totp_secret=secret)
    assert handoff_store.has_second_factor("anna")
    now = 1_764_000_015.0
    code = totp.code_at(secret, now)
    assert handoff_store.sign_in("anna", "ten chars!", "", now).failure == "code missing"
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert handoff_store.sign_in("anna", "ten chars!", wrong, now).failure == "wrong code"
    assert handoff_store.sign_in("anna", "wrong pass", code, now).failure == "wrong password"
    assert handoff_store.sign_in("anna", "ten chars!", code, now).member.username == "anna"
    assert handoff_store.sign_in("anna", "ten chars!", code, now).failure == "wrong code"
    assert handoff_store.sign_in("nobody", "ten chars!", code, now).failure == "unknown account"
    assert handoff_store.authenticate("anna", "ten chars!") is None


def test_resetting_keeps_the_second_factor_unless_removed(handoff_store: HandoffStore) -> None:
    handoff_store.add_staff("anna", "Anna", PASSWORD, totp_secret=totp.new_secret())
    handoff_store.add_staff("anna", "Anna", PASSWORD)
    assert handoff_store.has_second_factor("anna")
    handoff_store.add_staff("anna", "Anna", PASSWORD, remove_totp=True)
    assert not handoff_store.has_second_factor("anna")
    assert handoff_store.authenticate("anna", PASSWORD).username == "anna"


def test_two_watchers_expiring_at_the_same_moment_each_close_a_chat_once(
        handoff_db_url: str) -> None:
    """Several console instances run a watcher each on one database (the cluster): a chat
    nobody claimed is returned by one of them only, so its patient is told once."""
    import threading

    first, second = HandoffStore.from_url(handoff_db_url), HandoffStore.from_url(handoff_db_url)
    for round_number in range(4):
        waiting = [first.start_live(f"patient-{round_number}-{n}", "requested").id
                   for n in range(20)]
        later = max(first.get(i).created_at for i in waiting) + dt.timedelta(seconds=181)
        barrier = threading.Barrier(2)
        returned: dict = {}

        def expire(name: str, store: HandoffStore) -> None:
            barrier.wait()
            returned[name] = [h.id for h in store.expire_unclaimed(later, 180)]

        threads = [threading.Thread(target=expire, args=(name, store))
                   for name, store in (("first", first), ("second", second))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        both = returned["first"] + returned["second"]
        assert sorted(both) == sorted(waiting)  # every chat closed, none returned twice
        assert all(first.get(i).outcome == "unclaimed" for i in waiting)


def test_statuses_are_stored_as_plain_words_and_read_back_as_the_enum(
    handoff_store: HandoffStore, handoff_db_url: str
) -> None:
    """The database holds "waiting", "active", ... (as before the enum); views carry the enum."""
    live = handoff_store.start_live("patient-1", "requested")
    handoff_store.claim(live.id, "anna")
    callback = save(handoff_store, "patient-2")
    closed = handoff_store.start_live("patient-3", "fallback")
    handoff_store.close(closed.id, "anna")
    with make_session_factory(handoff_db_url)() as session:
        rows = session.execute(select(Handoff.conversation_id, Handoff.status)
                               .order_by(Handoff.conversation_id)).all()
    assert [(c, type(s), s) for c, s in rows] == [
        ("patient-1", str, "active"), ("patient-2", str, "callback"),
        ("patient-3", str, "closed")]
    view = handoff_store.get(callback.id)
    assert view is not None and view.status is HandoffStatus.CALLBACK
    assert f"{view.status}" == str(view.status) == "callback"
