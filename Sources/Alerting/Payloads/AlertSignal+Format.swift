import AtalayaCore

extension AlertSignal {
  /// `value` in this signal's unit for people: ratios as `23.0%`, latencies as
  /// `850ms` or `5.20s`, money as `$12.50`, hours as `6.5h`, counts as integers.
  /// The engine can put it in an alert's `value` annotation (see ``AlertText/value(_:)``).
  public func format(_ value: Double) -> String {
    switch self {
    case .errorRate, .successRate, .ratelimitRemainingRatio, .budgetUsedRatio:
      return NumberText.fixed(value * 100, 1) + "%"
    case .latencyP50, .latencyP90, .latencyP95, .latencyP99, .ttftP95:
      return value < 1 ? NumberText.fixed(value * 1000, 0) + "ms" : NumberText.fixed(value, 2) + "s"
    case .costPerHour:
      return "$" + NumberText.fixed(value, 2) + "/h"
    case .budgetRemainingUSD:
      return "$" + NumberText.fixed(value, 2)
    case .budgetExhaustionHours:
      return NumberText.fixed(value, 1) + "h"
    case .consecutiveFailures, .circuitOpen, .providerDown, .providerDegraded:
      return NumberText.compact(value)
    }
  }
}
