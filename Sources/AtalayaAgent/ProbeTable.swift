import AtalayaCore

/// Formats probe outcomes as the table `atalaya probe` prints.
public enum ProbeTable {
  public static func render(_ outcomes: [ProbeOutcome]) -> String {
    let header = [
      "PROVIDER", "MODEL", "RESULT", "HTTP", "LATENCY", "TTFB", "TTFT", "TOKENS", "DETAIL",
    ]
    var rows = [header]
    for o in outcomes {
      rows.append([
        o.check.provider,
        o.check.model,
        o.result.rawValue,
        o.httpStatus.map(String.init) ?? "-",
        ms(o.timings?.total),
        ms(o.timings?.firstByte),
        ms(o.ttft),
        o.usage.map { "\($0.inputTokens)/\($0.outputTokens)" } ?? "-",
        detail(o),
      ])
    }
    var widths = [Int](repeating: 0, count: header.count)
    for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
    return rows.map { r in
      r.enumerated().map { i, c in
        i == r.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count)
      }.joined(separator: "  ").trimmingTrailingSpaces()
    }.joined(separator: "\n")
  }

  /// The message (cut to 100 characters), the expected models a list lacked, and when
  /// the provider said to come back.
  static func detail(_ o: ProbeOutcome) -> String {
    var parts: [String] = []
    if let message = o.message { parts.append(String(message.prefix(100))) }
    if let missing = o.missingModels {
      parts.append(
        missing.isEmpty
          ? "all expected models listed"
          : "model_unavailable: \(missing.joined(separator: ", ")) not listed")
    }
    if let resume = o.resumeAt { parts.append("retry at \(RFC3339.format(resume))") }
    return parts.joined(separator: "; ")
  }

  /// Milliseconds, rounded, or "-".
  public static func ms(_ seconds: Double?) -> String {
    guard let seconds else { return "-" }
    return "\(Int((seconds * 1000).rounded()))ms"
  }
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var s = self
    while s.last == " " { s.removeLast() }
    return s
  }
}
