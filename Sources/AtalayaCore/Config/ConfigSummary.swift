/// What a config will do: providers, checks and the probe load and token cost
/// they add up to. Shows no secrets.
public struct ConfigSummary: Sendable {
  public let config: AtalayaConfig
  public let providers: Int
  public let checks: Int
  /// Probes per hour over all checks (3600 s / interval, summed).
  public let probesPerHour: Double
  /// Estimated tokens per hour spent by chat probes: per probe
  /// ``ProbePrompt/estimatedInputTokens`` plus `max_tokens`; models checks cost 0.
  public let estimatedProbeTokensPerHour: Double

  public init(config: AtalayaConfig) {
    self.config = config
    providers = config.providers.count
    let all = config.allChecks.map(\.check)
    checks = all.count
    probesPerHour = all.reduce(0) { $0 + Self.probesPerHour($1) }
    estimatedProbeTokensPerHour = all.reduce(0) {
      $0 + Self.probesPerHour($1) * Double(Self.tokensPerProbe($1))
    }
  }

  static func probesPerHour(_ check: CheckConfig) -> Double {
    check.interval.seconds > 0 ? 3600 / check.interval.seconds : 0
  }

  /// Estimated tokens of one probe of `check`.
  public static func tokensPerProbe(_ check: CheckConfig) -> Int {
    check.kind == .chat ? ProbePrompt.estimatedInputTokens + check.maxTokens : 0
  }

  /// A readable table: one row per check (provider columns on its first row), then totals.
  public func render() -> String {
    var rows: [[String]] = [
      ["PROVIDER", "TYPE", "BASE_URL", "MODEL", "KIND", "INTERVAL", "TIMEOUT", "STREAM", "PROBE"]
    ]
    for provider in config.providers {
      for (i, check) in provider.checks.enumerated() {
        let first = i == 0
        rows.append([
          first ? provider.name : "", first ? provider.type.rawValue : "",
          first ? provider.baseURL : "",
          check.model, check.kind.rawValue, formatDuration(check.interval),
          formatDuration(check.timeout),
          check.kind == .chat ? (check.stream ? "yes" : "no") : "-",
          Self.probeShape(check),
        ])
      }
    }
    var widths = [Int](repeating: 0, count: rows[0].count)
    for row in rows {
      for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
    }
    var lines = rows.map { row in
      var line = ""
      for (i, cell) in row.enumerated() {
        line +=
          i == row.count - 1
          ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + 2)
      }
      while line.hasSuffix(" ") { line.removeLast() }
      return line
    }
    lines.append("")
    lines.append(
      "\(providers) provider\(providers == 1 ? "" : "s"), \(checks) check\(checks == 1 ? "" : "s"), "
        + "\(Self.decimal(probesPerHour)) probes/hour, ~\(Self.decimal(estimatedProbeTokensPerHour)) "
        + "probe tokens/hour")
    return lines.joined(separator: "\n") + "\n"
  }

  /// What one probe asks for: `8 tokens`, or for a reasoning model `low/256` (effort and
  /// token cap); `expect N` for a models check with expectations.
  public static func probeShape(_ check: CheckConfig) -> String {
    switch check.kind {
    case .models:
      return check.expectedModels.isEmpty ? "-" : "expect \(check.expectedModels.count)"
    case .chat:
      if let effort = check.reasoningEffort { return "\(effort)/\(check.maxTokens)" }
      return "\(check.maxTokens) tokens"
    }
  }

  /// `x` with at most one decimal, without Foundation: 120, 7.5.
  static func decimal(_ x: Double) -> String {
    let tenths = (x * 10).rounded()
    guard tenths.isFinite, abs(tenths) < 1e15 else { return "\(x)" }
    let value = Int(tenths)
    return value % 10 == 0 ? "\(value / 10)" : "\(value / 10).\(abs(value % 10))"
  }
}
