#!/usr/bin/env python3
"""`make bench`: Atalaya's performance targets (issue 6), measured in one run on this machine,
beside prometheus-blackbox-exporter doing the same work.

Python 3 standard library only. Installs what is missing (nginx-light,
prometheus-blackbox-exporter, wrk), builds atalaya in release with the Swift runtime linked
statically, builds the Benchmarks/ package, runs every measurement, prints the table and writes
bench/RESULTS.md. Scratch files (configs, logs, smaps dumps) go to bench/out/.

BENCH_QUICK=1 shortens the long phases (see DURATIONS) for a smoke run; the default run uses
the real durations of the issue (about 17 minutes of measuring after the builds).
BENCH_SKIP_BUILD=1 reuses the existing release binaries.
BENCH_SOAK=1 runs only the one-hour soak (issue 14: growth from minute 1 to minute 60 and open
descriptors over the hour, 200 checks at 1 s against nginx) and writes bench/SOAK.md;
BENCH_SOAK_MINUTES shortens it.
"""

import datetime
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
RESULTS = os.path.join(ROOT, "bench", "RESULTS.md")
QUICK = os.environ.get("BENCH_QUICK") == "1"
SKIP_BUILD = os.environ.get("BENCH_SKIP_BUILD") == "1"

# Seconds. Full values are the issue's; quick ones are for smoke runs only.
DURATIONS = {
    "warmup": 20 if QUICK else 60,  # probing before the memory reading ("after a minute")
    "cpu": 10 if QUICK else 30,  # CPU window at 200 probes/s
    "growth": 60 if QUICK else 600,  # total run for the no-growth reading ("after 10 minutes")
    "schedule": 12 if QUICK else 30,  # scheduler accuracy run
    "scrape": 5 if QUICK else 10,  # wrk on /metrics
}
PROBE_RATE = 200  # probes per second: 200 checks at 1 s
API_KEY = "sk-bench-0123456789abcdefghijkl"
CHAT_RESPONSE = (
    '{"id":"chatcmpl-bench","object":"chat.completion","created":1763750000,"model":"bench",'
    '"choices":[{"index":0,"message":{"role":"assistant","content":"ok","refusal":null},'
    '"logprobs":null,"finish_reason":"stop"}],'
    '"usage":{"prompt_tokens":12,"completion_tokens":1,"total_tokens":13},'
    '"system_fingerprint":"fp_bench"}'
)
# The body Atalaya's OpenAI dialect sends for a chat check (blackbox POSTs the same).
CHAT_REQUEST = (
    '{"model":"m000","messages":[{"role":"user","content":"Reply with the single word: ok"}],'
    '"max_tokens":8,"temperature":0,"stream":false}'
)

CLK_TCK = os.sysconf("SC_CLK_TCK")
children = []


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def run(cmd, **kw):
    log("$ " + " ".join(cmd))
    return subprocess.run(cmd, check=True, **kw)


# MARK: set-up


def install_missing():
    wanted = {"nginx-light": "nginx", "prometheus-blackbox-exporter": "prometheus-blackbox-exporter",
              "wrk": "wrk"}
    missing = [p for p, exe in wanted.items() if shutil.which(exe) is None and not os.path.exists(f"/usr/sbin/{exe}")]
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log(f"installing {' '.join(missing)}")
    run(sudo + ["apt-get", "-o", "DPkg::Lock::Timeout=600", "update", "-qq"], env=env)
    run(sudo + ["apt-get", "-o", "DPkg::Lock::Timeout=600", "install", "-y", "-qq",
                "--no-install-recommends"] + missing, env=env)
    # The Debian packages start system services; the benchmark runs its own instances.
    for svc in ("nginx", "prometheus-blackbox-exporter"):
        subprocess.run(sudo + ["service", svc, "stop"], capture_output=True)


def build():
    if SKIP_BUILD:
        return
    run([os.path.join(ROOT, "packaging", "release-build.sh")], cwd=ROOT)
    bench_dir = os.path.join(ROOT, "Benchmarks")
    # SwiftPM keeps a path dependency's file list between builds: a source file added to the
    # root package since the last bench is not seen unless the manifest looks changed.
    os.utime(os.path.join(bench_dir, "Package.swift"))
    run(["swift", "build", "-c", "release", "--product", "ScheduleAccuracy"], cwd=bench_dir)
    run(["swift", "build", "-c", "release", "--product", "HistoryMemory"], cwd=bench_dir)


def atalaya_binary():
    return os.path.join(ROOT, ".build", "release", "atalaya")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return True
        except OSError:
            time.sleep(0.01)
    raise RuntimeError(f"nothing listening on {port} after {timeout}s")


def spawn(cmd, name, env=None, **kw):
    logf = open(os.path.join(OUT, f"{name}.log"), "wb")
    p = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, env=env, **kw)
    children.append(p)
    return p


def stop(p):
    if p.poll() is None:
        p.send_signal(signal.SIGTERM)
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    if p in children:
        children.remove(p)


