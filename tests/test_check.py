"""`check “words” [person]`: did they really say that? Short articles written here, the demo
article, the CLI and the Slack rendering (the HTTP path is in test_bot_http.py)."""
from __future__ import annotations

import json

import pytest

from conftest import DEMO, run_summit
from index.quotes.check import align, mark_differences
from index.sources.documents import from_text
from index.errors import InputError
from index.retrieval.question import CHECK, parse
from index import textnorm

FLOODS = "We will never surrender our city to the floods"
BUDGET = "The budget is a promise to every family"


def article(title: str, body: str, published: str | None = None, source: str | None = None):
    return from_text(f"{title}\n\n{body}", source=source or title, published=published)


@pytest.fixture
def archive(fresh_engine):
    """Three articles carrying one quote (ingested out of date order), two that give one quote to
    different speakers, and one with a Cyrillic look-alike letter inside curly quotes."""
    fresh_engine.ingest_documents([
        article("Flood barrier opens",
                f"The new barrier opened on Monday after three years of work. Mayor Ann Lee said, “{FLOODS}.” "
                "Residents watched from the bridge.", published="2024-03-05"),
        article("Storm season begins",
                f"Forecasters expect a wet spring. Ann Lee repeated her pledge: “{FLOODS}.”",
                published="2024-03-09"),
        article("River defences tested",
                f"Engineers tested the gates overnight. “{FLOODS},” Mayor Ann Lee said at the ceremony.",
                published="2024-03-01"),
        article("Council debates spending",
                f"Councillor Tom Reed told the meeting, “{BUDGET}.” The vote is next week.",
                published="2024-04-02"),
        article("Treasurer presents the budget",
                f"Treasurer Maria Costa said, “{BUDGET}.” She took questions for an hour.",
                published="2024-04-03"),
        article("Space plans announced",
                "The ministry unveiled its plans. Jane Smith said, “Our Сosmodrome will launch in spring.”",
                published="2024-05-01"),
    ])
    return fresh_engine


def assert_verbatim(engine, result):
    text = engine.store.article_text(result.article.id)
    assert text[result.start:result.end] == result.text
    for s, e in result.highlights:
        assert result.start <= s < e <= result.end


# --- verdicts on short articles ---
def test_one_quote_in_three_articles_finds_the_first_publication(archive):
    answer = archive.check(FLOODS)
    assert (answer.intent, answer.verdict, answer.answered, answer.speaker) == ("check", "confirmed", True, "Ann Lee")
    assert [r.article.title for r in answer.results] == [
        "River defences tested", "Flood barrier opens", "Storm season begins"]  # by date, not ingest order
    assert answer.first.article.title == "River defences tested" and answer.first.date == "2024-03-01"
    assert {(r.speaker, r.kind, r.match) for r in answer.results} == {("Ann Lee", "direct", "exact")}
    assert "3 articles" in answer.message and "first published 2024-03-01" in answer.message
    for r in answer.results:
        assert_verbatim(archive, r)


def test_same_words_given_to_two_speakers_is_a_conflict_citing_both(archive):
    answer = archive.check(BUDGET)
    assert answer.verdict == "conflict" and answer.speaker is None
    assert {r.speaker for r in answer.results} == {"Tom Reed", "Maria Costa"}
    assert "2 speakers" in answer.message
    for name, title in (("Tom Reed", "Council debates spending"), ("Maria Costa", "Treasurer presents the budget")):
        assert f"{name} ({title}, 2024-04-0" in answer.message
    assert answer.first.speaker == "Tom Reed"


def test_one_word_changed_is_altered_with_the_difference_marked(archive):
    answer = archive.check("We will never surrender our town to the floods")
    assert answer.verdict == "altered" and answer.answered
    assert answer.results and all(r.match == "altered" for r in answer.results)
    assert answer.results[0].diff == "We will never surrender our [city → town] to the floods"
    assert answer.results[0].speaker == "Ann Lee"
    assert answer.first.article.title == "River defences tested"
    assert "[city → town]" in answer.message
    for r in answer.results:
        assert_verbatim(archive, r)


def test_words_dropped_and_added_are_marked(archive):
    answer = archive.check("We will never ever surrender our city to floods")
    assert answer.verdict == "altered"
    assert answer.results[0].diff == "We will never [+ever] surrender our city to [−the] floods"


def test_the_asked_person_is_wrong(archive):
    answer = archive.check(FLOODS, speaker="Tom Reed")
    assert answer.verdict == "other_speaker"
    assert answer.message == ("No article in the archive has Tom Reed saying this; "
                              "3 articles attribute it to Ann Lee.")
    assert answer.speaker == "Ann Lee" and {r.speaker for r in answer.results} == {"Ann Lee"}


