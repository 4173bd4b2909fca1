"""Who said what, through the engine: stored quotes, `who said`, `what did X say`, and the CLI."""
from __future__ import annotations

import json

import pytest

from conftest import DEMO, run_summit, settings_for, write
from index.errors import ConfigError, InputError


def assert_verbatim(engine, result):
    text = engine.store.article_text(result.article.id)
    assert text[result.start:result.end] == result.text
    assert result.quote in result.text


# --- who said ---
@pytest.mark.parametrize("phrase, speaker, kind", [
    ("sacred battle", "Kim Jong Un", "direct"),
    ("imperialism", "Kim Jong Un", "direct"),
    ("holy war", "Kim Jong Un", "indirect"),
    ("first step", "Kim Jong Un", "direct"),
    ("strengthening of future cooperation", "Vladimir Putin", "direct"),
    ("That is why we reached here", "Vladimir Putin", "direct"),
    ("I am utterly persuaded", "Kim Jong Un", "direct"),
    ("abide by UN sanctions", "Antonio Guterres", "indirect"),
])
def test_who_said_names_the_speaker(demo_engine, phrase, speaker, kind):
    answer = demo_engine.ask(f'who said "{phrase}"')
    assert (answer.intent, answer.answered, answer.speaker) == ("who_said", True, speaker)
    top = answer.results[0]
    assert (top.speaker, top.kind, top.match) == (speaker, kind, "exact")
    assert phrase.lower() in top.quote.lower()
    assert_verbatim(demo_engine, top)
    assert top.article.title and top.paragraph >= 1


@pytest.mark.parametrize("question", [
    "who said sacred battle", "WHO SAID “SACRED BATTLE”", "who said 'Sacred Battle?'", "Who said ‘sacred battle’",
])
def test_who_said_any_quote_style_or_none(demo_engine, question):
    answer = demo_engine.ask(question)
    assert answer.speaker == "Kim Jong Un"
    assert answer.results[0].highlights  # the asked words are marked in the sentence


def test_words_only_in_narration_have_no_speaker(demo_engine):
    answer = demo_engine.ask('who said "rocket takeoff facility"')
    assert answer.answered is False and answer.speaker is None
    assert "narration" in answer.message
    assert answer.results and all(r.speaker is None and r.quote is None for r in answer.results)
    assert "rocket takeoff facility" in answer.results[0].text


def test_nothing_matches_shows_closest_quotes(demo_engine):
    answer = demo_engine.ask('who said "quantum chromodynamics"')
    assert answer.answered is False and answer.speaker is None
    assert answer.results and all(r.speaker for r in answer.results)
    assert "Closest quotes" in answer.message


@pytest.mark.parametrize("phrase", ["sacred battles", "sacrad battle"])
def test_near_miss_is_inexact_but_named(demo_engine, phrase):
    answer = demo_engine.ask(f'who said "{phrase}"')
    assert answer.answered and answer.speaker == "Kim Jong Un"
    assert answer.results[0].match == "inexact"
    assert "No exact match" in answer.message and "sacred battle" in answer.message


# --- what did X say ---
def test_what_did_kim_say_lists_his_quotes_in_article_order(demo_engine):
    answer = demo_engine.ask("what did Kim say")
    assert (answer.intent, answer.answered, answer.speaker) == ("quotes_by", True, "Kim Jong Un")
    assert {r.speaker for r in answer.results} == {"Kim Jong Un"}
    starts = [r.start for r in answer.results]
    assert starts == sorted(starts)
    assert any("sacred battle" in r.quote for r in answer.results)
    for r in answer.results:
        assert_verbatim(demo_engine, r)


def test_what_did_putin_say_about_a_topic_ranks_by_topic(demo_engine):
    answer = demo_engine.ask("what did President Putin say about rocket technology")
    assert answer.answered and answer.speaker == "Vladimir Putin"
    assert "rocket technology" in answer.results[0].quote


def test_description_finds_the_person(demo_engine):
    answer = demo_engine.ask("what did the Russian president say")
    assert answer.speaker == "Vladimir Putin"


def test_unknown_person_is_declined(demo_engine):
    answer = demo_engine.ask("what did Angela Merkel say")
    assert answer.answered is False and answer.speaker is None and not answer.results


