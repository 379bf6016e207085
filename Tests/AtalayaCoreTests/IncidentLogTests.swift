import AtalayaCore
import AtalayaTestSupport
import Testing

/// The incident state machine on a manual clock.
@Suite struct IncidentLogTests {
  let t0 = Timestamp(seconds: 1_800_000_000)

  @Test func aFlappingProviderIsOneIncident() {
    var log = IncidentLog(closeAfter: .seconds(120))
    var t = t0
    let opened = log.observe(provider: "p", status: .degraded, unhealthy: ["m1"], at: t)
    guard case .opened(let first)? = opened else {
      Issue.record("no incident opened")
      return
    }
    #expect(first.id == "p-1800000000")
    log.recordFailure(provider: "p", result: .serverError, message: "HTTP 502: bad gateway")
    // Twenty flaps of 60 s healthy / 15 s degraded: never healthy for 2 minutes.
    for _ in 0..<20 {
      t = t + .seconds(15)
      #expect(log.observe(provider: "p", status: .healthy, unhealthy: [], at: t) == nil)
      t = t + .seconds(60)
      #expect(log.observe(provider: "p", status: .healthy, unhealthy: [], at: t) == nil)
      t = t + .seconds(15)
      log.observe(provider: "p", status: .down, unhealthy: ["m1", "m2"], at: t)
      log.recordFailure(provider: "p", result: .quotaExhausted, message: "spent")
      log.recordFailure(provider: "p", result: .quotaExhausted, message: "spent")
    }
    log.recordAlert(provider: "p", alertname: "LLMProviderDown")
    log.recordAlert(provider: "p", alertname: "LLMProviderDown")
    #expect(log.incidents.count == 1)
    // Healthy from here on: resolved 2 minutes later, ended when it became healthy.
    let healthy = t + .seconds(15)
    #expect(log.observe(provider: "p", status: .healthy, unhealthy: [], at: healthy) == nil)
    let event = log.observe(
      provider: "p", status: .healthy, unhealthy: [], at: healthy + .seconds(120))
    guard case .resolved(let done)? = event else {
      Issue.record("not resolved: \(String(describing: event))")
      return
    }
    #expect(done.status == .resolved)
    #expect(done.impact == .down)
    #expect(done.endedAt == healthy)
    #expect(done.duration(at: healthy + .seconds(600)) == healthy - t0)
    #expect(done.checks == ["m1", "m2"])
    #expect(done.cause == .quotaExhausted)
    #expect(done.firstError == "HTTP 502: bad gateway")
    #expect(done.alerts == ["LLMProviderDown"])
    #expect(log.totals["p"] == ["degraded": 1, "down": 1])
    // A later failure opens a second incident.
    log.observe(provider: "p", status: .down, unhealthy: ["m1"], at: healthy + .seconds(3600))
    #expect(log.incidents.count == 2)
    #expect(log.list(days: 1, at: healthy + .seconds(3600)).map(\.status) == [.open, .resolved])
    #expect(log.list(days: 1, status: .open, at: healthy + .seconds(3600)).count == 1)
    #expect(log.list(days: 1, provider: "other", at: healthy + .seconds(3600)).isEmpty)
  }

  @Test func maintenanceIsNotedOnOpenIncidentsOnly() throws {
    var log = IncidentLog(closeAfter: .seconds(60))
    log.recordMaintenance(provider: "p", windows: ["w"])
    #expect(log.incidents.isEmpty)
    log.observe(provider: "p", status: .down, unhealthy: ["m"], at: t0)
    log.recordMaintenance(provider: "p", windows: ["w"])
    log.recordMaintenance(provider: "p", windows: ["w", "x"])
    log.recordMaintenance(provider: "other", windows: ["w"])
    #expect(log.incidents.map(\.maintenance) == [["w", "x"]])
    log.observe(provider: "q", status: .down, unhealthy: ["m"], at: t0)
    #expect(log.open("q")?.maintenance == nil, "an incident outside a window is not planned work")
  }

