"""Turn raw article text into a title and verbatim body paragraphs.

Page boilerplate is removed by general rules, never by a list of one site's lines:
- short UI lines ("Dark Mode", "Advertisement", "Comment / Reply From");
- share, follow and comment prompts;
- photo captions and credits (a credit ends its caption: "... (AP Photo/J. Scott Doe)");
- headings and captions: short blocks that are not sentences, unless they hold a quotation in
  the reporting shape “…,” said Ann Lee.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

import ftfy

from ..errors import InputError
from ..textnorm import visible

# ftfy repairs mojibake only; quotes, ligatures and widths stay as published.
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    explain=False,
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_CLOSERS = "\"'”’»)]*"
_SENTENCE_END = ".!?…:;。！？｡"
# Chinese and Japanese write no spaces: each character counts as a word, about as a reader counts.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")

# Vocabulary of page furniture. A short line made of it is not article text.
_UI_WORDS = re.compile(
    r"\b(share|shares|shared|sharing|tweet|comments?|reply|replies|subscribe|subscribers?|"
    r"sign[ -]?(up|in)|log[ -]?(in|out)|newsletters?|advertisement|advert|sponsored|cookies?|"
    r"dark mode|light mode|read more|continue reading|related( articles| stories)?|"
    r"recommended|follow us|follow|click|tap|download|print|e-?mail|copy link|whatsapp|facebook|"
    r"twitter|linkedin|telegram|pinterest|reddit|instagram|youtube|tiktok|menu|search|"
    r"skip to( main)? content|back to top|listen to (this )?article|min(ute)? read|"
    r"all rights reserved|copyright|terms of (use|service)|privacy policy)\b",
    re.IGNORECASE,
)
_CAPTION = re.compile(
    r"^\(?(photo|image|picture|pictured|video|graphic|illustration|credit|source|file photo|"
    r"image source|image caption|caption)\b\s*[:/(-]"
    # A picture credit ends its caption, followed at most by names, initials and "via", "for",
    # "file" or "pool"; mid-sentence, "Reuters/Ipsos poll found" or "Getty Images sued" is news.
    r"|(getty images|\bap photo\b|/\s*(afp|reuters|ap|epa|getty)\b|\breuters/|shutterstock)"
    r"(?-i:(?:[\s/,;:-]*(?:[A-Z][\w'’-]*\.?|via|for|file|pool))*)[\s.)\]]*$",
    re.IGNORECASE,
)
# “…,” said Ann Lee: a quotation and its speaker are article text, even short and unfinished.
# A headline's "Lee says “…”" is not this shape.
_REPORTED_QUOTE = re.compile(r"[,?!][”\"’]\s+(?:[\w.’'-]+\s+){0,4}?(said|says|told|added|asked|wrote)\b"
                             r"|\b(said|told|added|asked),\s*[“\"]", re.IGNORECASE)
_DATE_LINE = re.compile(
    r"\b(published|updated|posted|last modified)\b|\b\d{4}-\d{2}-\d{2}\b|"
    r"\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4}\b|"
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}\b",
    re.IGNORECASE,
)

MAX_TITLE_WORDS = 25
MAX_NON_SENTENCE_WORDS = 12  # a block this short with no sentence end is a heading or caption
MAX_UI_WORDS = 15
# "Related: …", "Read more: …": a link to another story, even when it quotes someone.
_UI_LABEL = re.compile(r"^\W*(?:related|read more|read also|see also|more|watch|listen|recommended|trending)\b[^:]{0,20}:",
                       re.IGNORECASE)
# A link to another story under a label of its own: the headline it gives may be a question or quote.
_LINK_LABEL = re.compile(r"^\W*(?:related|read more|read also|also read|see also)\s*:", re.IGNORECASE)
MAX_LINK_WORDS = 25
# Three words or more between quotation marks: “…” ― Ann Lee, or a headline's quoted words.
_QUOTED = re.compile(r"[“\"«„‘][^“”\"«»„]*?\w+\W+\w+\W+\w+[^“”\"«»„]*?[”\"»“’]")


def _latin1(err: UnicodeDecodeError):
    # cp1252 leaves five bytes undefined; latin-1 maps them, so no byte is lost.
    return chr(err.object[err.start]), err.start + 1


_LATIN1_FALLBACK = "summit-latin1"
codecs.register_error(_LATIN1_FALLBACK, _latin1)


@dataclass
class Cleaned:
    title: str
    paragraphs: list[str]
    dropped: list[str] = field(default_factory=list)


def decode(raw: bytes, name: str) -> str:
    """Bytes to text: UTF-16 or UTF-32 with a byte-order mark (UTF-16 without one too), else
    UTF-8, else cp1252 (old Western archives). Refuses empty and binary."""
    if not raw.strip():
        raise InputError(f"{name}: empty file, nothing to ingest")
    text = _decode_by_bom(raw, name) or _utf16_without_bom(raw)
    if text is None:
        if b"\x00" in raw[:8192]:
            raise InputError(f"{name}: binary file, not text")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors=_LATIN1_FALLBACK)
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, len(text[:8192]) // 100):
        raise InputError(f"{name}: binary file, not text")
    text = ftfy.fix_text(text, _FTFY)
    if not text.strip():
        raise InputError(f"{name}: empty file, nothing to ingest")
    return text


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _decode_by_bom(raw: bytes, name: str) -> str | None:
    """UTF-16 and UTF-32 text (as Windows tools save it) announces itself with a byte-order mark."""
    for bom, encoding in _BOMS:  # UTF-32 first: its little-endian mark starts like UTF-16's
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(f"{name}: not valid {encoding.upper()} text despite its byte-order mark") from None
    return None


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 saved without its mark: mostly Latin text has a zero in every other byte."""
    head = raw[:8192]
    if len(raw) % 2 or len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.1 * len(other):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def word_count(text: str) -> int:
    if text.isascii():
        return len(_WORD.findall(text))
    unspaced = len(_UNSPACED.findall(text))
    return len(_WORD.findall(_UNSPACED.sub(" ", text))) + unspaced if unspaced else len(_WORD.findall(text))


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip().rstrip(_CLOSERS).rstrip()
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def is_ui(block: str) -> bool:
    """Share prompts, comment widgets, navigation: short, not a sentence, UI vocabulary. A quote
    is article text however short ("“Follow the money,” Lee told reporters"), unless a label
    such as "Related:" introduces it."""
    if _LINK_LABEL.match(block) and word_count(block) <= MAX_LINK_WORDS:
        return True  # "Read more: What are the symptoms of measles?" is a link, though it ends a sentence
    if word_count(block) > MAX_UI_WORDS or ends_sentence(block) or not _UI_WORDS.search(block):
        return False
    return not _holds_quote(block) or bool(_UI_LABEL.match(block))


