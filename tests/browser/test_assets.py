"""The offline routes cover every CDN URL folium and branca reference, in their versions."""

from __future__ import annotations

import json
import re

import branca.colormap
import folium
import pytest
import support


def referenced_urls() -> list[str]:
    """Every script and stylesheet a folium map with a branca colormap legend loads."""
    m = folium.Map(tiles=None)
    branca.colormap.LinearColormap(["#ffffff", "#000000"]).add_to(m)
    html = m.get_root().render()
    urls = re.findall(r'<(?:script src|link rel="stylesheet" href)="(https?://[^"]+)"', html)
    assert len(urls) >= 11  # folium's 10 defaults plus d3 for the legend
    return urls


def test_every_folium_cdn_url_has_a_local_copy():
    support.check_node_modules()
    missing = [u for u in referenced_urls()
               if u not in support.SUBSTITUTES and not (
                   (f := support.cdn_file(u)) is not None and f.is_file())]
    assert missing == []


@pytest.mark.parametrize("package, version", sorted(support.NPM_VERSIONS.items()))
def test_npm_copies_are_the_versions_the_cdn_urls_name(package, version):
    installed = json.loads((support.NODE_MODULES / package / "package.json").read_text())
    assert installed["version"] == version
    wanted = json.loads((support.HERE / "package.json").read_text())["dependencies"]
    assert wanted[package] == version  # pinned exactly
    lock = json.loads((support.HERE / "package-lock.json").read_text())
    assert lock["packages"][f"node_modules/{package}"]["version"] == version
    # the version is the one in the URLs folium / branca reference
    urls = [u for u in referenced_urls() if support.cdn_file(u) is not None
            and str(support.cdn_file(u)).startswith(str(support.NODE_MODULES / package))]
    assert urls
    for url in urls:
        assert re.search(rf"[@/-]{re.escape(version)}[/.]", url), url


def test_only_cdn_packages_are_routed():
    """No route points at a package that is not pinned (a typo would serve nothing)."""
    for target in [*support.CDN_FILES.values(), *support.CDN_FOLDERS.values()]:
        assert any(target.startswith(p + "/") for p in support.NPM_VERSIONS), target


def test_blank_tile_is_a_png():
    assert support.BLANK_TILE.startswith(b"\x89PNG\r\n\x1a\n")
    assert support.BLANK_TILE[16:24] == (256).to_bytes(4, "big") * 2


def test_the_leaflet_wirgeo_ships_is_the_pinned_npm_release():
    # maps._library writes this copy into every exported map; it must be the release the
    # browser tests install (package.json pins it), byte for byte, licence included.
    from wirgeo.maps import _library

    support.check_node_modules()
    npm = support.NODE_MODULES / "leaflet"
    assert json.loads((npm / "package.json").read_text())["version"] == _library.LEAFLET_VERSION
    assert _library.leaflet_js() == (npm / "dist" / "leaflet.js").read_text()
    assert "Copyright" in _library.leaflet_licence_text()
    assert (npm / "LICENSE").read_text() == _library.leaflet_licence_text()
    css = _library.leaflet_css()
    assert "url(images/" not in css and css.count("data:image/png;base64,") == 3