def test_the_asked_person_right_by_any_form_of_the_name(archive):
    for name in ("Ann Lee", "Lee", "Mayor Lee"):
        answer = archive.check(FLOODS, speaker=name)
        assert (answer.verdict, answer.speaker) == ("confirmed", "Ann Lee"), name


def test_words_nowhere_are_not_in_the_archive(archive):
    answer = archive.check("purple elephants dancing at dawn")
    assert answer.verdict == "not_found" and answer.answered is False and answer.first is None
    assert answer.message == "Not in the archive: no article has these words. Closest quotes by meaning:"
    assert answer.results and all(r.speaker and r.match is None and r.date for r in answer.results)


def test_not_found_shows_the_closest_quotes_by_meaning(archive):
    answer = archive.check("our town must not give in to flooding")  # the sense of FLOODS, other words
    assert answer.verdict == "not_found"
    top = answer.results[0]
    assert top.speaker == "Ann Lee" and FLOODS in top.quote
    assert_verbatim(archive, top)


def test_curly_or_straight_quotes_and_a_cyrillic_look_alike(archive):
    for asked in ('check "our cosmodrome will launch in spring"', "check ‘Our Cosmodrome will launch in spring’",
                  "check “OUR COSMODROME WILL LAUNCH IN SPRING”"):
        answer = archive.ask(asked)
        assert (answer.verdict, answer.speaker) == ("confirmed", "Jane Smith"), asked
        [r] = answer.results
        assert "Сosmodrome" in r.text  # the article's own letters, Cyrillic С included
        assert_verbatim(archive, r)


def test_quote_and_narration_in_one_article_is_a_conflict(fresh_engine):
    fresh_engine.ingest_documents([article(
        "Harbour reopens",
        "Harbour master Ben Ode said the port was “open for business again”. Traders doubt the port is "
        "open for business again after the storm.", published="2024-06-01")])
    answer = fresh_engine.check("open for business again")
    assert answer.verdict == "conflict"
    assert "once as a quote (Ben Ode) and once as narration" in answer.message
    assert [r.speaker for r in answer.results] == ["Ben Ode", None]


def test_only_narration_means_nobody_is_quoted(archive):
    answer = archive.check("tested the gates overnight")
    assert answer.verdict == "other_speaker" and answer.speaker is None
    assert "Nobody is quoted saying this" in answer.message and "narration" in answer.message
    assert answer.results[0].speaker is None and answer.results[0].quote is None


MERGER = ("Savers back merger",
          "Ann Lee, the society's chief executive, said the merger would help savers. She added that no "
          "branches would close in the first two years. “We will not balance the books on the backs of our "
          "members,” she said. “There is no doubt costs would fall,” she said.")


def test_words_quoted_only_after_a_negation_are_altered_never_confirmed(fresh_engine):
    fresh_engine.ingest_documents([article(*MERGER, published="2024-06-01")])
    answer = fresh_engine.check("branches would close", speaker="Ann Lee")
    assert answer.verdict == "altered", answer.message
    assert answer.message.startswith("“branches would close” appears only negated: Ann Lee, [−no] branches would close")
    assert "“" not in answer.message.partition(":")[2]  # reported speech: no quotation marks
    direct = fresh_engine.check("balance the books on the backs of our members")
    assert direct.verdict == "altered" and "“[−not] balance the books" in direct.message
    # The negation asked for, words after "no doubt", and words with no negation are confirmed.
    for words in ("not balance the books", "costs would fall", "the merger would help savers"):
        assert fresh_engine.check(words, speaker="Ann Lee").verdict == "confirmed", words


def test_a_belief_denied_turns_its_clause_around(fresh_engine):
    fresh_engine.ingest_documents([article("Library row", "“I don’t believe the library will close,” said Ines Reyes.")])
    assert fresh_engine.check("the library will close", speaker="Ines Reyes").verdict == "altered"
    answer = fresh_engine.ask('who said "the library will close"')
    assert answer.message == ("“the library will close” is quoted only negated: Ines Reyes said “don’t believe the "
                              "library will close”.")


def test_a_negation_in_another_clause_turns_nothing_around(fresh_engine):
    fresh_engine.ingest_documents([article("Bridge row", "“Whether they like it or not, the bridge will be built,” "
                                           "said Tomas Berg. “I said no. The council will pay,” he added.")])
    for words in ("the bridge will be built", "The council will pay"):
        assert fresh_engine.check(words, speaker="Tomas Berg").verdict == "confirmed", words
        assert fresh_engine.ask(f'who said "{words}"').message == f"Tomas Berg said “{words}”."


