"""action_answer_faq and action_tell_me_more answer from the content file."""

from __future__ import annotations

import pytest
import yaml
from rasa_sdk.events import SlotSet

from actions.faq import (
    ActionAnswerFaq, ActionTellMeMore, feedback_buttons, link_safe, publishers, sources_line,
)
from tests.conftest import payloads, texts

FEEDBACK_PAYLOADS = [
    '/feedback{"rating":"helpful","topic":"faq_cost"}',
    '/feedback{"rating":"unhelpful","topic":"faq_cost"}',
]


async def test_answers_with_curated_text_sources_review_date_and_follow_ups(
    dispatcher, make_tracker, content
):
    events = await ActionAnswerFaq().run(
        dispatcher, make_tracker("what does it cost", "faq_cost"), {}
    )
    answer = content.answers["faq_cost"]
    said = texts(dispatcher)
    assert said[0] == content.render(answer.answer)
    assert said[1].startswith(f"Sources: {answer.sources[0].publisher}")
    assert f"{answer.reviewed_on:%B %Y}" in said[1]
    assert "http" not in said[1]  # the links come as structured data, not in the text
    assert dispatcher.messages[1]["sources"] == [
        {"title": s.label, "url": link_safe(s.url), "publisher": s.publisher}
        for s in answer.sources
    ]
    assert payloads(dispatcher) == [
        "/tell_me_more", *(f"/{i}" for i in answer.follow_ups), *FEEDBACK_PAYLOADS
    ]
    assert events == [SlotSet("last_faq_topic", "faq_cost")]


def test_feedback_buttons_rate_the_answer_with_titles_from_the_messages_file(content,
                                                                             project_root):
    buttons = feedback_buttons(content, "faq_cost")
    assert [b["payload"] for b in buttons] == FEEDBACK_PAYLOADS
    written = yaml.safe_load((project_root / "content" / "messages.yml").read_text(
        encoding="utf-8"))["button_titles"]["feedback"]
    assert [b["title"] for b in buttons] == [written["helpful"], written["unhelpful"]]


async def test_feedback_buttons_come_last_under_the_answer_itself(dispatcher, make_tracker):
    await ActionAnswerFaq().run(dispatcher, make_tracker("am I a candidate", "faq_candidacy"), {})
    sources = next(m for m in dispatcher.messages if (m.get("text") or "").startswith("Sources"))
    assert [b["payload"] for b in sources["buttons"]][-2:] == [
        p.replace("faq_cost", "faq_candidacy") for p in FEEDBACK_PAYLOADS
    ]
    later = dispatcher.messages[dispatcher.messages.index(sources) + 1:]
    assert not any("/feedback" in b["payload"] for m in later for b in m.get("buttons") or [])


async def test_general_question_gets_no_consultation_offer(dispatcher, make_tracker):
    await ActionAnswerFaq().run(
        dispatcher, make_tracker("how much do stem cell injections cost", "faq_cost"), {}
    )
    assert "/book_consultation" not in payloads(dispatcher)


@pytest.mark.parametrize(
    "text",
    ["my MRI says I have a protrusion, what does that mean",
     "am I a candidate for this",
     "what would it cost me",
     "should I have the injection"],
)
async def test_personal_question_gets_general_information_and_a_consultation_offer(
    dispatcher, make_tracker, content, text
):
    await ActionAnswerFaq().run(dispatcher, make_tracker(text, "faq_candidacy"), {})
    said = texts(dispatcher)
    assert said[0] == content.message("personal_preface")
    assert content.render(content.answers["faq_candidacy"].answer) in said
    assert said[-1] == content.message("consultation_offer")
    assert [b["payload"] for b in dispatcher.messages[-1]["buttons"]] == [
        '/book_consultation{"handoff_reason": "personal_question"}',
        '/request_human{"handoff_reason": "personal_question"}',
    ]


async def test_personal_question_repeats_the_spine_level_mentioned(dispatcher, make_tracker):
    tracker = make_tracker(
        "I have an l5/s1 herniation, would stem cells help me?",
        "faq_stem_cell_therapy",
        entities=[{"entity": "spine_level", "value": "l5/s1"}],
    )
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    assert "your L5-S1 level" in texts(dispatcher)[0]