def _holds_quote(block: str) -> bool:
    """Quoted words, or a quote's speaker: article text however short."""
    return bool(_QUOTED.search(block) or _REPORTED_QUOTE.search(block))


def is_caption(block: str) -> bool:
    return word_count(block) <= 40 and bool(_CAPTION.search(block))


def is_heading_like(block: str) -> bool:
    """Short and not a sentence: a heading, a caption, a byline or a UI label (but not a short
    quotation with its speaker whose full stop the page lost)."""
    return (word_count(block) <= MAX_NON_SENTENCE_WORDS and not ends_sentence(block)
            and not _holds_quote(block))


def looks_like_date_line(block: str) -> bool:
    return word_count(block) <= MAX_NON_SENTENCE_WORDS and bool(_DATE_LINE.search(block))


def split_blocks(text: str) -> list[str]:
    """Blocks of text: one per line, or per blank-line paragraph when the text is hard-wrapped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _is_hard_wrapped(text):
        raw_blocks = re.split(r"\n[ \t\u00a0]*\n", text)
    else:
        raw_blocks = text.split("\n")
    return [b.strip() for b in raw_blocks if b.strip()]


def _is_hard_wrapped(text: str) -> bool:
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < 6:
        return False
    wrapped = sum(1 for ln in lines if 40 <= len(ln) <= 100 and not ends_sentence(ln))
    return wrapped / len(lines) >= 0.4


def clean_blocks(blocks: list[str], title: str | None = None) -> Cleaned:
    """Pick the title (unless given) and keep the body paragraphs verbatim."""
    dropped: list[str] = []
    paragraphs: list[str] = []
    title = visible(title) if title is not None else None
    for block in map(visible, blocks):
        headline = title is None and not paragraphs and _could_be_title(block)
        if (is_ui(block) and (not headline or _only_furniture(block))) or is_caption(block):
            dropped.append(block)
            continue
        if headline:
            title = block
            continue
        if is_heading_like(block):
            dropped.append(block)
            continue
        if title is not None and not paragraphs and block == title:
            continue  # title repeated as the first line
        paragraphs.append(block)
    if title is None and paragraphs:
        title = _first_sentence(paragraphs[0])
    return Cleaned(title=(title or "").strip(), paragraphs=paragraphs, dropped=dropped)


# Words a line of page furniture has besides its UI words: "Share this article", "Follow us on".
_FURNITURE_FILLER = frozenset("""a an and or the this these our us you your to on in of for by with via here now
    more article articles story stories page pages post app link links list news latest daily free""".split())


def _only_furniture(block: str) -> bool:
    """Whether a line is nothing but page furniture: a headline may hold a UI word ("Share of top
    grades falls", "Penrose shares jump") and says more besides."""
    rest = _UI_WORDS.sub(" ", block)
    return all(w.lower() in _FURNITURE_FILLER or w.isdigit() for w in re.findall(r"[^\W_]+", rest))


def _could_be_title(block: str) -> bool:
    words = word_count(block)
    if words < 2 or words > MAX_TITLE_WORDS or "\n" in block:
        return False
    stripped = block.rstrip().rstrip(_CLOSERS)
    return not stripped.endswith(".") and not looks_like_date_line(block)


def _first_sentence(paragraph: str, limit: int = 120) -> str:
    m = re.search(r"[.!?](\s|$)|[。！？]", paragraph)
    sentence = paragraph[: m.start() + 1] if m else paragraph
    return sentence if len(sentence) <= limit else sentence[:limit].rsplit(" ", 1)[0] + "…"
