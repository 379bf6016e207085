/// Go's `time.Duration` text ("6m0s", "1s", "12ms", "1h2m3.5s"), as OpenAI
/// sends in `x-ratelimit-reset-*`.
enum GoDuration {
  /// Seconds, or nil when `text` is not a Go duration. A bare number is
  /// taken as seconds.
  static func seconds(_ text: String) -> Double? {
    var s = Substring(text.trimmingSpaces())
    guard !s.isEmpty else { return nil }
    if let plain = Double(s), plain.isFinite { return plain }
    var sign = 1.0
    if s.first == "-" || s.first == "+" {
      if s.first == "-" { sign = -1 }
      s = s.dropFirst()
    }
    var total = 0.0
    var sawComponent = false
    while !s.isEmpty {
      let number = s.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
      guard !number.isEmpty, let value = Double(number) else { return nil }
      s = s.dropFirst(number.count)
      let unit = s.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
      s = s.dropFirst(unit.count)
      let scale: Double
      switch unit {
      case "h": scale = 3600
      case "m": scale = 60
      case "s": scale = 1
      case "ms": scale = 1e-3
      case "us", "µs", "μs": scale = 1e-6
      case "ns": scale = 1e-9
      default: return nil
      }
      total += value * scale
      sawComponent = true
    }
    guard sawComponent, total.isFinite else { return nil }
    return sign * total
  }
}
