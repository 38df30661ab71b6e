#!/usr/bin/env python
"""Time citizen pages on an emulated slow connection and write the report.

Fills a throwaway database with the pages' data (tests/web/budget_pages.py, as
scripts/page_weight.py does), serves the site on 127.0.0.1 as production serves it (hashed,
pre-compressed static files with long cache lifetimes, gzip HTML; scripts/_measuring.py) and
opens each page in Chromium (Playwright) at 360x640 with the DevTools network emulation:
400 ms round trip, 400 kbit/s down and up, at the machine's CPU speed and with the CPU
slowed 4x. Each page is opened cold (new profile: empty cache, no service worker), then again
from the same profile (service worker active), and again from a profile without service
workers (HTTP cache only); the median of ``--runs`` runs is kept. Writes the section between
the slow-connection markers of docs/page-weight.md and bench/results/slow-connection.json;
exits 1 when the report form is not usable within the goal (3 s) on a first visit.

    .venv/bin/python scripts/slow_connection.py [--runs 3] [--cpu-slowdown 1,4]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import logging
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# scripts/ for _measuring, the checkout's root for tests.chromium
sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[1])]
from _measuring import (  # noqa: E402 - after the path is set
    ROOT,
    SLOW_BEGIN,
    SLOW_END,
    production_like_server,
    replace_block,
    setup_django,
    throwaway_database,
)
from tests.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

GOAL_MS = 3000
LATENCY_MS = 400
THROUGHPUT_BPS = 400_000 // 8  # 400 kbit/s in bytes per second
VIEWPORT = {"width": 360, "height": 640}


@dataclass(frozen=True)
class Ready:
    """What must hold for a page to count as usable (see READY_JS)."""

    target: str  # this element is rendered (painted, non-empty box, not hidden) ...
    typeable: bool = False  # ... and, when true, enabled and editable (not disabled/readonly)
    present: tuple[str, ...] = ()  # these elements exist and are not disabled
    map: bool = False  # the page has a map: also time until Leaflet has set it up


# label in tests/web/budget_pages.py → what "usable" means on that page
PAGES: dict[str, Ready] = {
    "Beranda": Ready(target="ul.modules a.card-link"),
    "Formulir laporan": Ready(
        target="#report-form :is(input:not([type=hidden]), select, textarea)",
        typeable=True,
        present=("#report-form [data-testid=submit-report]",),
        map=True,
    ),
    "Lacak laporan": Ready(target="[data-testid=status]"),
}

# Runs in each page before its own scripts. Checks the condition at every rendering frame
# (requestAnimationFrame does not run while the first render is blocked by stylesheets), and
# records performance.now() of the first frame where it holds; the script takes the later of
# that and the first contentful paint.
READY_JS = """
(spec) => {
  const t = { usable: null, mapReady: null };
  window.__loketTiming = t;
  const rendered = (el) => {
    if (!el || !el.isConnected) return false;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden";
  };
  const typeable = (el) => rendered(el) && !el.disabled && !el.readOnly
    && !el.closest("fieldset[disabled], [inert]");
  const present = (el) => !!el && el.isConnected && !el.disabled;
  const frame = () => {
    if (t.usable === null) {
      const el = document.querySelector(spec.target);
      let ok = spec.typeable ? typeable(el) : rendered(el);
      for (const sel of spec.present) ok = ok && present(document.querySelector(sel));
      if (ok) t.usable = performance.now();
    }
    if (t.mapReady === null && document.querySelector("[data-map-ready]")) {
      t.mapReady = performance.now();
    }
    if (t.usable === null || (spec.map && t.mapReady === null)) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}
"""

TIMINGS_JS = """
() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  const t = window.__loketTiming;
  return {
    fcp: fcp ? fcp.startTime : null,
    dcl: nav.domContentLoadedEventEnd,
    load: nav.loadEventEnd,
    usable_raw: t.usable,
    map_ready: t.mapReady,
    controlled: !!navigator.serviceWorker && !!navigator.serviceWorker.controller,
  };
}
"""


@dataclass
class Visit:
    ttfb: float
    fcp: float | None
    usable: float
    dcl: float
    load: float
    map_ready: float | None
    bytes: int
    requests: int
    from_cache: int
    controlled: bool


@dataclass
class PageResult:
    label: str
    path: str
    cpu_slowdown: float
    ready: dict[str, Any]
    visits: dict[str, list[Visit]] = field(default_factory=dict)

    def median(self, kind: str, name: str) -> float | None:
        values = [getattr(v, name) for v in self.visits.get(kind, [])]
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None


CONDITIONS = {
    "offline": False,
    "latency": LATENCY_MS,
    "downloadThroughput": THROUGHPUT_BPS,
    "uploadThroughput": THROUGHPUT_BPS,
}


class Workers:
    """Gives service workers the page's network emulation. DevTools emulates per target: a
    page's setting does not reach the fetches its service worker makes (the page itself,
    network-first), which would then run at full speed. Counts the bytes they receive."""

    def __init__(self, browser: Any, blocked: list[str]) -> None:
        self.session = browser.new_browser_cdp_session()
        self.blocked = blocked
        self.sessions: dict[str, str] = {}  # target id → session id
        self.bytes = 0
        self.answered: set[int] = set()
        self.ids = itertools.count(1)
        self.session.on("Target.receivedMessageFromTarget", self._message)

    def _message(self, event: dict[str, Any]) -> None:
        message = json.loads(event["message"])
        if "id" in message:
            self.answered.add(message["id"])
        elif message.get("method") == "Network.loadingFinished":
            self.bytes += int(message["params"].get("encodedDataLength", 0))

    def _send(self, session_id: str, method: str, params: dict[str, Any]) -> int:
        message_id = next(self.ids)
        message = {"id": message_id, "method": method, "params": params}
        self.session.send(
            "Target.sendMessageToTarget", {"sessionId": session_id, "message": json.dumps(message)}
        )
        return message_id

    def throttle(self) -> int:
        """Emulate the slow connection in every service worker not yet done; returns how many
        workers are emulated."""
        sent = []
        for info in self.session.send("Target.getTargets")["targetInfos"]:
            if info["type"] != "service_worker" or info["targetId"] in self.sessions:
                continue
            session_id = self.session.send(
                "Target.attachToTarget", {"targetId": info["targetId"], "flatten": False}
            )["sessionId"]
            self.sessions[info["targetId"]] = session_id
            sent.append(self._send(session_id, "Network.enable", {}))
            sent.append(self._send(session_id, "Network.emulateNetworkConditions", CONDITIONS))
            if self.blocked:
                blocked = {"urls": self.blocked}
                sent.append(self._send(session_id, "Network.setBlockedURLs", blocked))
        for _ in range(200):  # let the answers arrive (events are handled while waiting)
            if self.answered.issuperset(sent):
                break
            time.sleep(0.01)
            self.session.send("Target.getTargets")
        else:
            raise RuntimeError("the service worker did not take the network emulation")
        return len(self.sessions)


def _visit(
    context: Any,
    path: str,
    ready: Ready,
    cpu_slowdown: float,
    blocked: list[str],
    workers: Workers,
    *,
    wait_for_worker: bool = False,
) -> Visit:
    """Open ``path`` in a new tab of ``context`` on the slow connection and time it. With
    ``wait_for_worker``, wait afterwards until the service worker (registered by pwa.js at the
    load event) is active."""
    page = context.new_page()
    page.add_init_script(script=f"({READY_JS})({json.dumps(asdict(ready))})")
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", CONDITIONS)
    if blocked:
        cdp.send("Network.setBlockedURLs", {"urls": blocked})
    if cpu_slowdown > 1:
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": cpu_slowdown})
    counted = {"bytes": 0, "requests": 0, "from_cache": 0}
    cached: set[str] = set()
    document: dict[str, Any] = {}
    worker_bytes = workers.bytes

    def on_request(event: dict[str, Any]) -> None:
        if event.get("type") == "Document" and "id" not in document:
            document.update(id=event["requestId"], sent=event["timestamp"])

    def on_response(event: dict[str, Any]) -> None:
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromServiceWorker"):
            cached.add(event["requestId"])
        if event["requestId"] == document.get("id") and "headers" not in document:
            document["headers"] = event["timestamp"]

    def on_finished(event: dict[str, Any]) -> None:
        counted["requests"] += 1
        counted["bytes"] += int(event.get("encodedDataLength", 0))
        counted["from_cache"] += event["requestId"] in cached

    cdp.on("Network.requestWillBeSent", on_request)
    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    page.goto(path, wait_until="load", timeout=60_000)
    page.wait_for_function(
        "(map) => window.__loketTiming.usable !== null"
        " && (!map || window.__loketTiming.mapReady !== null)",
        arg=ready.map,
        timeout=60_000,
    )
    timings = page.evaluate(TIMINGS_JS)
    # What "usable" claims must be true: the field takes text.
    if ready.typeable:
        page.locator(ready.target).first.fill("uji")
        if page.locator(ready.target).first.input_value() != "uji":
            raise RuntimeError(f"{path}: the first field does not take text")
    if wait_for_worker:
        page.evaluate(
            "() => Promise.race([navigator.serviceWorker.ready,"
            " new Promise((_, no) => setTimeout(() => no(new Error('no service worker')), 60000))])"
        )
    page.close()
    return Visit(
        # Navigation Timing's responseStart does not include the emulated latency; the
        # DevTools events of the page's document request do.
        ttfb=(document["headers"] - document["sent"]) * 1000,
        fcp=timings["fcp"],
        usable=max(timings["usable_raw"], timings["fcp"] or 0.0),
        dcl=timings["dcl"],
        load=timings["load"],
        map_ready=timings["map_ready"],
        bytes=counted["bytes"] + workers.bytes - worker_bytes,
        requests=counted["requests"],
        from_cache=counted["from_cache"],
        controlled=timings["controlled"],
    )


def measure(base_url: str, pages: list[tuple[str, str]], runs: int, cpu: float) -> list[PageResult]:
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    tiles = settings.LOKET_MAP_TILE_URL
    # Map tiles come from another server and are left out, as in the page-weight budget.
    blocked = ["/".join(tiles.split("/")[:3]) + "/*"] if "://" in tiles else []
    results = [PageResult(label, path, cpu, asdict(PAGES[label])) for label, path in pages]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        workers = Workers(browser, blocked)

        def profile(service_workers: str) -> Any:
            return browser.new_context(
                base_url=base_url,
                viewport=VIEWPORT,
                locale="id-ID",
                service_workers=service_workers,
            )

        def visit(context: Any, path: str, ready: Ready, **kwargs: Any) -> Visit:
            return _visit(context, path, ready, cpu, blocked, workers, **kwargs)

        try:
            for result in results:
                ready = PAGES[result.label]
                for _ in range(runs):
                    with contextlib.closing(profile("allow")) as context:
                        cold = visit(context, result.path, ready, wait_for_worker=True)
                        if not workers.throttle():
                            raise RuntimeError("no service worker to emulate")
                        warm = visit(context, result.path, ready)
                    if not warm.controlled:
                        raise RuntimeError(f"{result.path}: the service worker did not answer")
                    result.visits.setdefault("cold", []).append(cold)
                    result.visits.setdefault("repeat", []).append(warm)
                    # The HTTP cache alone (service workers blocked).
                    with contextlib.closing(profile("block")) as context:
                        visit(context, result.path, ready)
                        http = visit(context, result.path, ready)
                    result.visits.setdefault("repeat, no service worker", []).append(http)
                print(_line(result), flush=True)
        finally:
            browser.close()
    return results


def _s(ms: float | None) -> str:
    return "–" if ms is None else f"{ms / 1000:.2f}"


def _line(result: PageResult) -> str:
    cold = result.median("cold", "usable")
    repeat = result.median("repeat", "usable")
    return (
        f"{result.label:<20} CPU {result.cpu_slowdown:g}x: usable cold {_s(cold)} s, "
        f"repeat {_s(repeat)} s"
    )


KINDS = ("cold", "repeat", "repeat, no service worker")
KIND_LABELS = {
    "cold": "first visit (cold)",
    "repeat": "repeat visit",
    "repeat, no service worker": "repeat, HTTP cache only",
}


def _cpu(factor: float) -> str:
    return "1x" if factor <= 1 else f"{factor:g}x slower"


def goal_usable(results: list[PageResult]) -> float | None:
    """The report form's usable time on a first visit: the worst of the CPU settings."""
    times = [r.median("cold", "usable") for r in results if r.label == "Formulir laporan"]
    known = [t for t in times if t is not None]
    return max(known) if known and len(known) == len(times) else None


