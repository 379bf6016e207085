/// Everything the alert engine looks at in one evaluation, gathered from the
/// read models: probe health (FleetView), spend and budgets (CostView) and the
/// application's reported traffic. Probe samples carry `source="probe"`,
/// traffic samples `source="usage"`, so a rule fires on either.
public enum AlertInputs {
  public static func samples(
    fleet: FleetView, cost: CostView, traffic: [TrafficSignal], slos: [SLOStatus] = [],
    routes: [RouteView] = [], at now: Timestamp
  ) -> [SignalSample] {
    var out = AlertSignals.samples(from: fleet, at: now).map { sample -> SignalSample in
      var s = sample
      if s.labels["model"] != nil { s.labels["source"] = "probe" }
      return s
    }
    for signal in cost.signals {
      guard let name = AlertSignal(rawValue: signal.name) else { continue }
      out.append(SignalSample(signal: name, labels: signal.labels, value: signal.value))
    }
    for b in cost.budgets {
      for threshold in b.config.warnAt {
        let crossed = b.crossedWarnAt.contains(threshold)
        out.append(
          SignalSample(
            signal: .budgetThresholdCrossed,
            labels: ["budget": b.config.name, "threshold": SignalUnit.ratio.format(threshold)],
            value: crossed ? 1 : 0))
      }
    }
    for r in routes {
      out.append(
        SignalSample(
          signal: .routeUsableCandidates, labels: ["route": r.route], value: Double(r.usableCount)))
    }
    for slo in slos {
      let labels = ["slo": slo.config.name]
      for (window, rate) in slo.burnRates {
        out.append(SignalSample(signal: window.signal, labels: labels, value: rate))
      }
      if let remaining = slo.errorBudgetRemaining {
        out.append(SignalSample(signal: .sloErrorBudgetRemaining, labels: labels, value: remaining))
      }
    }
    for t in traffic {
      let labels = ["provider": t.provider, "model": t.model, "source": t.source]
      if let e = t.errorRate {
        out.append(SignalSample(signal: .errorRate, labels: labels, value: e))
      }
      if let r = t.successRatio {
        out.append(SignalSample(signal: .successRate, labels: labels, value: r))
      }
      if let p = t.p95Latency {
        out.append(SignalSample(signal: .latencyP95, labels: labels, value: p))
      }
    }
    return out
  }
}

extension AlertRule {
  /// The implicit rule behind budgets' `warn_at`: one alert per budget and
  /// threshold while the threshold is crossed, resolved when a new period starts.
  public static let budgetThreshold = AlertRule(
    name: "LLMBudgetThreshold",
    expr: AlertExpression(
      signal: .budgetThresholdCrossed, op: .equal, value: 1, text: "budget_threshold_crossed == 1"),
    severity: "warning",
    annotations: ["summary": "budget {{ .budget }} has used {{ .threshold }} of its limit"])
}

extension AlertRule {
  /// The multiwindow fast-burn page (Google SRE workbook, ch. 5): 2% of a 30-day budget
  /// in an hour.
  public static let sloFastBurn = AlertRule(
    name: "LLMSLOFastBurn",
    expr: AlertExpression(
      signal: .sloBurnRate1h, op: .greater, value: 14.4,
      text: "slo_burn_rate_1h > 14.4 and slo_burn_rate_5m > 14.4",
      conjuncts: [AlertCondition(signal: .sloBurnRate5m, op: .greater, value: 14.4)]),
    severity: "critical",
    annotations: [
      "summary":
        "SLO {{ .slo }} burns its error budget {{ .value }}x too fast (1h and 5m above 14.4)"
    ])

  /// Every candidate of a route unusable for a minute: the application has nowhere to go.
  public static let routeExhausted = AlertRule(
    name: "LLMRouteExhausted",
    expr: AlertExpression(
      signal: .routeUsableCandidates, op: .equal, value: 0, text: "route_usable_candidates == 0"),
    forDuration: .seconds(60), severity: "critical",
    annotations: ["summary": "every fallback of route {{ .route }} is unusable"])

  /// The multiwindow slow-burn ticket: 5% of a 30-day budget in six hours.
  public static let sloSlowBurn = AlertRule(
    name: "LLMSLOSlowBurn",
    expr: AlertExpression(
      signal: .sloBurnRate6h, op: .greater, value: 6,
      text: "slo_burn_rate_6h > 6 and slo_burn_rate_30m > 6",
      conjuncts: [AlertCondition(signal: .sloBurnRate30m, op: .greater, value: 6)]),
    severity: "warning",
    annotations: [
      "summary": "SLO {{ .slo }} burns its error budget {{ .value }}x too fast (6h and 30m above 6)"
    ])
}

extension AtalayaConfig {
  /// The rules the engine runs: the configured (or default) ones, plus
  /// ``AlertRule/budgetThreshold`` when a budget has `warn_at` thresholds and
  /// ``AlertRule/sloFastBurn`` and ``AlertRule/sloSlowBurn`` when SLOs are configured
  /// (each unless a rule of that name is configured).
  public var effectiveAlerting: AlertingConfig {
    var a = alerting
    func add(_ rule: AlertRule) {
      if !a.rules.contains(where: { $0.name == rule.name }) { a.rules.append(rule) }
    }
    if cost.budgets.contains(where: { !$0.warnAt.isEmpty }) { add(.budgetThreshold) }
    if !slos.isEmpty {
      add(.sloFastBurn)
      add(.sloSlowBurn)
    }
    if !routes.isEmpty { add(.routeExhausted) }
    return a
  }
}
