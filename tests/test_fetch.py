"""The guarded fetcher against a real local HTTP server: limits, errors and the SSRF guard."""
from __future__ import annotations

import ipaddress
import time

import pytest

from conftest import settings_for
from local_site import LocalSite, Route

from index.sources import fetch as fetch_module
from index.errors import InputError
from index.sources.fetch import HTML_TYPES, FetchOptions, address_allowed, fetch

PAGE = "<html><head><title>T</title></head><body><p>Some article text here.</p></body></html>"


def options(**overrides) -> FetchOptions:
    base = dict(user_agent="SummitTest/1", allow_private=True)  # the test server is on 127.0.0.1
    return FetchOptions(**{**base, **overrides})


def test_defaults_are_the_documented_limits(tmp_path):
    settings = settings_for(tmp_path)
    assert (settings.fetch_connect_timeout, settings.fetch_timeout) == (5.0, 20.0)
    assert settings.fetch_max_bytes == 5 * 1024 * 1024
    assert settings.allow_private_urls is False
    assert "Mozilla/5.0" in settings.user_agent and "Summit" in settings.user_agent


def test_fetches_a_page_with_our_user_agent(site):
    url = site.serve("/a", PAGE)
    page = fetch(url, options(), accept=HTML_TYPES)
    assert page.status == 200 and page.body == PAGE.encode()
    assert page.content_type == "text/html" and page.charset == "utf-8"
    path, headers = site.requests[-1]
    assert path == "/a" and headers["User-Agent"] == "SummitTest/1"
    assert headers["Host"] == f"127.0.0.1:{site.port}"


def test_404_is_a_clear_error(site):
    with pytest.raises(InputError, match=r"HTTP 404"):
        fetch(site.url("/missing"), options(), accept=HTML_TYPES)


def test_server_that_never_answers_times_out_quickly(site):
    def slow(handler):
        time.sleep(3)

    site.routes["/slow"] = Route(handle=slow)
    started = time.monotonic()
    with pytest.raises(InputError, match="timed out"):
        fetch(site.url("/slow"), options(total_timeout=0.5), accept=HTML_TYPES)
    assert time.monotonic() - started < 2


def test_body_trickling_past_the_total_time_is_cut(site):
    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        try:
            for _ in range(40):
                handler.wfile.write(b"<p>x</p>" * 10000)
                handler.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    site.routes["/trickle"] = Route(handle=trickle)
    started = time.monotonic()
    with pytest.raises(InputError, match="timed out"):
        fetch(site.url("/trickle"), options(total_timeout=0.6), accept=HTML_TYPES)
    assert time.monotonic() - started < 2


def test_body_dripping_a_byte_at_a_time_is_cut_at_the_total_time(site):
    def drip(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.end_headers()
        try:
            for _ in range(30):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass

    site.routes["/drip"] = Route(handle=drip)
    started = time.monotonic()
    with pytest.raises(InputError, match="timed out"):
        fetch(site.url("/drip"), options(total_timeout=0.5), accept=HTML_TYPES)
    assert time.monotonic() - started < 1.2


def test_50_mb_response_is_cut_off_by_the_cap(site):
    sent = {"bytes": 0}

    def huge(handler):  # generated as it streams, never stored; no Content-Length
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Connection", "close")
        handler.end_headers()
        block = b"<p>" + b"a" * 65530 + b"</p>"
        try:
            while sent["bytes"] < 50 * 1024 * 1024:
                handler.wfile.write(block)
                sent["bytes"] += len(block)
        except OSError:
            pass  # the client stopped reading and hung up

    site.routes["/huge"] = Route(handle=huge)
    with pytest.raises(InputError, match="too large"):
        fetch(site.url("/huge"), options(max_bytes=5 * 1024 * 1024), accept=HTML_TYPES)
    time.sleep(0.3)
    assert sent["bytes"] < 25 * 1024 * 1024, "the fetcher kept reading past the cap"


def test_declared_oversize_is_refused_before_reading(site):
    def declared(handler):
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(50 * 1024 * 1024))
        handler.end_headers()

    site.routes["/declared"] = Route(handle=declared)
    with pytest.raises(InputError, match="too large"):
        fetch(site.url("/declared"), options(), accept=HTML_TYPES)


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/octet-stream"])
def test_non_html_content_type_is_refused(site, content_type):
    url = site.serve("/file", b"%PDF-1.7 binary", content_type=content_type)
    with pytest.raises(InputError, match=f"unsupported content type {content_type}"):
        fetch(url, options(), accept=HTML_TYPES)