# --- storage: atomic with the article ---
ARTICLE_V1 = """Council approves budget

Council leader Ann Lee said: “This budget protects every library in the city.”

Opposition leader Tom Reed warned that the plan would raise council tax.
"""
ARTICLE_V2 = """Council approves budget

Council leader Ann Lee said: “This budget protects every park in the city.”
"""


def test_words_a_speaker_quotes_from_someone_else_are_not_theirs(fresh_engine, tmp_path):
    fresh_engine.ingest([write(tmp_path / "board.txt", "School board meets\n\n"
                               "“She told me, ‘the school will never close,’ and I believed her,” said parent "
                               "Tomas Berg.\n\n"
                               "“I told them, ‘we will win the vote,’ and we did,” said Ann Lee.\n")])
    relayed = fresh_engine.ask('who said "the school will never close"')
    assert (relayed.answered, relayed.speaker) == (False, None)
    assert "someone else's words, quoted by Tomas Berg" in relayed.message
    checked = fresh_engine.check("the school will never close", speaker="Tomas Berg")
    assert checked.verdict == "other_speaker" and "Tomas Berg quotes them as someone else's words" in checked.message
    own = fresh_engine.ask('who said "we will win the vote"')  # words she quotes from herself are hers
    assert (own.answered, own.speaker) == (True, "Ann Lee")
    assert [q.speaker for q in fresh_engine.quotes(speaker="Tomas Berg")] == ["Tomas Berg"]


def test_quotes_are_replaced_and_removed_with_their_article(fresh_engine, tmp_path):
    path = write(tmp_path / "in" / "budget.txt", ARTICLE_V1)
    [result] = fresh_engine.ingest([path])
    assert result.quotes == 2
    rows = fresh_engine.quotes(article_id=result.article_id)
    assert [(q.kind, q.speaker) for q in rows] == [("direct", "Ann Lee"), ("indirect", "Tom Reed")]
    text = fresh_engine.store.article_text(result.article_id)
    assert all(text[q.start:q.end] == q.quote for q in rows)

    write(path, ARTICLE_V2)
    [updated] = fresh_engine.ingest([path])
    assert updated.status == "updated" and updated.article_id == result.article_id
    assert [q.quote for q in fresh_engine.quotes()] == ["This budget protects every park in the city."]

    fresh_engine.remove(result.article_id)
    assert fresh_engine.quotes() == [] and fresh_engine.stats()["quotes"] == 0


def test_a_failed_commit_keeps_the_old_quotes(fresh_engine, tmp_path, monkeypatch):
    from index.storage import generations
    from index.errors import StorageError

    path = write(tmp_path / "in" / "budget.txt", ARTICLE_V1)
    fresh_engine.ingest([path])
    before = fresh_engine.quotes()
    write(path, ARTICLE_V2)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(generations.LexicalIndex, "build", broken)
    with pytest.raises(StorageError):  # the failed write, named in one line
        fresh_engine.ingest([path])
    assert fresh_engine.quotes() == before


def test_extraction_can_be_switched_off(tmp_path, demo_engine):
    from index import Engine

    engine = Engine(settings_for(tmp_path / "data", SUMMIT_EXTRACT_QUOTES="false"))
    engine.__dict__["embedder"] = demo_engine.embedder
    try:
        [result] = engine.ingest([write(tmp_path / "in" / "a.txt", ARTICLE_V1)])
        assert result.quotes == 0 and engine.quotes() == []
    finally:
        engine.close()


def test_missing_spacy_pipeline_is_a_config_error(tmp_path, demo_engine):
    from index import Engine

    engine = Engine(settings_for(tmp_path / "data", SUMMIT_SPACY_MODEL="xx_no_such_pipeline"))
    engine.__dict__["embedder"] = demo_engine.embedder
    try:
        with pytest.raises(ConfigError, match="SUMMIT_SPACY_MODEL"):
            engine.ingest([write(tmp_path / "in" / "a.txt", ARTICLE_V1)])
        assert engine.articles() == []  # nothing half-stored
    finally:
        engine.close()