def start_nginx():
    port = free_port()
    prefix = os.path.join(OUT, "nginx")
    os.makedirs(prefix, exist_ok=True)
    body = CHAT_RESPONSE.replace("'", "\\'")
    conf = f"""daemon off;
master_process on;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  keepalive_timeout 120s;
  client_body_temp_path {prefix}/body;
  proxy_temp_path {prefix}/proxy;
  fastcgi_temp_path {prefix}/fastcgi;
  uwsgi_temp_path {prefix}/uwsgi;
  scgi_temp_path {prefix}/scgi;
  server {{
    listen 127.0.0.1:{port};
    location / {{
      default_type application/json;
      return 200 '{body}';
    }}
  }}
}}
"""
    path = os.path.join(prefix, "nginx.conf")
    with open(path, "w") as f:
        f.write(conf)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    p = spawn([nginx, "-e", f"{prefix}/error.log", "-p", prefix, "-c", path], "nginx")
    wait_port(port)
    return p, port


# MARK: /proc readings


def proc_status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if v.strip().endswith("kB"):
                out[k] = int(v.split()[0])
    return out


def smaps_rollup(pid):
    out = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[-1] == "kB":
                out[parts[0].rstrip(":")] = int(parts[1])
    return out


def smaps_breakdown(pid):
    """Resident kB per mapping name ([anon], the binary, libraries), largest first."""
    totals = {}
    current = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            head = line.split()
            if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
                name = head[5] if len(head) > 5 else "[anon]"
                perms = head[1]
                kind = "code" if "x" in perms else ("data" if "w" in perms else "ro")
                current = (name, kind)
            elif head and head[0] in ("Rss:", "Anonymous:") and current:
                t = totals.setdefault(current, [0, 0])
                t[0 if head[0] == "Rss:" else 1] += int(head[1])
    return sorted(((k, v) for k, v in totals.items() if v[0] > 0), key=lambda kv: -kv[1][0])


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def memory(pid):
    s = proc_status(pid)
    r = smaps_rollup(pid)
    return {"rss_kb": s.get("VmRSS", 0), "rss_anon_kb": s.get("RssAnon", 0),
            "rss_file_kb": s.get("RssFile", 0), "anonymous_kb": r.get("Anonymous", 0),
            "private_dirty_kb": r.get("Private_Dirty", 0), "fds": open_fds(pid)}


def http_get(port, path, timeout=5):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
        return r.read().decode()


def sum_probes(port):
    text = http_get(port, "/metrics")
    return sum(float(l.rsplit(" ", 1)[1]) for l in text.splitlines()
               if l.startswith("atalaya_probes_total{"))


class Scraper:
    """Scrapes /metrics every `interval` seconds, as the Prometheus server a sidecar runs
    beside does: memory readings then include what a scrape keeps (the exposition buffer,
    each check's row), instead of counting the first scrape after a reading as growth."""

    def __init__(self, port, interval=15.0):
        self.port, self.interval = port, interval
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._work, daemon=True)
        self.thread.start()

    def _work(self):
        # The first scrape at once, the next ones half an interval out of step with the
        # minute: a memory or descriptor reading taken on the minute then never counts the
        # socket of a scrape in progress (a reading is of the agent, not of its scraper).
        start = time.monotonic()
        due = start - self.interval / 2
        while True:
            try:
                http_get(self.port, "/metrics")
            except OSError:
                pass
            due += self.interval
            if self.stopping.wait(max(0, due - time.monotonic())):
                return

    def stop(self):
        self.stopping.set()
        self.thread.join()


# MARK: atalaya


