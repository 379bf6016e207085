extension RFC3339 {
  /// Parses an RFC 3339 time (`2026-11-21T20:02:54Z`, `…54.123+02:00`); nil when malformed.
  public static func parse(_ text: String) -> Timestamp? {
    let b = Array(text.utf8)
    guard b.count >= 20 else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      guard range.upperBound <= b.count else { return nil }
      var value = 0
      for i in range {
        guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
        value = value * 10 + Int(b[i] - 0x30)
      }
      return value
    }
    func byte(_ i: Int, _ c: Unicode.Scalar) -> Bool { i < b.count && b[i] == UInt8(ascii: c) }
    guard let year = number(0..<4), byte(4, "-"), let month = number(5..<7), byte(7, "-"),
      let day = number(8..<10), byte(10, "T") || byte(10, "t") || byte(10, " "),
      let hour = number(11..<13), byte(13, ":"), let minute = number(14..<16), byte(16, ":"),
      let second = number(17..<19),
      (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
    else { return nil }
    var i = 19
    var fraction = 0.0
    if byte(i, ".") {
      i += 1
      var scale = 0.1
      let start = i
      while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
        fraction += Double(b[i] - 0x30) * scale
        scale /= 10
        i += 1
      }
      guard i > start else { return nil }
    }
    var offset = 0
    if byte(i, "Z") || byte(i, "z") {
      i += 1
    } else if byte(i, "+") || byte(i, "-") {
      guard let oh = number((i + 1)..<(i + 3)), byte(i + 3, ":"), let om = number((i + 4)..<(i + 6))
      else { return nil }
      offset = (oh * 3600 + om * 60) * (byte(i, "-") ? -1 : 1)
      i += 6
    } else {
      return nil
    }
    guard i == b.count else { return nil }
    let days = UTCCalendar.days(year: year, month: month, day: day)
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
    return Timestamp(seconds: Double(seconds) + fraction)
  }
}
