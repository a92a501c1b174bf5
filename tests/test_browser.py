"""A real browser: JupyterLab in headless Chromium runs 01_overview.ipynb and uses the dashboard.

The test starts JupyterLab on 127.0.0.1 (free port, random token, temporary config / runtime /
data directories, ``--allow-root`` when run as root) over a temporary copy of ``notebooks/`` and
the sample data, so the repository's notebooks are never touched.  It opens the overview
notebook in Debian's Chromium (``/usr/bin/chromium``) through Playwright, runs all cells from
the Run menu, waits on the DOM for the dashboard, picks one account in the dashboard's dropdown
and checks that the summary table and the charts changed.  Screenshots go to
``tests/_artifacts/`` (``CASELOG_UPDATE_SCREENSHOTS=1`` also copies them to ``docs/img/``).

It is skipped, with the reason, only when Chromium is missing or cannot be launched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "_artifacts"
DOCS_IMG = ROOT / "docs" / "img"
CHROMIUM = os.environ.get("CASELOG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_TIMEOUT = 90  # s until JupyterLab answers
KERNEL_TIMEOUT = 120_000  # ms for the kernel to start (a fresh venv compiles its imports)
RUN_TIMEOUT = 240_000  # ms for the notebook to run and the dashboard to appear
UPDATE_TIMEOUT = 60_000  # ms for the dashboard to redraw after a filter change
# Page errors raised by JupyterLab's or ipywidgets' own code in a known race, not by caselog:
# ipywidgets' ``getWidgetManagerOwner`` reads ``sessionContext.session.kernel`` while the
# notebook's session has no kernel yet (jupyter-widgets/ipywidgets#3970, fix in #3971).  The
# dashboard still has to appear and redraw; any other page error fails the test.
UPSTREAM_RACES = ("Cannot read properties of null (reading 'kernel')",)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium through Playwright, or a skip that says why."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - playwright is a dev dependency
        pytest.skip(f"playwright is not installed: {exc}")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (install it: make browser)")
    manager = sync_playwright().start()
    try:
        browser = manager.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=60_000
        )
    except Exception as exc:  # noqa: BLE001 - any launch failure means: no browser here
        manager.stop()
        pytest.skip(f"Chromium at {CHROMIUM} could not be launched: {exc}")
    yield browser
    browser.close()
    manager.stop()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server over a copy of the notebooks and the sample data."""
    base = tmp_path_factory.mktemp("lab")
    work = base / "work"
    shutil.copytree(ROOT / "notebooks", work / "notebooks")
    (work / "data" / "sample").mkdir(parents=True)
    shutil.copy2(ROOT / "data" / "sample" / "caselog_sample.xlsx", work / "data" / "sample")
    config, runtime, data, path = (base / d for d in ("config", "runtime", "data", "path"))
    for d in (config, runtime, data):
        d.mkdir()
    # the notebooks' "python3" kernel is this interpreter, whatever "python" is on PATH
    spec = path / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }))
    # no news / update pop-ups over the notebook
    (config / "labconfig").mkdir()
    (config / "labconfig" / "page_config.json").write_text(json.dumps({
        "disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}
    }))
    port, token = _free_port(), uuid.uuid4().hex
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_RUNTIME_DIR": str(runtime),
        "JUPYTER_DATA_DIR": str(data),
        "JUPYTER_PATH": str(path),
        "JUPYTER_PLATFORM_DIRS": "1",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={work}",
        f"--LabApp.workspaces_dir={base / 'workspaces'}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = base / "jupyterlab.log"
    with open(log_path, "wb") as log_file:
        proc = subprocess.Popen(
            cmd, cwd=work, env=env, stdout=log_file, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_TIMEOUT
        while True:
            if proc.poll() is not None:
                tail = log_path.read_text()[-3000:]
                pytest.fail(f"JupyterLab exited ({proc.returncode}):\n{tail}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer in {SERVER_TIMEOUT} s:\n"
                            f"{log_path.read_text()[-3000:]}")
            time.sleep(0.3)
        yield {"url": url, "token": token, "work": work, "log": log_path}
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _accept_dialogs(page) -> None:
    """Accept any JupyterLab dialog in the way (e.g. "Select Kernel" when run-all races the
    session's kernel start): its default button keeps the preferred Python 3 kernel."""
    for _ in range(3):
        dialog = page.locator(".jp-Dialog")
        if not dialog.count() or not dialog.first.is_visible():
            return
        page.locator(".jp-Dialog .jp-mod-accept").first.click()
        page.wait_for_timeout(500)


def _run_all(page, tries: int = 4) -> None:
    """Run > Run All Cells from the menu bar; retried until a cell shows it was queued."""
    started = (
        "() => [...document.querySelectorAll('.jp-NotebookPanel .jp-InputPrompt')]"
        ".some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))"
    )
    for attempt in range(tries):
        _accept_dialogs(page)
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        item = page.locator(".lm-Menu-item").filter(
            has=page.locator(".lm-Menu-itemLabel", has_text="Run All Cells")
        ).first
        item.wait_for(state="visible")
        item.click()
        page.wait_for_timeout(300)
        _accept_dialogs(page)
        try:
            page.wait_for_function(started, timeout=15_000)
            return
        except Exception:  # noqa: BLE001 - the menu did not take the click: try again
            if page.locator(".lm-Menu").count():
                page.keyboard.press("Escape")  # close a menu left open, never a dialog
            if attempt == tries - 1:
                raise


_IDLE = (
    "() => [...document.querySelectorAll('.jp-Toolbar-kernelStatus, "
    ".jp-Notebook-ExecutionIndicator')].some(e => /idle/i.test("
    "(e.getAttribute('data-status') || '') + e.title + e.textContent))"
)
_STATE = """() => {
  const prompts = [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')]
    .map(p => p.textContent.trim());
  const kernel = [...document.querySelectorAll('.jp-Toolbar-kernelStatus, '
    + '.jp-Notebook-ExecutionIndicator')].map(e => (e.getAttribute('data-status') || '')
    + ' ' + (e.title || '') + ' ' + e.textContent).join(' | ');
  const dialog = [...document.querySelectorAll('.jp-Dialog')].map(d => d.innerText).join(' | ');
  const outputs = [...document.querySelectorAll('.jp-OutputArea-output')]
    .map(o => o.innerText.slice(0, 200));
  return {prompts, kernel, dialog, outputs};
}"""


def _state(page) -> dict:
    """What the notebook shows: each code cell's prompt, the kernel status, any dialog."""
    try:
        return page.evaluate(_STATE)
    except Exception as exc:  # noqa: BLE001 - only for the failure message
        return {"error": str(exc)}


WIDGET_STUCK = 45  # s a finished run may show "Loading widget..." before the page is reloaded


def _open_and_run(page, lab, name: str, target, reruns: int = 2, reloads: int = 2) -> None:
    """Open ``name`` in a fresh workspace, run all cells once the kernel is idle, and wait
    until ``target`` (a locator) is visible.

    Run All is given again (up to ``reruns`` times) when the kernel is idle but some code
    cell never ran: JupyterLab can drop a run that races the kernel's start.  The page is
    reloaded and run again (up to ``reloads`` times) when every cell ran but a widget still
    shows "Loading widget..." after ``WIDGET_STUCK`` s: jupyter_server can fail the first
    kernel websocket (``'NoneType' object has no attribute 'kernel_ws_protocol'``,
    jupyter-server/jupyter_server#1265), and the page's widget manager then never receives
    the widgets the kernel made.  A failure says what the notebook showed (prompts, kernel
    status, dialogs, outputs) and ends with the server log, so a CI log alone tells why."""

    def start() -> float:
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=90_000)
        page.wait_for_function(_IDLE, timeout=KERNEL_TIMEOUT)
        _run_all(page)
        return time.monotonic() + RUN_TIMEOUT / 1000

    page.goto(_fresh_url(lab, name), wait_until="domcontentloaded", timeout=60_000)
    deadline = start()
    runs, reloaded, stuck_since = 1, 0, None
    while True:
        try:
            target.wait_for(timeout=5_000)
            return
        except Exception:  # noqa: BLE001 - not there yet
            pass
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{name}: the expected output did not appear in {RUN_TIMEOUT // 1000} s "
                f"after {runs} run(s) and {reloaded} reload(s); the notebook showed "
                f"{_state(page)!r}\nserver log:\n{lab['log'].read_text()[-3000:]}")
        _accept_dialogs(page)
        state = _state(page)
        prompts = state.get("prompts") or []
        idle = "idle" in str(state.get("kernel", "")).lower()
        busy = any("*" in p for p in prompts)
        unrun = [p for p in prompts if not re.search(r"\[\d+\]", p)]
        if idle and unrun and not busy and runs <= reruns:
            _run_all(page)
            runs += 1
            continue
        loading = any("Loading widget" in o for o in state.get("outputs") or [])
        if not (idle and not busy and not unrun and loading):
            stuck_since = None
        elif stuck_since is None:
            stuck_since = time.monotonic()
        elif time.monotonic() - stuck_since > WIDGET_STUCK and reloaded < reloads:
            page.reload(wait_until="domcontentloaded", timeout=60_000)
            deadline = start()
            runs, reloaded, stuck_since = runs + 1, reloaded + 1, None


