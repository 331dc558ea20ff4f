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
