"""`wirgeo data download` against a local HTTP server serving the official files.

Never the internet: a server on 127.0.0.1 serves ``../shared/data/raw`` (and a zip laid out
like BKG's VG250-EW download), and a registry file points wirgeo at it.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import json
import threading
import zipfile
from dataclasses import replace

import pytest

from wirgeo.errors import DownloadError, InputError
from wirgeo.sources.download import DEFAULT_RELEASES, download_sources, read_registry


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def serve():
    servers = []

    def start(folder):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


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
    assert "SHA256" in err.upper() and "was not kept" in err
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


def test_old_module_name_warns_and_still_works():
    import wirgeo.download as old  # importing the old module alone stays silent

    with pytest.warns(DeprecationWarning, match="wirgeo.sources.download"):
        from wirgeo.download import download_sources as old_download_sources
    assert old_download_sources is download_sources
    with pytest.warns(DeprecationWarning):
        assert old.read_registry is read_registry
    with pytest.raises(AttributeError):
        old.no_such_name  # noqa: B018
