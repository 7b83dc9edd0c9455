"""Where the files of a roster export are: a directory, a folder inside it, or a zip file.

- A directory is read as is; when it has no ``orgs.csv`` but exactly one folder below it (up to
  two levels deep) has, that folder is read, with a warning (Windows' "Extract all" puts the
  files in ``export/export/``). Several such folders are an error: which one is meant?
- A zip file is read the same way (macOS ``__MACOSX`` entries and hidden files are ignored).
- File names are matched case-insensitively; ``users.txt`` (Excel's "Unicode text") is read
  when there is no ``users.csv``. Two files that differ only in case are an error.
- A missing file that exists as an Excel workbook (``users.xlsx``), or an export in the older
  SDS v1 format (``School.csv``, ``Student.csv``, ...), is named in the error.
- Files that are not used (``demographics.csv``, ``relationships.csv``, ...) are listed in one
  warning.
- A zip file is checked before anything is unpacked (a zip bomb is refused early, with little
  memory): the text files it would be read from may together unpack to at most
  ``MAX_EXPORT_BYTES``, and a member that unpacks to more than ``RATIO_FLOOR`` bytes may be at
  most ``MAX_RATIO`` times its packed size (CSV packs about ten times; bombs a thousand). A
  member is then unpacked in pieces and never past its stated size, whatever its header says.
"""

from __future__ import annotations

import zipfile
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath

from storage.roster.errors import RosterFileError

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_EXPORT_BYTES = 1024 * 1024 * 1024  # all text files of one zip, unpacked
MAX_RATIO = 200  # unpacked / packed size of one zip member
RATIO_FLOOR = 1024 * 1024  # smaller members may pack better (short, repetitive files)
_CHUNK = 1024 * 1024
_SDS_V1 = ("school.csv", "section.csv", "student.csv", "teacher.csv", "studentenrollment.csv")
_TEXT_SUFFIXES = (".csv", ".txt")
_SEARCH_DEPTH = 2
_ORGS = frozenset(("orgs.csv", "orgs.txt"))


@dataclass(frozen=True)
class _Entry:
    name: str  # the file's own name, as in messages
    folder: str  # relative to the export root, "" for the root itself
    size: int
    read: Callable[[], bytes]


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(p.startswith((".", "__MACOSX")) for p in parts)


def _directory_entries(root: Path) -> list[_Entry]:
    """The files of ``root``; those of its folders too (two levels) when it has no orgs file."""
    entries: list[_Entry] = []
    for depth in range(_SEARCH_DEPTH + 1):
        if depth and any(e.name.lower() in _ORGS for e in entries):
            break
        for path in sorted(root.glob("/".join(["*"] * (depth + 1)))):
            rel = path.relative_to(root)
            if _hidden(rel.parts) or not path.is_file():
                continue
            folder = rel.parent.as_posix() if depth else ""
            entries.append(_Entry(path.name, folder, path.stat().st_size, path.read_bytes))
    return entries


def _zip_entries(path: Path) -> list[_Entry]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise RosterFileError(f"{path}: not a readable zip file ({exc})") from None
    entries = []
    total = 0
    with archive:
        for info in archive.infolist():
            member = PurePosixPath(info.filename)
            if info.is_dir() or _hidden(member.parts):
                continue
            if member.name.lower().endswith(_TEXT_SUFFIXES):
                _check_packing(path, info)
                total += info.file_size
                if total > MAX_EXPORT_BYTES:
                    raise RosterFileError(
                        f"{path}: its files unpack to more than {MAX_EXPORT_BYTES} bytes, more "
                        "than a roster export can be; nothing was read"
                    )
            folder = member.parent.as_posix()
            entries.append(
                _Entry(
                    member.name,
                    "" if folder == "." else folder,
                    info.file_size,
                    partial(_read_member, path, info),
                )
            )
    return entries


def _check_packing(path: Path, info: zipfile.ZipInfo) -> None:
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise RosterFileError(
            f"{path}: {info.filename} unpacks to {info.file_size} bytes from "
            f"{info.compress_size} (more than {MAX_RATIO} times): not a roster export; "
            "nothing was read"
        )