def _summary(page) -> str:
    return page.locator(".caselog-table").first.inner_text()


def _chart_sources(page) -> list[str]:
    return page.locator(".jp-OutputArea img.widget-image").evaluate_all(
        "els => els.map(e => e.getAttribute('src') || '')"
    )


def _shot(page, name: str, locator=None) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / name
    (locator or page).screenshot(path=str(target))
    if os.environ.get("CASELOG_UPDATE_SCREENSHOTS"):
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target, DOCS_IMG / name)
    return target


def _chart_sizes(page) -> list[tuple[float, float, int]]:
    """(rendered width, rendered height, natural width) of the dashboard's chart images."""
    return [tuple(x) for x in page.locator(".jp-OutputArea img.widget-image").evaluate_all(
        "els => els.map(e => [e.getBoundingClientRect().width, "
        "e.getBoundingClientRect().height, e.naturalWidth])")]


def test_dashboard_in_jupyterlab(browser, lab):
    # a laptop: 1280 x 800 with JupyterLab's file browser open
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"{exc.message}\n{exc.stack or ''}"))
    try:
        _open_and_run(page, lab, "01_overview.ipynb", page.locator(".caselog-table").first)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-OutputArea img.widget-image')]"
            ".filter(i => (i.getAttribute('src') || '').length > 0 && i.naturalWidth > 0)"
            ".length >= 5",
            timeout=RUN_TIMEOUT,
        )
        assert not page.locator(".jp-OutputArea-output[data-mime-type*='error']").count()
        assert "input rows" in page.locator(".jp-OutputArea").all_inner_texts().__str__()
        assert page.locator(".jp-FileBrowser").first.is_visible()  # the side panel is open
        sizes = _chart_sizes(page)
        assert len(sizes) == 5
        for width, height, natural in sizes:
            # labels stay readable: at least 400 px wide, drawn at >= 80 % of their size
            assert width >= 400 and height >= 240, sizes
            assert width / natural >= 0.8, sizes
        before_table, before_src = _summary(page), _chart_sources(page)
        assert "cases" in before_table and "300" in before_table
        dashboard = page.locator(".jp-OutputArea-output").filter(
            has=page.locator(".caselog-table")
        ).first
        dashboard.scroll_into_view_if_needed()
        _shot(page, "notebook_run.png")  # what a 1280 x 800 window shows
        page.set_viewport_size({"width": 1280, "height": 2000})  # same width: the whole widget
        _shot(page, "dashboard.png", dashboard)

        # pick one account in the dashboard's dropdown
        select = dashboard.locator(".widget-dropdown select").first
        options = [o.replace("\xa0", " ") for o in select.locator("option").all_inner_texts()]
        assert options[0] == "All accounts" and len(options) >= 3
        select.select_option(index=1)  # the first account
        page.wait_for_function(
            "before => { const t = document.querySelector('.caselog-table');"
            " return t && t.innerText !== before; }",
            arg=before_table,
            timeout=UPDATE_TIMEOUT,
        )
        page.wait_for_function(
            "before => { const s = [...document.querySelectorAll("
            "'.jp-OutputArea img.widget-image')].map(i => i.getAttribute('src') || '');"
            " return s.length === before.length && s.every((x, k) => x !== before[k]); }",
            arg=before_src,
            timeout=UPDATE_TIMEOUT,
        )
        after_table = _summary(page)
        assert after_table != before_table
        accounts_row = [line for line in after_table.splitlines() if line.startswith("accounts")]
        assert accounts_row and accounts_row[0].split()[-1] == "1"
        assert _chart_sources(page) != before_src
        _shot(page, "dashboard_filtered.png", dashboard)
        ours = [e for e in errors if e.split("\n", 1)[0].strip() not in UPSTREAM_RACES]
        assert not ours, ours
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "browser_failure.png"))
        shutil.copy2(lab["log"], ARTIFACTS / "jupyterlab.log")
        raise
    finally:
        context.close()


