"""House rules for every page: one <h1>, a <title> starting with it, a lang, unique ids."""

from __future__ import annotations

import re
from collections import Counter

from bs4 import BeautifulSoup


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def check_page(html: str, url: str = "") -> BeautifulSoup:
    """Parse a page and assert the house rules every page must keep."""
    soup = BeautifulSoup(html, "html.parser")
    h1s = soup.find_all("h1")
    assert len(h1s) == 1, f"{url}: expected one <h1>, found {len(h1s)}"
    title = _words(soup.title.get_text()) if soup.title else ""
    heading = _words(h1s[0].get_text())
    # Pages with an error start their title "Error: " (in the page's language).
    assert title.startswith(heading) or re.sub(r"^\S+: ", "", title).startswith(heading), (
        f"{url}: <title> {title!r} does not start with <h1> {heading!r}"
    )
    assert soup.html.get("lang"), f"{url}: <html> has no lang"
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    duplicates = [i for i, n in ids.items() if n > 1]
    assert not duplicates, f"{url}: duplicate ids {duplicates}"
    return soup


def is_full_page(response) -> bool:
    """True for whole HTML documents (not fragments, not other types)."""
    return response.mimetype == "text/html" and b"<html" in response.data[:200]
