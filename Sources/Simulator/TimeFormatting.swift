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
    let secs = Int(t.seconds.rounded(.down))
    let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
    let rem = secs - days * 86_400
    let (y, mo, d) = civilFromDays(days)
    return
      "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))T\(pad(rem / 3600, 2)):\(pad(rem % 3600 / 60, 2)):\(pad(rem % 60, 2))Z"
  }

  /// Howard Hinnant's days-from-epoch to proleptic Gregorian date.
  private static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
    let z = z0 + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
  }

  private static func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
  }
}
