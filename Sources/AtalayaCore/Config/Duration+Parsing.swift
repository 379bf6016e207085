/// Parses a duration such as `250ms`, `30s`, `10m`, `1h`, `1h30m` or `1.5s`.
///
/// Units are `ms`, `s`, `m`, `h` and `d` (24 hours); several `NUMBER UNIT` parts add up. Returns
/// nil for anything else, including a bare number, an empty string and a
/// negative value.
public func parseDuration(_ text: String) -> Duration? {
  let chars = Array(text.unicodeScalars)
  guard !chars.isEmpty else { return nil }
  var total: Int64 = 0
  var i = 0
  func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
  while i < chars.count {
    var whole: Int64 = 0
    var fraction: Int64 = 0
    var fractionScale: Int64 = 1
    var digits = 0
    while i < chars.count, isDigit(chars[i]) {
      let (m, o1) = whole.multipliedReportingOverflow(by: 10)
      let (a, o2) = m.addingReportingOverflow(Int64(chars[i].value - 48))
      guard !o1, !o2 else { return nil }
      whole = a
      digits += 1
      i += 1
    }
    if i < chars.count, chars[i] == "." {
      i += 1
      while i < chars.count, isDigit(chars[i]) {
        if fractionScale < 1_000_000_000 {
          fraction = fraction * 10 + Int64(chars[i].value - 48)
          fractionScale *= 10
        }
        digits += 1
        i += 1
      }
    }
    guard digits > 0 else { return nil }
    var unit = ""
    while i < chars.count, !isDigit(chars[i]), chars[i] != "." {
      unit.unicodeScalars.append(chars[i])
      i += 1
    }
    let nanosPerUnit: Int64
    switch unit {
    case "ms": nanosPerUnit = 1_000_000
    case "s": nanosPerUnit = 1_000_000_000
    case "m": nanosPerUnit = 60_000_000_000
    case "h": nanosPerUnit = 3_600_000_000_000
    case "d": nanosPerUnit = 86_400_000_000_000
    default: return nil
    }
    let (wholeNanos, o1) = whole.multipliedReportingOverflow(by: nanosPerUnit)
    let fractionNanos =
      fraction * (nanosPerUnit / fractionScale)
      + (fraction * (nanosPerUnit % fractionScale)) / fractionScale
    let (part, o2) = wholeNanos.addingReportingOverflow(fractionNanos)
    let (sum, o3) = total.addingReportingOverflow(part)
    guard !o1, !o2, !o3 else { return nil }
    total = sum
  }
  return .nanoseconds(total)
}

/// Formats a duration in the shortest form ``parseDuration(_:)`` reads back:
/// `250ms`, `30s`, `10m`, `1h30m`, `1.5s`, `0s`.
public func formatDuration(_ duration: Duration) -> String {
  let (seconds, attoseconds) = duration.components
  // Beyond ~292 years nanoseconds overflow: whole hours say enough.
  if seconds.magnitude >= 9_000_000_000 {
    return (seconds < 0 ? "-" : "") + "\(seconds.magnitude / 3600)h"
  }
  // Nanosecond precision is plenty for config values.
  var nanos =
    seconds.multipliedReportingOverflow(by: 1_000_000_000).partialValue
    &+ attoseconds / 1_000_000_000
  if nanos == 0 { return "0s" }
  var sign = ""
  if nanos < 0 {
    sign = "-"
    nanos = -nanos
  }
  if nanos < 1_000_000_000, nanos % 1_000_000 == 0 {
    return sign + "\(nanos / 1_000_000)ms"
  }
  let hours = nanos / 3_600_000_000_000
  let minutes = nanos % 3_600_000_000_000 / 60_000_000_000
  let wholeSeconds = nanos % 60_000_000_000 / 1_000_000_000
  let fraction = nanos % 1_000_000_000
  var text = sign
  if hours > 0 { text += "\(hours)h" }
  if minutes > 0 { text += "\(minutes)m" }
  if wholeSeconds > 0 || fraction > 0 {
    text += "\(wholeSeconds)"
    if fraction > 0 {
      var digits = String(fraction)
      digits = String(repeating: "0", count: 9 - digits.count) + digits
      while digits.hasSuffix("0") { digits.removeLast() }
      text += "." + digits
    }
    text += "s"
  }
  return text
}
