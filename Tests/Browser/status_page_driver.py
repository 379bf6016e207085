#!/usr/bin/python3
"""Drives headless Chromium over the DevTools protocol to test the status page live.

Usage: status_page_driver.py URL PROVIDER STATUS OUT_DIR

Chromium is started with --remote-debugging-pipe (the protocol over file descriptors 3
and 4, NUL-terminated JSON messages), so nothing beyond the standard library is needed.
The page at URL is loaded; once its event stream is open the script prints "live" on
standard output. It then waits (up to DRIVER_TIMEOUT seconds, default 30) until the
section of PROVIDER says STATUS, without reloading the page, prints "status STATUS",
writes the rendered DOM to OUT_DIR/status-page.html and a screenshot to
OUT_DIR/status-page.png (Chromium's own log goes to OUT_DIR/chromium.log), and exits 0. Any timeout or browser failure exits 1 with the
reason and the last DOM seen on standard error.
"""
import base64
import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


class Browser:
    def __init__(self, executable, profile, log):
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def wire():
            # Moved out of the way first: a pipe end may itself be 3 or 4.
            high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD, 10)
            high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [
                executable, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--disable-background-networking",
                "--remote-debugging-pipe", "--user-data-dir=" + profile,
                "--window-size=1000,1300", "about:blank",
            ],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            close_fds=False, preexec_fn=wire)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buffer = b""
        self.next_id = 0

    def call(self, method, params=None, session=None, timeout=20):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self.next_id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply.get("result", {})
            if time.monotonic() > deadline:
                raise TimeoutError(f"{method}: no answer in {timeout} s")
            chunk = os.read(self.from_child, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buffer += chunk

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def main():
    url, provider, wanted, out_dir = sys.argv[1:5]
    timeout = float(os.environ.get("DRIVER_TIMEOUT", "30"))
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")
    if not executable:
        print("chromium not found", file=sys.stderr)
        return 2
    profile = tempfile.mkdtemp(prefix="atalaya-chromium-")
    log = open(os.path.join(out_dir, "chromium.log"), "wb")
    browser = Browser(executable, profile, log)
    last_dom = ""
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call(
            "Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        browser.call("Page.enable", session=session)
        browser.call("Page.navigate", {"url": url}, session=session)

        def evaluate(expression):
            result = browser.call(
                "Runtime.evaluate", {"expression": expression, "returnByValue": True},
                session=session)
            return result.get("result", {}).get("value")

        def wait_for(expression, what):
            nonlocal last_dom
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if evaluate(expression) is True:
                    return
                last_dom = evaluate("document.documentElement ? document.documentElement.outerHTML : ''") or ""
                time.sleep(0.05)
            raise TimeoutError(f"{what}: not seen in {timeout} s")

        wait_for(
            "document.readyState === 'complete' && !!document.getElementById('live') && "
            "document.getElementById('live').textContent === 'live'",
            "the page's event stream open")
        print("live", flush=True)
        selector = json.dumps(f'section[data-provider="{provider}"]')
        wait_for(
            f"(function(){{var s=document.querySelector({selector});"
            f"return !!s && s.getAttribute('data-status') === {json.dumps(wanted)};}})()",
            f"provider {provider} shown as {wanted}")
        dom = evaluate("document.documentElement.outerHTML")
        with open(os.path.join(out_dir, "status-page.html"), "w", encoding="utf-8") as f:
            f.write(dom)
        shot = browser.call(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True},
            session=session)
        with open(os.path.join(out_dir, "status-page.png"), "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        print(f"status {wanted}", flush=True)
        return 0
    except Exception as error:
        print(f"driver failed: {error}", file=sys.stderr)
        print(last_dom[-4000:], file=sys.stderr)
        return 1
    finally:
        browser.close()
        log.close()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
