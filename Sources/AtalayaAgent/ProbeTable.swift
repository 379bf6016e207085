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
        o.message.map { String($0.prefix(60)) } ?? "",
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
