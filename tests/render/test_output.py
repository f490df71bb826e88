"""Writing files: names made from titles stay in their folder; nothing half-written or overwritten."""

from __future__ import annotations

import pytest

from sopctl.errors import UsageError
from sopctl.render.output import document_name, inside, safe_name, write_file


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Mutasi a.n. Siti Aminah", "Mutasi-a-n-Siti-Aminah"),
        ("../../etc/passwd", "etc-passwd"),
        ("/abs/path", "abs-path"),
        ("a\x00b\nc\td", "a-b-c-d"),
        ("..", "dokumen"),
        ("Pemeriksaan <script>", "Pemeriksaan-script"),
        ("Ağustus ŞK", "Agustus-SK"),
        ("x" * 200, "x" * 80),
    ],
)
def test_safe_name(title: str, expected: str) -> None:
    assert safe_name(title) == expected


def test_document_name_cannot_leave_the_folder(tmp_path) -> None:
    name = document_name("PDK-2026-0001", "../../../tmp/evil", "pdf")
    assert name == "PDK-2026-0001-tmp-evil.pdf"
    assert inside(tmp_path, name).parent == tmp_path.resolve()
    with pytest.raises(UsageError):
        inside(tmp_path, "../escape.pdf")


def test_write_refuses_to_overwrite_without_force(tmp_path) -> None:
    path = tmp_path / "a.pdf"
    write_file(path, b"one", force=False)
    with pytest.raises(UsageError, match="already exists: use --force"):
        write_file(path, b"two", force=False)
    assert path.read_bytes() == b"one"
    write_file(path, b"two", force=True)
    assert path.read_bytes() == b"two"
    assert [p.name for p in tmp_path.iterdir()] == ["a.pdf"]  # no temporary file left


def test_write_into_a_missing_folder_is_a_usage_error(tmp_path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        write_file(tmp_path / "nope" / "a.pdf", b"x", force=False)


def test_a_folder_is_never_replaced_by_a_document(tmp_path) -> None:
    (tmp_path / "arsip").mkdir()
    with pytest.raises(UsageError, match="arsip is a folder: name the file to write"):
        write_file(tmp_path / "arsip", b"x", force=True)
    assert (tmp_path / "arsip").is_dir()


def test_a_disk_that_refuses_the_write_is_one_line(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import errno
    import os

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr("sopctl.render.output.tempfile.mkstemp", read_only)
    with pytest.raises(UsageError, match=r"^cannot write .*a\.pdf: Read-only file system$"):
        write_file(tmp_path / "a.pdf", b"x", force=False)
    assert list(tmp_path.iterdir()) == []


def test_a_written_document_gets_the_usual_permissions(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import stat

    old = os.umask(0o022)
    try:
        path = tmp_path / "laporan.pdf"
        write_file(path, b"%PDF", force=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # readable by the office, like any file
