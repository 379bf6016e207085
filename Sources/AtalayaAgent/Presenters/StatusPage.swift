import AtalayaCore

/// The status page (`GET /` for browsers, `GET /status`): server-rendered HTML, self-contained
/// (no external fonts, scripts or CDNs; works offline and without JavaScript), light and
/// dark, status told in words and icons. With JavaScript on it follows `/api/v1/events` and
/// refreshes the statuses from `/api/v1/status` without a reload.
struct StatusPage {
  var view: FleetView
  var history: HistoryView
  /// Daily buckets (last 30 days) per provider, when the history has any.
  var days: [String: [HistoryBucket]]
  var routes: [RouteView]
  var incidents: [Incident]
  var cost: CostView
  /// The configured maintenance windows.
  var maintenance: [MaintenanceWindow] = []

  static func escape(_ s: String) -> String {
    var out = ""
    out.reserveCapacity(s.utf8.count)
    for c in s.unicodeScalars {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.unicodeScalars.append(c)
      }
    }
    return out
  }

  static func word(_ s: ProviderStatus) -> String {
    switch s {
    case .healthy: "Healthy"
    case .degraded: "Degraded"
    case .down: "Down"
    }
  }

  static func icon(_ s: ProviderStatus) -> String {
    switch s {
    case .healthy: "✓"
    case .degraded: "⚠"
    case .down: "✗"
    }
  }

  static func percent(_ x: Double?) -> String {
    guard let x else { return "—" }
    return HumanNumber.fixed(x * 100, decimals: 2) + "%"
  }

  static func ms(_ s: Double?) -> String {
    guard let s else { return "—" }
    return s < 1
      ? HumanNumber.fixed(s * 1000, decimals: 0) + " ms" : HumanNumber.fixed(s, decimals: 2) + " s"
  }

  /// "Maintenance" under a provider's name while a window covers it.
  func maintenanceNote(_ provider: String) -> String {
    let names = MaintenanceReport.active(maintenance, provider: provider, at: view.at)
    guard !names.isEmpty else { return "" }
    return
      "<p class=\"maintenance\" data-maintenance=\"\(Self.escape(names.joined(separator: ",")))\"><span class=\"icon\" aria-hidden=\"true\">🔧</span> <span class=\"word\">Maintenance</span>: \(Self.escape(names.joined(separator: ", ")))</p>"
  }

  func render() -> String {
    let e = Self.escape
    var h = """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1">
      <meta http-equiv="Content-Security-Policy" content="default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
      <title>LLM provider status</title>
      <style>\(Self.css)</style></head>
      <body><header>
      <h1>LLM provider status</h1>
      <p id="overall" class="status" data-status="\(view.overall.rawValue)"><span class="icon" aria-hidden="true">\(Self.icon(view.overall))</span> <span class="word">\(Self.word(view.overall))</span> <span class="summary">\(e(view.statusLine()))</span></p>
      <p class="meta">Updated <time id="generated" datetime="\(RFC3339.format(view.at))">\(RFC3339.format(view.at))</time> · <span id="live">reload for news</span></p>
      </header><main>

      """
    for p in view.providers {
      let s = ProviderSummary(p)
      let up = history.providerUptime[p.name]
      h += """
        <section class="provider status" data-provider="\(e(p.name))" data-status="\(p.status.rawValue)">
        <h2><span class="icon" aria-hidden="true">\(Self.icon(p.status))</span> \(e(p.name)) <span class="word">\(Self.word(p.status))</span></h2>
        \(maintenanceNote(p.name))<dl><dt>Uptime 24h</dt><dd>\(Self.percent(up?[.day] ?? s.uptime))</dd><dt>30 days</dt><dd>\(Self.percent(up?[.month]))</dd><dt>p95</dt><dd>\(Self.ms(s.worstP95))</dd></dl>

        """
      if let bars = days[p.name], bars.contains(where: { $0.counted > 0 }) {
        h += "<div class=\"bars\" role=\"img\" aria-label=\"Daily uptime, last 30 days\">"
        for b in bars {
          let cls = b.ratio.map { $0 >= 0.999 ? "ok" : $0 >= 0.95 ? "warn" : "bad" } ?? "none"
          let day = String(RFC3339.format(b.start).prefix(10))
          h += "<span class=\"bar \(cls)\" title=\"\(day): \(Self.percent(b.ratio))\"></span>"
        }
        h += "</div>\n"
      }
      h +=
        "<table><thead><tr><th>Check</th><th>Status</th><th>Success</th><th>p95</th></tr></thead><tbody>\n"
      for c in p.checks {
        let status: ProviderStatus = c.circuit == .open ? .down : c.isHealthy ? .healthy : .degraded
        h +=
          "<tr data-check=\"\(e(c.id.model))\"><td>\(e(c.id.model))</td><td class=\"status\" data-status=\"\(status.rawValue)\"><span class=\"icon\" aria-hidden=\"true\">\(Self.icon(status))</span> \(Self.word(status))</td><td>\(Self.percent(c.stats.successRatio))</td><td>\(Self.ms(c.stats.p95))</td></tr>\n"
      }
      h += "</tbody></table>\n"
      if let last = s.lastError {
        h +=
          "<p class=\"error\">Last error (\(e(last.result.rawValue)), \(RFC3339.format(last.startedAt))): \(e(String((last.message ?? "").prefix(300))))</p>\n"
      }
      h += "</section>\n"
    }
    if !routes.isEmpty {
      h +=
        "<section id=\"routes\"><h2>Routes</h2><table><thead><tr><th>Route</th><th>Choice</th><th>Usable</th></tr></thead><tbody>\n"
      for r in routes {
        let choice = r.choice.map { "\($0.provider)/\($0.model)" } ?? "none usable"
        h +=
          "<tr data-route=\"\(e(r.route))\"><td>\(e(r.route))</td><td>\(e(choice))</td><td>\(r.usableCount) of \(r.candidates.count)</td></tr>\n"
      }
      h += "</tbody></table></section>\n"
    }
    h += "<section id=\"incidents\"><h2>Incidents</h2>\n"
    if incidents.isEmpty {
      h += "<p>No incidents in the last 30 days.</p>\n"
    } else {
      h += "<ul>\n"
      for i in incidents.prefix(10) {
        let state = i.status == .open ? "Open" : "Resolved"
        let planned =
          i.maintenance.map { " · 🔧 during maintenance (" + e($0.joined(separator: ", ")) + ")" }
          ?? ""
        h +=
          "<li data-incident=\"\(e(i.id))\"><strong>\(state)</strong> · \(e(i.provider)) \(Self.word(i.impact).lowercased()) since \(RFC3339.format(i.startedAt)), \(formatDuration(.seconds(i.duration(at: view.at).seconds.rounded())))\(i.cause.map { " · cause " + $0.rawValue } ?? "")\(planned)</li>\n"
      }
      h += "</ul>\n"
    }
    h += "</section>\n"
    if !maintenance.isEmpty {
      h +=
        "<section id=\"maintenance\"><h2>Maintenance</h2><table><thead><tr><th>Window</th><th>Schedule</th><th>Now</th></tr></thead><tbody>\n"
      for w in maintenance {
        let now: String
        if let o = w.occurrence(at: view.at) {
          now = "🔧 In progress until " + RFC3339.formatWholeSeconds(o.end)
        } else {
          now = w.nextStart(after: view.at).map { "Next " + RFC3339.formatWholeSeconds($0) } ?? "—"
        }
        h +=
          "<tr data-window=\"\(e(w.name))\"><td>\(e(w.name))</td><td>\(e(w.scheduleText))</td><td>\(now)</td></tr>\n"
      }
      h += "</tbody></table></section>\n"
    }
    if !cost.budgets.isEmpty {
      h +=
        "<section id=\"budgets\"><h2>Budgets</h2><table><thead><tr><th>Budget</th><th>Spent</th><th>Limit</th><th>Used</th></tr></thead><tbody>\n"
      for b in cost.budgets {
        h +=
          "<tr><td>\(e(b.config.name))</td><td>$\(HumanNumber.fixed(b.spent, decimals: 2, trim: false))</td><td>$\(HumanNumber.fixed(b.config.limitUSD, decimals: 2, trim: false))</td><td>\(Self.percent(b.usedRatio))</td></tr>\n"
      }
      h += "</tbody></table></section>\n"
    }
    h += "</main>\n<script>\(Self.script)</script>\n</body></html>\n"
    return h
  }

  static let css = """
    :root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#5b636e;--card:#f5f7f9;--ok:#1a7f37;--warn:#9a6700;--bad:#cf222e;--none:#d0d7de}
    @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--card:#161b22;--ok:#3fb950;--warn:#d29922;--bad:#f85149;--none:#30363d}}
    body{margin:0 auto;max-width:60rem;padding:1rem;background:var(--bg);color:var(--fg);font:16px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
    h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:.2rem 0 .5rem}
    .meta,.summary,.error{color:var(--muted)}.error{font-size:.9rem;word-break:break-word}
    section{background:var(--card);border-radius:.5rem;padding:.8rem 1rem;margin:1rem 0}
    [data-status=healthy] .icon,[data-status=healthy].status .word,td[data-status=healthy]{color:var(--ok)}
    [data-status=degraded] .icon,[data-status=degraded].status .word,td[data-status=degraded]{color:var(--warn)}
    [data-status=down] .icon,[data-status=down].status .word,td[data-status=down]{color:var(--bad)}
    .word{font-weight:600}dl{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;margin:.3rem 0}dt{color:var(--muted)}dd{margin:0 0 0 .3rem;font-weight:600}
    table{width:100%;border-collapse:collapse;font-size:.95rem}th,td{text-align:left;padding:.25rem .4rem;border-bottom:1px solid var(--none)}
    .bars{display:flex;gap:2px;height:1.6rem;margin:.4rem 0}.bar{flex:1;border-radius:2px;background:var(--none)}
    .bar.ok{background:var(--ok)}.bar.warn{background:var(--warn)}.bar.bad{background:var(--bad)}
    @media (max-width:40rem){body{padding:.5rem}table{font-size:.85rem}}
    """

  /// Live updates: on every event the page is read again from /status and its header
  /// status and main part are swapped in (one read at a time; a burst of events is one
  /// more read), so every figure stays the server's rendering.
  static let script = """
    (function(){
    var busy=false,again=false;
    function swap(doc,sel){var a=document.querySelector(sel),b=doc.querySelector(sel);if(a&&b)a.replaceWith(b);}
    function refresh(){if(busy){again=true;return;}busy=true;
    fetch("/status",{cache:"no-store",headers:{"Accept":"text/html"}}).then(function(r){return r.text();}).then(function(t){
    var doc=new DOMParser().parseFromString(t,"text/html");swap(doc,"#overall");swap(doc,"#generated");swap(doc,"main");
    }).catch(function(){}).then(function(){busy=false;if(again){again=false;refresh();}});}
    if(window.EventSource){var es=new EventSource("/api/v1/events"),live=document.getElementById("live");
    es.onopen=function(){live.textContent="live";};es.onerror=function(){live.textContent="reconnecting…";};
    ["provider_down","provider_degraded","provider_recovered","circuit","incident_opened","incident_resolved","route_choice","alert_firing","alert_resolved","budget_threshold","config_reloaded","reset"].forEach(function(t){es.addEventListener(t,refresh);});}
    })();
    """
}
