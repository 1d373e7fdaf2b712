"""`wirgeo data download` against a local HTTP server serving the official files.

Never the internet: a server on 127.0.0.1 serves ``../shared/data/raw`` (and a zip laid out
like BKG's VG250-EW download), and a registry file points wirgeo at it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import json
import stat
import threading
import zipfile
from dataclasses import replace

import pytest

from wirgeo.errors import DownloadError, InputError
from wirgeo.sources.download import DEFAULT_RELEASES, download_sources, read_registry


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@contextlib.contextmanager
def _local_servers():
    """Start HTTP servers on 127.0.0.1 (``start(handler)`` -> base URL); stop them after."""
    servers = []

    def start(handler):
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    try:
        yield start
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@pytest.fixture
def serve():
    """A local server of a folder: ``url = serve(folder)``."""
    with _local_servers() as start:
        yield lambda folder: start(functools.partial(_QuietHandler, directory=str(folder)))


def _registry(path, boundaries_url, population_url, extra=""):
    path.write_text(f'[boundaries]\nurl = "{boundaries_url}"\nfolder = "bkg"\n\n'
                    f'[population]\nurl = "{population_url}"\nfolder = "destatis"\n{extra}')
    return path


def test_download_from_local_server_then_check(serve, shared_raw, tmp_path, run_cli):
    base = serve(shared_raw)
    registry = _registry(tmp_path / "reg.toml", f"{base}/bkg/vg250_2016-01-01_hessen.gpkg",
                         f"{base}/destatis/{{ddmmyyyy}}_Auszug_GV.xlsx")
    dest = tmp_path / "sources"
    code, out, err = run_cli("data", "download", "--source", dest, "--registry", registry)
    assert code == 0, err
    assert out.count("   geladen  ") == 2  # German by default: "downloaded"
    manifest = json.loads((dest / "MANIFEST.json").read_text())
    # the newest year the server has (2025 and 2024 answer 404) is taken
    assert manifest["population"]["file"] == "destatis/31122023_Auszug_GV.xlsx"
    assert manifest["population"]["sha256"] == (
        "0ced8a6431307efa64c1576a072781dee24382acfc5abf26f16dbabbe90f2be8")
    assert (dest / "bkg" / "vg250_2016-01-01_hessen.gpkg").read_bytes() == (
        shared_raw / "bkg" / "vg250_2016-01-01_hessen.gpkg").read_bytes()
    # second run: served from pooch's cache, checked against the recorded checksum
    code, out, err = run_cli("data", "download", "--source", dest, "--registry", registry)
    assert code == 0 and out.count(" vorhanden  ") == 2  # "cached"
    code, out, err = run_cli("data", "check", "--source", dest, "--no-cache")
    assert code == 0, err
    assert "Einwohner insgesamt       6.420.729" in out


def test_download_unpacks_a_bkg_zip(serve, shared_raw, tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    inner = "vg250-ew_12-31.utm32s.gpkg.ebenen/vg250-ew_ebenen_1231/"
    with zipfile.ZipFile(site / "vg250-ew_12-31.utm32s.gpkg.ebenen.zip", "w") as zf:
        zf.write(shared_raw / "bkg" / "vg250_2016-01-01_hessen.gpkg", inner + "DE_VG250.gpkg")
        zf.writestr("vg250-ew_12-31.utm32s.gpkg.ebenen/aktualitaet.txt", "01.01.2016\n")
    (site / "31122023_Auszug_GV.xlsx").write_bytes(
        (shared_raw / "destatis" / "31122023_Auszug_GV.xlsx").read_bytes())
    base = serve(site)
    releases = read_registry(_registry(
        tmp_path / "reg.toml", f"{base}/vg250-ew_12-31.utm32s.gpkg.ebenen.zip",
        f"{base}/{{ddmmyyyy}}_Auszug_GV.xlsx"))
    dest = tmp_path / "sources"
    entries = download_sources(dest, releases, today=dt.date(2024, 3, 1))
    gpkg = dest / entries[0]["file"]
    assert gpkg.name == "DE_VG250.gpkg"
    assert (gpkg.parent / "aktualitaet.txt").read_text().strip() == "01.01.2016"
    from wirgeo.sources import read_vg250

    assert read_vg250(gpkg).date_basis == "aktualitaet.txt of the product"


def test_checksum_mismatch_keeps_nothing(english, serve, shared_raw, tmp_path, run_cli):
    base = serve(shared_raw)
    registry = _registry(
        tmp_path / "reg.toml", f"{base}/bkg/vg250_2016-01-01_hessen.gpkg",
        f"{base}/destatis/{{ddmmyyyy}}_Auszug_GV.xlsx",
        extra='known_sha256 = { "31122023_Auszug_GV.xlsx" = "' + "0" * 64 + '" }\n')
    dest = tmp_path / "sources"
    code, out, err = run_cli("data", "download", "--source", dest, "--registry", registry)
    assert code == 2 and "Traceback" not in err
    assert "SHA256" in err.upper() and "wurde nicht behalten" in err
    assert not (dest / "destatis").exists()
    assert not list((dest / ".downloads").glob("*.xlsx"))


def test_no_address_answers(english, serve, tmp_path):
    base = serve(tmp_path)
    releases = read_registry(_registry(tmp_path / "reg.toml", f"{base}/x.gpkg",
                                       f"{base}/{{ddmmyyyy}}_Auszug_GV.xlsx"))
    with pytest.raises(DownloadError, match="none of these addresses answered"):
        download_sources(tmp_path / "s", releases[1:], today=dt.date(2025, 1, 1))


def test_no_year_to_try_is_a_download_error(english, tmp_path):
    # first_year after last year leaves no address to try (this used to be an IndexError)
    release = replace(DEFAULT_RELEASES[1], url="http://127.0.0.1:9/{ddmmyyyy}_Auszug_GV.xlsx",
                      first_year=2030)
    with pytest.raises(DownloadError, match="none of these addresses answered"):
        download_sources(tmp_path / "s", (release,), today=dt.date(2025, 1, 1))


def test_registry_refuses_unknown_keys(english, tmp_path):
    path = tmp_path / "reg.toml"
    path.write_text('[boundaries]\nulr = "http://x"\n')
    with pytest.raises(InputError, match="unknown key 'ulr'"):
        read_registry(path)


@pytest.fixture(autouse=True)
def english():
    """The messages in English, as the assertions read them (the CLI: --lang en)."""
    from wirgeo.settings import settings

    with settings.override(language="en"):
        yield


# ------------------------------------------------------------ issue 19: bounded, checked

_INNER = "vg250-ew_12-31.utm32s.gpkg.ebenen/vg250-ew_ebenen_1231/"
_ZIP = "vg250-ew_12-31.utm32s.gpkg.ebenen.zip"


class _Site(http.server.BaseHTTPRequestHandler):
    """Serves ``routes`` (path -> callable(handler)); anything else is a 404."""

    routes: dict = {}

    def do_GET(self):  # noqa: N802 - the name http.server calls
        route = self.routes.get(self.path.split("?")[0])
        if route is None:
            self.send_error(404)
            return
        try:
            route(self)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up: fine
            pass

    do_HEAD = do_GET  # noqa: N815

    def log_message(self, *args):
        pass

    def body(self, data: bytes, content_type="application/octet-stream", length=True):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)


@pytest.fixture
def site():
    """A local server whose answers each test sets: ``url = site({"/x": handler})``."""
    with _local_servers() as start:
        yield lambda routes: start(type("Handler", (_Site,), {"routes": routes}))


def _zip(entries) -> bytes:
    """A zip in memory: (name, bytes or ZipInfo-tweak) pairs."""
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            if mode is not None:
                info.external_attr = mode << 16
            zf.writestr(info, data)
    return buffer.getvalue()


def _boundaries_release(base, **limits):
    return replace(DEFAULT_RELEASES[0], url=f"{base}/{_ZIP}", **limits)


def _population_release(base, name="31122023_Auszug_GV.xlsx", **limits):
    return replace(DEFAULT_RELEASES[1], url=f"{base}/{name}", known_sha256={}, **limits)


def _nothing_kept(dest):
    downloads = dest / ".downloads"
    return not downloads.exists() or not [p for p in downloads.iterdir() if p.is_file()]


def test_a_trickling_server_meets_the_deadline(site, tmp_path):
    import time

    def trickle(h):
        h.send_response(200)
        h.send_header("Content-Length", "1000000")
        h.end_headers()
        for _ in range(10_000):
            h.wfile.write(b"x")
            h.wfile.flush()
            time.sleep(0.05)

    base = site({"/31122023_Auszug_GV.xlsx": trickle})
    started = time.monotonic()
    with pytest.raises(DownloadError, match=r"not complete after 1\.5 s"):
        download_sources(tmp_path / "s", (_population_release(base, max_seconds=1.5),))
    assert time.monotonic() - started < 10  # was: forever
    assert _nothing_kept(tmp_path / "s") and not (tmp_path / "s" / "destatis").exists()


def test_a_stalled_server_meets_the_deadline(site, tmp_path):
    import time

    def stall(h):
        h.send_response(200)
        h.send_header("Content-Length", "1000")
        h.end_headers()
        time.sleep(30)

    base = site({"/31122023_Auszug_GV.xlsx": stall})
    started = time.monotonic()
    with pytest.raises(DownloadError):
        download_sources(tmp_path / "s", (_population_release(base, max_seconds=1.0),))
    assert time.monotonic() - started < 10
    assert _nothing_kept(tmp_path / "s")


@pytest.mark.parametrize("announced", [True, False])
def test_the_size_limit(site, tmp_path, shared_raw, announced):
    data = (shared_raw / "destatis" / "31122023_Auszug_GV.xlsx").read_bytes()
    base = site({"/31122023_Auszug_GV.xlsx": lambda h: h.body(data, length=announced)})
    with pytest.raises(DownloadError, match="limit of 100000|more than 100000 bytes"):
        download_sources(tmp_path / "s", (_population_release(base, max_bytes=100_000),))
    assert _nothing_kept(tmp_path / "s")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(site, tmp_path):
    bomb = _zip([(_INNER + "DE_VG250.gpkg", b"\0" * 30_000_000, None)])
    assert len(bomb) < 100_000
    base = site({f"/{_ZIP}": lambda h: h.body(bomb)})
    with pytest.raises(DownloadError, match="compressed more than 100 times") as info:
        download_sources(tmp_path / "s", (_boundaries_release(base),))
    assert "DE_VG250.gpkg" in str(info.value)
    assert _nothing_kept(tmp_path / "s") and not (tmp_path / "s" / "bkg").exists()


def test_an_html_error_page_is_not_installed_and_the_good_release_stays(site, tmp_path,
                                                                        shared_raw, run_cli):
    good = (shared_raw / "destatis" / "31122023_Auszug_GV.xlsx").read_bytes()
    answer = {"body": good}
    base = site({"/31122023_Auszug_GV.xlsx": lambda h: h.body(answer["body"])})
    dest = tmp_path / "s"
    download_sources(dest, (_population_release(base),))
    installed = dest / "destatis" / "31122023_Auszug_GV.xlsx"
    assert installed.read_bytes() == good
    answer["body"] = b"<!DOCTYPE html><html><body>503 Service Unavailable</body></html>"
    registry = tmp_path / "reg.toml"
    registry.write_text(f'[population]\nurl = "{base}/31122023_Auszug_GV.xlsx"\n'
                        'folder = "destatis"\nknown_sha256 = {}\n')
    code, out, err = run_cli("data", "download", "--source", dest, "--registry", registry,
                             "--force", "--lang", "en")
    assert code == 2 and "Traceback" not in err
    assert "HTML page" in err and "downloaded" not in out
    assert installed.read_bytes() == good  # the previous good release, untouched
    assert _nothing_kept(dest)


@pytest.mark.parametrize(("entries", "expected"), [
    ([(_INNER + "DE_VG250.gpkg", "/etc/passwd", stat.S_IFLNK | 0o777)],
     ["symbolic links or special files", "DE_VG250.gpkg"]),
    ([(_INNER + "fifo.gpkg", b"", stat.S_IFIFO | 0o644), (_INNER + "DE_VG250.gpkg", b"x",
                                                           None)],
     ["symbolic links or special files", "fifo.gpkg"]),
    ([(_INNER + "DE_VG250.gpkg", b"a", None), ("other/DE_VG250_alt.gpkg", b"b", None)],
     ["holds 2 GeoPackages", "DE_VG250.gpkg", "DE_VG250_alt.gpkg"]),
    ([("readme.txt", b"nothing here", None)], ["holds 0 GeoPackages"]),
])
def test_archive_members_are_checked(site, tmp_path, entries, expected):
    data = _zip(entries)
    base = site({f"/{_ZIP}": lambda h: h.body(data)})
    with pytest.raises(DownloadError) as info:
        download_sources(tmp_path / "s", (_boundaries_release(base),))
    for text in expected:
        assert text in str(info.value)
    assert _nothing_kept(tmp_path / "s") and not (tmp_path / "s" / "bkg").exists()


def test_a_geopackage_of_points_is_refused_and_not_cached(site, tmp_path, shared_raw):
    import geopandas as gpd

    gpkg = tmp_path / "points.gpkg"
    for layer in ("vg250_gem", "vg250_krs", "vg250_rbz", "vg250_lan"):
        frame = gpd.read_file(shared_raw / "bkg" / "vg250_2016-01-01_hessen.gpkg",
                              layer=layer, rows=3)
        frame.assign(geometry=frame.geometry.centroid).to_file(gpkg, layer=layer,
                                                               driver="GPKG")
    data = _zip([(_INNER + "DE_VG250.gpkg", gpkg.read_bytes(), None)])
    base = site({f"/{_ZIP}": lambda h: h.body(data)})
    with pytest.raises(DownloadError, match="holds Point geometries, not areas") as info:
        download_sources(tmp_path / "s", (_boundaries_release(base),))
    assert "was not kept" in str(info.value)
    assert _nothing_kept(tmp_path / "s")
    assert not list((tmp_path / "s").rglob("DE_VG250.gpkg"))


def test_a_failed_fetch_is_never_cached_and_a_bad_cache_names_force(site, tmp_path,
                                                                     shared_raw, run_cli):
    good = (shared_raw / "destatis" / "31122023_Auszug_GV.xlsx").read_bytes()
    answer = {"body": b"<html>maintenance</html>"}
    base = site({"/31122023_Auszug_GV.xlsx": lambda h: h.body(answer["body"])})
    registry = tmp_path / "reg.toml"
    registry.write_text(f'[population]\nurl = "{base}/31122023_Auszug_GV.xlsx"\n'
                        'folder = "destatis"\nknown_sha256 = {}\n')
    dest = tmp_path / "s"
    code, _, err = run_cli("data", "download", "--source", dest, "--registry", registry,
                             "--lang", "en")
    assert code == 2 and "HTML page" in err
    answer["body"] = good  # the server is back: the next run fetches, no --force needed
    code, out, err = run_cli("data", "download", "--source", dest, "--registry", registry,
                             "--lang", "en")
    assert code == 0 and "downloaded" in out, err
    # a cached file damaged on disk: said with the fix --force, the install kept
    cached = dest / ".downloads" / "31122023_Auszug_GV.xlsx"
    installed = (dest / "destatis" / "31122023_Auszug_GV.xlsx").read_bytes()
    cached.write_bytes(b"PK\x03\x04 broken")
    (dest / "MANIFEST.json").unlink()  # no recorded checksum: pooch would serve the file
    code, _, err = run_cli("data", "download", "--source", dest, "--registry", registry,
                             "--lang", "en")
    assert code == 2 and "--force" in err and "Traceback" not in err, err
    assert (dest / "destatis" / "31122023_Auszug_GV.xlsx").read_bytes() == installed
    code, out, err = run_cli("data", "download", "--source", dest, "--registry", registry,
                             "--force", "--lang", "en")
    assert code == 0 and "downloaded" in out, err


@pytest.mark.parametrize(("text", "expected"), [
    ('[population]\nurl = "http://x/{ddmmyyyy}.xlsx"\nfirst_year = "2023"\n',
     "first_year must be a year"),
    ('[population]\nurl = "http://x/{foo}.xlsx"\n', "only the placeholder {ddmmyyyy}"),
    ('[population]\nurl = "http://x/{0.__class__}.xlsx"\n', "only the placeholder"),
    ("[[population]]\nurl = \"http://x/a.xlsx\"\n", "must be one table"),
    ("[population]\nurl = 5\n", "url must be text"),
    ('[population]\nurl = "ftp://x/a.xlsx"\n', "must be a full http(s) address"),
    ('[population]\nurl = "http://x/a.xlsx"\nfolder = "../../etc"\n',
     "inside the source folder"),
    ('[population]\nurl = "http://x/a.xlsx"\nfolder = "/etc"\n', "inside the source folder"),
    ('[population]\nknown_sha256 = "abc"\n', "known_sha256 must be a table"),
    ('[population]\nmax_bytes = -1\n', "max_bytes must be a positive"),
    ("[population]\nurl = " + "[" * 3000 + "]" * 3000 + "\n", "nested too deeply"),
    ('[population]\nurl = "http://x/a.xlsx"\ndescription = "M\u00fcnchen \u0080"\n',
     "neither UTF-8"),
])
def test_odd_registries_are_one_message(tmp_path, run_cli, text, expected):
    path = tmp_path / "reg.toml"
    path.write_bytes(text.encode("utf-8") if "\u0080" not in text else
                     text.replace(" \u0080", "").encode("cp850"))
    code, _, err = run_cli("data", "download", "--source", tmp_path / "s", "--registry",
                           path, "--lang", "en")
    assert code == 2 and "Traceback" not in err, err
    assert expected in err and str(path) in err, err


def test_a_registry_in_windows_1252_is_read(tmp_path, caplog):
    path = tmp_path / "reg.toml"
    path.write_bytes('[population]\nurl = "http://x/a.xlsx"\ndescription = "Gießen"\n'
                     .encode("cp1252"))
    assert read_registry(path)[0].description == "Gießen"
