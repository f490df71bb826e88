"""The one rule for every file sopctl reads, and the bounded walk of a catalogue folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sopctl import files
from sopctl.files import MAX_BYTES, FileError, kind, read_bytes, walk

LONG_NAME = "a" * 300  # a file name may be at most 255 bytes (ENAMETOOLONG)


def test_a_regular_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"a: 1\n")
    assert (kind(path), read_bytes(path)) == ("file", b"a: 1\n")


def test_a_fifo_is_refused_without_waiting_for_a_writer(fifo: Path, no_hang: None) -> None:
    assert kind(fifo) == "named pipe (FIFO)"
    with pytest.raises(FileError) as caught:
        read_bytes(fifo)
    assert str(caught.value) == "is a named pipe (FIFO), not a file"


@pytest.mark.parametrize(("path", "what"), [("/dev/zero", "device"), ("/dev/null", "device")])
def test_a_device_is_refused_before_it_is_read(path: str, what: str, no_hang: None) -> None:
    # /dev/zero has no size and no end: read whole, it once took 23 GB before MemoryError.
    with pytest.raises(FileError) as caught:
        read_bytes(path)
    assert str(caught.value) == f"is a {what}, not a file"


def test_a_folder_and_a_socket_are_refused(tmp_path: Path, unix_socket: Path) -> None:
    for path, what in ((tmp_path, "folder"), (unix_socket, "socket")):
        assert kind(path) == what
        with pytest.raises(FileError) as caught:
            read_bytes(path)
        assert str(caught.value) == f"is a {what}, not a file"


def test_a_file_over_the_limit_is_refused_and_one_at_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * MAX_BYTES)
    assert len(read_bytes(path)) == MAX_BYTES
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(FileError) as caught:
        read_bytes(path)
    assert str(caught.value) == "the file is 2.0 MB; sopctl reads files of at most 2 MB"


def test_a_file_that_grows_while_it_is_read_stops_at_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"#" * (MAX_BYTES + 100))
    real_fstat = os.fstat

    def small(fd: int) -> os.stat_result:  # what fstat said before the file grew
        info = real_fstat(fd)
        return os.stat_result((info.st_mode, *info[1:6], 10, *info[7:]))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "fstat", small)
        with pytest.raises(FileError) as caught:
            read_bytes(path)
    assert str(caught.value) == "the file is 2.0 MB; sopctl reads files of at most 2 MB"


def test_a_name_the_system_refuses_is_a_file_error(tmp_path: Path) -> None:
    for path in (tmp_path / LONG_NAME, tmp_path / LONG_NAME / "x.yaml", tmp_path / "nul\0.yaml"):
        with pytest.raises(FileError):
            kind(path)
        with pytest.raises(FileError) as caught:
            read_bytes(path)
        assert str(caught.value).startswith("cannot be opened: ")
    with pytest.raises(FileError) as caught:
        kind(tmp_path / LONG_NAME)
    assert (str(caught.value), caught.value.reason) == (
        "cannot be opened: File name too long",
        "File name too long",
    )


def test_nothing_there(tmp_path: Path) -> None:
    assert kind(tmp_path / "nope.yaml") is None
    assert kind(tmp_path / "nope" / "x.yaml") is None
    with pytest.raises(FileError) as caught:
        read_bytes(tmp_path / "nope.yaml")
    assert str(caught.value) == "no such file"


# -- walking a catalogue folder ---------------------------------------------------------


def _touch(folder: Path, *names: str) -> None:
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("a: 1\n")


def test_the_walk_finds_yaml_files_in_order_and_leaves_out_hidden_ones(tmp_path: Path) -> None:
    _touch(
        tmp_path, "b.yaml", "a.yml", "sub/c.yaml", "notes.txt", ".hidden.yaml", ".git/x.yaml", "sub/.d/e.yaml"
    )
    found = walk(tmp_path, (".yaml", ".yml"))
    assert found.files == [tmp_path / "a.yml", tmp_path / "b.yaml", tmp_path / "sub" / "c.yaml"]
    assert found.unreadable == []


def test_the_walk_does_not_follow_symlinked_folders(tmp_path: Path) -> None:
    _touch(tmp_path, "sops/a.yaml", "elsewhere/b.yaml")
    (tmp_path / "sops" / "loop").symlink_to(tmp_path / "sops")  # a loop, followed forever
    (tmp_path / "sops" / "out").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "sops" / "linked.yaml").symlink_to(tmp_path / "elsewhere" / "b.yaml")  # a file: read
    assert walk(tmp_path / "sops", (".yaml",)).files == [
        tmp_path / "sops" / "a.yaml",
        tmp_path / "sops" / "linked.yaml",
    ]


def test_the_walk_skips_a_fifo_and_a_broken_symlink(tmp_path: Path, no_hang: None) -> None:
    _touch(tmp_path, "a.yaml")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    assert walk(tmp_path, (".yaml",)).files == [tmp_path / "a.yaml"]


def test_an_unreadable_folder_below_is_skipped_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _touch(tmp_path, "a.yaml", "private/b.yaml", "gone/c.yaml")
    real_scandir = os.scandir

    def scandir(path: Path) -> object:
        if Path(path).name == "private":
            raise PermissionError(13, "Permission denied")
        if Path(path).name == "gone":  # removed between listing its parent and entering it
            raise FileNotFoundError(2, "No such file or directory")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = walk(tmp_path, (".yaml",))
    assert found.files == [tmp_path / "a.yaml"]
    assert found.unreadable == [(tmp_path / "private", "Permission denied")]


def test_an_unreadable_top_folder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def scandir(path: Path) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "scandir", scandir)
    with pytest.raises(FileError) as caught:
        walk(tmp_path, (".yaml",))
    assert str(caught.value) == "cannot be read: Permission denied"


def test_a_file_that_vanishes_during_the_walk_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _touch(tmp_path, "a.yaml", "b.yaml")
    real_scandir = os.scandir

    class Vanishing:
        def __init__(self, entry: os.DirEntry[str]) -> None:
            self.entry, self.name, self.path = entry, entry.name, entry.path

        def is_dir(self, follow_symlinks: bool = True) -> bool:
            if self.name == "b.yaml":
                raise FileNotFoundError(2, "No such file or directory")
            return self.entry.is_dir(follow_symlinks=follow_symlinks)

        def is_file(self) -> bool:
            return self.entry.is_file()

    class Listing:
        def __init__(self, path: Path) -> None:
            self.listing = real_scandir(path)

        def __enter__(self) -> list[Vanishing]:
            return [Vanishing(entry) for entry in self.listing]

        def __exit__(self, *exc: object) -> None:
            self.listing.close()

    monkeypatch.setattr(os, "scandir", Listing)
    assert walk(tmp_path, (".yaml",)).files == [tmp_path / "a.yaml"]


def test_the_walk_stops_beyond_its_number_of_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_ENTRIES", 5)
    _touch(tmp_path, *(f"{n}.yaml" for n in range(5)))
    assert len(walk(tmp_path, (".yaml",)).files) == 5
    _touch(tmp_path, "sub/x.txt")  # the folder is an entry too
    with pytest.raises(FileError) as caught:
        walk(tmp_path, (".yaml",))
    assert str(caught.value) == (
        "holds more than 5 files and folders; a catalogue folder holds SOP files: is it the right folder?"
    )


def test_the_walk_stops_beyond_its_depth(tmp_path: Path) -> None:
    deepest = tmp_path.joinpath(*(f"d{n}" for n in range(files.MAX_DEPTH)))
    _touch(deepest, "a.yaml")
    assert walk(tmp_path, (".yaml",)).files == [deepest / "a.yaml"]
    (deepest / "one-more").mkdir()
    with pytest.raises(FileError) as caught:
        walk(tmp_path, (".yaml",))
    assert str(caught.value) == (
        f"has folders nested more than {files.MAX_DEPTH} deep ({deepest / 'one-more'}); "
        "a catalogue folder holds SOP files: is it the right folder?"
    )