# --- across articles ---
def test_speakers_merge_across_articles_and_several_speakers_are_listed(fresh_engine, tmp_path):
    write(tmp_path / "in" / "one.txt", "Library saved\n\nMayor Ann Lee said the deal was “a new chapter” "
                                       "for the city.\n")
    write(tmp_path / "in" / "two.txt", "Stadium opens\n\nThe opening was “a new chapter”, said Ann Lee, "
                                       "the mayor. Lee added that tickets were free.\n")
    write(tmp_path / "in" / "three.txt", "Port reopens\n\nHarbour master Tom Reed called the reopening "
                                         "“a new chapter” for fishermen. Mr Blair's spokesman said the port "
                                         "was safe.\n\nTony Blair visited on Monday.\n")
    fresh_engine.ingest([tmp_path / "in"])

    answer = fresh_engine.ask('who said "a new chapter"')
    assert answer.answered and answer.speaker is None  # several people: each listed with the article
    assert sorted({r.speaker for r in answer.results}) == ["Ann Lee", "Tom Reed"]
    assert len({r.article.id for r in answer.results}) == 3
    assert "2 speakers" in answer.message

    lee = fresh_engine.ask("what did Lee say")
    assert lee.speaker == "Ann Lee"
    assert len({r.article.id for r in lee.results}) == 2

    # The possessive trap, once more: Blair's spokesman is not Blair.
    assert fresh_engine.ask("what did Tony Blair say").answered is False
    assert [q.speaker for q in fresh_engine.quotes(speaker="Mr Blair's spokesman")] == ["Mr Blair's spokesman"]


def test_one_description_in_several_articles_is_not_named_as_one_person(fresh_engine, tmp_path):
    write(tmp_path / "in" / "one.txt", "Rovers win\n\nThe coach said the team had played with heart.\n")
    write(tmp_path / "in" / "two.txt", "Town lose\n\nThe coach said the referee had missed two fouls.\n")
    write(tmp_path / "in" / "three.txt", "Council budget\n\nThe council said the budget was balanced.\n"
                                         "\nThe council said the pool would stay open.\n")
    fresh_engine.ingest([tmp_path / "in"])
    coach = fresh_engine.ask("what did the coach say")
    assert coach.answered and coach.speaker is None, coach.message
    assert coach.message == "2 quotes by “the coach” (2 articles; not necessarily one person)."
    council = fresh_engine.ask("what did the council say")  # a body speaks as one
    assert council.speaker == "the council", council.message


# --- the CLI ---
def test_cli_quotes_and_who_said(tmp_path):
    data = tmp_path / "data"
    ingest = run_summit("ingest", str(DEMO), data_dir=data)
    assert ingest.returncode == 0, ingest.stderr
    assert "13 quotes" in ingest.stdout

    listed = run_summit("quotes", "--json", data_dir=data)
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert len(rows) == 13
    assert {"speaker", "speaker_as_written", "kind", "cue", "quote", "sentence", "article"} <= set(rows[0])

    kim = run_summit("quotes", "--speaker", "Kim", data_dir=data)
    assert kim.returncode == 0, kim.stderr
    lines = [line for line in kim.stdout.splitlines() if not line.startswith(" ")]
    assert len(lines) == 7 and all(line.startswith("Kim Jong Un (") for line in lines)
    assert "paragraph 3" in kim.stdout

    missing = run_summit("quotes", "--article", "99", data_dir=data)
    assert missing.returncode == 1 and "no article with id 99" in missing.stderr
    huge = str(2**63)  # past SQLite's integers: the same short error, never a traceback
    for args in (("quotes", "--article", huge), ("remove", huge)):
        past = run_summit(*args, data_dir=data)
        assert past.returncode == 1 and f"no article with id {huge}" in past.stderr
        assert "Traceback" not in past.stderr

    asked = run_summit("ask", "--json", 'who said "sacred battle"', data_dir=data)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["speaker"] == "Kim Jong Un"
    assert answer["results"][0]["speaker"] == "Kim Jong Un"
    assert answer["results"][0]["kind"] == "direct"
    assert "sacred battle" in answer["results"][0]["quote"]


def test_an_article_id_past_sqlite_integers_names_no_article(demo_engine):
    for article_id in (2**63, -2**63 - 1):
        with pytest.raises(InputError, match="no article with id"):
            demo_engine.quotes(article_id=article_id)
        for question in ('who said "sacred battle"', "what did Putin offer", "what did Kim say about war"):
            assert demo_engine.ask(question, article_id=article_id) == demo_engine.ask(question)