# ------------------------------------------------------------------------------ hostile data

PAYLOAD = '<img src=x onerror="window.__pwned=1">'

_HOSTILE_CELLS = [
    "import caselog\n"
    "from caselog.model import CaseLog\n"
    "s = caselog.sample.generate(n_cases=40)\n"
    "a0 = caselog.analyse(s.log)\n"
    "CID = a0.queue(('ready',))['case_id'].iloc[0]\n"
    f"P = {PAYLOAD!r}\n"
    "m = s.log.messages.copy()\n"
    "mine = m['case_id'].eq(CID)\n"
    "m.loc[mine, 'account'] = 'Acme ' + P\n"
    "m.loc[mine, 'subject'] = 'Subject ' + P\n"
    "seller = mine & m['direction'].eq('seller')\n"
    "m.loc[seller, 'body'] = 'Body ' + P + ' **bold** $5 [x](javascript:window.__pwned=2) ' "
    "+ m.loc[seller, 'body']\n"
    "c = s.log.cases.copy()\n"
    "c.loc[c['case_id'].eq(CID), 'account'] = 'Acme ' + P\n"
    "a = caselog.analyse(CaseLog(messages=m, cases=c))\n"
    "assert a.readiness.set_index('case_id').loc[CID, 'verdict'] == 'ready'",
    "caselog.case_explorer(a, case_id=CID)",
    "caselog.dashboard(a)",
    "caselog.readiness_queue_widget(a)",
]


