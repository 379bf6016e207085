import AtalayaCore

/// Text forms of times and durations used in provider headers.
enum TimeFormatting {
  /// Go's `time.Duration.String()` style used by OpenAI: `1s`, `6m0s`, `1h2m3s`, `250ms`.
  static func goDuration(seconds: Double) -> String {
    if seconds <= 0 { return "0s" }
    if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
    let total = Int(seconds.rounded())
    let h = total / 3600
    let m = (total % 3600) / 60
    let s = total % 60
    if h > 0 { return "\(h)h\(m)m\(s)s" }
    if m > 0 { return "\(m)m\(s)s" }
    return "\(s)s"
  }

  /// RFC 3339 in UTC with whole seconds, e.g. `2027-01-15T08:00:00Z` (Anthropic's reset headers).
  static func rfc3339(_ t: Timestamp) -> String {
    RFC3339.formatWholeSeconds(t)
  }
}