def test_an_honorific_in_the_question_prefers_the_speaker_written_with_it(fresh_engine, tmp_path):
    """Across articles: "Mr. Reyes" asks for the speaker written so, not every Reyes."""
    one = tmp_path / "a.txt"
    one.write_text("Port vote\n\n“The port will grow,” said Ines Reyes, the mayor.\n")
    two = tmp_path / "b.txt"
    two.write_text("Feud over fence\n\n“The fence must come down,” said Mr. Reyes, who lives on Elm Street.\n\n"
                   "“The fence stays up,” said Mrs. Reyes, his neighbour across the road.\n")
    fresh_engine.ingest([one, two])
    assert [r.quote for r in fresh_engine.ask("what did Mr. Reyes say").results] == ["The fence must come down"]
    assert {r.quote for r in fresh_engine.ask("what did Reyes say").results} == {
        "The port will grow", "The fence must come down", "The fence stays up"}


def test_a_sentence_holding_several_quotes_of_one_speaker_is_listed_once(fresh_engine, tmp_path):
    """A reported clause with the speaker's own words inside it is one entry, shown whole."""
    write(tmp_path / "port.txt", "Port budget\n\n"
          "Ines Reyes said the port budget was “a disgrace” and would be cut by half next year.\n\n"
          "“We will cut the harbour budget too,” Ines Reyes said on Monday.\n")
    fresh_engine.ingest([tmp_path / "port.txt"])
    stored = fresh_engine.quotes(speaker="Ines Reyes")
    assert sorted(q.kind for q in stored) == ["direct", "direct", "indirect"]  # all three are kept
    listed = fresh_engine.ask("what did Ines Reyes say")
    assert listed.message.startswith("2 quotes by Ines Reyes")
    assert [(r.kind, r.quote) for r in listed.results] == [
        ("indirect", "the port budget was “a disgrace” and would be cut by half next year"),
        ("direct", "We will cut the harbour budget too")]
    about = fresh_engine.ask("what did Ines Reyes say about the port budget")
    assert len({(r.start, r.end) for r in about.results}) == len(about.results) == 2
    assert about.results[0].kind == "indirect"


def test_a_surname_alone_names_every_person_of_that_name(fresh_engine, tmp_path):
    """A speaker the archive only ever calls "Lee" does not hide Ann Lee from "what did Lee say"."""
    write(tmp_path / "a.txt", "Budget fight at city hall\n\n“The budget is a disgrace,” said Ann Lee, the council "
          "leader.\n\nLee has served on the council since 2019.\n")
    write(tmp_path / "b.txt", "Harbour plan approved\n\n“The harbour will be dredged next spring,” said Mr. Lee, "
          "a harbour official.\n")
    fresh_engine.ingest([tmp_path / "a.txt", tmp_path / "b.txt"])
    both = fresh_engine.ask("what did Lee say")
    assert both.speaker is None and {r.speaker for r in both.results} == {"Ann Lee", "Lee"}
    assert [r.speaker for r in fresh_engine.ask("what did Ann Lee say").results] == ["Ann Lee"]
    assert [r.speaker for r in fresh_engine.ask("what did Mr. Lee say").results] == ["Lee"]


BAKERY = """Kelby bakery marks five years

Ann Lee and Tomas Berg opened the Mill Lane Bakehouse in Kelby in 2021, after Lee left her job as a nurse.

Those early months were hard. "The first month we were selling eleven loaves a day," Lee said. "One afternoon I went into the walk-in fridge and cried, because I thought we had thrown away everything we had."

The bakery now employs nine people and supplies 14 cafes across the county.

Berg, who trained as a chef, said the shop would open a second site in Eastfield next year.
"""


def test_someone_described_by_what_they_did_is_named_when_one_quote_tells_it(fresh_engine, tmp_path):
    # "the baker who cried in the fridge": the speaker whose own words tell it, matched in meaning.
    write(tmp_path / "bakery.txt", BAKERY)
    fresh_engine.ingest([tmp_path])
    answer = fresh_engine.ask("the baker who went and cried in the fridge")
    assert answer.answered and answer.intent == "who_said", answer.message
    assert answer.speaker == "Ann Lee"
    assert "walk-in fridge" in answer.results[0].text
    # Someone else's words about them are no answer ("the shop would open a second site", said
    # of the chef by himself in the reporter's words, tells nothing first-hand): a search.
    answer = fresh_engine.ask("the chef who is opening a second site")
    assert answer.intent == "search" and answer.answered, answer.message
    assert any("second site in Eastfield" in r.text for r in answer.results[:3])
    # A description whose answer no quote tells stays a search, answered by the passage.
    answer = fresh_engine.ask("the nurse who opened a bakery in 2021")
    assert answer.intent == "search" and answer.answered, answer.message
    assert any("left her job as a nurse" in r.text for r in answer.results[:3])


