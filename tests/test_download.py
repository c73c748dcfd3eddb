"""Downloads against a small archive served from 127.0.0.1: success, checksum mismatch, resume after
an interrupted transfer, offline use of a pre-placed archive, and safe, all-or-nothing extraction."""

from __future__ import annotations

import hashlib
import io
import socket
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from delex.datasets.download import Source, extract, fetch, load_sources, verify
from delex.errors import DataError


def _tgz(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as t:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


# Random-ish payload so the archive is a few hundred kB: large enough to cut in the middle.
PAYLOAD = {
    "CUB_200_2011/images.txt": b"1 001.A/a.jpg\n",
    "CUB_200_2011/images/001.A/a.jpg": hashlib.sha256(b"x").digest() * 20000,
}
ARCHIVE = _tgz(PAYLOAD)
SHA256 = hashlib.sha256(ARCHIVE).hexdigest()


class Server:
    """Serves ARCHIVE at /CUB.tgz with Range support; `cut_after` drops the connection mid-body."""

    def __init__(self):
        self.cut_after: int | None = None
        self.ranges: list[str | None] = []
        self.ignore_range = False
        srv = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                rng = self.headers.get("Range")
                srv.ranges.append(rng)
                start = int(rng.split("=")[1].rstrip("-")) if rng and not srv.ignore_range else 0
                body = ARCHIVE[start:]
                self.send_response(206 if start else 200)
                self.send_header("Content-Length", str(len(body)))
                if start:
                    self.send_header("Content-Range", f"bytes {start}-{len(ARCHIVE) - 1}/{len(ARCHIVE)}")
                self.end_headers()
                if srv.cut_after is not None:
                    self.wfile.write(body[: srv.cut_after])
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/CUB.tgz"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


def _source(url: str, sha256: str = SHA256) -> Source:
    return Source("cub", url, "CUB_200_2011.tgz", {"sha256": sha256}, "CUB_200_2011")


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/CUB.tgz"


def test_download_verifies_and_extracts(server, tmp_path):
    dest = fetch(_source(server.url), tmp_path / "CUB_200_2011.tgz")
    assert dest.read_bytes() == ARCHIVE
    assert not (tmp_path / "CUB_200_2011.tgz.part").exists()
    root = extract(dest, tmp_path, "CUB_200_2011")
    assert (root / "images.txt").read_bytes() == PAYLOAD["CUB_200_2011/images.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CUB_200_2011", "CUB_200_2011.tgz"]


def test_checksum_mismatch_leaves_nothing(server, tmp_path):
    with pytest.raises(DataError, match="sha256 checksum mismatch: expected 0{64}"):
        fetch(_source(server.url, "0" * 64), tmp_path / "CUB_200_2011.tgz")
    assert list(tmp_path.iterdir()) == []


def test_interrupted_download_resumes_with_range(server, tmp_path):
    dest = tmp_path / "CUB_200_2011.tgz"
    server.cut_after = 1000
    with pytest.raises(DataError, match="interrupted"):
        fetch(_source(server.url), dest)
    part = tmp_path / "CUB_200_2011.tgz.part"
    assert part.stat().st_size == 1000 and not dest.exists()
    server.cut_after = None
    fetch(_source(server.url), dest)
    assert server.ranges == [None, "bytes=1000-"]
    assert dest.read_bytes() == ARCHIVE and not part.exists()


def test_server_ignoring_range_restarts_cleanly(server, tmp_path):
    (tmp_path / "CUB_200_2011.tgz.part").write_bytes(ARCHIVE[:500])
    server.ignore_range = True
    fetch(_source(server.url), tmp_path / "CUB_200_2011.tgz")
    assert (tmp_path / "CUB_200_2011.tgz").read_bytes() == ARCHIVE


def test_offline_message_and_preplaced_archive(tmp_path):
    src = _source(_closed_port_url())
    dest = tmp_path / "CUB_200_2011.tgz"
    with pytest.raises(DataError, match=f"unreachable.*by hand.*{dest}"):
        fetch(src, dest)
    dest.write_bytes(ARCHIVE)  # the user places the archive by hand: used without any network access
    assert fetch(src, dest) == dest
    dest.write_bytes(ARCHIVE[:-1])
    with pytest.raises(DataError, match=str(dest)):
        fetch(src, dest)


def test_published_md5_accepted_when_no_sha256(tmp_path):
    f = tmp_path / "a.bin"
    f.write_bytes(b"abc")
    assert verify(f, {"sha256": None, "md5": "900150983cd24fb0d6963f7d28e17f72"}) == "md5"
    with pytest.raises(DataError, match="no checksum pinned"):
        Source("x", "http://x", "a.bin", {"sha256": None}, None)


def test_extract_refuses_unsafe_member_and_leaves_nothing(tmp_path):
    bad = tmp_path / "bad.tgz"
    bad.write_bytes(_tgz({"CUB_200_2011/a.txt": b"a", "../evil.txt": b"x"}))
    out = tmp_path / "out"
    with pytest.raises((DataError, tarfile.TarError)):
        extract(bad, out, "CUB_200_2011")
    assert not (tmp_path / "evil.txt").exists()
    assert list(out.iterdir()) == []


def test_extract_names_missing_top_folder(tmp_path):
    arc = tmp_path / "a.tgz"
    arc.write_bytes(_tgz({"other/a.txt": b"a"}))
    with pytest.raises(DataError, match="expected a top-level folder 'CUB_200_2011', found \\['other'\\]"):
        extract(arc, tmp_path / "out", "CUB_200_2011")
    assert list((tmp_path / "out").iterdir()) == []


def test_registry_pins_a_checksum_for_every_source():
    sources = load_sources()
    assert {"cub200", "ade20k"} <= set(sources)
    for src in sources.values():
        assert any(src.digests.values()), src.name
    assert sources["ade20k"].extras  # objectInfo150.csv and sceneCategories.txt


def test_registry_metadata_checksums_match_the_shared_ade_sample():
    ade = Path(__file__).resolve().parents[2] / "shared" / "data" / "ade_sample" / "ADEChallengeData2016"
    if not ade.exists():
        pytest.skip("../shared/data/ade_sample is absent")
    sources = load_sources()
    for name in sources["ade20k"].extras:
        verify(ade / sources[name].filename, sources[name].digests)


def test_top_level_files_move_into_the_folder(tmp_path):
    arc = tmp_path / "a.tgz"
    arc.write_bytes(_tgz({"attributes.txt": b"1 has_bill_shape::curved\n", "CUB_200_2011/images.txt": b""}))
    root = extract(arc, tmp_path / "out", "CUB_200_2011")
    assert (root / "attributes.txt").read_bytes().startswith(b"1 has_bill")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["CUB_200_2011"]
