extension RFC3339 {
  /// Parses an RFC 3339 date-time: `2026-12-01T00:00:00Z`, `2026-12-01T02:00:00.5+02:00`
  /// (`t`/`z` and a space instead of `T` accepted). Nil for anything else, including
  /// out-of-range fields and a missing offset.
  public static func parse(_ text: String) -> Timestamp? {
    let c = Array(text.utf8)
    var i = 0
    func digits(_ n: Int) -> Int? {
      guard i + n <= c.count else { return nil }
      var v = 0
      for k in i..<(i + n) {
        guard c[k] >= 48, c[k] <= 57 else { return nil }
        v = v * 10 + Int(c[k] - 48)
      }
      i += n
      return v
    }
    func expect(_ chars: String) -> Bool {
      guard i < c.count, chars.utf8.contains(c[i]) else { return false }
      i += 1
      return true
    }
    guard let year = digits(4), expect("-"), let month = digits(2), expect("-"),
      let day = digits(2), expect("Tt "), let hour = digits(2), expect(":"),
      let minute = digits(2), expect(":"), let second = digits(2)
    else { return nil }
    var fraction = 0.0
    if i < c.count, c[i] == UInt8(ascii: ".") {
      i += 1
      var scale = 0.1
      let start = i
      while i < c.count, c[i] >= 48, c[i] <= 57 {
        fraction += Double(c[i] - 48) * scale
        scale /= 10
        i += 1
      }
      guard i > start else { return nil }
    }
    var offsetSeconds = 0
    if expect("Zz") {
    } else if i < c.count, c[i] == UInt8(ascii: "+") || c[i] == UInt8(ascii: "-") {
      let sign = c[i] == UInt8(ascii: "-") ? -1 : 1
      i += 1
      guard let oh = digits(2), expect(":"), let om = digits(2), oh <= 23, om <= 59 else {
        return nil
      }
      offsetSeconds = sign * (oh * 3600 + om * 60)
    } else {
      return nil
    }
    guard i == c.count, (1...12).contains(month), day >= 1,
      day <= UTCCalendar.daysInMonth(year: year, month: month), hour <= 23, minute <= 59,
      second <= 60
    else { return nil }
    let days = UTCCalendar.days(year: year, month: month, day: day)
    let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds
    return Timestamp(seconds: Double(seconds) + fraction)
  }
}
