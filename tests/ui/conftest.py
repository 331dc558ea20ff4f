"""A table directory with more than the sample: seeds, synthetic S-8s, the corpus index."""

from __future__ import annotations

import pytest

from workbench.frames.filings_index import build_index
from workbench.frames.ingest import ingest_to_dir
from workbench.frames.store import write_table
from workbench.sample import sample_paths


@pytest.fixture(scope="session")
def explorer_store(corpus, fixtures, tmp_path_factory):
    store = tmp_path_factory.mktemp("explorer-store")
    paths = [*sample_paths(), *sorted(fixtures.glob("synthetic-s8*"))]
    ingest_to_dir(paths, store, workers=1, progress=False)
    result = build_index([corpus / "index", corpus / "json/submissions", store])
    write_table(result.frame, store, "filings_index")
    return store


#: every text of the SVG charts under a selector that is cut by its chart's edge or overlaps
#: another text of the same chart, as the browser draws them (fonts measured by Chromium)
_LAYOUT_JS = """(sel) => Array.from(document.querySelectorAll(sel)).map(svg => {
  const box = svg.getBoundingClientRect();
  const shown = t => { for (let e = t; e && e !== svg; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.opacity === '0' || style.visibility === 'hidden' || style.display === 'none')
        return false; }
    return true; };  // Vega hides the labels it thins out with opacity 0
  const texts = Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim() && shown(t))
    .map(t => { const r = t.getBoundingClientRect();
                return [t.textContent, r.left, r.top, r.right, r.bottom]; });
  const cut = texts.filter(([, l, t, r, b]) => l < box.left - 0.5 || r > box.right + 0.5
                                            || t < box.top - 0.5 || b > box.bottom + 0.5)
    .map(x => x[0]);
  const overlaps = [];
  for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
    const [a, b] = [texts[i], texts[j]];
    const w = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
    const h = Math.min(a[4], b[4]) - Math.max(a[2], b[2]);
    if (w > 1 && h > 1) overlaps.push(a[0] + ' / ' + b[0]);
  }
  return {texts: texts.length, cut, overlaps};
})"""


@pytest.fixture(scope="session")
def text_layout():
    """``text_layout(page, selector)``: per SVG chart under ``selector``, how many texts it
    has and which are cut or overlap (both lists empty when the chart reads cleanly)."""

    def measure(page, selector: str) -> list[dict]:
        return page.evaluate(_LAYOUT_JS, selector)

    return measure
