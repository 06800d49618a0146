"""What a CSV from a spreadsheet was written in: UTF-8, UTF-16, or a computer's code page."""

from __future__ import annotations

import codecs
import logging
from collections.abc import Iterable

from charset_normalizer import from_bytes

# Its trace of each guess is for its own developers. Off, its logger never asks for the
# logging module's lock, which the server's loop shares: files are read in a thread beside it.
logging.getLogger("charset_normalizer").disabled = True

# What spreadsheets write when not UTF-8: Excel's "Unicode Text" is UTF-16 with a byte order
# mark; "CSV" is the Windows code page of the computer's language (Western European, Central
# European, Arabic), or an old Mac's.
CODE_PAGES = ("cp1252", "cp1250", "cp1256", "mac_roman")
# A language's own code page, tried first for a round in that language: a short file fits
# several, and "Łódź" is "£ódŸ" read as Western European.
LANGUAGE_PAGES = {"pl": "cp1250", "ar": "cp1256"}


def decoded(data: bytes, languages: Iterable[str] = ()) -> tuple[str, str] | None:
    """The file's text and the encoding it was read in ("utf-8" when it was UTF-8), or None
    when it is no text that any of them reads well.

    charset-normalizer judges each code page by how much of a mess the text would be; where
    several read it equally well, the languages' own code pages come first, then Western
    European.

    >>> decoded("Label\\nCafé Cymru\\n".encode("cp1252"))
    ('Label\\nCafé Cymru\\n', 'cp1252')
    >>> decoded("Label\\nŁódź\\n".encode("cp1250"), languages=["pl"])
    ('Label\\nŁódź\\n', 'cp1250')
    >>> decoded("Label\\tType\\nمنظمة\\tgroup\\n".encode("utf-16"))[1]
    'utf-16'
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8-sig"), "utf-8"  # with or without the mark Excel writes
    except UnicodeDecodeError:
        pass
    if _broken_utf8(data):
        return None  # read in a code page, its every accent would be two wrong letters
    own = [LANGUAGE_PAGES[code] for code in languages if code in LANGUAGE_PAGES]
    order = list(dict.fromkeys([*own, *CODE_PAGES]))
    matches = from_bytes(data, cp_isolation=order)
    if not matches:
        return None
    least = min(match.chaos for match in matches)
    fits = {name for m in matches if m.chaos == least for name in m.could_be_from_charset}
    encoding = next((name for name in order if name in fits), None)
    if encoding is None:
        return None
    return data.decode(encoding), encoding


def _broken_utf8(data: bytes) -> bool:
    """Whether a file that is not UTF-8 is UTF-8 with a byte broken somewhere: it has valid
    UTF-8 letters beyond ASCII elsewhere, which text in a code page almost never has.

    >>> _broken_utf8("Café, Cymru".encode() + b"\\xff"), _broken_utf8("Café".encode("cp1252"))
    (True, False)
    """
    text = data.decode("utf-8", errors="replace")
    return any(ord(letter) > 0x7F and letter != "\ufffd" for letter in text)
