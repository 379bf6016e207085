extension AlertRule {
  /// The rules used when the config has no `alerting.rules` key (issue 3's defaults).
  /// `rules: []` turns alerting rules off instead.
  public static let defaults: [AlertRule] = [
    rule("LLMHighErrorRate", .errorRate, .greater, 0.05, "error_rate > 5%", for: 120, "critical"),
    rule("LLMHighLatency", .latencyP95, .greater, 5, "latency_p95 > 5s", for: 300, "warning"),
    rule("LLMProviderDown", .providerDown, .equal, 1, "provider_down == 1", for: 60, "critical"),
    rule(
      "LLMModelUnavailable", .modelListed, .equal, 0, "model_listed == 0", for: 0, "warning"),
    rule("LLMHighCost", .costPerHour, .greater, 10, "cost_per_hour > $10", for: 600, "warning"),
    rule(
      "LLMBudgetLow", .budgetRemainingUSD, .less, 10, "budget_remaining_usd < $10", for: 0,
      "critical"),
    rule(
      "LLMBudgetUsedHigh", .budgetUsedRatio, .greaterOrEqual, 0.8, "budget_used_ratio >= 80%",
      for: 0, "warning"),
  ]

  private static func rule(
    _ name: String, _ signal: AlertSignal, _ op: ComparisonOperator, _ value: Double,
    _ text: String, for seconds: Int64, _ severity: String
  ) -> AlertRule {
    AlertRule(
      name: name, expr: AlertExpression(signal: signal, op: op, value: value, text: text),
      forDuration: .seconds(seconds), severity: severity)
  }
}