def _read_member(path: Path, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes, unpacked in pieces, never more than its stated size."""
    try:
        with zipfile.ZipFile(path) as archive, archive.open(info) as member:
            parts: list[bytes] = []
            left = min(info.file_size, MAX_FILE_BYTES)
            while left > 0 and (part := member.read(min(_CHUNK, left))):
                parts.append(part)
                left -= len(part)
            if member.read(1):
                raise RosterFileError(f"{path}: {info.filename} is bigger than its zip header says")
            return b"".join(parts)
    except RuntimeError:  # encrypted
        raise RosterFileError(
            f"{path}: {info.filename} is password-protected; zip the export without a password"
        ) from None
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError) as exc:
        raise RosterFileError(f"{path}: cannot unpack {info.filename} ({exc})") from None


class ExportFiles:
    """The files of one export, found from ``path``; see the module docstring."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.warnings: list[str] = []
        if path.is_dir():
            entries = _directory_entries(path)
        elif path.is_file() and zipfile.is_zipfile(path):
            entries = _zip_entries(path)
        elif path.is_file() and path.suffix.lower() == ".zip":
            raise RosterFileError(f"{path}: not a readable zip file")
        elif path.is_file() and path.suffix.lower() in _TEXT_SUFFIXES:
            raise RosterFileError(
                f"{path} is one file; give the directory or zip file that holds orgs.csv, "
                "users.csv, roles.csv, classes.csv and enrollments.csv"
            )
        else:
            raise RosterFileError(f"not a directory or zip file: {path}")
        folders: dict[str, dict[str, list[_Entry]]] = defaultdict(lambda: defaultdict(list))
        for entry in entries:
            folders[entry.folder][entry.name.lower()].append(entry)
        folder = self._pick_folder(folders)
        self.files: dict[str, _Entry] = {}
        for key, same in folders.get(folder, {}).items():
            if len(same) > 1:
                names = ", ".join(sorted(e.name for e in same))
                raise RosterFileError(f"{self._where(folder)}: two files named {key} ({names})")
            self.files[key] = same[0]
        self.folder = folder
        self._used: set[str] = set()

    def _where(self, folder: str) -> str:
        return str(self.path / folder) if folder else str(self.path)

    def _pick_folder(self, folders: dict[str, dict[str, list[_Entry]]]) -> str:
        with_orgs = sorted(f for f, names in folders.items() if _ORGS & set(names))
        if "" in with_orgs or not with_orgs:
            return ""
        if len(with_orgs) > 1:
            raise RosterFileError(
                f"{self.path} holds several exports (in {', '.join(with_orgs)}); give one of them"
            )
        self.warnings.append(f"the export was read from the folder {with_orgs[0]!r}")
        return with_orgs[0]

    def read(self, name: str, *, needed: bool) -> tuple[str, bytes] | None:
        """(file name, bytes) of ``name`` (e.g. ``users.csv``), or None when optional and absent.

        Raises :class:`RosterFileError` when a needed file is missing or a file is too big.
        """
        stem = name.lower().rsplit(".", 1)[0]
        for key in (f"{stem}.csv", f"{stem}.txt"):
            entry = self.files.get(key)
            if entry is not None:
                self._used.add(key)
                if entry.size > MAX_FILE_BYTES:
                    raise RosterFileError(
                        f"{entry.name}: {entry.size} bytes is more than a roster file can be "
                        f"({MAX_FILE_BYTES} bytes)"
                    )
                return entry.name, entry.read()
        workbook = next(
            (self.files[k].name for k in self.files if k.startswith(f"{stem}.xls")), None
        )
        hint = f" (there is {workbook}: in Excel use Save as > 'CSV UTF-8')" if workbook else ""
        if needed:
            if stem == "orgs" and any(k in self.files for k in _SDS_V1):
                hint = (
                    " (this looks like an export in the older SDS v1 format: School.csv, "
                    "Student.csv, ...; export in the SDS v2.1 format instead)"
                )
            raise RosterFileError(
                f"missing required file {name} in {self._where(self.folder)}{hint}"
            )
        if workbook:
            self._used.add(workbook.lower())
            self.warnings.append(f"{workbook} was not read: in Excel use Save as > 'CSV UTF-8'")
        return None

    def unused_warning(self) -> str | None:
        unused = sorted(
            e.name
            for k, e in self.files.items()
            if k not in self._used and k.endswith(_TEXT_SUFFIXES)
        )
        if not unused:
            return None
        return f"not read (Stoplicht does not use them): {', '.join(unused)}"
