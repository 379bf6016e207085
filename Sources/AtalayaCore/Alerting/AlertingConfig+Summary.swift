extension AlertingConfig {
  /// A few lines for `atalaya check`: one per rule, then receivers and silences. No secrets.
  public func summaryLines() -> [String] {
    let usingDefaults = rules == AlertRule.defaults
    var lines = [
      "alerting: \(rules.count) rule\(rules.count == 1 ? "" : "s")"
        + (usingDefaults ? " (defaults)" : "")
        + ", evaluated every \(formatDuration(evaluationInterval))"
    ]
    for rule in rules {
      var line = "  \(rule.name): \(rule.expr.text)"
      if rule.forDuration > .zero { line += " for \(formatDuration(rule.forDuration))" }
      line += " [\(rule.severity)]"
      if !rule.receivers.isEmpty { line += " -> " + rule.receivers.joined(separator: ", ") }
      lines.append(line)
    }
    lines.append(
      receivers.isEmpty
        ? "receivers: none (alerts are only shown in /api/v1/alerts)"
        : "receivers: "
          + receivers.map { "\($0.name) (\($0.kind.rawValue))" }.joined(separator: ", "))
    if !silences.isEmpty {
      lines.append("silences: \(silences.count)")
    }
    for window in maintenance {
      let what =
        window.matchers.isEmpty
        ? "every alert" : window.matchers.map(\.description).joined(separator: " ")
      lines.append("maintenance: \(window.name), \(window.scheduleText): \(what)")
    }
    lines.append(
      inhibitRules.isEmpty
        ? "inhibition: off"
        : "inhibition: \(inhibitRules.count) rule\(inhibitRules.count == 1 ? "" : "s")"
          + (inhibitRules == InhibitRule.defaults
            ? " (default: LLMProviderDown mutes its provider's error-rate and latency alerts)" : "")
    )
    return lines
  }
}
