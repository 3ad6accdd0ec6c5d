"""WCAG 2.2 AA, checked by axe-core (vendored in tests/web/vendor/axe-core) in Chromium on
every page at a laptop and a phone width: no serious or critical violation. The findings of
each page go to artifacts/axe/ for a reviewer."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.browsing import BROWSER, SHOTS, SIZES, Live

pytestmark = BROWSER

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
REPORTS = SHOTS.parent / "axe"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def axe_page(browser: Any, live: Live) -> Iterator[Any]:
    # axe is injected as a script: the app's Content-Security-Policy (rightly) refuses it,
    # so this context alone does not apply the policy
    context = browser.new_context(base_url=live.url, bypass_csp=True)
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def _pages(live: Live) -> dict[str, str]:
    person = live.base.today(1)[0]["person"]["id"]
    other = live.base.people(limit=2)[1]["id"]
    return {
        "today": "/",
        "people": "/people",
        "people-filtered": "/people?stage=conversing&sort=name",
        "people-none": "/people?q=zzzz-nobody",
        "people-new": "/people/new",
        "people-duplicates": "/people/duplicates",
        "people-merge": f"/people/merge?a={person}&b={other}",
        "person": f"/people/{person}",
        "plans": "/plans",
        "import": "/import",
        "report": "/report",
    }


def _serious(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]


@pytest.mark.parametrize("size", list(SIZES))
def test_no_serious_or_critical_violation_on_any_page(axe_page: Any, live: Live, size: str) -> None:
    width, height = SIZES[size]
    axe_page.set_viewport_size({"width": width, "height": height})
    REPORTS.mkdir(parents=True, exist_ok=True)
    found: dict[str, list[str]] = {}
    for name, path in _pages(live).items():
        axe_page.goto(path)
        axe_page.wait_for_load_state("networkidle")
        violations = _serious(axe_page)
        (REPORTS / f"{name}-{size}.json").write_text(json.dumps(violations, indent=2))
        if violations:
            found[name] = [
                f"{v['id']} ({v['impact']}): {v['help']} at {n['target']}"
                for v in violations
                for n in v["nodes"][:3]
            ]
    assert found == {}, json.dumps(found, indent=2)


#: the colour of the focus ring and of what is behind it, for the focused element
RING = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  let node = el.parentElement, behind = "rgb(255, 255, 255)";
  while (node) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && bg !== "transparent" && !bg.startsWith("rgba(0, 0, 0, 0)")) { behind = bg; break; }
    node = node.parentElement;
  }
  const label = (el.textContent || el.name || "").trim().slice(0, 30);
  return {ring: style.outlineColor, width: style.outlineWidth, style: style.outlineStyle,
          behind: behind, what: el.tagName + " " + label};
}"""


def _luminance(css: str) -> float:
    parts = [float(x) for x in css[css.index("(") + 1 : css.index(")")].split(",")[:3]]

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in parts)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_focus_ring_stands_out_wherever_the_keyboard_goes(axe_page: Any) -> None:
    page = axe_page
    seen = []
    for path in ("/", "/plans", "/import"):
        page.goto(path)
        for _ in range(14):
            page.keyboard.press("Tab")
            ring = page.evaluate(RING)
            if ring["what"].startswith("BODY"):
                continue
            seen.append(ring)
            assert ring["style"] != "none", ring
            assert float(ring["width"].removesuffix("px")) >= 2, ring
            assert contrast(ring["ring"], ring["behind"]) >= 3, ring
    assert len(seen) >= 30