def atalaya_config(port, nginx_port, checks, interval="1s", per_provider=10):
    timeout = "900ms" if interval == "1s" else "5s"  # a timeout may not exceed the interval
    y = [f"listen: 127.0.0.1:{port}", "window: 10m", f"defaults: {{interval: {interval}, timeout: {timeout}}}",
         "providers:"]
    for p in range((checks + per_provider - 1) // per_provider):
        y += [f"  - name: bench{p:02d}", "    type: openai",
              f"    base_url: http://127.0.0.1:{nginx_port}/v1", f"    api_key: {API_KEY}", "    checks:"]
        for c in range(min(per_provider, checks - p * per_provider)):
            y.append(f"      - model: m{p * per_provider + c:03d}")
    path = os.path.join(OUT, f"atalaya-{checks}.yml")
    with open(path, "w") as f:
        f.write("\n".join(y) + "\n")
    return path


def agent_env(extra=None):
    env = {"PATH": "/usr/bin:/bin", "LOG_LEVEL": "warning"}
    env.update(extra or {})
    return env


def start_atalaya(config, name, env=None):
    port = int(re.search(r"listen: 127.0.0.1:(\d+)", open(config).read()).group(1))
    p = spawn([atalaya_binary(), "run", "--config", config], name, env=env or agent_env())
    wait_port(port)
    return p, port


def measure_atalaya_probing(nginx_port):
    """Targets 1, 2 and 6: 200 chat checks at 1 s against nginx."""
    port = free_port()
    config = atalaya_config(port, nginx_port, checks=200)
    p, _ = start_atalaya(config, "atalaya-probing")
    t0 = time.monotonic()
    idle = memory(p.pid)
    scraper = Scraper(port)
    log(f"atalaya: 200 checks at 1s; memory reading after {DURATIONS['warmup']}s")
    time.sleep(max(0, t0 + DURATIONS["warmup"] - time.monotonic()))
    after_warmup = memory(p.pid)
    breakdown = smaps_breakdown(p.pid)
    with open(os.path.join(OUT, "atalaya-smaps.txt"), "w") as f:
        for (name, kind), (kb, anon) in breakdown:
            f.write(f"{kb:8d} kB  {anon:8d} kB anon  {kind:4s}  {name}\n")
    resident = subprocess.run([sys.executable, os.path.join(ROOT, "bench", "resident.py"), str(p.pid), "20"],
                              capture_output=True, text=True).stdout
    probes0, cpu0 = sum_probes(port), cpu_seconds(p.pid)
    time.sleep(DURATIONS["cpu"])
    probes1, cpu1 = sum_probes(port), cpu_seconds(p.pid)
    log(f"atalaya: no-growth reading at {DURATIONS['growth']}s")
    time.sleep(max(0, t0 + DURATIONS["growth"] - time.monotonic()))
    final = memory(p.pid)
    probes_total = sum_probes(port)
    scraper.stop()
    stop(p)
    probes = probes1 - probes0
    return {"idle": idle, "warm": after_warmup, "final": final, "breakdown": breakdown[:12], "resident": resident,
            "probes_in_window": probes, "cpu_in_window": cpu1 - cpu0,
            "cpu_per_probe_ms": 1000 * (cpu1 - cpu0) / probes if probes else float("nan"),
            "rate": probes / DURATIONS["cpu"], "probes_total": probes_total}


# MARK: blackbox_exporter


def blackbox_config():
    path = os.path.join(OUT, "blackbox.yml")
    with open(path, "w") as f:
        f.write(f"""modules:
  chat:
    prober: http
    timeout: 5s
    http:
      method: POST
      preferred_ip_protocol: ip4
      valid_status_codes: [200]
      headers:
        Content-Type: application/json
        Authorization: Bearer {API_KEY}
      body: '{CHAT_REQUEST}'
      fail_if_body_not_matches_regexp: ['"choices"']
""")
    return path


class Pacer:
    """Drives blackbox's /probe at a fixed rate from a few keep-alive connections."""

    def __init__(self, port, path, rate, threads=4):
        self.port, self.path, self.rate, self.threads = port, path, rate, threads
        self.done = 0
        self.failed = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.workers = []

    def start(self):
        start = time.monotonic() + 0.05
        for i in range(self.threads):
            t = threading.Thread(target=self._work, args=(start, i), daemon=True)
            t.start()
            self.workers.append(t)

    def _work(self, start, index):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        period = self.threads / self.rate
        k = 0
        while not self.stopping.is_set():
            due = start + (index / self.rate) + k * period
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
            elif now - due > 1.0:  # far behind: skip slots rather than burst
                k += int((now - due) / period)
            k += 1
            try:
                conn.request("GET", self.path)
                body = conn.getresponse().read()
                ok = b"\nprobe_success 1" in body
            except Exception:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                ok = False
            with self.lock:
                self.done += 1
                self.failed += 0 if ok else 1

    def counts(self):
        with self.lock:
            return self.done, self.failed

    def stop(self):
        self.stopping.set()
        for t in self.workers:
            t.join(15)


def blackbox_binary():
    return shutil.which("prometheus-blackbox-exporter") or "/usr/bin/prometheus-blackbox-exporter"


def measure_blackbox(nginx_port):
    port = free_port()
    p = spawn([blackbox_binary(), f"--config.file={blackbox_config()}",
               f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"], "blackbox")
    wait_port(port)
    time.sleep(1)
    idle = memory(p.pid)
    target = f"http://127.0.0.1:{nginx_port}/v1/chat/completions"
    pacer = Pacer(port, f"/probe?module=chat&target={urllib.request.quote(target, safe='')}", PROBE_RATE)
    log(f"blackbox_exporter: /probe at {PROBE_RATE}/s; memory reading after {DURATIONS['warmup']}s")
    t0 = time.monotonic()
    pacer.start()
    time.sleep(max(0, t0 + DURATIONS["warmup"] - time.monotonic()))
    warm = memory(p.pid)
    (n0, _), cpu0 = pacer.counts(), cpu_seconds(p.pid)
    time.sleep(DURATIONS["cpu"])
    (n1, failed), cpu1 = pacer.counts(), cpu_seconds(p.pid)
    pacer.stop()
    stop(p)
    probes = n1 - n0
    return {"idle": idle, "warm": warm, "probes_in_window": probes, "failed": failed,
            "cpu_in_window": cpu1 - cpu0,
            "cpu_per_probe_ms": 1000 * (cpu1 - cpu0) / probes if probes else float("nan"),
            "rate": probes / DURATIONS["cpu"]}


def blackbox_startup():
    """Blackbox has no READY=1: time from spawn until its port accepts (reference only)."""
    times = []
    for _ in range(5):
        port = free_port()
        t0 = time.monotonic()
        p = subprocess.Popen([blackbox_binary(), f"--config.file={blackbox_config()}",
                              f"--web.listen-address=127.0.0.1:{port}", "--log.level=error"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = t0 + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.0005)
        times.append(1000 * (time.monotonic() - t0))
        p.terminate()
        p.wait()
    return statistics.median(times)


# MARK: startup, scrape, scheduler, micro-benchmarks


def measure_startup(nginx_port, runs=7):
    """Target 5: spawn to READY=1 on a notify socket, 100 checks."""
    times = []
    for i in range(runs):
        port = free_port()
        config = atalaya_config(port, nginx_port, checks=100, interval="30s")
        sock_path = os.path.join(OUT, f"notify-{os.getpid()}.sock")
        if os.path.exists(sock_path):
            os.unlink(sock_path)
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        s.bind(sock_path)
        s.settimeout(10)
        t0 = time.monotonic()
        p = subprocess.Popen([atalaya_binary(), "run", "--config", config],
                             env=agent_env({"NOTIFY_SOCKET": sock_path}),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        elapsed = None
        try:
            while elapsed is None:
                msg = s.recv(4096).decode(errors="replace")
                if "READY=1" in msg.split("\n"):
                    elapsed = 1000 * (time.monotonic() - t0)
        except socket.timeout:
            pass
        p.terminate()
        p.wait()
        s.close()
        os.unlink(sock_path)
        if elapsed is not None:
            times.append(elapsed)
    return {"median_ms": statistics.median(times) if times else float("nan"),
            "max_ms": max(times) if times else float("nan"), "runs": len(times)}


def measure_scrape(nginx_port):
    """Target 3b: /metrics with ~1,000 series under wrk."""
    checks = 22  # ~45 series per check plus the agent's own
    port = free_port()
    config = atalaya_config(port, nginx_port, checks=checks, interval="1s")
    p, _ = start_atalaya(config, "atalaya-scrape")
    time.sleep(3)  # every check probed at least once
    text = http_get(port, "/metrics")
    series = sum(1 for l in text.splitlines() if l and not l.startswith("#"))
    cpu0 = cpu_seconds(p.pid)
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{DURATIONS['scrape']}s",
                          f"http://127.0.0.1:{port}/metrics"], capture_output=True, text=True)
    cpu1 = cpu_seconds(p.pid)
    stop(p)
    with open(os.path.join(OUT, "wrk-metrics.txt"), "w") as f:
        f.write(out.stdout + out.stderr)
    m = re.search(r"Requests/sec:\s+([\d.]+)", out.stdout)
    rps = float(m.group(1)) if m else float("nan")
    lat = re.search(r"Latency\s+(\S+)", out.stdout)
    return {"series": series, "bytes": len(text.encode()), "rps": rps,
            "latency_avg": lat.group(1) if lat else "?",
            "cpu_per_scrape_ms": 1000 * (cpu1 - cpu0) / (rps * DURATIONS["scrape"]) if rps == rps and rps else float("nan")}


def measure_schedule():
    """Target 4: the real ProbeScheduler, 1,000 checks at 10 s."""
    exe = os.path.join(ROOT, "Benchmarks", ".build", "release", "ScheduleAccuracy")
    out = subprocess.run([exe, "1000", "10", str(DURATIONS["schedule"]), "2"], capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_history():
    """Target 7: the uptime history's memory per check with 30 days of probes (200 checks)."""
    exe = os.path.join(ROOT, "Benchmarks", ".build", "release", "HistoryMemory")
    out = subprocess.run([exe, "200", "30"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_micro():
    """Target 3a: package-benchmark, Scrape target; p50/p99 read from its percentile export."""
    bench_dir = os.path.join(ROOT, "Benchmarks")
    path = os.path.join(OUT, "micro")
    os.makedirs(path, exist_ok=True)
    for f in os.listdir(path):
        os.unlink(os.path.join(path, f))
    cmd = ["swift", "package", "--disable-sandbox", "--allow-writing-to-directory", path,
           "benchmark", "--target", "Scrape", "--format", "histogramPercentiles", "--path", path,
           "--no-progress"]
    # The plugin does not pass the benchmarks' own output on: the render benchmark writes how
    # many series it renders to this file.
    series_file = os.path.join(path, "series.txt")
    env = dict(os.environ, BENCH_SERIES_FILE=series_file)
    if QUICK:
        env["BENCH_MICRO_QUICK"] = "1"
    log("$ " + " ".join(cmd))
    res = subprocess.run(cmd, cwd=bench_dir, capture_output=True, text=True, env=env)
    with open(os.path.join(OUT, "micro.log"), "w") as f:
        f.write(res.stdout + res.stderr)
    if res.returncode != 0:
        raise RuntimeError(f"benchmark failed, see {OUT}/micro.log")
    results = {}
    for name in sorted(os.listdir(path)):
        m = re.match(r"^.*?\.Scrape\.(\w+)\.(\w+)\.histogram\.percentiles\.tsv$", name)
        if not m:
            continue
        lines = open(os.path.join(path, name)).read().splitlines()
        header = lines[0].split("\t", 1)[1]
        scales = {"ns": 1e-6, "μs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3, "#": 1, "K": 1e3, "M": 1e6,
                  "G": 1e9}
        unit = re.search(r" \(([^()]*)\) \*$", header)
        if unit and unit.group(1) in scales:
            scale, metric = scales[unit.group(1)], header[:unit.start()]
        else:
            scale, metric = 1, re.sub(r" \*$", "", header)
        values = {int(l.split("\t")[0]): float(l.split("\t")[1]) * scale for l in lines[1:] if l}
        results.setdefault(m.group(1), {})[metric] = {"p0": values[0], "p50": values[50],
                                                      "p99": values[99], "p100": values[100]}
    lines = ["| benchmark | metric | p0 | p50 | p99 | p100 |", "|---|---|---|---|---|---|"]
    for bench, metrics in sorted(results.items()):
        for metric, v in sorted(metrics.items()):
            unit = " ms" if metric.startswith("Time") else ""
            lines.append(f"| {bench} | {metric}{' (ms)' if unit else ''} | "
                         + " | ".join(f"{v[p]:.3f}" if unit else f"{v[p]:.0f}" for p in ("p0", "p50", "p99", "p100"))
                         + " |")
    written = open(series_file).read() if os.path.exists(series_file) else ""
    series = dict(re.findall(r"(\w+): (\d+) series", res.stdout + res.stderr + written))
    checks = re.search(r"AgentRenderMetrics_10k: \d+ series of (\d+) checks", res.stdout + res.stderr + written)
    if checks:
        series["AgentRenderMetrics_10k_checks"] = checks.group(1)
    return results, "\n".join(lines), series


# MARK: report


def fmt_kb(kb):
    return f"{kb / 1024:.1f} MB"


def verdict(ok):
    return "yes" if ok else "**no**"


def soak():
    """Growth and descriptors over an hour of 200 probes/s (a copy of the binary runs, so a
    rebuild meanwhile does not touch it). Samples memory and fds every minute."""
    minutes = int(os.environ.get("BENCH_SOAK_MINUTES", "60"))
    install_missing()
    build()
    binary = os.path.join(OUT, "atalaya-soak")
    shutil.copy2(atalaya_binary(), binary)
    # Written back, as an installed binary is: the agent's start-up page release cannot drop
    # dirty page-cache pages, so a fresh copy would keep its start-up code resident.
    with open(binary, "rb+") as f:
        os.fsync(f.fileno())
    nginx, nginx_port = start_nginx()
    samples = []
    started = time.time()
    try:
        port = free_port()
        config = atalaya_config(port, nginx_port, checks=200)
        p = spawn([binary, "run", "--config", config], "atalaya-soak", env=agent_env())
        wait_port(port)
        t0 = time.monotonic()
        scraper = Scraper(port)
        log(f"soak: 200 checks at 1s for {minutes} min, a sample a minute, scraped every 15 s")
        for minute in range(1, minutes + 1):
            time.sleep(max(0, t0 + 60 * minute - time.monotonic()))
            m = memory(p.pid)
            m["minute"] = minute
            m["probes"] = sum_probes(port)
            m["cpu_s"] = cpu_seconds(p.pid)
            samples.append(m)
            log(f"soak: minute {minute}: RSS {m['rss_kb']} kB, anon {m['anonymous_kb']} kB, fds {m['fds']}")
            with open(os.path.join(OUT, "soak.json"), "w") as f:
                json.dump(samples, f)
        scraper.stop()
        stop(p)
    finally:
        for c in list(children):
            stop(c)
    first, last = samples[0], samples[-1]
    full = samples[min(10, len(samples) - 1)]  # the 10-minute windows are full from minute 11
    fds = [x["fds"] for x in samples]
    lines = [
        "# Soak: growth and descriptors over an hour",
        "",
        f"Written by `BENCH_SOAK=1 make bench` (bench/bench.py) on "
        f"{datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M')} UTC, "
        f"{len(samples)} minutes of 200 chat checks at 1 s (window 10m) against nginx on loopback, "
        f"/metrics scraped every 15 s (half an interval off the readings, so a reading never counts a "
        f"scrape's socket); "
        f"{int(last['probes'])} probes. Run time {int((time.time() - started) / 60)} min.",
        "",
        "| figure | value | target | met? |",
        "|---|---|---|---|",
        f"| RSS at minute 1 → minute {last['minute']} | {fmt_kb(first['rss_kb'])} → {fmt_kb(last['rss_kb'])} "
        f"(+{fmt_kb(last['rss_kb'] - first['rss_kb'])}) | ≤ 1 MB growth | "
        f"{verdict(last['rss_kb'] - first['rss_kb'] <= 1024)} |",
        f"| RSS at minute {full['minute']} (windows full) → minute {last['minute']} | "
        f"{fmt_kb(full['rss_kb'])} → {fmt_kb(last['rss_kb'])} (+{fmt_kb(last['rss_kb'] - full['rss_kb'])}) | "
        f"≤ 1 MB growth | {verdict(last['rss_kb'] - full['rss_kb'] <= 1024)} |",
        f"| anonymous memory, minute 1 → {last['minute']} | {fmt_kb(first['anonymous_kb'])} → "
        f"{fmt_kb(last['anonymous_kb'])} | ≤ 8 MB | {verdict(last['anonymous_kb'] <= 8 * 1024)} |",
        f"| open fds over the run | {min(fds)} … {max(fds)} | constant | {verdict(min(fds) == max(fds))} |",
        f"| CPU per probe over the run | "
        f"{1e6 * (last['cpu_s'] - first['cpu_s']) / max(1, last['probes'] - first['probes']):.0f} µs | — | — |",
        "",
        "Every sample (minute, RSS kB, anonymous kB, fds):",
        "",
        "```",
    ] + [f"{x['minute']:3d} {x['rss_kb']:7d} {x['anonymous_kb']:7d} {x['fds']:4d}" for x in samples] + ["```", ""]
    with open(os.path.join(ROOT, "bench", "SOAK.md"), "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines[6:12]))
    log("wrote bench/SOAK.md")


def main():
    os.makedirs(OUT, exist_ok=True)
    if os.environ.get("BENCH_SOAK") == "1":
        soak()
        return
    if os.environ.get("BENCH_RENDER_ONLY") == "1":  # re-render the last run's bench/out/results.json
        raw = json.load(open(os.path.join(OUT, "results.json")))
        raw[5]["breakdown"] = [((n, k), v) for (n, k), v in raw[5]["breakdown"]]
        report = render(*raw)
        print(report["table"])
        with open(RESULTS, "w") as f:
            f.write(report["markdown"])
        return
    started = time.time()
    install_missing()
    build()
    nginx, nginx_port = start_nginx()
    try:
        log("startup (100 checks, spawn to READY=1)")
        startup = measure_startup(nginx_port)
        bb_start = blackbox_startup()
        log("scheduler accuracy (1,000 checks at 10s)")
        schedule = measure_schedule()
        log("scrape under wrk (~1,000 series)")
        scrape = measure_scrape(nginx_port)
        bb = measure_blackbox(nginx_port)
        at = measure_atalaya_probing(nginx_port)
        log("micro-benchmarks (package-benchmark)")
        micro, micro_table, micro_series = measure_micro()
        log("history memory (200 checks, 30 days)")
        history = measure_history()
    finally:
        for p in list(children):
            stop(p)
    raw = [startup, bb_start, schedule, scrape, bb, at, micro, micro_table, micro_series, time.time() - started,
           history]
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump(raw, f)
    report = render(*raw)
    print(report["table"])
    with open(RESULTS, "w") as f:
        f.write(report["markdown"])
    log(f"wrote {RESULTS}")


def machine():
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = proc_meminfo_total()
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    swift = swift[0] if swift else "?"
    try:
        bb = subprocess.run([blackbox_binary(), "--version"], capture_output=True, text=True)
        bbv = (bb.stdout + bb.stderr).splitlines()[0]
    except Exception:
        bbv = "?"
    binary = atalaya_binary()
    size = os.path.getsize(binary) / 1e6 if os.path.exists(binary) else float("nan")
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": mem, "kernel": platform.release(),
            "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
            "swift": swift, "blackbox": bbv, "binary_mb": size}


def proc_meminfo_total():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    return "?"


def micro_value(micro, bench, metric, pct="p50"):
    try:
        return micro[bench][metric][pct]
    except (KeyError, TypeError):
        return None


def render(startup, bb_start, schedule, scrape, bb, at, micro, micro_table, micro_series, elapsed,
           history=None):
    rows = []

    def row(target, a, b, ratio, goal, met):
        rows.append((target, a, b, ratio, goal, verdict(met) if met is not None else "—"))

    rss_a, rss_b = at["warm"]["rss_kb"], bb["warm"]["rss_kb"]
    row("1. RSS after 1 min of 200 probes/s", fmt_kb(rss_a), fmt_kb(rss_b), f"{rss_a / rss_b:.2f}",
        "≤ 1.0 (stretch 0.8)", rss_a / rss_b <= 1.0)
    anon = at["warm"]["anonymous_kb"]
    row("1. anonymous memory (smaps_rollup)", fmt_kb(anon), fmt_kb(bb["warm"]["anonymous_kb"]),
        f"{anon / max(1, bb['warm']['anonymous_kb']):.2f}", "≤ 8 MB", anon <= 8 * 1024)
    row("1. of RSS: file-backed (code) / anon", f"{fmt_kb(at['warm']['rss_file_kb'])} / {fmt_kb(at['warm']['rss_anon_kb'])}",
        f"{fmt_kb(bb['warm']['rss_file_kb'])} / {fmt_kb(bb['warm']['rss_anon_kb'])}", "", "", None)
    ca, cb = at["cpu_per_probe_ms"], bb["cpu_per_probe_ms"]
    row(f"2. CPU per probe at {PROBE_RATE}/s ({DURATIONS['cpu']} s)", f"{ca * 1000:.0f} µs", f"{cb * 1000:.0f} µs",
        f"{ca / cb:.2f}", "≤ 0.25", ca / cb <= 0.25)
    row("2. probes/s achieved", f"{at['rate']:.0f}", f"{bb['rate']:.0f}", "", f"{PROBE_RATE}", None)

    if history:
        per = history["resident_bytes_per_check"]
        row(f"7. history memory per check ({history['days']} days, {history['checks']} checks)",
            f"{per / 1024:.1f} KiB", "—", "", "≤ 24 KiB", per <= 24 * 1024)
    writer_ms = micro_value(micro, "ExpositionWriter_10k", "Time (wall clock)")
    sets_ms = micro_value(micro, "ExpositionWriter_LabelSets_10k", "Time (wall clock)")
    agent_ms = micro_value(micro, "AgentRenderMetrics_10k", "Time (wall clock)")
    prom_ms = micro_value(micro, "SwiftPrometheus_10k", "Time (wall clock)")
    mallocs_w = micro_value(micro, "ExpositionWriter_10k", "Malloc (total)")
    mallocs_a = micro_value(micro, "AgentRenderMetrics_10k", "Malloc (total)")
    mallocs_p = micro_value(micro, "SwiftPrometheus_10k", "Malloc (total)")
    row("3. render 10k series, ExpositionWriter (median)", fmt_ms(writer_ms), fmt_ms(prom_ms) + " ¹",
        ratio(writer_ms, prom_ms), "≤ 2 ms, ≤ swift-prometheus",
        writer_ms is not None and writer_ms <= 2 and (prom_ms is None or writer_ms <= prom_ms))
    row("3. render 10k series, ExpositionWriter with label sets (median)", fmt_ms(sets_ms),
        fmt_ms(prom_ms) + " ¹", ratio(sets_ms, prom_ms), "≤ swift-prometheus",
        sets_ms is not None and (prom_ms is None or sets_ms <= prom_ms))
    row("3. render 10k series, Agent.renderMetrics (median)", fmt_ms(agent_ms), fmt_ms(prom_ms) + " ¹",
        ratio(agent_ms, prom_ms), "≤ 2 ms, ≤ swift-prometheus",
        agent_ms is not None and agent_ms <= 2 and (prom_ms is None or agent_ms <= prom_ms))
    row("3. mallocs per render, ExpositionWriter (10k series)", fmt_n(mallocs_w), fmt_n(mallocs_p) + " ¹", "",
        "~0 per series", mallocs_w is not None and mallocs_w <= 5)
    series_a = int(micro_series.get("AgentRenderMetrics_10k", 0) or 0)
    per_line = f" ({mallocs_a / series_a:.2f} per series)" if mallocs_a is not None and series_a else ""
    row("3. mallocs per render, Agent.renderMetrics", fmt_n(mallocs_a) + per_line, fmt_n(mallocs_p) + " ¹", "",
        "~0 per series",
        mallocs_a is not None and series_a > 0 and mallocs_a / series_a <= 0.01)
    row(f"3. /metrics scrapes/s under wrk ({scrape['series']} series)", f"{scrape['rps']:.0f}", "—", "",
        "≥ 2,000", scrape["rps"] >= 2000)
    row("4. schedule lateness p99 (1,000 checks at 10 s)", f"{schedule['p99_ms']:.2f} ms", "—", "", "≤ 10 ms",
        schedule["p99_ms"] is not None and schedule["p99_ms"] <= 10)
    row("4. overlapping runs of one check", f"{schedule['overlaps']}", "—", "", "0", schedule["overlaps"] == 0)
    row("5. start to READY=1, 100 checks (median)", f"{startup['median_ms']:.0f} ms",
        f"{bb_start:.0f} ms ²", f"{startup['median_ms'] / bb_start:.2f}", "≤ 100 ms", startup["median_ms"] <= 100)
    growth = at["final"]["rss_kb"] - at["warm"]["rss_kb"]
    row(f"6. RSS growth {DURATIONS['warmup']} s → {DURATIONS['growth']} s", f"{growth / 1024:+.2f} MB", "—", "",
        "≤ 1 MB", growth <= 1024)
    row("6. open fds at those times", f"{at['warm']['fds']} → {at['final']['fds']}", "—", "", "constant",
        at["warm"]["fds"] == at["final"]["fds"])

    header = ("target", "Atalaya", "blackbox_exporter", "ratio", "goal", "met?")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(6)]
    table = "\n".join(" | ".join(str(c).ljust(w) for c, w in zip(r, widths)) for r in [header] + rows)
    md_rows = ["| " + " | ".join(header) + " |", "|" + "---|" * 6] + \
        ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    m = machine()
    bd = "\n".join(f"| {os.path.basename(name)} | {kind} | {kb / 1024:.1f} MB | {anon / 1024:.1f} MB |"
                   for (name, kind), (kb, anon) in at["breakdown"])
    quick_note = " with **BENCH_QUICK=1** (shortened durations, not the issue's)" if QUICK else ""
    md = f"""# Benchmark results

Written by `make bench` (bench/bench.py){quick_note}
on {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}, in {elapsed / 60:.0f} minutes.

Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory']} memory, Linux {m['kernel']}; {m['swift']};
{m['blackbox']}; atalaya release binary (static Swift runtime) {m['binary_mb']:.1f} MB.
Load average at the end of the run: {m['load']} (shared machine: wall-clock figures such as
scheduler lateness, startup and scrapes/s suffer when other work competes for the CPUs).

{chr(10).join(md_rows)}

¹ swift-prometheus 2.4.1 emitting the same 10,000 series (micro-benchmark, same process).
² blackbox_exporter has no READY=1: time from spawn until its port accepts connections.

## Details

- Probing (targets 1, 2, 6): 200 chat checks (20 providers × 10 models, `type: openai`) at 1 s against
  nginx-light on loopback answering a canned chat completion; blackbox_exporter with an http module
  that POSTs the same body, driven through `/probe` at {PROBE_RATE}/s by a paced Python loop
  ({bb['failed']} failed probes). Atalaya's /metrics is scraped every 15 s meanwhile, as by the
  Prometheus server beside it. Memory read after {DURATIONS['warmup']} s of probing, then CPU
  (utime+stime from /proc/PID/stat) over {DURATIONS['cpu']} s, divided by the probes done in that window
  (Atalaya: {at['probes_in_window']:.0f}, from `atalaya_probes_total`; blackbox: {bb['probes_in_window']}).
- Atalaya memory: idle {fmt_kb(at['idle']['rss_kb'])}; after warm-up RSS {fmt_kb(at['warm']['rss_kb'])}
  (file {fmt_kb(at['warm']['rss_file_kb'])}, anon {fmt_kb(at['warm']['rss_anon_kb'])}, smaps Anonymous
  {fmt_kb(at['warm']['anonymous_kb'])}, Private_Dirty {fmt_kb(at['warm']['private_dirty_kb'])});
  after {DURATIONS['growth']} s RSS {fmt_kb(at['final']['rss_kb'])}, {at['final']['fds']} fds.
  blackbox_exporter: idle {fmt_kb(bb['idle']['rss_kb'])}, after warm-up {fmt_kb(bb['warm']['rss_kb'])}
  (file {fmt_kb(bb['warm']['rss_file_kb'])}, anon {fmt_kb(bb['warm']['rss_anon_kb'])}).
- Scrape: {scrape['series']} series, {scrape['bytes']} bytes per /metrics; wrk -t2 -c8 for
  {DURATIONS['scrape']} s: {scrape['rps']:.0f} req/s, average latency {scrape['latency_avg']},
  {scrape['cpu_per_scrape_ms']:.3f} ms of agent CPU per scrape.
- Scheduler: {schedule['samples']} probe starts of 1,000 checks at 10 s over {schedule['duration_s']} s,
  each run sleeping 2 ms: lateness p50 {schedule['p50_ms']} ms, p99 {schedule['p99_ms']} ms, max {schedule['max_ms']} ms
  (as in the agent, a wake-up also starts the slots of the next 10 ms: earliest start
  {-schedule.get('earliest_ms', 0) or 0} ms before its slot; early starts count as on time).
- Startup: {startup['runs']} runs, median {startup['median_ms']:.1f} ms, max {startup['max_ms']:.1f} ms.

### What is resident in Atalaya after warm-up (/proc/PID/smaps, top mappings)

| mapping | kind | RSS | of which anonymous |
|---|---|---|---|
{bd}

### Resident code of the atalaya binary by module (bench/resident.py: /proc/PID/pagemap × nm)

```
{at['resident'].strip()}
```

### Micro-benchmarks (package-benchmark, `Benchmarks/`, per render)

AgentRenderMetrics_10k renders {micro_series.get('AgentRenderMetrics_10k', 'about 10,000')} series of {micro_series.get('AgentRenderMetrics_10k_checks', 218)} checks, each with 30 days of
history behind it (the agent's real /metrics path: the rows read in place from the health and
history stores, MetricsRenderer, process metrics), scraping one agent made once, as
SwiftPrometheus_10k emits one registry made once (its allocations per render are a fixed few
dozen — /proc reads, the SLO and cost views — not one per series); the other three render the same 10,000
`atalaya_probes_total` series (ExpositionWriter_LabelSets_10k with each check's provider/model
labels rendered once, as the agent does).

{micro_table}
"""
    notes = os.path.join(ROOT, "bench", "notes.md")
    if os.path.exists(notes):
        md += "\n" + open(notes).read()
    return {"table": table, "markdown": md}


def fmt_ms(v):
    return "?" if v is None else f"{v:.3f} ms"


def fmt_n(v):
    return "?" if v is None else f"{v:.0f}"


def ratio(a, b):
    return "" if a is None or b is None or b == 0 else f"{a / b:.2f}"


if __name__ == "__main__":
    try:
        main()
    finally:
        for p in list(children):
            stop(p)
