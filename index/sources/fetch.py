"""Fetching pages and feeds from the web, guarded against server-side request forgery.

A URL from a reporter or a feed must not make the bot read internal services: every host
(and every redirect hop) is resolved once, each address is checked, and the connection
goes to the checked address itself, so a second DNS answer cannot swap in another one.
Bodies are streamed and cut off at a size cap; connect time and total time are bounded.
"""
from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from email.message import Message
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import urllib3
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ReadTimeoutError, SSLError

from ..errors import InputError

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
REDIRECTS = {301, 302, 303, 307, 308}
_URL_SAFE = "/%:@!$&'()*+,;=?~-._"  # already-escaped and reserved characters stay as they are

HTML_TYPES = {"text/html", "application/xhtml+xml"}
TEXT_TYPES = {"text/plain"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
              "text/xml", "application/feed+json", "application/json"}

# Not routable on the public internet, or used by clouds for instance metadata.
_BLOCKED_NETWORKS = [ipaddress.ip_network(n) for n in (
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "fd00:ec2::/32",
)]


@dataclass
class Fetched:
    url: str  # after redirects
    status: int  # 200, or 304 when a conditional request found nothing new
    content_type: str
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def text(self) -> str | None:
        """The body decoded with the charset the server declared, if it declared a usable one."""
        if not self.charset:
            return None
        try:
            return self.body.decode(self.charset)
        except (LookupError, UnicodeDecodeError):
            return None


@dataclass(frozen=True)
class FetchOptions:
    user_agent: str
    connect_timeout: float = 5.0
    total_timeout: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    allow_private: bool = False  # test-only: lets tests serve pages from 127.0.0.1

    @classmethod
    def from_settings(cls, settings) -> "FetchOptions":
        return cls(user_agent=settings.user_agent, connect_timeout=settings.fetch_connect_timeout,
                   total_timeout=settings.fetch_timeout, max_bytes=settings.fetch_max_bytes,
                   allow_private=settings.allow_private_urls)


def is_url(text: str) -> bool:
    """Whether a command-line argument is meant as a URL rather than a path."""
    scheme, sep, _ = text.partition("://")
    return bool(sep) and scheme.isascii() and scheme.replace("+", "").replace("-", "").replace(".", "").isalnum()


def is_web_url(text: str) -> bool:
    """An http(s) URL: what a user in Slack may hand us to fetch (never a path or file://)."""
    text = text.strip()
    return is_url(text) and text.lower().startswith(("http://", "https://"))


def normalize_url(url: str) -> str:
    """One spelling per URL: lower-case scheme and host, no fragment, '/' for an empty path."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc.lower() if "@" not in parts.netloc else parts.netloc
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def address_allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Only globally routable unicast addresses; IPv6 forms that embed IPv4 are checked as IPv4."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is None and ip in ipaddress.ip_network("64:ff9b::/96"):  # NAT64
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and not address_allowed(embedded):
            return False
    if (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
            or ip.is_unspecified or not ip.is_global):
        return False
    return not any(ip in net for net in _BLOCKED_NETWORKS if net.version == ip.version)


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"{host}: cannot resolve the host ({getattr(exc, 'strerror', None) or exc})") from None
    return list(dict.fromkeys(info[4][0] for info in infos))


def checked_addresses(url: str, host: str, port: int, allow_private: bool) -> list[str]:
    """The host's addresses, refused as a whole if any one of them is not public."""
    addresses = resolve(host, port)
    if not addresses:
        raise InputError(f"{url}: the host has no address")
    if not allow_private:
        for raw in addresses:
            ip = ipaddress.ip_address(raw.split("%", 1)[0])
            if not address_allowed(ip):
                raise InputError(f"{url}: refused, {host} is a private or internal address ({ip})")
    return addresses


def fetch(url: str, options: FetchOptions, accept: set[str], etag: str | None = None,
          last_modified: str | None = None) -> Fetched:
    """GET `url`, following redirects by hand so each hop is checked. Raises InputError."""
    deadline = time.monotonic() + options.total_timeout
    current = url.strip()
    for _ in range(MAX_REDIRECTS + 1):
        try:
            pool, response = _request(current, options, deadline, etag, last_modified)
        except InputError as exc:
            if current != url:
                raise InputError(f"{url} redirected to {exc}") from None
            raise
        try:
            if response.status in REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    raise InputError(f"{url}: redirect without a Location header")
                current = urljoin(current, location.strip())
                continue
            return _read(url, current, response, options, deadline, accept)
        finally:
            response.close()  # never drain: an oversized body stays unread
            pool.close()
    raise InputError(f"{url}: too many redirects (more than {MAX_REDIRECTS})")


