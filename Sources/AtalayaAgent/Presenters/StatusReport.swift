import AtalayaCore

/// The JSON document of GET /api/v1/status: the overall status first, then
/// each provider with its checks. Keys are snake_case and stable, times RFC 3339
/// UTC, latencies milliseconds. Messages come from probe outcomes, which are
/// redacted when they are made.
struct StatusReport {
  var view: FleetView
  var startedAt: Timestamp
  var cost: CostView?
  var history: HistoryView?
  /// The configured maintenance windows.
  var maintenance: [MaintenanceWindow] = []

  func jsonBytes() -> [UInt8] { Array(json.prettyEncoded.utf8) }

  var json: JSONValue {
    .members([
      ("status", .string(view.overall.rawValue)),
      ("summary", .string(view.statusLine())),
      ("generated_at", .string(RFC3339.format(view.at))),
      ("started_at", .string(RFC3339.format(startedAt))),
      ("window_seconds", .number(view.window.seconds)),
      (
        "providers",
        .array(
          view.providers.map {
            Self.provider(
              $0, at: view.at, history: history,
              maintenance: MaintenanceReport.active(maintenance, provider: $0.name, at: view.at))
          })
      ),
      ("maintenance", .array(maintenance.map { MaintenanceReport.json($0, at: view.at) })),
      ("cost", cost.map(Self.cost) ?? .null),
      ("slos", .array((history?.slos ?? []).map(Self.slo))),
    ])
  }

  static func ms(_ seconds: Double?) -> JSONValue {
    .number(seconds.map { ($0 * 1000 * 10).rounded() / 10 })
  }

  static func time(_ t: Timestamp?) -> JSONValue { .string(t.map(RFC3339.format)) }

  static func uptimes(_ ranges: [UptimeRange: Double]?) -> [(String, JSONValue)] {
    UptimeRange.allCases.map { ("uptime_\($0.rawValue)", .number(ranges?[$0])) }
  }

  static func provider(
    _ p: ProviderView, at now: Timestamp, history: HistoryView?, maintenance: [String] = []
  ) -> JSONValue {
    let s = ProviderSummary(p)
    return .members(
      [
        ("name", .string(p.name)),
        ("type", .string(p.config.type.rawValue)),
        ("status", .string(p.status.rawValue)),
        ("uptime", .number(s.uptime)),
      ] + uptimes(history?.providerUptime[p.name])
        + [("open_incident", .string(history?.openIncidents[p.name]?.id))] + [
          ("maintenance", .array(maintenance.map { .string($0) })),
          ("error_rate", .number(s.uptime.map { 1 - $0 })),
          ("latency_avg_ms", ms(s.meanLatency)),
          ("latency_p95_ms", ms(s.worstP95)),
          ("circuit_state", .string(s.circuit.rawValue)),
          (
            "last_error",
            s.lastError.map {
              .members([
                ("class", .string($0.result.rawValue)),
                ("message", .string($0.message)),
                ("http_status", .number($0.httpStatus.map(Double.init))),
                ("at", .string(RFC3339.format($0.startedAt))),
              ])
            } ?? .null
          ),
          ("checks", .array(p.checks.map { check($0, at: now, history: history) })),
        ])
  }

  static func slo(_ s: SLOStatus) -> JSONValue {
    .members([
      ("name", .string(s.config.name)),
      ("target", .number(s.config.target)),
      ("period_seconds", .number(s.config.period.seconds)),
      ("attainment", .number(s.attainment)),
      ("error_budget_remaining", .number(s.errorBudgetRemaining)),
      (
        "burn_rates",
        .members(SLOWindow.allCases.map { ($0.rawValue, .number(s.burnRates[$0])) })
      ),
    ])
  }

  static func check(_ c: CheckView, at now: Timestamp, history: HistoryView?) -> JSONValue {
    let last = c.health.lastOutcome
    let breaker = c.health.breaker
    var members: [(String, JSONValue)] =
      [
        ("model", .string(c.id.model)),
        ("kind", .string(c.check.kind.rawValue)),
        ("healthy", .bool(c.isHealthy)),
        ("circuit_state", .string(c.circuit.rawValue)),
        ("circuit_reason", .string(c.circuit == .closed ? nil : breaker.reason?.rawValue)),
        ("next_probe_at", time(breaker.nextProbeAt(now: now))),
        ("last_result", .string(last?.result.rawValue)),
        ("last_http_status", .number(last?.httpStatus.map(Double.init))),
        ("last_probe_at", time(last?.startedAt)),
        ("success_ratio", .number(c.stats.successRatio)),
        ("latency_p95_ms", ms(c.stats.p95)),
        ("ttft_p95_ms", ms(c.stats.ttftP95)),
        ("probes_in_window", .number(Double(c.stats.total))),
      ] + uptimes(history?.checkUptime[c.id])
    if !c.check.expectedModels.isEmpty {
      let listed = Dictionary(c.listedModels.map { ($0.model, $0.listed) }) { a, _ in a }
      members.append(
        (
          "expected_models",
          .array(
            c.check.expectedModels.map { model in
              let state = listed[model]
              return .members([
                ("model", .string(model)),
                ("listed", state.map(JSONValue.bool) ?? .null),
                (
                  "status",
                  .string(
                    state.map { $0 ? "listed" : ResultClass.modelUnavailable.rawValue }
                      ?? "unknown")
                ),
              ])
            })
        ))
    }
    return .members(members)
  }
}

/// A provider's numbers over its checks: uptime (successes over counted probes),
/// mean latency weighted by successes, the slowest check's p95, the worst
/// circuit state and the newest error.
struct ProviderSummary {
  var uptime: Double?
  var meanLatency: Double?
  var worstP95: Double?
  var circuit: CircuitState
  var lastError: ProbeOutcome?

  init(_ p: ProviderView) {
    var counted = 0
    var successes = 0
    var latencySum = 0.0
    var latencyCount = 0
    for c in p.checks {
      counted += c.stats.countedProbes
      successes += c.stats.successes
      if let mean = c.stats.meanLatency {
        latencySum += mean * Double(c.stats.successes)
        latencyCount += c.stats.successes
      }
      if let p95 = c.stats.p95 { worstP95 = max(worstP95 ?? 0, p95) }
    }
    uptime = counted > 0 ? Double(successes) / Double(counted) : nil
    meanLatency = latencyCount > 0 ? latencySum / Double(latencyCount) : nil
    circuit =
      p.checks.contains { $0.circuit == .open }
      ? .open : p.checks.contains { $0.circuit == .halfOpen } ? .halfOpen : .closed
    lastError = p.checks.compactMap(\.lastError).max { $0.startedAt < $1.startedAt }
  }
}
