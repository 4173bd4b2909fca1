"""Reported speech is never inside quotation marks, on any surface (issue 11).

A direct quote is shown in quotation marks; an indirect one as the reporter's sentence, marked
"(reported)". One short article written here, through the real engine, renderers and CLI.
"""
from __future__ import annotations

import pytest

from bot.console import format_answer
from bot.digest import article_text, preview, render
from bot.render import answer_message, header
from conftest import run_summit, write
from index.digest import Digest, DigestArticle, key_quotes

ARTICLE = """Council cuts fares

Ann Lee said the council would cut bus fares for every pensioner next year.

“We will keep every single route open,” Tom Reed said on Monday.
"""
REPORTED = "the council would cut bus fares for every pensioner next year"
REPORTED_SENTENCE = "Ann Lee said the council would cut bus fares for every pensioner next year."


def assert_not_quoted(text: str, words: str = "cut bus fares") -> None:
    """No quotation mark opens before the reported words without closing before them."""
    at = text.find(words)
    assert at >= 0, text
    before = text[:at]
    opened = sum(before.count(m) for m in "“‘") - sum(before.count(m) for m in "”’")
    assert opened <= 0 and before.count('"') % 2 == 0, text


@pytest.fixture(scope="module")
def reported(tmp_path_factory, demo_engine):
    from index import Engine

    from conftest import settings_for

    data = tmp_path_factory.mktemp("reported-data")
    engine = Engine(settings_for(data))
    engine.__dict__["embedder"] = demo_engine.embedder
    engine.ingest([write(data.parent / "reported-src" / "fares.txt", ARTICLE)])
    yield engine, data
    engine.close()


def test_reported_quote_is_stored_with_the_reporters_sentence(reported):
    engine, _ = reported
    rows = engine.quotes()
    indirect = next(q for q in rows if q.kind == "indirect")
    assert (indirect.speaker, indirect.quote, indirect.sentence) == ("Ann Lee", REPORTED, REPORTED_SENTENCE)


def test_json_message_does_not_put_reported_words_in_the_speakers_mouth(reported):
    engine, _ = reported
    answer = engine.ask('who said "cut bus fares"')
    assert answer.answered and answer.speaker == "Ann Lee"
    assert "reported" in answer.message and "said “" not in answer.message
    assert_not_quoted(answer.to_dict()["message"])
    direct = engine.ask('who said "every single route"')
    assert direct.message == "Tom Reed said “every single route”."


def test_slack_blocks_mark_reported_speech(reported):
    engine, _ = reported
    answer = engine.ask('who said "cut bus fares"')
    assert not header(answer).startswith("*Ann Lee* said “")
    texts = [b["text"]["text"] for b in answer_message(answer).blocks if b["type"] == "section"]
    assert "*Ann Lee* (reported):" in texts[1]
    for text in texts:
        assert_not_quoted(text.replace("*", ""))
    assert "*Tom Reed* (direct):" in answer_message(engine.ask('who said "every single route"')).blocks[1]["text"]["text"]


def test_console_marks_reported_speech(reported):
    engine, _ = reported
    out = format_answer(engine.ask('who said "cut bus fares"'))
    assert "1. Ann Lee (reported):" in out
    assert_not_quoted(out.replace("**", ""))


def test_digest_post_and_preview_show_reported_speech_as_the_sentence(reported):
    engine, _ = reported
    [(row, _)] = engine.articles()
    quotes = key_quotes(engine.quotes(article_id=row.id))
    assert {(q.speaker, q.kind) for q in quotes} == {("Ann Lee", "indirect"), ("Tom Reed", "direct")}
    article = DigestArticle(row.id, row.title, None, "2026-01-01T00:00:00+00:00", quotes=quotes, quote_count=2)
    post = article_text(article)
    assert f"• *Ann Lee* (reported): {REPORTED_SENTENCE}" in post
    assert "• *Tom Reed*: “We will keep every single route open”" in post
    assert_not_quoted(post)
    digest = Digest("2026-01-01", "UTC", "", "", [article], 2, [("Ann Lee", 1), ("Tom Reed", 1)])
    text = preview(digest)
    assert f"  - Ann Lee (reported): {REPORTED_SENTENCE}" in text
    assert_not_quoted(text)
    blocks, _ = render(digest)
    assert_not_quoted(blocks[3]["text"]["text"])


def test_summit_quotes_prints_reported_speech_as_the_sentence(reported):
    engine, data = reported
    result = run_summit("quotes", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert f"Ann Lee (reported, said): {REPORTED_SENTENCE}" in result.stdout
    assert "Tom Reed (direct, said): “We will keep every single route open”" in result.stdout
    assert_not_quoted(result.stdout)
