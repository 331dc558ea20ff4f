"""Archives are folders of inputs, read in place: a zip or a tar.gz of real filings gives the
same rows as the files themselves; every member, and every archive that cannot be read,
ends as a row or an error row; nothing is unpacked to disk."""

from __future__ import annotations

import gzip
import io
import shutil
import tarfile
import zipfile
from pathlib import Path

import polars as pl
import pytest

from workbench.frames.ingest import ingest
from workbench.sample import sample_paths
from workbench.sources.files import iter_input_files, read_bytes


@pytest.fixture
def plain(corpus: Path, tmp_path: Path) -> Path:
    """The seeds, three real filings and two companyfacts JSON files, as plain files."""
    root = tmp_path / "plain"
    (root / "filings").mkdir(parents=True)
    for p in sample_paths():
        shutil.copy(p, root / "filings" / Path(p).name)
    for rel in ("filings/10-K/0000320193-94-000016.txt", "filings/10-Q/0000320193-97-000011.txt",
                "s8/0000950151-97-000177.txt"):  # fmt: skip
        shutil.copy(corpus / rel, root / "filings" / Path(rel).name)
    (root / "facts").mkdir()
    for p in sorted((corpus / "json/companyfacts").glob("*.json"))[:2]:
        shutil.copy(p, root / "facts" / p.name)
    return root


def _rows(result, prefix: str) -> dict[str, pl.DataFrame]:
    """Every table with ``source_path`` made relative to ``prefix``, sorted."""
    out = {}
    for name, frame in result.tables.items():
        if "source_path" in frame.columns:
            frame = frame.with_columns(pl.col("source_path").str.strip_prefix(prefix))
        simple = [c for c in frame.columns if not isinstance(frame.schema[c], pl.List | pl.Struct)]
        out[name] = frame.sort(simple, nulls_last=True)
    return out


def test_a_zip_and_a_tar_gz_give_the_rows_of_their_files(plain, tmp_path, accounted):
    files = sorted(p for p in plain.rglob("*") if p.is_file())
    archive_zip = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive_zip, "w", zipfile.ZIP_DEFLATED) as z:
        for p in files:
            z.write(p, p.relative_to(plain).as_posix())
    archive_tgz = tmp_path / "bundle.tar.gz"
    with tarfile.open(archive_tgz, "w:gz") as t:
        for p in files:
            t.add(p, p.relative_to(plain).as_posix())
    expected = _rows(ingest([plain], workers=1), f"{plain}/")
    assert expected["filings"].height == 5 and expected["data_files"].height == 2
    for archive in (archive_zip, archive_tgz):
        result = ingest([archive], workers=1)
        members = [archive / p.relative_to(plain).as_posix() for p in files]
        assert list(iter_input_files([archive])) == members
        accounted(result, members)
        got = _rows(result, f"{archive}/")
        for name, frame in expected.items():
            assert got[name].equals(frame), (archive.name, name)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle.tar.gz", "bundle.zip", "plain"]


def test_archives_that_cannot_be_read_and_members_that_are_not_files(tmp_path, accounted):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "broken.zip").write_bytes(b"PK\x03\x04" + b"garbage" * 50)
    (folder / "cut.tar.gz").write_bytes(gzip.compress(b"x" * 5000)[:200])
    zipfile.ZipFile(folder / "empty.zip", "w").close()
    with zipfile.ZipFile(folder / "odd.zip", "w") as z:
        z.writestr("inner.zip", b"PK")  # an archive inside an archive
        z.writestr("../../outside.txt", b"<SEC-DOCUMENT>\n")  # never written anywhere
        z.writestr(zipfile.ZipInfo("/etc/hostname.txt"), b"inside the zip")  # absolute name
        z.writestr("notes.htm.gz", b"not gzip")
        z.writestr("bomb.txt.gz", gzip.compress(bytes(3 << 20)))
    with tarfile.open(folder / "links.tar", "w") as t:
        link = tarfile.TarInfo("passwd.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        t.addfile(link)
    inputs = list(iter_input_files([folder]))
    assert [p.relative_to(folder).as_posix() for p in inputs] == [
        "broken.zip", "cut.tar.gz", "empty.zip", "links.tar/passwd.txt",
        "odd.zip/../../outside.txt", "odd.zip/etc/hostname.txt", "odd.zip/bomb.txt.gz",
        "odd.zip/inner.zip", "odd.zip/notes.htm.gz",
    ]  # fmt: skip
    result = ingest([folder], workers=1)
    accounted(result, inputs)
    errors = dict(
        result.parse_issues.filter(pl.col("severity") == "error")
        .select(pl.col("source_path").str.strip_prefix(f"{folder}/"), "message")
        .iter_rows()
    )
    assert "not a readable zip archive" in errors["broken.zip"]
    assert "not a readable tar archive" in errors["cut.tar.gz"]
    assert "no filing-like files" in errors["empty.zip"]
    assert "a link or special file" in errors["links.tar/passwd.txt"]
    assert "inside an archive is not read" in errors["odd.zip/inner.zip"]
    assert "not a readable gzip file" in errors["odd.zip/notes.htm.gz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]  # nothing unpacked
    # an absolute member name reads the member, never the file of that name outside
    assert read_bytes(folder / "odd.zip" / "etc" / "hostname.txt") == b"inside the zip"
    # a member inflating past the cap is refused, not read into memory
    with pytest.raises(OSError, match="byte limit once decompressed"):
        read_bytes(folder / "odd.zip" / "bomb.txt.gz", max_bytes=1 << 20)


def test_a_member_path_cannot_be_mistaken_for_a_real_file(tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as z:
        z.writestr("a.txt", b"in the zip")
    (tmp_path / "x.zip").write_bytes(data.getvalue())
    assert read_bytes(tmp_path / "x.zip" / "a.txt") == b"in the zip"
    (tmp_path / "dir.zip").mkdir()  # a folder named like an archive is a folder
    (tmp_path / "dir.zip" / "a.txt").write_bytes(b"on disk")
    assert list(iter_input_files([tmp_path / "dir.zip"])) == [tmp_path / "dir.zip" / "a.txt"]
    assert read_bytes(tmp_path / "dir.zip" / "a.txt") == b"on disk"
