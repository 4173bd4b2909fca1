"""URLs, feeds and corrections end to end: a real local site, a real engine, SQLite and FAISS."""
from __future__ import annotations

import dataclasses
import json

import pytest

from conftest import run_summit
from local_site import LocalSite

from bot.console import format_answer
from index.sources import feeds
from index.errors import InputError

THIRD = "The barrier will be finished by the spring of 2027, the council said."
CORRECTED = "The barrier will be finished by the autumn of 2028, the council said in a correction."


def article_page(canonical: str, title: str = "Harbour council approves new flood barrier",
                 third: str = THIRD, published: str = "2024-03-14T09:30:00Z", noise: str = "",
                 lead: str = "The harbour council voted on Tuesday to build a flood barrier across the "
                             "mouth of the old port, after two winters of storms flooded the lower town.") -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | The Coastal Ledger</title>
<link rel="canonical" href="{canonical}">
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}">
<meta name="author" content="Dana Whitfield">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav>
<div class="newsletter">Sign up for our morning newsletter</div></header>
<main><article>
<h1>{title}</h1>
<p class="byline">By Dana Whitfield</p>
<div class="share"><a href="#">Share on Facebook</a> <a href="#">Share on X</a> <a href="#">Copy link</a></div>
<p>{lead}</p>
<p>"We cannot keep sandbagging the high street every January," said the council leader, Maria Ostrander,
after the vote passed by nine votes to four.</p>
<p>{third}</p>
<p>Opponents argued that the barrier would harm the fishing fleet, and asked for a study of the tides
before any work starts.</p>
</article>
<section id="comments"><h2>Comments</h2><p>Leave a comment</p><p>Log in to reply</p></section>
</main>
<footer><p>Follow us on Facebook and Instagram</p>
<p>Copyright 2024 The Coastal Ledger. All rights reserved.</p>{noise}</footer>
</body></html>"""


STORIES = [
    ("/news/ferry-strike", "Ferry crews walk out over rosters",
     "Ferry crews on the island routes stopped work at dawn on Monday in a dispute over new rosters, "
     "leaving hundreds of commuters on the quay."),
    ("/news/library-reopens", "Town library reopens after roof repair",
     "The town library reopened on Saturday after eight months of repairs to a roof that leaked "
     "through the reading room every time it rained."),
    ("/news/school-meals", "School meals to use local produce",
     "Every primary school in the district will serve vegetables from local farms from September, "
     "the education board announced on Wednesday."),
    ("/news/lighthouse-sale", "Lighthouse sold to a heritage trust",
     "The disused lighthouse on the north headland has been sold to a heritage trust, which plans "
     "to open its lamp room to visitors next summer."),
]


def rss(site: LocalSite, stories, extra_items: str = "") -> str:
    items = "".join(
        f"<item><title>{title}</title><link>{site.url(path)}</link><guid>{site.url(path)}</guid>"
        f"<pubDate>Mon, 0{n + 1} Apr 2024 08:00:00 GMT</pubDate></item>"
        for n, (path, title, _) in enumerate(stories))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>The Coastal Ledger'
            f'</title><link>{site.url("/")}</link><description>News</description>{items}{extra_items}'
            f'</channel></rss>')


def serve_story(site: LocalSite, path: str, title: str, lead: str) -> None:
    site.serve(path, article_page(site.url(path), title=title, lead=lead))


@pytest.fixture
def engine(fresh_engine):
    """The shared-model test engine, with the SSRF guard explicitly allowed for 127.0.0.1."""
    fresh_engine.settings = dataclasses.replace(fresh_engine.settings, allow_private_urls=True)
    return fresh_engine


def revision_rows(engine, article_id):
    return engine.store.revisions(article_id)


# --- pages ---
def test_article_extraction_title_date_author_canonical_and_no_boilerplate(engine, site):
    canonical = site.url("/news/flood-barrier")
    url = site.serve("/news/flood-barrier?utm_source=chat", article_page(canonical))
    result = engine.add_url(url)
    assert result.status == "added" and result.title == "Harbour council approves new flood barrier"
    article = engine.store.article(result.article_id)
    assert article.source == canonical and article.url == canonical  # identified by canonical URL
    assert article.published.startswith("2024-03-14")
    assert article.author == "Dana Whitfield"
    text = engine.store.article_text(result.article_id)
    assert "sandbagging the high street" in text and THIRD in text
    for furniture in ("Share on", "Copy link", "newsletter", "Leave a comment", "Log in", "Follow us",
                      "All rights reserved", "Politics", "Weather", "Comments"):
        assert furniture not in text
    assert len(engine.store.paragraphs(result.article_id)) == 4


def test_canonical_on_another_site_is_not_trusted(engine, site):
    url = site.serve("/copy", article_page("https://another-site.example/news/flood-barrier"))
    result = engine.add_url(url)
    assert engine.store.article(result.article_id).source == url


def test_unchanged_page_does_nothing(engine, site):
    url = site.serve("/news/flood-barrier", article_page(site.url("/news/flood-barrier")))
    first = engine.add_url(url)
    generation = engine.store.generation()
    # Same article, different page furniture (a cache-busting comment): still unchanged.
    site.serve("/news/flood-barrier", article_page(site.url("/news/flood-barrier"), noise="<!-- req 8812 -->"))
    again = engine.add_url(url)
    assert (again.status, again.article_id) == ("unchanged", first.article_id)
    assert engine.store.generation() == generation
    assert engine.store.article(first.article_id).updated_at is None
    assert revision_rows(engine, first.article_id) == []


def test_corrected_page_replaces_the_old_wording_and_keeps_a_revision(engine, site):
    path = "/news/flood-barrier"
    site.serve(path, article_page(site.url(path)))
    first = engine.add_url(site.url(path))
    before = engine.ask('"spring of 2027"')
    assert before.answered and before.results[0].match == "exact"
    assert before.results[0].article.updated is None

    site.serve(path, article_page(site.url(path), third=CORRECTED))
    second = engine.add_url(site.url(path))
    assert (second.status, second.article_id) == ("updated", first.article_id)

    old = engine.ask('"spring of 2027"')
    assert not any("spring of 2027" in r.text for r in old.results)
    assert not any(r.match == "exact" for r in old.results)
    new = engine.ask('"autumn of 2028"')
    assert new.answered and new.results[0].match == "exact"
    assert "autumn of 2028" in new.results[0].text and new.results[0].paragraph == 3

    revisions = revision_rows(engine, first.article_id)
    assert len(revisions) == 1
    assert revisions[0].old_paragraphs == [3] and revisions[0].new_paragraphs == [3]
    assert revisions[0].old_text_hash != revisions[0].new_text_hash
    old_text = engine.store.db.execute("SELECT old_text FROM revisions").fetchone()[0]
    assert "spring of 2027" in old_text  # kept for the record, never searched

    updated = engine.store.article(first.article_id).updated_at
    assert updated and new.results[0].article.updated == updated
    assert f"updated {updated[:10]}" in format_answer(new)
    assert new.to_dict()["results"][0]["article"]["updated"] == updated


def test_fetch_errors_stop_the_batch_and_store_nothing(engine, site):
    good = site.serve("/news/flood-barrier", article_page(site.url("/news/flood-barrier")))
    with pytest.raises(InputError, match="HTTP 404"):
        engine.ingest([good, site.url("/gone")])
    assert engine.articles() == []
    errors: list[str] = []
    results = engine.ingest([good, site.url("/gone")], skip_bad=True, errors=errors)
    assert [r.status for r in results] == ["added"] and "HTTP 404" in errors[0]


def test_non_html_page_is_refused(engine, site):
    url = site.serve("/report.pdf", b"%PDF-1.7", content_type="application/pdf")
    with pytest.raises(InputError, match="unsupported content type application/pdf"):
        engine.add_url(url)


def test_guard_is_on_by_default(fresh_engine, site):
    url = site.serve("/news/flood-barrier", article_page(site.url("/news/flood-barrier")))
    with pytest.raises(InputError, match="private or internal"):
        fresh_engine.add_url(url)
    assert site.requests == [] and fresh_engine.articles() == []


# --- feeds ---
def test_feed_of_three_then_a_fourth_ingests_only_the_new_one(engine, site):
    for path, title, lead in STORIES:
        serve_story(site, path, title, lead)
    feed_url = site.serve("/feed.xml", rss(site, STORIES[:3]), content_type="application/rss+xml",
                          etag='"v1"')
    feed = feeds.add_feed(engine, feed_url)
    assert feed.title == "The Coastal Ledger"

    report = feeds.poll_all(engine)
    assert [r.status for r in report.added] == ["added"] * 3
    assert {r.title for r in report.added} == {t for _, t, _ in STORIES[:3]}
    assert len(engine.articles()) == 3

    # Nothing new: the feed answers 304 to our ETag and no article page is fetched.
    site.requests.clear()
    report = feeds.poll_all(engine)
    assert report.feeds[0].status == "not modified" and report.added == []
    assert site.requests[0][1].get("If-None-Match") == '"v1"'
    assert site.paths() == ["/feed.xml"]

    site.serve("/feed.xml", rss(site, STORIES), content_type="application/rss+xml", etag='"v2"')
    site.requests.clear()
    report = feeds.poll_all(engine)
    assert [r.title for r in report.added] == [STORIES[3][1]]
    assert report.feeds[0].skipped == 3
    assert site.paths() == ["/feed.xml", STORIES[3][0]]  # seen entries are not fetched again
    assert len(engine.articles()) == 4
    answer = engine.ask('"lamp room"')
    assert answer.answered and answer.results[0].article.title == STORIES[3][1]
    assert feeds.list_feeds(engine)[0].entries == 4


def test_entry_whose_page_fails_falls_back_to_the_feed_content(engine, site):
    content = ("<p>The coastal path between the two villages will close for six weeks while engineers "
               "shore up the cliff edge after last month's landslip.</p>")
    item = (f"<item><title>Coastal path to close</title><link>{site.url('/news/path')}</link>"
            f"<guid>path-1</guid><content:encoded><![CDATA[{content}]]></content:encoded></item>")
    body = rss(site, []).replace('<rss version="2.0">',
                                 '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">')
    site.serve("/feed.xml", body.replace("</channel>", item + "</channel>"), content_type="application/rss+xml")
    feeds.add_feed(engine, site.url("/feed.xml"))
    report = feeds.poll_all(engine)  # /news/path answers 404
    assert [r.title for r in report.added] == ["Coastal path to close"]
    article = engine.store.article(report.added[0].article_id)
    assert article.source == site.url("/news/path")
    assert "shore up the cliff edge" in engine.store.article_text(article.id)


def test_failed_entry_is_reported_and_retried(engine, site):
    serve_story(site, *STORIES[0])
    site.serve("/feed.xml", rss(site, STORIES[:2]), content_type="application/rss+xml", etag='"v1"')
    feeds.add_feed(engine, site.url("/feed.xml"))
    report = feeds.poll_all(engine)  # the second story's page is missing
    assert len(report.added) == 1 and "HTTP 404" in report.errors[0]
    serve_story(site, *STORIES[1])
    report = feeds.poll_all(engine)  # no ETag kept while an entry waits for a retry
    assert [r.title for r in report.added] == [STORIES[1][1]]
    assert report.errors == []


def test_malformed_feed_is_a_clear_error_and_nothing_else_is_lost(engine, site):
    for story in STORIES[:3]:
        serve_story(site, *story)
    site.serve("/good.xml", rss(site, STORIES[:3]), content_type="application/rss+xml")
    site.serve("/bad.xml", rss(site, STORIES[:3])[:-40], content_type="application/rss+xml")
    with pytest.raises(InputError, match="not a valid RSS or Atom feed"):
        feeds.add_feed(engine, site.url("/bad.xml"))
    site.serve("/bad.xml", rss(site, STORIES[:1]), content_type="application/rss+xml")
    feeds.add_feed(engine, site.url("/bad.xml"))
    feeds.add_feed(engine, site.url("/good.xml"))
    feeds.poll_all(engine)
    articles = {a.id for a, _ in engine.articles()}
    assert len(articles) == 3

    # The first feed breaks; the second still gets its new entry; stored articles stay.
    site.serve("/bad.xml", "<rss><channel><item><title>Half a feed</titl", content_type="application/rss+xml")
    serve_story(site, *STORIES[3])
    site.serve("/good.xml", rss(site, STORIES), content_type="application/rss+xml")
    report = feeds.poll_all(engine)
    bad, good = report.feeds
    assert bad.status == "error" and "not a valid RSS or Atom feed" in bad.error and "\n" not in bad.error
    assert [r.title for r in good.new if r.status == "added"] == [STORIES[3][1]]
    assert articles < {a.id for a, _ in engine.articles()}
    listed = {f.url: f for f in feeds.list_feeds(engine)}
    assert "not a valid" in listed[site.url("/bad.xml")].last_error
    assert listed[site.url("/good.xml")].last_error is None


def test_html_page_is_not_a_feed(engine, site):
    url = site.serve("/news/flood-barrier", article_page(site.url("/news/flood-barrier")))
    with pytest.raises(InputError, match="not a valid RSS or Atom feed"):
        feeds.add_feed(engine, url)
    assert feeds.list_feeds(engine) == []


def test_entry_leaving_the_feed_removes_its_article_only_when_pruning(engine, site):
    for story in STORIES[:3]:
        serve_story(site, *story)
    site.serve("/feed.xml", rss(site, STORIES[:3]), content_type="application/rss+xml")
    feeds.add_feed(engine, site.url("/feed.xml"))
    feeds.poll_all(engine)
    site.serve("/feed.xml", rss(site, STORIES[1:3]), content_type="application/rss+xml")

    report = feeds.poll_all(engine)  # pruning is off by default
    assert report.feeds[0].removed == [] and len(engine.articles()) == 3

    engine.settings = dataclasses.replace(engine.settings, feed_prune=True)
    report = feeds.poll_all(engine)
    assert len(report.feeds[0].removed) == 1
    assert {a.title for a, _ in engine.articles()} == {STORIES[1][1], STORIES[2][1]}
    answer = engine.ask('"hundreds of commuters"')
    assert not any("hundreds of commuters" in r.text for r in answer.results)


def test_remove_feed_keeps_its_articles(engine, site):
    serve_story(site, *STORIES[0])
    site.serve("/feed.xml", rss(site, STORIES[:1]), content_type="application/rss+xml")
    feeds.add_feed(engine, site.url("/feed.xml"))
    feeds.poll_all(engine)
    with pytest.raises(InputError, match="already added"):
        feeds.add_feed(engine, site.url("/feed.xml"))
    feeds.remove_feed(engine, site.url("/feed.xml"))
    assert feeds.list_feeds(engine) == [] and len(engine.articles()) == 1
    with pytest.raises(InputError, match="no such feed"):
        feeds.remove_feed(engine, site.url("/feed.xml"))


# --- the command line ---
ALLOW = {"SUMMIT_ALLOW_PRIVATE_URLS": "true"}


def one_error_line(proc) -> str:
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("summit: error: "), proc.stderr
    return lines[0]


def test_cli_ingest_url_errors(tmp_path, site):
    data = tmp_path / "data"
    assert "HTTP 404" in one_error_line(run_summit("ingest", site.url("/gone"), data_dir=data, env=ALLOW))
    assert "private or internal" in one_error_line(run_summit("ingest", site.url("/gone"), data_dir=data))
    assert "private or internal" in one_error_line(
        run_summit("ingest", "http://169.254.169.254/latest/meta-data/", data_dir=data, env=ALLOW | {
            "SUMMIT_ALLOW_PRIVATE_URLS": "false"}))
    pdf = site.serve("/r.pdf", b"%PDF", content_type="application/pdf")
    assert "unsupported content type" in one_error_line(run_summit("ingest", pdf, data_dir=data, env=ALLOW))
    assert "only http and https" in one_error_line(run_summit("ingest", "ftp://example.com/a", data_dir=data))


def test_cli_feeds_add_list_remove(tmp_path, site):
    data = tmp_path / "data"
    empty = run_summit("feeds", "list", data_dir=data)
    assert empty.returncode == 0 and "No feeds yet" in empty.stdout
    assert not data.exists()  # listing made no data folder
    assert json.loads(run_summit("feeds", "list", "--json", data_dir=data).stdout) == []
    feed_url = site.serve("/feed.xml", rss(site, STORIES[:1]), content_type="application/rss+xml")
    added = run_summit("feeds", "add", feed_url, data_dir=data, env=ALLOW)
    assert added.returncode == 0, added.stderr
    listed = run_summit("feeds", "list", data_dir=data)
    assert feed_url in listed.stdout and "The Coastal Ledger" in listed.stdout
    as_json = json.loads(run_summit("feeds", "list", "--json", data_dir=data).stdout)
    assert as_json[0]["url"] == feed_url and as_json[0]["articles"] == 0
    bad = site.serve("/bad.xml", "<rss><channel><item>", content_type="application/rss+xml")
    assert "not a valid RSS or Atom feed" in one_error_line(run_summit("feeds", "add", bad, data_dir=data, env=ALLOW))
    assert run_summit("feeds", "remove", feed_url, data_dir=data).returncode == 0
    assert "No feeds yet" in run_summit("feeds", "list", data_dir=data).stdout


def test_cli_poll_then_a_correction_shows_updated_in_the_answer(tmp_path, site):
    data = tmp_path / "data"
    serve_story(site, *STORIES[0])
    site.serve("/feed.xml", rss(site, STORIES[:1]), content_type="application/rss+xml")
    assert run_summit("feeds", "add", site.url("/feed.xml"), data_dir=data, env=ALLOW).returncode == 0
    polled = run_summit("feeds", "poll", data_dir=data, env=ALLOW)
    assert polled.returncode == 0, polled.stderr
    assert "1 new" in polled.stdout and STORIES[0][1] in polled.stdout

    path, title, lead = STORIES[0]
    site.serve(path, article_page(site.url(path), title=title, lead=lead, third=CORRECTED))
    ingested = run_summit("ingest", site.url(path), data_dir=data, env=ALLOW)
    assert ingested.returncode == 0, ingested.stderr
    assert ingested.stdout.startswith("updated")
    answer = run_summit("ask", '"autumn of 2028"', data_dir=data)
    assert answer.returncode == 0, answer.stderr
    assert "autumn of 2028" in answer.stdout and " · updated 20" in answer.stdout
