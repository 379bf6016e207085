import AtalayaCore

/// Small date parsers for response headers (no Foundation).
enum DateParsing {
  /// An RFC 3339 time ("2024-05-01T12:00:30Z", "…30.25+02:00").
  static func rfc3339(_ text: String) -> Timestamp? {
    let b = Array(text.trimmingSpaces().utf8)
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
    guard let year = number(0..<4), b[4] == UInt8(ascii: "-"), let month = number(5..<7),
      b[7] == UInt8(ascii: "-"), let day = number(8..<10),
      [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(b[10]),
      let hour = number(11..<13), b[13] == UInt8(ascii: ":"), let minute = number(14..<16),
      b[16] == UInt8(ascii: ":"), let second = number(17..<19)
    else { return nil }
    var i = 19
    var fraction = 0.0
    if i < b.count, b[i] == UInt8(ascii: ".") {
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
    guard i < b.count else { return nil }
    var offset = 0
    switch b[i] {
    case UInt8(ascii: "Z"), UInt8(ascii: "z"):
      i += 1
    case UInt8(ascii: "+"), UInt8(ascii: "-"):
      guard let oh = number((i + 1)..<(i + 3)), i + 3 < b.count, b[i + 3] == UInt8(ascii: ":"),
        let om = number((i + 4)..<(i + 6))
      else { return nil }
      offset = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
      i += 6
    default:
      return nil
    }
    guard i == b.count else { return nil }
    return timestamp(
      year: year, month: month, day: day, hour: hour, minute: minute, second: second,
      fraction: fraction, offset: offset)
  }

  /// An HTTP-date in IMF-fixdate form ("Sun, 06 Nov 1994 08:49:37 GMT"); the
  /// obsolete RFC 850 form with a two-digit year is accepted too.
  static func httpDate(_ text: String) -> Timestamp? {
    let parts = text.split { $0 == " " || $0 == "," || $0 == "-" }.map(String.init)
    // [weekday, day, month, year, time, zone]
    guard parts.count == 6, parts[5] == "GMT" || parts[5] == "UTC", let day = Int(parts[1]),
      let month = months.firstIndex(of: parts[2].lowercased()), var year = Int(parts[3])
    else { return nil }
    if year < 100 { year += year < 70 ? 2000 : 1900 }
    let hms = parts[4].split(separator: ":").compactMap { Int($0) }
    guard hms.count == 3 else { return nil }
    return timestamp(
      year: year, month: month + 1, day: day, hour: hms[0], minute: hms[1], second: hms[2],
      fraction: 0, offset: 0)
  }

  private static let months = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  ]

  private static func timestamp(
    year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, fraction: Double,
    offset: Int
  ) -> Timestamp? {
    guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
      (0...59).contains(minute),
      (0...60).contains(second), (1...9999).contains(year)
    else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset
    return Timestamp(seconds: Double(seconds) + fraction)
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
  static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }
}
