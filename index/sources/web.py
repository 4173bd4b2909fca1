"""Articles from the web: fetch a page, extract it with trafilatura, identify it by canonical URL."""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from .documents import Document, from_html, from_text
from .fetch import HTML_TYPES, TEXT_TYPES, Fetched, FetchOptions, fetch, normalize_url


def fetch_article(url: str, settings) -> Document:
    """Fetch one page and extract its article. Raises InputError with one short line."""
    page = fetch(url, FetchOptions.from_settings(settings), accept=HTML_TYPES | TEXT_TYPES)
    return page_document(page, name=url)


def page_document(page: Fetched, name: str) -> Document:
    final = normalize_url(page.url)
    body = page.text() or page.body
    if page.content_type in TEXT_TYPES:
        doc = from_text(body if isinstance(body, str) else body.decode("utf-8", "replace"), source=final,
                        url=final)
    else:  # HTML, or no declared type (trafilatura refuses what is not a page)
        doc = from_html(body, source=final, name=name, url=final)
    doc.source = doc.url = canonical_url(doc.url, final)
    return doc


def canonical_url(declared: str | None, final: str) -> str:
    """The page's canonical URL if it is on the same site as the page, else the fetched URL.

    A page may only name itself: a canonical link to another site would let any page
    overwrite (or "correct") an article it does not own."""
    if not declared:
        return final
    candidate = normalize_url(urljoin(final, declared.strip()))
    a, b = urlsplit(candidate), urlsplit(final)
    if a.scheme in ("http", "https") and _site(a.hostname) == _site(b.hostname) and a.port == b.port:
        return candidate
    return final


def _site(host: str | None) -> str:
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") else host
