"""Take the README's picture of the workspace: `sitrep serve` over a database, the page in
Debian's Chromium (headless, through Playwright), one PNG.

Usage: python tools/screenshot.py DB [--out docs/workspace.png] [--query "country=SY"]
           [--path /stories/3]
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--out", type=Path, default=Path("docs/workspace.png"))
    parser.add_argument("--query", default="", help="filters, as in the page's address")
    parser.add_argument("--path", default="/", help="the page: / (the workspace), /stories/3 …")
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-c", "from sitrep.cli import main; main()", "serve"]
    server = subprocess.Popen([*command, "--db", str(args.db), "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(base + "/api/summary", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        with sync_playwright() as driver:
            browser = driver.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}{args.path}?{args.query}")
            if args.path == "/":  # the workspace draws its map and timeline after loading
                page.wait_for_selector("body[data-ready=true]", timeout=60_000)
                page.wait_for_timeout(500)  # let the map's fit animation end
            page.screenshot(path=str(args.out), full_page=args.path != "/")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