  @Test func theLogKeepsNinetyDaysAndAThousandIncidents() {
    var log = IncidentLog(closeAfter: .zero)
    var t = t0
    for _ in 0..<1500 {
      log.observe(provider: "p", status: .down, unhealthy: [], at: t)
      t = t + .seconds(60)
      log.observe(provider: "p", status: .healthy, unhealthy: [], at: t)
      t = t + .seconds(60)
    }
    #expect(log.incidents.count == IncidentLog.maxIncidents)
    #expect(log.totals["p"]?["down"] == 1500)
    log.prune(at: t + .seconds(91 * 86_400))
    #expect(log.incidents.isEmpty)
  }

  @Test func openIncidentsOfRemovedProvidersEndAtRestore() throws {
    var log = IncidentLog()
    log.observe(provider: "gone", status: .down, unhealthy: ["m"], at: t0)
    var history = FleetHistory(
      config: AtalayaConfig(
        providers: [
          ProviderConfig(name: "p", baseURL: "http://x", checks: [CheckConfig(model: "m")])
        ]))
    history.restore(HistorySnapshot(savedAt: t0 + .seconds(60), checks: [:], incidents: log))
    #expect(history.incidents.open("gone") == nil)
    #expect(history.incidents.incidents.first?.endedAt == t0 + .seconds(60))
  }

  @Test func aClockSteppedBackRestartsTheRing() {
    var h = UptimeHistory()
    h.record(success: true, latency: 0.1, at: t0 + .seconds(10 * 86_400))  // from a fast clock
    h.record(success: false, latency: nil, at: t0)
    #expect(h.uptime(.hour, at: t0 + .seconds(1)) == 0)
  }

  @Test func anOpenIncidentSurvivesEncoding() throws {
    var log = IncidentLog()
    log.observe(provider: "p", status: .degraded, unhealthy: ["m"], at: t0)
    log.recordFailure(provider: "p", result: .timeout, message: "timeout: 15 s")
    let snapshot = HistorySnapshot(savedAt: t0, checks: [:], incidents: log)
    let restored = try HistorySnapshot.decode(try snapshot.encode())
    #expect(restored.incidents.open("p")?.cause == .timeout)
    #expect(restored.incidents == log)
  }
}

/// SLO burn rates and error budgets, and the `and` that pairs their windows.
@Suite struct SLOTests {
  let start = Timestamp(seconds: 1_800_000_000)

  func config(target: Double = 0.995) -> AtalayaConfig {
    AtalayaConfig(
      providers: [
        ProviderConfig(name: "a", baseURL: "http://127.0.0.1:1", checks: [CheckConfig(model: "m")]),
        ProviderConfig(name: "b", baseURL: "http://127.0.0.1:1", checks: [CheckConfig(model: "m")]),
      ],
      slos: [SLOConfig(name: "chat", target: target, providers: ["a"])])
  }

  func outcome(_ provider: String, _ ok: Bool, _ t: Timestamp) -> ProbeOutcome {
    ProbeOutcome(
      check: CheckID(provider: provider, model: "m"), result: ok ? .success : .serverError,
      startedAt: t, timings: PhaseTimings(total: 0.2))
  }

