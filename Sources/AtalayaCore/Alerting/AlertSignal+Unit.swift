/// The unit a signal is measured in, which decides the value syntax a rule may
/// use for it and how values are shown to people.
public enum SignalUnit: String, Sendable, Equatable, CaseIterable {
  /// A fraction 0...1; written `5%` or `0.05`, shown `5%`.
  case ratio
  /// Seconds; written `500ms`, `5s` or `0.5`, shown `850ms`, `1.3s`.
  case seconds
  /// US dollars; written `$10` or `10`, shown `$12.40`.
  case usd
  /// Hours; written `24h`, `90m` or `24`, shown `5.2h`.
  case hours
  /// A plain count; written as a number.
  case count
  /// 1 or 0; written as a number.
  case boolean

  /// How values of this unit are written in a rule, for messages.
  public var syntax: String {
    switch self {
    case .ratio: "a percentage like 5% or a number like 0.05"
    case .seconds: "a duration like 500ms or 5s, or a number of seconds"
    case .usd: "dollars like $10 or a number"
    case .hours: "a duration like 24h or a number of hours"
    case .count: "a number"
    case .boolean: "1 or 0"
    }
  }

  /// `value` for people: `5.2%`, `1.3s`, `850ms`, `$12.40`, `5.2h`, `3`.
  public func format(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "+Inf" : "-Inf") }
    switch self {
    case .ratio:
      let percent = value * 100
      let text = HumanNumber.fixed(percent, decimals: 1)
      if (text == "0" || text == "-0") && percent != 0 {
        return HumanNumber.fixed(percent, decimals: 3) + "%"
      }
      return text + "%"
    case .seconds:
      if abs(value) < 1 { return HumanNumber.fixed(value * 1000, decimals: 0) + "ms" }
      if abs(value) < 60 { return HumanNumber.fixed(value, decimals: 1) + "s" }
      return formatDuration(.saturatingSeconds(value.rounded()))
    case .usd:
      let sign = value < 0 ? "-" : ""
      return sign + "$" + HumanNumber.fixed(abs(value), decimals: 2, trim: false)
    case .hours:
      return HumanNumber.fixed(value, decimals: 1) + "h"
    case .count, .boolean:
      return HumanNumber.fixed(value, decimals: 2)
    }
  }
}

extension AlertSignal {
  /// The signal's unit.
  public var unit: SignalUnit {
    switch self {
    case .errorRate, .successRate, .ratelimitRemainingRatio, .budgetUsedRatio: .ratio
    case .latencyP50, .latencyP90, .latencyP95, .latencyP99, .ttftP95: .seconds
    case .costPerHour, .budgetRemainingUSD: .usd
    case .budgetExhaustionHours: .hours
    case .consecutiveFailures, .sloBurnRate5m, .sloBurnRate30m, .sloBurnRate1h, .sloBurnRate6h,
      .sloBurnRate1d, .sloBurnRate3d, .routeUsableCandidates:
      .count
    case .sloErrorBudgetRemaining: .ratio
    case .circuitOpen, .providerDown, .providerDegraded, .budgetThresholdCrossed, .modelListed:
      .boolean
    }
  }

  /// The labels this signal's series carry.
  public var seriesLabels: [String] {
    switch self {
    case .providerDown, .providerDegraded, .costPerHour: ["provider"]
    case .budgetRemainingUSD, .budgetUsedRatio, .budgetExhaustionHours: ["budget"]
    case .budgetThresholdCrossed: ["budget", "threshold"]
    case .sloBurnRate5m, .sloBurnRate30m, .sloBurnRate1h, .sloBurnRate6h, .sloBurnRate1d,
      .sloBurnRate3d, .sloErrorBudgetRemaining:
      ["slo"]
    case .routeUsableCandidates: ["route"]
    default: ["provider", "model"]
    }
  }
}

/// Fixed-point formatting of doubles without Foundation.
public enum HumanNumber {
  /// `value` rounded to `decimals` places; trailing zeros (and a bare `.`) removed when `trim`.
  public static func fixed(_ value: Double, decimals: Int, trim: Bool = true) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e15 else { return "\(value)" }
    let units = UInt64(scaled)
    let divisor = UInt64(scale)
    let whole = units / divisor
    var text = (value < 0 && units != 0 ? "-" : "") + String(whole)
    if decimals > 0 {
      var fraction = String(units % divisor)
      fraction = String(repeating: "0", count: decimals - fraction.count) + fraction
      if trim { while fraction.hasSuffix("0") { fraction.removeLast() } }
      if !fraction.isEmpty { text += "." + fraction }
    }
    return text
  }
}

extension AlertSignal: Codable {}
