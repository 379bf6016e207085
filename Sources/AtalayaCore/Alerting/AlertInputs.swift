/// Everything the alert engine looks at in one evaluation, gathered from the
/// read models: probe health (FleetView), spend and budgets (CostView) and the
/// application's reported traffic. Probe samples carry `source="probe"`,
/// traffic samples `source="usage"`, so a rule fires on either.
public enum AlertInputs {
  public static func samples(
    fleet: FleetView, cost: CostView, traffic: [TrafficSignal], at now: Timestamp
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

extension AtalayaConfig {
  /// The rules the engine runs: the configured (or default) ones, plus
  /// ``AlertRule/budgetThreshold`` when a budget has `warn_at` thresholds.
  public var effectiveAlerting: AlertingConfig {
    var a = alerting
    if cost.budgets.contains(where: { !$0.warnAt.isEmpty }),
      !a.rules.contains(where: { $0.name == AlertRule.budgetThreshold.name })
    {
      a.rules.append(.budgetThreshold)
    }
    return a
  }
}