  @Test func burnRatesAndBudgetOverThirtyDays() {
    var history = FleetHistory(config: config())
    // 30 days, one probe a minute, 0.25% failing (half the allowed 0.5%), then 10 minutes
    // of nothing but failures.
    let minutes = 30 * 1440
    for i in 0..<minutes {
      let t = start + .seconds(i * 60)
      let ok = i % 400 != 0 || i == 0
      history.record(outcome("a", i < minutes - 10 ? ok : false, t))
      history.record(outcome("b", false, t))  // b is not in the SLO
    }
    let now = start + .seconds(minutes * 60 - 1)
    let slo = history.sloStatuses(at: now)[0]
    // 5m: all failed → 100% / 0.5% = 200.
    #expect(abs((slo.burnRates[.m5] ?? 0) - 200) < 1e-9)
    // 1h: 10 of 60 failed.
    #expect(abs((slo.burnRates[.h1] ?? 0) - (10.0 / 60) / 0.005) < 1e-9)
    // The period: (107 + 10) of 43200 failed against an allowance of 216.
    let failed = Double((1..<(minutes - 10)).filter { $0 % 400 == 0 }.count + 10)
    #expect(abs((slo.errorBudgetRemaining ?? 0) - (1 - (failed / 43200) / 0.005)) < 1e-9)
    #expect(slo.errorBudgetRemaining! > 0)
    // The implicit rules fire on these samples: fast burn (1h 33x, 5m 200x), slow burn not
    // (6h: 10 of 360 = 5.6x).
    var engine = AlertEngine()
    let samples = AlertInputs.samples(
      fleet: FleetView(at: now, window: .seconds(600), providers: []),
      cost: CostLedger(config: config()).view(at: now), traffic: [], slos: [slo], at: now)
    var alerting = config().effectiveAlerting
    alerting.rules = alerting.rules.filter { $0.name.hasPrefix("LLMSLO") }
    #expect(alerting.rules.map(\.name) == ["LLMSLOFastBurn", "LLMSLOSlowBurn"])
    _ = engine.evaluate(samples: samples, config: alerting, at: now)
    let active = engine.activeAlerts(at: now)
    #expect(active.map(\.alertname) == ["LLMSLOFastBurn"])
    #expect(active.first?.labels["slo"] == "chat")
    #expect(active.first?.state == .firing)
  }

  @Test func noDataIsNoBurn() {
    let history = FleetHistory(config: config())
    let slo = history.sloStatuses(at: start)[0]
    #expect(slo.burnRates.isEmpty)
    #expect(slo.errorBudgetRemaining == nil)
  }

  @Test func andNeedsBothSidesForTheSameSeries() throws {
    let expr = try AlertExpression.parse("slo_burn_rate_1h > 14.4 and slo_burn_rate_5m > 14.4")
      .get()
    #expect(expr.conjuncts == [AlertCondition(signal: .sloBurnRate5m, op: .greater, value: 14.4)])
    let rule = AlertRule(name: "Fast", expr: expr, severity: "critical")
    let alerting = AlertingConfig(rules: [rule])
    var engine = AlertEngine()
    let samples = [
      SignalSample(signal: .sloBurnRate1h, labels: ["slo": "a"], value: 20),
      SignalSample(signal: .sloBurnRate5m, labels: ["slo": "a"], value: 20),
      SignalSample(signal: .sloBurnRate1h, labels: ["slo": "b"], value: 20),
      SignalSample(signal: .sloBurnRate5m, labels: ["slo": "b"], value: 2),
      SignalSample(signal: .sloBurnRate1h, labels: ["slo": "c"], value: 20),  // no 5m sample
    ]
    _ = engine.evaluate(samples: samples, config: alerting, at: start)
    #expect(engine.activeAlerts(at: start).map { $0.labels["slo"] } == ["a"])
  }

  @Test(arguments: [
    ("slo_burn_rate_1h > 14.4 or slo_burn_rate_5m > 1", 24, "unexpected `or"),
    ("slo_burn_rate_1h > 14.4 and", 27, "expected SIGNAL OP VALUE after `and`"),
    ("slo_burn_rate_1h > 14.4 and slo_burn_rat_5m > 1", 28, "did you mean `slo_burn_rate_5m`"),
    ("slo_burn_rate_1h > 14.4 and error_rate > 5%", 24, "`and` joins series by their labels"),
  ])
  func andErrorsPointAtTheProblem(_ text: String, _ offset: Int, _ fragment: String) {
    guard case .failure(let error) = AlertExpression.parse(text) else {
      Issue.record("parsed: \(text)")
      return
    }
    #expect(error.offset == offset, "\(error)")
    #expect(error.message.contains(fragment), "\(error.message)")
  }
}