def _fresh_url(lab, name: str) -> str:
    """The notebook in a workspace of its own: no tab of an earlier test is restored."""
    return (f"{lab['url']}/lab/workspaces/w{uuid.uuid4().hex[:8]}/tree/notebooks/{name}"
            f"?reset&token={lab['token']}")


def _hostile_notebook(path: Path) -> None:
    cells = [{"cell_type": "code", "execution_count": None, "id": f"h{i}", "metadata": {},
              "outputs": [], "source": src} for i, src in enumerate(_HOSTILE_CELLS)]
    path.write_text(json.dumps({
        "cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5,
    }))


def test_script_payloads_in_data_never_run(browser, lab):
    """An account, subject and body holding ``<img onerror=...>``: the explorer (all tabs,
    the letter included), the dashboard and the queue show the text, and nothing runs."""
    _hostile_notebook(lab["work"] / "notebooks" / "hostile.ipynb")
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        _open_and_run(page, lab, "hostile.ipynb",
                      page.get_by_text("readiness queue").first)
        page.locator(".caselog-table").nth(2).wait_for(timeout=RUN_TIMEOUT)
        assert not page.locator(".jp-OutputArea-output[data-mime-type*='error']").count()
        for title in ("Messages", "Escalations", "Readiness", "Brief"):
            page.locator(".lm-TabBar-tab, .p-TabBar-tab", has_text=title).first.click()
            page.wait_for_timeout(400)
        page.get_by_text("Escalation request: Case").first.wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        _shot(page, "hostile_payloads.png")
        text = page.locator(".jp-NotebookPanel").inner_text()
        assert PAYLOAD in text  # shown as text in the letter ...
        assert text.count("onerror") >= 3  # ... and in the tables
        assert "**bold**" in text and "$5" in text  # Markdown metacharacters shown as typed
        assert page.evaluate("() => window.__pwned") is None
        assert page.locator(".jp-OutputArea img[src='x']").count() == 0
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "browser_failure_hostile.png"))
        shutil.copy2(lab["log"], ARTIFACTS / "jupyterlab.log")
        raise
    finally:
        context.close()