def test_who_said_words_quoted_only_after_a_negation_shows_the_negation(fresh_engine):
    fresh_engine.ingest_documents([article(*MERGER, published="2024-06-01")])
    for question in ('who said "branches would close"', "who said branches would close"):
        answer = fresh_engine.ask(question)
        assert (answer.answered, answer.speaker) == (True, "Ann Lee"), answer.message
        assert answer.message.startswith("“branches would close” is quoted only negated: Ann Lee is reported as")
        assert answer.message.endswith(": no branches would close.")
        r = answer.results[0]
        assert [r.text[s - r.start:e - r.start] for s, e in r.highlights] == ["no branches would close"]
    answer = fresh_engine.ask('who said "balance the books"')
    assert answer.message == "“balance the books” is quoted only negated: Ann Lee said “not balance the books”."
    assert fresh_engine.ask('who said "costs would fall"').message == "Ann Lee said “costs would fall”."


def test_a_reported_denial_is_never_the_speakers_claim(fresh_engine):
    fresh_engine.ingest_documents([article(
        "Sixth form stays", "Ines Reyes, the head teacher, denied that the school would lose its sixth form. "
        "Tomas Berg said the school would lose its funding. “We deny nothing,” Ann Lee denied.")])
    check = fresh_engine.check("the school would lose its sixth form", speaker="Ines Reyes")
    assert check.verdict == "altered", check.message
    assert check.message.startswith("“the school would lose its sixth form” appears only in a denial: Ines Reyes")
    answer = fresh_engine.ask('who said "the school would lose its sixth form"')
    assert (answer.answered, answer.speaker) == (True, "Ines Reyes")
    assert answer.message.startswith("“the school would lose its sixth form” appears only in a denial: Ines Reyes "
                                     "is reported as denying this")
    # Reported with another verb, or a denial in the speaker's own quoted words, is theirs.
    assert fresh_engine.check("the school would lose its funding", speaker="Tomas Berg").verdict == "confirmed"
    assert fresh_engine.check("We deny nothing", speaker="Ann Lee").verdict == "confirmed"


def test_an_empty_archive_says_so(fresh_engine):
    answer = fresh_engine.check("anything at all")
    assert answer.verdict == "not_found" and "empty" in answer.message


# --- parsing and the pieces ---
@pytest.mark.parametrize("text, words, person", [
    ("check “sacred battle” Putin", "sacred battle", "Putin"),
    ('check "sacred battle"', "sacred battle", None),
    ("Check ‘sacred battle’ by Kim Jong Un?", "sacred battle", "Kim Jong Un"),
    ("check 'sacred battle' attributed to Kim", "sacred battle", "Kim"),
    ("check sacred battle", "sacred battle", None),
])
def test_parse_check(text, words, person):
    q = parse(text)
    assert (q.intent, q.phrase, q.person) == (CHECK, words, person)


@pytest.mark.parametrize("text", ["check", "check “”", "check ?!"])
def test_check_without_words_is_a_one_line_error(text):
    with pytest.raises(InputError, match="usage: check"):
        parse(text)


def test_align_finds_the_closest_stretch():
    text = textnorm.tokens("Kim said Russia has advanced to a sacred battle to defend it")
    edits, matched, i, j = align(["sacred", "war"], text)
    assert (edits, matched, [t.norm for t in text[i:j]]) == (1, 1, ["sacred", "battle"])


def test_mark_differences_keeps_the_published_words():
    assert mark_differences("sacred war", "sacred battle") == "sacred [battle → war]"
    assert mark_differences("a sacred war", "sacred battle") == "[+a] sacred [battle → war]"


# --- the demo article ---
def test_demo_sacred_battle_is_not_putins(demo_engine):
    answer = demo_engine.ask("check “sacred battle” Putin")
    assert answer.verdict == "other_speaker" and answer.speaker == "Kim Jong Un"
    assert answer.message == ("No article in the archive has Putin saying this; "
                              "1 article attributes it to Kim Jong Un.")
    assert answer.first.speaker == "Kim Jong Un" and answer.first.kind == "direct"
    assert_verbatim(demo_engine, answer.first)


def test_demo_sacred_war_is_altered_pointing_at_sacred_battle(demo_engine):
    answer = demo_engine.ask("check “sacred war”")
    assert answer.verdict == "altered"
    top = answer.results[0]
    assert (top.speaker, top.kind, top.diff) == ("Kim Jong Un", "direct", "sacred [battle → war]")
    assert "sacred battle" in top.text
    [(s, e)] = top.highlights
    assert demo_engine.store.article_text(top.article.id)[s:e] == "sacred battle"


def test_demo_reported_speech_variant_is_never_in_quotation_marks(demo_engine):
    from bot.render import answer_message

    answer = demo_engine.ask("check “holy wars”")  # Kim's reported speech says "holy war"
    assert answer.verdict == "altered"
    top = answer.results[0]
    assert (top.kind, top.diff) == ("indirect", "holy [war → wars]")
    assert "“holy" not in answer.message and "(reported)" in answer.message
    text = "\n".join(b["text"]["text"] for b in answer_message(answer).blocks if b["type"] == "section")
    assert "holy [war → wars] (reported)" in text and "“holy [war" not in text


