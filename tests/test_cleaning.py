"""Cleaning by general rules, titles, verbatim paragraphs and offsets, on pages the tests write."""
from __future__ import annotations

import pytest

from index.sources.cleaning import decode
from index.sources.documents import from_html, from_markdown, from_text, load_file
from index.errors import InputError

from conftest import DEMO, write

SCRAPED = """Light Mode
Harbour council approves new sea wall after storm damage
Photo: Council workers inspect the damaged promenade (Getty Images)
Follow us on Facebook and Instagram
The harbour council voted on Tuesday to build a new sea wall, after last winter's storms flooded 40 homes.
“We cannot wait for the next storm,” said councillor Ana Ruiz, who chairs the works committee.
The wall will cost £12m and is due to be finished in 2028.
Share this story on Telegram, Reddit and Email
Comments / Sign in to reply
"""


def test_boilerplate_is_dropped_by_general_rules():
    doc = from_text(SCRAPED, source="harbour.txt")
    assert doc.title == "Harbour council approves new sea wall after storm damage"
    body = doc.text
    for furniture in ("Light Mode", "Follow us", "Share this story", "Comments / Sign in", "Getty Images"):
        assert furniture not in body
    assert len(doc.paragraphs) == 3
    assert doc.text[doc.paragraphs[1][0]:doc.paragraphs[1][1]].startswith("“We cannot wait")


def test_news_that_names_a_picture_agency_or_ends_without_a_full_stop_is_kept():
    """Only a credit at the end of a caption marks it; a short quotation with its speaker is
    article text even when the page lost its full stop."""
    doc = from_text("Approval slips in new poll\n\n"
                    "A Reuters/Ipsos poll released on Tuesday found that 40% of adults approve.\n\n"
                    "Getty Images sued an AI company in London, saying it copied its photos.\n\n"
                    "“We are not going anywhere,” said Mayor Ann Lee\n\n"
                    "Critics said, \"this is a disaster for the city\n\n"
                    "Voters queue outside the town hall on Tuesday. (AP Photo/Tomas Berg)\n\n"
                    "“We will not back down,” Mayor Ines Reyes said on Monday, Jan. 8. (AP Photo/J. Tomas Berg)\n\n"
                    "Smoke rises over the harbour. Getty Images.\n\n"
                    "Photograph: Ines Reyes/Reuters\n\n"
                    "Lee says council “cannot win”\n\n"
                    "Related stories\n\n"
                    "The survey of 1,000 adults had a margin of error of 3 points.\n", source="poll.txt")
    kept = [doc.text[s:e] for s, e in doc.paragraphs]
    assert [p.split()[0] for p in kept] == ["A", "Getty", "“We", "Critics", "The"]  # captions and the headline go


def test_a_short_quote_is_news_but_a_labelled_link_or_a_promo_is_furniture():
    doc = from_text("Port vote nears\n\n"
                    "Officials confirmed the news on Tuesday after a long day of talks.\n\n"
                    "“Follow the money,” Senator Tomas Berg told reporters\n\n"
                    "“The most unqualified child to ever run for mayor.” ― Ines Reyes\n\n"
                    "Related: “We will not go quietly,” says union boss as port vote nears\n\n"
                    "Read more: What are the symptoms of measles?\n\n"
                    "See also: Kelby council agrees £4m pier repair.\n\n"
                    "Share this article with your friends and family\n\n"
                    "Follow us on Twitter\n", source="port.txt")
    assert doc.title == "Port vote nears"
    kept = [doc.text[s:e] for s, e in doc.paragraphs]
    assert [p.split()[0] for p in kept] == ["Officials", "“Follow", "“The"]


@pytest.mark.parametrize("headline", ["Share of top A-level grades falls", "Penrose shares jump 4% after profits beat forecasts",
                                      "Facebook shares tumble", "Harbourton council to print its own money"])
def test_a_headline_with_a_ui_word_is_still_the_headline(headline):
    doc = from_text(f"{headline}\n\nThe figures were published on Thursday by the exam boards.\n", source="a.txt")
    assert doc.title == headline


def test_a_first_line_of_furniture_alone_is_no_headline():
    doc = from_text("Share this article\n\nSign up for our daily newsletter\n\nHarbour wall approved\n\n"
                    "The council voted on Tuesday to build a new sea wall.\n", source="a.txt")
    assert doc.title == "Harbour wall approved"


def test_demo_page_keeps_article_drops_furniture():
    doc = load_file(next(DEMO.glob("*.txt")))
    assert doc.title.startswith("North Korea-Russia meeting over")
    for furniture in ("Dark Mode", "Share this article on WhatsApp", "Comment / Reply From",
                      "President Putin & Supreme Leader Kim Jong Un"):
        assert furniture not in doc.text
    for start, end in doc.paragraphs:
        assert doc.text[start:end].strip() == doc.text[start:end]
    assert "sacred battle" in doc.text


def test_paragraph_offsets_point_into_stored_text():
    doc = from_text(SCRAPED, source="x.txt")
    for start, end in doc.paragraphs:
        assert doc.text[start:end] in SCRAPED  # verbatim


