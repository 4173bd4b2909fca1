"""A phrase search never loses a match because the archive is big (issue 12, item 1)."""
from __future__ import annotations

from conftest import settings_for, write

OLD = "Harbour council minutes\n\n" + "\n\n".join(
    f"At meeting number {i} the council discussed the harbour tax and the repairs to quay {i}." for i in range(560))
NEW = ("Harbour levy row reaches council\n\n"
       "The council met on Tuesday to vote on next year's budget for the port.\n\n"
       "“The harbour tax is a disgrace to every fisherman in this town,” said Zed Newman, "
       "who chairs the fishermen's association.")


def test_a_new_quote_is_found_behind_hundreds_of_older_mentions(fresh_engine, tmp_path):
    from index import Engine

    # The old article has no quotes: skip extraction for it, to keep the test quick.
    older = Engine(settings_for(fresh_engine.settings.data_dir, SUMMIT_EXTRACT_QUOTES="false"))
    older.__dict__["embedder"] = fresh_engine.embedder
    older.ingest([write(tmp_path / "old.txt", OLD)])
    older.close()
    fresh_engine.ingest([write(tmp_path / "new.txt", NEW)])
    assert len(fresh_engine.searcher.phrase_chunk_ids("harbour tax")) > 500  # more than the old cap

    answer = fresh_engine.ask('who said "harbour tax"')
    assert answer.answered and answer.speaker == "Zed Newman"
    assert [r.article.title for r in answer.results] == ["Harbour levy row reaches council"]

    # Words only in narration: the newest passages are shown, and the message says there are more.
    narration = fresh_engine.ask('who said "discussed the harbour tax"')
    assert not narration.answered and narration.speaker is None
    assert len(narration.results) == 20 and "more than 20 passages" in narration.message
    assert "meeting number 559 " in narration.results[0].text

    # A search for the quoted phrase ranks the new article's passage too.
    search = fresh_engine.ask('"harbour tax" disgrace fisherman')
    assert search.answered and search.results[0].article.title == "Harbour levy row reaches council"
    for r in search.results:
        assert r.match == "exact"