# ------------------------------------------------------------------------------ explorer, queue

_VIEWS_CELLS = [
    "import caselog\n"
    "a = caselog.analyse(caselog.load('../data/sample/caselog_sample.xlsx'))\n"
    "CID = a.queue(('ready',))['case_id'].iloc[0]",
    "caselog.case_explorer(a, case_id=CID)",
    "caselog.readiness_queue_widget(a, out_dir='output')",
]


def test_explorer_and_queue_at_laptop_width(browser, lab):
    """The case explorer and the queue in a 1280-px window with the file browser open: the
    message text column has room, the verdict boxes work with a plain click; screenshots for
    the README."""
    path = lab["work"] / "notebooks" / "views.ipynb"
    cells = [{"cell_type": "code", "execution_count": None, "id": f"v{i}", "metadata": {},
              "outputs": [], "source": src} for i, src in enumerate(_VIEWS_CELLS)]
    path.write_text(json.dumps({"cells": cells, "metadata": {"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}))
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        _open_and_run(page, lab, "views.ipynb", page.get_by_text("cases in the queue").first)
        assert not page.locator(".jp-OutputArea-output[data-mime-type*='error']").count()
        outputs = page.locator(".jp-OutputArea-output")
        explorer = outputs.filter(has_text="case explorer").first
        queue = outputs.filter(has_text="readiness queue").first
        # the Messages tab: the text column is readable
        width = explorer.locator(".caselog-table td:nth-child(6)").first.evaluate(
            "e => e.getBoundingClientRect().width")
        assert width >= 300, width
        # the queue's verdict boxes: one plain click
        before = queue.locator(".caselog-table").inner_text()
        queue.locator(".widget-checkbox", has_text="not yet").locator("input").click()
        page.wait_for_function(
            "b => [...document.querySelectorAll('.caselog-table')].pop().innerText !== b",
            arg=before, timeout=UPDATE_TIMEOUT)
        assert "not yet" not in queue.locator(".caselog-table").inner_text()
        page.set_viewport_size({"width": 1280, "height": 2000})  # same width: whole widgets
        explorer.locator(".lm-TabBar-tab, .p-TabBar-tab", has_text="Readiness").first.click()
        page.wait_for_timeout(500)
        _shot(page, "case_explorer.png", explorer)
        explorer.locator(".lm-TabBar-tab, .p-TabBar-tab", has_text="Brief").first.click()
        page.get_by_text("Escalation request: Case").first.wait_for()
        page.wait_for_timeout(500)
        _shot(page, "case_explorer_letter.png", explorer)
        _shot(page, "readiness_queue.png", queue)
    except Exception:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "browser_failure_views.png"))
        shutil.copy2(lab["log"], ARTIFACTS / "jupyterlab.log")
        raise
    finally:
        context.close()
