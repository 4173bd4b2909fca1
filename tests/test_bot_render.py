"""Block Kit rendering and Slack text handling, without a server."""
from __future__ import annotations

import json

from bot.incoming import clean_text, decode, find_article, links
from bot.render import MAX_BLOCKS, answer_message, escape, header, help_message, pages, passage_sections
from bot.state import BotState, answer_from_dict
from fake_slack import check_blocks

from index import Answer, ArticleRef, Result

REF = ArticleRef(7, "Talks & <b>news</b>", "https://example.org/a?x=1&y=2", "2024-06-12T09:00:00", "2024-06-13")


def result(text: str, highlights=(), start: int = 100, **kw) -> Result:
    return Result(text=text, article=REF, paragraph=3, start=start, end=start + len(text), score=0.8,
                  highlights=[(start + s, start + e) for s, e in highlights], **kw)


def test_bold_and_escaping_compose_on_raw_offsets():
    text = "A&B said <!here> it was a “sacred battle” & more"
    s = text.index("sacred")
    [quote] = passage_sections(result(text, [(s, s + len("sacred battle"))]))
    assert quote == "> A&amp;B said &lt;!here&gt; it was a “*sacred battle*” &amp; more"


def test_highlight_with_markup_inside_is_escaped_inside_the_bold():
    text = "He said <@U123> loudly"
    [quote] = passage_sections(result(text, [(8, 15)]))
    assert quote == "> He said *&lt;@U123&gt;* loudly"


def test_partial_word_highlight_widens_to_the_word_and_lines_get_their_own_quote_marks():
    text = "first line with battles\n\nsecond *starred* line"
    s = text.index("battle")
    t = text.index("starred")
    [quote] = passage_sections(result(text, [(s, s + 6), (t - 1, t + 8)]))
    assert quote.split("\n") == ["> first line with *battles*", ">", "> second *starred* line"]


def test_long_passage_splits_into_sections_within_the_limit_and_keeps_every_word():
    text = " ".join(f"w{n}&x" for n in range(2000))  # escaping grows it by half
    s = text.index("w1500")
    sections = passage_sections(result(text, [(s, s + 5)]))
    assert len(sections) > 1 and all(len(x) <= 3000 for x in sections)
    joined = " ".join(x.removeprefix("> ") for x in sections)
    assert joined.split() == escape(text).replace("w1500", "*w1500*").split()


def test_header_names_the_speaker_when_the_answer_has_one():
    answer = Answer('who said "sacred battle"', "who_said", True, "1 passage for: x", speaker="A <Speaker>",
                    results=[result("a sacred battle", speaker="A <Speaker>", kind="direct")])
    assert header(answer) == "*A &lt;Speaker&gt;* said “sacred battle”"
    plain = Answer('who said "sacred battle"', "who_said", True, "1 passage for: who said \"sacred battle\"")
    assert header(plain) == "1 passage for: who said \"sacred battle\""


def test_context_line_links_the_escaped_title_with_paragraph_dates_and_near_match():
    message = answer_message(Answer("q", "search", True, "1 passage for: q",
                                    results=[result("text here", match="inexact")]))
    context = [b for b in message.blocks if b["type"] == "context"][0]["elements"][0]["text"]
    assert context == ("<https://example.org/a?x=1&amp;y=2|Talks &amp; &lt;b&gt;news&lt;/b&gt;> · paragraph 3 · "
                       "2024-06-12 · updated 2024-06-13 · near match")


def test_declined_answer_says_so_and_shows_the_closest_passages():
    answer = Answer("q", "search", False, "Nothing in the archive clearly answers this. Closest passages:",
                    results=[result("one"), result("two")])
    message = answer_message(answer)
    texts = [b["text"]["text"] for b in message.blocks if b["type"] == "section"]
    assert texts == ["Nothing in the archive clearly answers this. Closest passages:", "> one", "> two"]
    assert message.text.startswith("Nothing in the archive clearly answers this.")


def test_many_results_paginate_into_valid_messages():
    answer = Answer("q", "search", True, "60 passages", results=[result(f"passage {n}") for n in range(60)])
    all_pages = pages(answer)
    assert len(all_pages) > 1
    seen = []
    for n in range(len(all_pages)):
        message = answer_message(answer, key="k1", page=n, shareable=True)
        assert len(message.blocks) <= MAX_BLOCKS
        assert check_blocks(message.blocks) is None
        more = [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == "summit_more"]
        assert bool(more) == (n + 1 < len(all_pages))
        seen += [b["text"]["text"] for b in message.blocks if b["type"] == "section" and b["text"]["text"].startswith(">")]
    assert seen == [f"> passage {n}" for n in range(60)]  # nothing lost between pages


def test_help_uses_real_examples():
    text = help_message().blocks[0]["text"]["text"]
    assert '/summit who said "sacred battle"' in text and "Share in channel" in text


def test_incoming_text_is_decoded_and_our_mention_dropped():
    assert decode("Q&amp;A &lt;b&gt; &amp;lt;") == "Q&A <b> &lt;"
    raw = "<@U0BOT> who said “x” to <@U0OTHER|ann>? see <https://e.org/s/1|the story> &amp; <!here>"
    assert clean_text(raw, "U0BOT") == "who said “x” to @ann? see the story &"
    assert clean_text("<@U0BOT> hi", None) == "hi"
    assert links(raw + " and https://e.org/bare") == ["https://e.org/s/1", "https://e.org/bare"]


class _Row:
    def __init__(self, id, title, url=None, source=""):
        self.id, self.title, self.url, self.source = id, title, url, source


def test_find_article_by_link_or_full_title():
    rows = [_Row(1, "Harbour plan approved", "https://example.org/story/1"),
            _Row(2, "Budget talks stall after late-night session", "https://example.org/story/2?id=9")]
    assert find_article("<http://www.example.org/story/2/?id=9|read>", rows) == 2
    assert find_article("did you read “Budget talks stall after late-night session”?", rows) == 2
    assert find_article("the harbour plan", rows) is None
    assert find_article("nothing here", rows) is None


def test_stored_answers_round_trip(tmp_path):
    state = BotState(tmp_path)
    answer = Answer("q", "who_said", True, "m", speaker="S", results=[result("t", [(0, 1)], match="exact")])
    key = state.save_answer(answer)
    assert len(key) < 40
    assert state.load_answer(key).to_dict() == answer.to_dict()
    assert answer_from_dict(json.loads(json.dumps(answer.to_dict()))) == answer
    assert state.load_answer("missing") is None
    assert state.first_time("Ev1") and not state.first_time("Ev1")
    state.close()
    assert not BotState(tmp_path).first_time("Ev1")  # survives a restart