def _request(url: str, options: FetchOptions, deadline: float, etag: str | None, last_modified: str | None):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise InputError(f"{url}: only http and https URLs can be fetched")
    if not parts.hostname:
        raise InputError(f"{url}: no host in the URL")
    if parts.username or parts.password:
        raise InputError(f"{url}: URLs with a user name or password are refused")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InputError(f"{url}: bad port in the URL") from None
    try:
        host = parts.hostname.encode("idna").decode("ascii")  # the wire form of a non-ASCII name
    except UnicodeError:
        raise InputError(f"{url}: bad host name") from None
    addresses = checked_addresses(url, host, port, options.allow_private)
    default_port = port == (443 if parts.scheme == "https" else 80)
    host_header = (f"[{host}]" if ":" in host else host) + ("" if default_port else f":{port}")
    headers = {"Host": host_header, "User-Agent": options.user_agent,
               "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                         "application/xml;q=0.9,*/*;q=0.5",
               "Accept-Encoding": "gzip, deflate"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    target = urlunsplit(("", "", quote(parts.path or "/", safe=_URL_SAFE), quote(parts.query, safe=_URL_SAFE), ""))
    last_error: Exception | None = None
    for address in addresses:  # connect to the checked address, never a fresh DNS answer
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        timeout = urllib3.Timeout(connect=min(options.connect_timeout, remaining), read=remaining)
        if parts.scheme == "https":
            pool = urllib3.HTTPSConnectionPool(address, port, timeout=timeout, retries=False,
                                               server_hostname=host, assert_hostname=host,
                                               cert_reqs="CERT_REQUIRED")
        else:
            pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
        try:
            response = pool.urlopen("GET", target, headers=headers, redirect=False, retries=False,
                                    preload_content=False, decode_content=True)
        except Exception as exc:
            pool.close()
            if isinstance(exc, (ConnectTimeoutError, NewConnectionError)):
                last_error = exc  # try the host's next address
                continue
            raise _fetch_error(url, exc) from None
        return pool, response
    if isinstance(last_error, ConnectTimeoutError) or last_error is None:
        raise InputError(f"{url}: timed out connecting to {host}")
    raise InputError(f"{url}: cannot connect to {host}")


def _read(url: str, final_url: str, response, options: FetchOptions, deadline: float,
          accept: set[str]) -> Fetched:
    status = response.status
    if status == 304:
        return Fetched(final_url, 304, "", None, b"")
    if status != 200:
        reason = response.reason or ""
        raise InputError(f"{url}: the server answered HTTP {status} {reason}".rstrip())
    message = Message()
    message["Content-Type"] = response.headers.get("Content-Type", "")
    content_type = message.get_content_type() if response.headers.get("Content-Type") else ""
    if content_type and content_type not in accept:
        raise InputError(f"{url}: unsupported content type {content_type}")
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > options.max_bytes:
        raise InputError(f"{url}: page too large ({int(declared) // 1024} KB; the limit is "
                         f"{options.max_bytes // 1024} KB)")
    body = bytearray()
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise InputError(f"{url}: timed out after {options.total_timeout:g} s")
            # Each wait is bounded by the time left, and read1 returns what has arrived,
            # so a server dripping bytes cannot stretch the fetch past the total limit.
            sock = getattr(response.connection, "sock", None)
            if sock is not None:
                sock.settimeout(remaining)
            chunk = response.read1(CHUNK)
            if not chunk:
                break
            body += chunk
            if len(body) > options.max_bytes:  # stop reading; the rest is never downloaded
                raise InputError(f"{url}: page too large (over {options.max_bytes // 1024} KB)")
    except (Urllib3Error, OSError) as exc:
        raise _fetch_error(url, exc) from None
    return Fetched(final_url, status, content_type, message.get_param("charset"), bytes(body),
                   etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"))


def _fetch_error(url: str, exc: Exception) -> InputError:
    if isinstance(exc, InputError):
        return exc
    if isinstance(exc, ReadTimeoutError):
        return InputError(f"{url}: timed out waiting for the server")
    if isinstance(exc, SSLError):
        return InputError(f"{url}: TLS error ({_reason(exc)})")
    if isinstance(exc, ValueError):  # e.g. http.client refusing a malformed URL
        return InputError(f"{url}: bad URL ({_reason(exc)})")
    if isinstance(exc, (Urllib3Error, OSError)):
        return InputError(f"{url}: fetch failed ({_reason(exc)})")
    raise exc


def _reason(exc: Exception) -> str:
    text = str(getattr(exc, "reason", None) or exc)
    return text.splitlines()[0][:200] if text else type(exc).__name__