def test_cp1252_and_latin1_files_decode(tmp_path):
    text = "Café owners said the “new rules” cost them €2,000 a month.\n\nThe mayor disagreed.\n"
    path = write(tmp_path / "old.txt", "Old archive story\n\n" + text, encoding="cp1252")
    doc = load_file(path)
    assert "Café owners said the “new rules” cost them €2,000" in doc.text
    latin = write(tmp_path / "latin.txt", "Título\n\nEl niño said: ça va bien, señor, at the café.\n",
                  encoding="latin-1")
    assert "El niño said: ça va bien" in load_file(latin).text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_decodes(tmp_path, encoding):
    path = tmp_path / "windows.txt"
    path.write_bytes("Port reopens\n\n“We are open again,” said Ann Lee.\n".encode(encoding))
    assert "“We are open again,” said Ann Lee." in load_file(path).text


@pytest.mark.parametrize("raw", [b"", b"   \n\n", bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR",
                                 bytes(4000), b"\x00\x01" * 2000])
def test_empty_and_binary_input_is_refused(raw):
    with pytest.raises(InputError):
        decode(raw, "bad.txt")


def test_markdown_front_matter_and_links():
    md = ("---\ntitle: Budget vote delayed\nurl: https://example.org/budget\ndate: 2026-03-02\n---\n\n"
          "# Budget vote delayed\n\nThe [city council](https://example.org/council) delayed its vote.\n\n"
          "“We need more time,” the treasurer said.\n")
    doc = from_markdown(md, source="budget.md", content_hash="h")
    assert doc.title == "Budget vote delayed"
    assert doc.url == "https://example.org/budget"
    assert "The city council delayed its vote." in doc.text
    assert "](" not in doc.text


@pytest.mark.parametrize("written, stored", [
    ("2026-03-02", "2026-03-02"), ("March 3, 2018", "2018-03-03"), ("13/02/2019", "2019-02-13"),
    ("Tue, 27 Sep 2016 14:05:00 GMT", "2016-09-27T14:05:00+00:00"),
    ("Wednesday, March 3, 2021 at 5:00 PM EST", "2021-03-03T17:00:00"),
    ("yesterday", None), ("2024-13-45", None), ("03/04/2019", None), ("2016", None), ("2018-W10", None),
])
def test_a_front_matter_date_is_stored_as_iso_or_not_at_all(written, stored):
    md = f"---\ntitle: Port news\ndate: {written}\n---\n\n“The harbour is open again,” said Ann Lee.\n"
    assert from_markdown(md, source="port.md", content_hash="h").published == stored


def test_an_empty_front_matter_title_leaves_the_headline_to_the_text():
    md = "---\ntitle:\n---\n\nRail strike looms\n\n\"We are ready,\" said Ann Lee.\n"
    assert from_markdown(md, source="strike.md", content_hash="h").title == "Rail strike looms"


def test_a_page_with_no_text_is_one_error_and_logs_nothing(caplog):
    with caplog.at_level("WARNING"), pytest.raises(InputError, match="no article text found"):
        from_html("<html><body></body></html>", source="empty.html")
    assert not caplog.records  # the extractor's own "discarding data: None" never reaches the console


def test_html_article_extraction():
    html = """<html><head><title>Port strike ends | Daily Wire</title>
    <meta property="og:title" content="Port strike ends after nine days"></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Port strike ends after nine days</h1>
    <p>Dock workers returned to work on Monday after the union accepted a 6% pay rise, ending a strike that
    had left more than 200 ships waiting offshore.</p>
    <p>“This is a fair deal for every worker on the quay,” union leader Sam Okoro told reporters outside the
    port gates.</p>
    <p>The port authority said traffic would return to normal by the weekend.</p></article>
    <div class="share">Share on Facebook</div><footer>Copyright 2026</footer></body></html>"""
    doc = from_html(html, source="strike.html")
    assert doc.title == "Port strike ends after nine days"
    assert "union leader Sam Okoro told reporters" in doc.text
    assert "Share on Facebook" not in doc.text and "Copyright" not in doc.text


def test_invisible_characters_never_split_words(tmp_path, fresh_engine):
    """A zero-width space or soft hyphen pasted from a CMS must not hide words from exact match,
    in the article or in the question; a joiner in Persian stays."""
    from index.textnorm import visible

    path = write(tmp_path / "zw.txt", "Harbour plan approved\n\n"
                 "“We will re\u200bbuild the har\u00adbor before winter,” said Kai\u200d Moon, "
                 "the port director, on Monday.\n\nThe council approved the plan by nine votes to two.\n")
    doc = load_file(path)
    assert "\u200b" not in doc.text and "\u00ad" not in doc.text and "Kai Moon" in doc.text
    fresh_engine.ingest([path])
    answer = fresh_engine.ask("who said \u201cre\u200bbuild the harbor\u201d")
    assert answer.answered and answer.speaker == "Kai Moon"
    assert fresh_engine.check("We will rebuild the har\u200bbor before winter").verdict == "confirmed"
    assert visible("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645") == "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"


def test_chinese_and_japanese_articles_are_text_not_furniture():
    doc = from_text("東京都知事選の結果\n\n東京都知事選挙は日曜日に投開票が行われ、現職の候補が三選を果たした。投票率は前回を上回った。\n\n"
                    "「都民の皆様に感謝します」と知事は記者会見で述べた。\n", source="ja.txt")
    assert doc.title == "東京都知事選の結果" and len(doc.paragraphs) == 2
