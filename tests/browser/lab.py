"""A real JupyterLab on localhost, driven in Debian's chromium like a planner would use it.

:func:`jupyter_lab` starts ``jupyter lab`` from this venv on a free port in a folder of the
test's choosing (a copy of ``notebooks/``), with a token, no browser, no news and a read-only
extension manager (no requests to PyPI). :class:`LabPage` opens a notebook, runs all cells
through the menu and waits for the kernel — requests of the page (and of the folium maps in
its output iframes) to CDNs are answered offline by :class:`support.OfflineRoutes`.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import support

TOKEN = "wirgeo-test"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def jupyter_lab(root: Path, log: Path, env: dict | None = None) -> Iterator[str]:
    """Run JupyterLab serving ``root``; yield its base URL; stop it afterwards."""
    settings = root.parent / "lab-settings"
    # no "get notified about Jupyter news?" toast over the notebook
    notification = settings / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    (notification / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port = _free_port()
    jupyter = Path(sys.executable).with_name("jupyter")
    command = [str(jupyter), "lab", "--no-browser", "--allow-root", f"--port={port}",
               "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}",
               f"--ServerApp.root_dir={root}", f"--LabApp.user_settings_dir={settings}",
               "--LabApp.extension_manager=readonly", "--LabApp.news_url=",
               f"--ServerApp.runtime_dir={root.parent / 'runtime'}",
               # a fresh workspace: no tabs restored from an earlier session
               f"--LabApp.workspaces_dir={root.parent / 'workspaces'}"]
    handle = open(log, "w")  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT,
                               env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"JupyterLab exited ({process.returncode}); see {log}:\n"
                                   + log.read_text()[-2000:])
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not answer in 90 s; see {log}") from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        handle.close()


class Lab:
    """One JupyterLab for the whole test session (starting one costs seconds).

    Each test works in a folder of its own under :attr:`root` and opens its notebooks by
    their path from there; :meth:`kernels` shuts down the kernels the test started.
    """

    def __init__(self, base: str, root: Path, out: Path):
        self.base, self.root, self.out = base, root, out

    def folder(self, name: str) -> Path:
        """A fresh folder of the served tree for one test."""
        path = self.root / name
        path.mkdir()
        return path

    @contextlib.contextmanager
    def kernels(self) -> Iterator[str]:
        """Yield the base URL; afterwards shut down every kernel started meanwhile."""
        before = {k["id"] for k in self._get("kernels")}
        try:
            yield self.base
        finally:
            for kernel in self._get("kernels"):
                if kernel["id"] not in before:
                    request = urllib.request.Request(
                        f"{self.base}/api/kernels/{kernel['id']}?token={TOKEN}",
                        method="DELETE")
                    with contextlib.suppress(OSError):
                        urllib.request.urlopen(request, timeout=20).close()

    def _get(self, what: str) -> list[dict]:
        with urllib.request.urlopen(f"{self.base}/api/{what}?token={TOKEN}",
                                    timeout=20) as answer:
            return json.loads(answer.read())


class LabPage:
    """One notebook opened in JupyterLab."""

    def __init__(self, browser, base: str, notebook: str, *, width=1500, height=1000,
                 on_page=None):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.routes = support.OfflineRoutes()
        # context-wide, so the folium maps in output iframes are routed too
        self.context.route("**/*", self.routes.handle)
        self.page = self.context.new_page()
        self.log = support.PageLog()
        self.log.attach(self.page)
        self.failed: list[str] = []
        self.page.on("response", lambda r: self.failed.append(f"{r.status} {r.url}")
                     if r.status >= 400 else None)
        if on_page is not None:  # listeners that must see the page from its first request
            on_page(self.page)
        # a workspace of its own: the tabs of an earlier test in the same JupyterLab (their
        # kernels shut down) are not restored into this page
        workspace = "w" + uuid.uuid4().hex[:8]
        self.page.goto(f"{base}/lab/workspaces/{workspace}/tree/{notebook}?token={TOKEN}")
        self.page.wait_for_selector(".jp-Notebook:visible", timeout=90_000)
        self.wait_idle(timeout=120_000)

    def wait_idle(self, timeout: float = 120_000) -> None:
        """Wait until the kernel reports idle in the status bar."""
        self.page.wait_for_selector("text=/\\| Idle/", timeout=timeout)

    def run_all(self, timeout: float = 180_000) -> None:
        """Run > Run All Cells, then wait until every cell has run."""
        self.page.locator(".jp-Notebook:visible").first.click()
        self.page.get_by_role("menuitem", name="Run", exact=True).click()
        self.page.locator("li[data-command='runmenu:run-all']").click()
        # every code cell shows an execution count once run; "[*]" while running
        self.page.wait_for_function(
            """() => {
                const prompts = [...document.querySelectorAll(
                    '.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim());
                return prompts.length > 0 && prompts.every(t => /^\\[\\d+\\]:$/.test(t));
            }""", timeout=timeout)
        self.wait_idle(timeout=timeout)

    def errors_in_outputs(self) -> list[str]:
        """Texts of error outputs (tracebacks) in the notebook."""
        return self.page.locator(".jp-OutputArea-output[data-mime-type="
                                 "'application/vnd.jupyter.stderr']").all_inner_texts()

    def close(self) -> None:
        self.context.close()