async def test_intent_without_answer_entry_still_gets_a_reply(dispatcher, make_tracker):
    await ActionAnswerFaq().run(dispatcher, make_tracker("?", "faq_unknown_topic"), {})
    assert texts(dispatcher) and "/request_human" in payloads(dispatcher)


async def test_tell_me_more_gives_the_longer_part_of_the_last_answer(
    dispatcher, make_tracker, content
):
    tracker = make_tracker("tell me more", "tell_me_more", slots={"last_faq_topic": "faq_risks"})
    await ActionTellMeMore().run(dispatcher, tracker, {})
    answer = content.answers["faq_risks"]
    assert texts(dispatcher)[0] == content.render(answer.more)
    assert texts(dispatcher)[1] == sources_line(content, answer)
    assert [s["url"] for s in dispatcher.messages[1]["sources"]] == [
        link_safe(s.url) for s in answer.sources
    ]


async def test_tell_me_more_without_a_topic_asks_which(dispatcher, make_tracker, content):
    await ActionTellMeMore().run(dispatcher, make_tracker("more", "tell_me_more"), {})
    assert texts(dispatcher) == [content.message("which_topic")]
    assert all(p.startswith("/faq_") for p in payloads(dispatcher))


async def test_a_second_question_in_the_message_is_offered_as_a_button(
    dispatcher, make_tracker, content
):
    tracker = make_tracker("how much does it cost and is it safe", "faq_cost")
    tracker.latest_message["other_questions"] = [
        {"name": "faq_risks", "confidence": 0.7}, {"name": "faq_cost", "confidence": 0.6},
        {"name": "greet", "confidence": 0.6}]
    await ActionAnswerFaq().run(dispatcher, tracker, {})
    also = dispatcher.messages[-1]
    assert also["text"] == content.message("also_asked")
    assert [b["payload"] for b in also["buttons"]] == ["/faq_risks"]
    assert content.render(content.answers["faq_cost"].answer) in texts(dispatcher)


async def test_a_single_question_gets_no_extra_offer(dispatcher, make_tracker, content):
    await ActionAnswerFaq().run(dispatcher, make_tracker("what does it cost", "faq_cost"), {})
    assert content.message("also_asked") not in texts(dispatcher)


def test_the_sources_line_names_each_publisher_once_from_the_structured_sources(content):
    """NICE is cited twice under the epidural answer (a guideline and its evidence review, whose
    own publisher is given in answers.yml) and is named once, in the order of the sources."""
    answer = content.answers["faq_epidural_injections"]
    assert [s.publisher for s in answer.sources] == ["FDA", "NICE", "NICE", "EUROSPINE"]
    assert publishers(answer) == ["FDA", "NICE", "EUROSPINE"]
    assert sources_line(content, answer) == (
        "Sources: FDA, NICE, EUROSPINE. Last reviewed 1 December 2026."
    )


def test_every_answer_gets_a_short_sources_line_without_addresses(content):
    for intent, answer in content.answers.items():
        line = sources_line(content, answer)
        assert line.startswith("Sources: ") and "http" not in line and "(" not in line, intent
        assert len(line) < 120, intent


@pytest.mark.parametrize("url, safe", [
    ("https://www.cell.com/cell-stem-cell/fulltext/S1934-5909(21)00420-3",
     "https://www.cell.com/cell-stem-cell/fulltext/S1934-5909%2821%2900420-3"),
    ("https://example.org/a b\"<x>'", "https://example.org/a%20b%22%3Cx%3E%27"),
    ("https://jcvjs.com/p.asp?issn=0974-8237;year=2022&x=%20",
     "https://jcvjs.com/p.asp?issn=0974-8237;year=2022&x=%20"),
])
def test_links_are_percent_encoded_to_the_same_address(url, safe):
    from urllib.parse import unquote

    assert link_safe(url) == safe
    assert unquote(link_safe(url)) == unquote(url)


def test_every_source_link_is_the_same_address_and_cannot_break_out(content):
    """The widget makes links only from the structured list; each is the source's own address,
    percent-encoded, with nothing that could end a link or an attribute early."""
    from urllib.parse import unquote

    for intent, answer in content.answers.items():
        for source in answer.sources:
            link = link_safe(source.url)
            assert unquote(link) == unquote(source.url), intent
            assert not set(link) & set(" ()<>\"'"), (intent, link)