# --- Slack rendering ---
def test_slack_verdict_is_the_first_line_with_a_symbol_and_text_is_escaped(demo_engine):
    from bot.render import answer_message
    from bot.state import answer_from_dict

    answer = demo_engine.ask("check “sacred battle” Putin")
    message = answer_message(answer)
    first = message.blocks[0]["text"]["text"]
    assert first.startswith("⚠️ *Other speaker.* No article in the archive has Putin saying this")
    assert message.text.startswith("⚠️ Other speaker.")
    context = [e["text"] for b in message.blocks if b["type"] == "context" for e in b["elements"]]
    assert any("meeting over &amp; here" in c and "*first publication*" in c for c in context)
    assert "&" not in first.replace("&amp;", "")
    # Share and More re-render a stored answer: the verdict and first survive the round trip.
    again = answer_from_dict(json.loads(json.dumps(answer.to_dict())))
    assert answer_message(again).blocks == message.blocks


def test_confirmed_and_not_found_symbols(archive):
    from bot.render import answer_message

    assert answer_message(archive.check(FLOODS)).blocks[0]["text"]["text"].startswith("✅ *Confirmed.*")
    assert answer_message(archive.check("purple elephants dancing")).blocks[0]["text"]["text"].startswith(
        "❓ *Not found.* Not in the archive")


# --- CLI ---
def test_cli_check_json_contract(tmp_path):
    data = tmp_path / "data"
    assert run_summit("ingest", str(DEMO), data_dir=data).returncode == 0
    done = run_summit("check", "“sacred war”", "--speaker", "Putin", "--json", data_dir=data)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert (out["intent"], out["verdict"]) == ("check", "altered")
    assert out["first"]["diff"] == "sacred [battle → war]" and out["first"]["date"]
    top = out["results"][0]
    assert {"speaker", "article", "date", "match", "kind", "highlights", "diff"} <= set(top)
    assert (top["speaker"], top["match"]) == ("Kim Jong Un", "altered")
    assert "None of them is attributed to Putin" in out["message"]
    bad = run_summit("check", "  ", data_dir=data)
    assert bad.returncode != 0 and bad.stderr.count("\n") == 1 and "usage: check" in bad.stderr


# --- over HTTP, against the fake Slack ---
@pytest.fixture
def bot(tmp_path, slack, demo_engine):
    from bot_harness import start_bot

    b = start_bot(tmp_path, slack, demo_engine)
    yield b
    b.server.close()


def test_slash_check_acks_at_once_and_answers_to_the_response_url(bot, slack):
    from bot_harness import all_texts, section_texts

    reply = bot.command("check “sacred battle” Putin")
    assert reply.status == 200 and reply.body == ""
    assert reply.seconds < 3.0, f"ack took {reply.seconds:.3f}s"
    [post] = slack.wait_for("response_url")
    bot.settle()
    assert len(slack.of("response_url", ok=None)) == 1
    texts = section_texts(post.body["blocks"])
    assert texts[0].startswith("⚠️ *Other speaker.* No article in the archive has Putin saying this; "
                               "1 article attributes it to Kim Jong Un.")
    assert any("*Kim Jong Un* (direct quote)" in t and "*sacred battle*" in t for t in texts)
    assert "*first publication*" in all_texts(post.body["blocks"])
    assert post.body["text"].startswith("⚠️ Other speaker.")


def test_mention_check_answers_in_the_thread(bot, slack):
    import copy

    from bot_harness import payload, section_texts

    slack.threads[("C0POLITICS", "1718000000.000100")] = [
        {"type": "message", "user": "U0REPORTER", "ts": "1718000000.000100", "text": "Did he say that?"}]
    body = copy.deepcopy(payload("app_mention_in_thread.json"))
    body["event"]["text"] = "<@U0BOTSUMMIT> check “sacred war”"
    reply = bot.event(body)
    assert reply.status == 200 and reply.seconds < 3.0
    [post] = slack.wait_for("chat.postMessage")
    assert post.body["thread_ts"] == "1718000000.000100"
    texts = section_texts(post.body["blocks"])
    assert texts[0].startswith("⚠️ *Altered.*")
    assert any("“sacred [battle → war]”" in t for t in texts)


def test_matching_speakers_among_a_few_keys_is_the_whole_archive_answer_restricted(archive):
    from index.quotes.attribution import matching_speakers

    store = archive.store
    every = {k for _, k, _, _ in store.speakers()}
    for name in ("Lee", "Mayor Lee", "Ann Lee", "Reed", "Costa", "Smith", "Nobody Known"):
        whole = matching_speakers(store, name)
        for among in ({"ann lee"}, {"tom reed", "maria costa"}, every):
            assert matching_speakers(store, name, among=among) == [k for k in whole if k in among], (name, among)
