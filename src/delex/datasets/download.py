"""Resumable, checksum-verified downloads and extraction of dataset archives.

Hand-written rather than `snakemake.storage.http` or `torchvision.datasets.utils`: neither resumes
an interrupted download with HTTP Range requests, and we want one clear message (URL, expected and
found digest, where to put the archive by hand) instead of a library traceback (TRAPS.md).

Contract:
  * the archive is streamed into `<dest>.part`; an interrupted transfer leaves the `.part` file, and
    the next call resumes from its size (Range: bytes=N-; a server that answers 200 restarts it);
  * the complete file is verified before it gets its final name; on a mismatch the `.part` file is
    deleted and nothing else is left behind;
  * an archive already at `dest` (placed by hand) is verified and used without any network access;
  * extraction goes to a temporary folder beside the target, renamed into place when complete.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

from delex.errors import DataError

CHUNK = 1 << 20
ALGORITHMS = ("sha256", "sha1", "md5")  # strongest first


@dataclass(frozen=True)
class Source:
    """One archive: where it comes from and the digests it must match (at least one)."""

    name: str
    url: str
    filename: str
    digests: dict  # algorithm -> hex digest; sha256 preferred, published md5/sha1 accepted
    extracts_to: str | None  # the folder the archive unpacks to; None for a single file
    extras: tuple = ()  # names of single-file sources copied into the extracted folder

    def __post_init__(self):
        known = {k: v for k, v in self.digests.items() if v}
        if not known:
            raise DataError(f"source {self.name!r}: no checksum pinned (give sha256)")
        unknown = set(known) - set(ALGORITHMS)
        if unknown:
            raise DataError(f"source {self.name!r}: unknown checksum algorithm(s) {sorted(unknown)}")


def file_digest(path: str | os.PathLike, algorithm: str = "sha256") -> str:
    """Hex digest of a file, read in chunks."""
    h = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def verify(path: str | os.PathLike, digests: dict) -> str:
    """Check `path` against the strongest pinned digest; returns the algorithm used.

    Raises DataError naming the file, the expected and the found digest.
    """
    for alg in ALGORITHMS:
        want = digests.get(alg)
        if want:
            got = file_digest(path, alg)
            if got.lower() != want.lower():
                raise DataError(f"{path}: {alg} checksum mismatch: expected {want}, found {got}")
            return alg
    raise DataError(f"{path}: no checksum to verify against")


def _manual_hint(src: Source, dest: Path) -> str:
    pinned = ", ".join(f"{k} {v}" for k, v in src.digests.items() if v)
    return (
        f"download {src.url} by hand and place it at {dest} ({pinned}); it is then used without any download"
    )


def fetch(src: Source, dest: str | os.PathLike, timeout: float = 60.0, progress: bool = False) -> Path:
    """Download `src` to `dest` (resuming a `.part` file), verify it, and return `dest`.

    A verified file already at `dest` is returned at once. Network failures raise DataError with
    the instructions for placing the archive by hand; a checksum mismatch deletes the partial file.
    """
    dest = Path(dest)
    if dest.exists():
        verify(dest, src.digests)
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    have = part.stat().st_size if part.exists() else 0
    req = urllib.request.Request(src.url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        resp = urllib.request.urlopen(req, timeout=timeout)  # noqa: S310 (URLs come from the pinned registry)
    except urllib.error.HTTPError as err:
        if err.code == 416 and have:  # nothing left to fetch: the .part file is complete
            resp = None
        else:
            raise DataError(f"{src.url}: HTTP {err.code} {err.reason}; {_manual_hint(src, dest)}") from err
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise DataError(f"{src.url}: unreachable ({reason}); {_manual_hint(src, dest)}") from err
    if resp is not None:
        with resp:
            mode = "ab" if have and resp.status == 206 else "wb"  # 200: the server ignored Range
            total = resp.headers.get("Content-Length")
            bar = _bar(src.name, total, have if mode == "ab" else 0, progress)
            got = 0
            try:
                with open(part, mode) as f:
                    for block in iter(lambda: resp.read(CHUNK), b""):
                        f.write(block)
                        got += len(block)
                        bar.update(len(block))
            except (OSError, http.client.HTTPException) as err:  # dropped: keep .part for the next call
                raise DataError(f"{src.url}: transfer interrupted ({err}); run again to resume") from err
            finally:
                bar.close()
            if total is not None and got < int(total):  # the server closed early (no exception raised)
                raise DataError(
                    f"{src.url}: transfer interrupted after {got} of {total} bytes; run again to resume"
                )
    try:
        verify(part, src.digests)
    except DataError:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, dest)
    return dest


def _bar(name: str, total, initial: int, enabled: bool):
    from tqdm.auto import tqdm

    size = int(total) + initial if total else None
    return tqdm(total=size, initial=initial, unit="B", unit_scale=True, desc=name, disable=not enabled)


def load_sources(path: str | os.PathLike | None = None) -> dict[str, Source]:
    """The registry of official archives (src/delex/data/sources.yaml unless `path` is given)."""
    import yaml

    path = Path(path) if path else Path(__file__).resolve().parent.parent / "data" / "sources.yaml"
    raw = yaml.safe_load(path.read_text())
    out = {}
    for name, entry in raw.items():
        try:
            out[name] = Source(
                name=name,
                url=entry["url"],
                filename=entry["filename"],
                digests=dict(entry["digests"]),
                extracts_to=entry.get("extracts_to"),
                extras=tuple(entry.get("extras") or ()),
            )
        except (KeyError, TypeError) as err:
            raise DataError(f"{path}: source {name!r} lacks or mistypes key {err}") from err
    for src in out.values():
        missing = [e for e in src.extras if e not in out]
        if missing:
            raise DataError(f"{path}: source {src.name!r} names unknown extras {missing}")
    return out


def extract(archive: str | os.PathLike, root: str | os.PathLike, folder: str, extras: tuple = ()) -> Path:
    """Unpack a .tgz/.tar/.zip archive so that `root/folder` appears complete or not at all.

    Members are unpacked into a temporary folder inside `root` (tar's 'data' filter refuses absolute
    paths, links out of the tree and device files); files at the archive's top level (CUB's
    attributes.txt) and `extras` (verified single files) are put inside, then `folder` is renamed.
    """
    archive, root = Path(archive), Path(root)
    target = root / folder
    if target.exists():
        return target
    root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder}.", dir=root))
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as z:
                for member in z.namelist():
                    if Path(member).is_absolute() or ".." in Path(member).parts:
                        raise DataError(f"{archive}: unsafe member path {member!r}")
                z.extractall(tmp)
        elif tarfile.is_tarfile(archive):
            with tarfile.open(archive) as t:
                t.extractall(tmp, filter="data")
        else:
            raise DataError(f"{archive}: neither a tar nor a zip archive")
        unpacked = tmp / folder
        if not unpacked.is_dir():
            found = sorted(p.name for p in tmp.iterdir())
            raise DataError(f"{archive}: expected a top-level folder {folder!r}, found {found}")
        for loose in tmp.iterdir():  # top-level files beside the folder (CUB's attributes.txt) go in
            if loose.is_file() and not (unpacked / loose.name).exists():
                os.replace(loose, unpacked / loose.name)
        for extra in extras:
            shutil.copyfile(extra, unpacked / Path(extra).name)
        os.replace(unpacked, target)
    except (tarfile.TarError, zipfile.BadZipFile) as err:
        raise DataError(f"{archive}: corrupt archive ({err})") from err
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target