def test_redirects_are_followed_to_a_limit(site):
    site.serve("/final", PAGE)
    site.serve("/moved", b"", status=301, headers={"Location": "/final"})
    page = fetch(site.url("/moved"), options(), accept=HTML_TYPES)
    assert page.url == site.url("/final") and page.body == PAGE.encode()

    site.serve("/loop", b"", status=302, headers={"Location": "/loop"})
    with pytest.raises(InputError, match="too many redirects"):
        fetch(site.url("/loop"), options(), accept=HTML_TYPES)


def test_redirect_to_loopback_is_refused_with_the_guard_on(monkeypatch):
    # A stand-in "public" site on 127.0.0.2 redirects to 127.0.0.1, where an internal
    # service answers. Only 127.0.0.2 is treated as public; the guard stays on.
    public_ip = ipaddress.ip_address("127.0.0.2")
    real = fetch_module.address_allowed
    monkeypatch.setattr(fetch_module, "address_allowed", lambda ip: ip == public_ip or real(ip))
    internal, public = LocalSite("127.0.0.1"), LocalSite("127.0.0.2")
    try:
        internal.serve("/admin", "<html><body><p>Internal secrets page.</p></body></html>")
        public.serve("/story", b"", status=302, headers={"Location": internal.url("/admin")})
        with pytest.raises(InputError, match=r"redirected to .*127\.0\.0\.1.*private or internal"):
            fetch(public.url("/story"), options(allow_private=False), accept=HTML_TYPES)
        assert public.paths() == ["/story"]  # the first hop really was fetched...
        assert internal.requests == []  # ...and the internal one never was
    finally:
        internal.close()
        public.close()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost:8080/admin", "http://10.0.0.5/", "http://172.16.3.4/",
    "http://192.168.1.1/router", "http://169.254.169.254/latest/meta-data/", "http://[::1]/",
    "http://[fd00::1]/", "http://[fe80::1]/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/",
    "http://2130706433/", "http://100.64.0.1/",
])
def test_private_and_internal_addresses_are_refused(url):
    started = time.monotonic()
    with pytest.raises(InputError, match="private or internal"):
        fetch(url, options(allow_private=False), accept=HTML_TYPES)
    assert time.monotonic() - started < 1  # refused before any connection attempt


def test_guard_refuses_the_local_test_server_unless_allowed(site):
    url = site.serve("/a", PAGE)
    with pytest.raises(InputError, match="private or internal"):
        fetch(url, options(allow_private=False), accept=HTML_TYPES)
    assert site.requests == []


@pytest.mark.parametrize("address, allowed", [
    ("93.184.216.34", True), ("2606:2800:220:1:248:1893:25c8:1946", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("172.31.255.255", False), ("192.168.0.1", False),
    ("169.254.169.254", False), ("::1", False), ("fc00::1", False), ("fe80::1", False),
    ("::ffff:10.0.0.1", False), ("224.0.0.1", False), ("0.0.0.0", False), ("::", False),
    ("240.0.0.1", False), ("2002:7f00:1::1", False), ("fd00:ec2::254", False),
])
def test_address_policy(address, allowed):
    assert address_allowed(ipaddress.ip_address(address)) is allowed


@pytest.mark.parametrize("url, message", [
    ("file:///etc/passwd", "only http and https"),
    ("ftp://example.com/a", "only http and https"),
    ("http://user:pw@example.com/", "user name or password"),
    ("http:///nohost", "no host"),
])
def test_bad_urls_are_refused(url, message):
    with pytest.raises(InputError, match=message):
        fetch(url, options(allow_private=False), accept=HTML_TYPES)


def test_spaces_and_unicode_in_the_path_are_escaped(site):
    site.serve("/news/caf%C3%A9%20story?id=1%202", PAGE)
    page = fetch(site.url("/news/café story?id=1 2"), options(), accept=HTML_TYPES)
    assert page.status == 200 and site.paths() == ["/news/caf%C3%A9%20story?id=1%202"]