BUDGET_NIGHT = """Kelby budget passes after late-night session

The Kelby assembly passed the budget 31-28 shortly after midnight, with a new fee on electric cars.

Not everyone was satisfied. Rep. Tomas Berg, a Democrat from Eastfield, voted against the bill, saying the new fee "punishes the people who did exactly what we asked them to do."

Rep. Ines Reyes, a Republican from Harbourton, said she would seek $10 million in next year's budget for a fund to help towns clean up their water supplies.

Marta Quinn, a nurse who worked through the night shift, said the budget did nothing for hospitals. "I put my husband's dinner in the oven at six and he ate it at midnight," Quinn said. "That is what this job is."

Police said a man who stole campaign signs from the assembly lawn had not been found. "We are following several leads," Insp. Ada Moss said.
"""


def test_who_did_something_is_named_when_their_own_quote_tells_it(fresh_engine, tmp_path):
    write(tmp_path / "budget.txt", BUDGET_NIGHT)
    fresh_engine.ingest([tmp_path])
    # in the first person, reported of herself, and said around his quote by the narration
    for question, speaker in [("who put her husband's dinner in the oven", "Marta Quinn"),
                              ("which lawmaker wants $10 million to help towns clean up water", "Ines Reyes"),
                              ("who voted against the budget because the fee hits people who went electric",
                               "Tomas Berg")]:
        answer = fresh_engine.ask(question)
        assert answer.answered and answer.speaker == speaker, (question, answer.message)
    # A deed a passage tells of someone is searched for, never pinned on whoever speaks of it
    # (the inspector's "We are following several leads").
    answer = fresh_engine.ask("who stole the campaign signs from the assembly lawn")
    assert answer.speaker is None and answer.intent == "search", answer.message
    # A first-person quote that holds none of the asked words tells nothing of the speaker's deed.
    answer = fresh_engine.ask("who is following several leads on the missing signs")
    assert answer.speaker is None, answer.message


FINE = """Kelby bank fined £31m over money laundering checks

The Kelby Conduct Commission fined Harbour Bank £31.5m on Tuesday for failing to monitor accounts it had flagged as high risk.

The commission said the bank failed to carry out adequate monitoring of around 61,000 accounts between 2019 and 2023.

Ada Moss, the commission's executive director of enforcement, said: "These were not paperwork errors. Harbour Bank knew which customers needed watching, and for years it simply did not watch them."

Tomas Berg, the bank's chief executive, said the bank accepted the findings in full and apologised.
"""


def test_who_at_a_body_said_it_is_someone_there_not_the_body(fresh_engine, tmp_path):
    write(tmp_path / "fine.txt", FINE)
    fresh_engine.ingest([tmp_path])
    answer = fresh_engine.ask("who at the commission said the bank's failures were more than paperwork and that "
                              "it knew which customers to watch?")
    assert answer.answered and answer.speaker == "Ada Moss", answer.message


TAKEOVER = """Kelby Foods agrees takeover

Kelby Foods has agreed to be bought by Harbour Holdings. Ann Lee, Harbour's chief executive, said the group had "no current plans" to close any factory.

Tomas Berg, regional organiser for the General Workers' Union, said: "We have heard 'no current plans' before. Those three words are worth nothing."
"""


def test_words_two_people_said_are_given_to_the_one_in_the_asked_role(fresh_engine, tmp_path):
    write(tmp_path / "takeover.txt", TAKEOVER)
    fresh_engine.ingest([tmp_path])
    answer = fresh_engine.ask("which union organiser said 'no current plans' was worthless")
    assert answer.answered and answer.speaker == "Tomas Berg", answer.message
    assert "of 2 speakers of these words, the one" in answer.message
    both = fresh_engine.ask("who said 'no current plans'")  # no role: both, no one named
    assert both.speaker is None and both.message.startswith("2 speakers"), both.message


