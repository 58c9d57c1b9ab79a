"""The page's own promises, checked in its files: a strict CSP, nothing remote, no way
for text to become markup or code."""

import re
from html.parser import HTMLParser
from pathlib import Path

ASSETS = Path(__file__).resolve().parents[2] / "desktop" / "assets"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.csp: list[str] = []
        self.references: list[str] = []
        self.inline_scripts = 0
        self.style_attributes = 0
        self.handler_attributes: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("http-equiv") == "Content-Security-Policy":
            self.csp.append(values.get("content") or "")
        for name in ("src", "href"):
            if values.get(name):
                self.references.append(str(values[name]))
        if "style" in values:
            self.style_attributes += 1
        self.handler_attributes += [name for name in values if name.startswith("on")]
        if tag == "script":
            self._in_script = "src" not in values

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def page() -> Page:
    parsed = Page()
    parsed.feed((ASSETS / "index.html").read_text())
    return parsed


def test_the_content_security_policy_is_strict() -> None:
    assert [" ".join(c.split()) for c in page().csp] == [CSP]


def test_everything_the_page_loads_is_its_own() -> None:
    parsed = page()
    assert sorted(parsed.references) == ["app.css", "app.js"]
    assert parsed.inline_scripts == 0  # CSP would block them anyway: keep the page honest
    assert parsed.style_attributes == 0
    assert parsed.handler_attributes == []


def test_no_remote_urls_and_no_string_to_code_in_script_or_styles() -> None:
    script = (ASSETS / "app.js").read_text()
    styles = (ASSETS / "app.css").read_text()
    for text in (script, styles):
        assert not re.search(r"https?://", text)
        assert "@import" not in text and "url(" not in text
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "document.write"):
        assert forbidden not in script, forbidden
    assert re.search(r"new Function\(", script) is None


def test_the_page_waits_for_pywebview() -> None:
    assert 'addEventListener("pywebviewready", start)' in (ASSETS / "app.js").read_text()