def markdown(results: list[PageResult], meta: dict[str, Any]) -> str:
    usable = goal_usable(results)
    met = usable is not None and usable <= GOAL_MS
    handshakes = usable + 2 * LATENCY_MS if usable is not None else None
    out = [
        "## On a slow connection",
        "",
        f"Generated by `scripts/slow_connection.py` on {meta['date']}, median of "
        f"{meta['runs']} runs; every number is also in `bench/results/slow-connection.json` "
        "(not committed). Re-run with `.venv/bin/python scripts/slow_connection.py` (about "
        "three minutes; `--runs 1 --cpu-slowdown 1` for a quick look).",
        "",
        f"**Goal: the complaint form is usable within {GOAL_MS / 1000:.0f} s on a "
        f"{LATENCY_MS} ms, 400 kbit/s connection. Measured: {_s(usable)} s on a first visit "
        f"(the slower CPU setting) — {'met' if met else '**NOT met**'}; "
        f"{_s(handshakes)} s with the TCP and TLS handshakes the emulation leaves out "
        "(see below).**",
        "",
        "| Page | CPU | Visit | TTFB | First paint | Usable | DOMContentLoaded | Load "
        "| Map ready | KB transferred | Requests (cached) |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        for kind in KINDS:
            visits = r.visits.get(kind, [])
            if not visits:
                continue
            cached = statistics.median(v.from_cache for v in visits)
            out.append(
                f"| {r.label} (`{r.path}`) | {_cpu(r.cpu_slowdown)} | {KIND_LABELS[kind]} "
                f"| {_s(r.median(kind, 'ttfb'))} | {_s(r.median(kind, 'fcp'))} "
                f"| **{_s(r.median(kind, 'usable'))}** | {_s(r.median(kind, 'dcl'))} "
                f"| {_s(r.median(kind, 'load'))} | {_s(r.median(kind, 'map_ready'))} "
                f"| {(r.median(kind, 'bytes') or 0) / 1024:.1f} "
                f"| {r.median(kind, 'requests'):.0f} ({cached:.0f}) |"
            )
    out += [
        "",
        "Times in seconds from the start of the navigation. How it is measured:",
        "",
        "- **Connection**: Chromium's DevTools network emulation "
        f"(`Network.emulateNetworkConditions`): {LATENCY_MS} ms added to every request, "
        f"{THROUGHPUT_BPS:,} bytes/s down and up shared by all requests of the page, applied "
        "to the page and to its service worker (whose own fetches the page's emulation does "
        "not reach). The emulation adds one round trip per request, not per connection: on a "
        "real HTTPS connection the TCP and TLS 1.3 handshakes add about two round trips "
        f"({2 * LATENCY_MS} ms) before the first byte of a first visit; DNS is not counted.",
        "- **Server**: the site on 127.0.0.1 as production serves it — static files collected "
        "with hashed names and compressed ahead of time, sent by WhiteNoise with a long cache "
        "lifetime; HTML gzip-compressed (GZipMiddleware standing in for the reverse proxy); a "
        "throwaway database with the data of `tests/web/budget_pages.py`; an anonymous "
        "visitor.",
        "- **Browser**: Chromium at 360x640 px; CPU as fast as the measuring machine (1x) and "
        f"slowed {max(meta['cpu_slowdowns']):g}x with `Emulation.setCPUThrottlingRate` "
        "(closer to a low-end phone). Map tiles (another server) are blocked, as in the "
        "page-weight budget.",
        "- **Visits**: *first visit* is a new browser profile (empty HTTP cache, no service "
        "worker); *repeat visit* opens the page again in the same profile once the service "
        "worker is active (static files from its cache, the page itself from the network "
        "first); *repeat, HTTP cache only* does the same with service workers blocked.",
        "- **TTFB**: from the request of the page to its response headers (DevTools events; "
        "Navigation Timing does not include the emulated latency). **First paint**: first "
        "contentful paint.",
        "- **Usable**: the later of the first paint and the first rendering frame in which the "
        "page's target element is rendered (non-empty box, not hidden). For the report form "
        "the target is the form's first field, which must also be enabled and editable, and "
        "the submit button must be in the document and enabled; the script then types into "
        "that field to check. The form works without JavaScript (a plain POST), so *usable* "
        "does not wait for scripts: *DOMContentLoaded* is when every deferred script has run "
        "(photo upload, region lists, offline drafts) and *Map ready* when Leaflet has set "
        "up the map. Home page: the first module link is rendered; tracking page: the status "
        "is rendered.",
        "- **KB transferred**: bytes received for the page and everything it loaded "
        "(headers included, the service worker's fetches too), until the load event.",
        "",
        f"Machine: {meta['machine']}.",
    ]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page (median kept)")
    parser.add_argument(
        "--cpu-slowdown",
        default="1,4",
        help="CPU throttling rates, comma-separated (1 = the machine's own speed)",
    )
    parser.add_argument("--output", default=str(ROOT / "docs" / "page-weight.md"))
    parser.add_argument("--json", default=str(ROOT / "bench" / "results" / "slow-connection.json"))
    args = parser.parse_args()
    slowdowns = [float(x) for x in args.cpu_slowdown.split(",") if x.strip()]

    setup_django("loket-slow-")
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the browser's /favicon.ico
    from tests.web.budget_pages import build_pages

    with throwaway_database():
        pages = [(label, path) for label, path in build_pages() if label in PAGES]
        with production_like_server() as base_url:
            results = [r for cpu in slowdowns for r in measure(base_url, pages, args.runs, cpu)]
    results.sort(key=lambda r: (list(PAGES).index(r.label), r.cpu_slowdown))

    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "runs": args.runs,
        "cpu_slowdowns": slowdowns,
        "latency_ms": LATENCY_MS,
        "throughput_bytes_per_s": THROUGHPUT_BPS,
        "viewport": VIEWPORT,
        "goal_ms": GOAL_MS,
        "machine": f"{os.cpu_count()} CPU cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {_chromium_version()}",
    }
    output = Path(args.output)
    text = output.read_text(encoding="utf-8") if output.exists() else ""
    output.write_text(replace_block(text, SLOW_BEGIN, SLOW_END, markdown(results, meta)), "utf-8")
    json_path = Path(args.json)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(
        json.dumps({"meta": meta, "pages": [asdict(r) for r in results]}, indent=2) + "\n",
        encoding="utf-8",
    )
    usable = goal_usable(results)
    met = usable is not None and usable <= GOAL_MS
    print(f"report form usable on a first visit: {_s(usable)} s — {'met' if met else 'NOT met'}")
    print(f"written: {output} and {json_path}")
    return 0 if met else 1


def _chromium_version() -> str:
    import subprocess

    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30)
        return out.stdout.strip() or "Chromium"
    except OSError:
        return "Chromium"


if __name__ == "__main__":
    raise SystemExit(main())