WIDOW = """Taxi driver's killer jailed

Tomas Lee, 58, was stabbed in his taxi in Kelby in March. A jury found Ines Reyes guilty of his murder.

"Tomas used to say he drove the city so that other people could get home safe," his widow, Ann Lee, said outside court.
"""


def test_a_surname_the_question_gives_someone_else_does_not_rule_out_the_speaker(fresh_engine, tmp_path):
    # "Tomas Lee" is whom the question is about; Ann Lee, who shares his surname, may have said it.
    write(tmp_path / "widow.txt", WIDOW)
    fresh_engine.ingest([tmp_path])
    answer = fresh_engine.ask("who said Tomas Lee drove the city so other people could get home safely?")
    assert answer.answered and answer.speaker == "Ann Lee", answer.message


def test_a_person_far_ahead_of_every_other_speaker_is_named_just_under_the_bar():
    from types import SimpleNamespace as Quote

    from index.quotes.attribution import CLEAR_BELOW, QuoteAnswers
    from index.retrieval.search import Tuning

    t = Tuning()
    lee, berg = Quote(speaker="Ann Lee", person=True, id=1), Quote(speaker="Tomas Berg", person=True, id=2)
    council = Quote(speaker="Kelby Council", person=False, id=3)
    under = t.who_min_score - CLEAR_BELOW / 2
    far = under - t.who_clear_margin - 0.01
    assert QuoteAnswers._far_ahead([(under, lee), (far, berg)], set(), t)
    assert not QuoteAnswers._far_ahead([(under, lee), (under - 0.05, berg)], set(), t)  # a rival close behind
    assert not QuoteAnswers._far_ahead([(t.who_min_score - CLEAR_BELOW - 0.01, lee)], set(), t)  # too far under
    assert not QuoteAnswers._far_ahead([(under, council), (far, berg)], set(), t)  # a body, not a person
    # her own quote under a shorter form of her name is no rival
    assert QuoteAnswers._far_ahead([(under, lee), (under - 0.01, Quote(speaker="Lee", person=True, id=4))], set(), t)


def test_a_quote_tells_of_its_speaker_in_their_own_words_or_the_narration():
    from index.answer import ArticleRef, Result
    from index.quotes.attribution import tells_of_self

    ref = ArticleRef(1, "Strike day", None, None)

    def said(text, quote, kind, speaker="Tomas Berg"):
        return Result(text=text, article=ref, paragraph=1, start=0, end=len(text), score=1.0,
                      speaker=speaker, quote=quote, kind=kind)

    coop = said('"We\'ve got a little co-op going. Monday\'s my day," Berg said.',
                "We've got a little co-op going. Monday's my day", "direct")
    assert tells_of_self(coop, "set up a babysitting co-op", narration=False)  # first person, two asked words
    leads = said('"We are following several leads," Berg said.', "We are following several leads", "direct")
    assert not tells_of_self(leads, "set up a babysitting co-op")  # first person, but none of the asked words
    seek = said("Berg said she would seek $10 million for the water fund.", "she would seek $10 million for the "
                "water fund", "indirect")
    assert tells_of_self(seek, "wants $10 million for the fund", narration=False)
    voted = said('Rep. Tomas Berg voted against the bill, saying the fee "punishes drivers."', "punishes drivers.",
                 "direct")
    assert tells_of_self(voted, "voted against the budget")  # the narration says it of him
    assert not tells_of_self(voted, "voted against the budget", narration=False)
    widower = said('Tomas Berg, whose wife was killed in the crash, said: "Nobody listened."', "Nobody listened.",
                   "direct")
    assert not tells_of_self(widower, "killed in the crash")  # the passive is not his deed


STRIKE_PARENTS = """Parents improvise as teachers strike

Some parents joined the teachers on the picket lines. Others kept their children at home.

Tomas Berg, a father of three, said he had arranged with two other families to rotate days watching the children.

"We've got a little co-op going. Monday's my day," Berg said, gesturing at four children playing in his yard.
"""


def test_the_person_a_question_describes_is_named_by_their_own_quote(fresh_engine, tmp_path):
    write(tmp_path / "parents.txt", STRIKE_PARENTS)
    fresh_engine.ingest([tmp_path])
    answer = fresh_engine.ask("the dad who set up a babysitting co-op with the neighbours during the teachers strike")
    assert answer.answered and answer.speaker == "Tomas Berg", answer.message
