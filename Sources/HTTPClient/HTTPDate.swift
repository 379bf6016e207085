import AtalayaCore

/// HTTP-dates, as `Retry-After` carries them (no Foundation).
public enum HTTPDate {
  /// An HTTP-date in IMF-fixdate form ("Sun, 06 Nov 1994 08:49:37 GMT"); the
  /// obsolete RFC 850 form with a two-digit year is accepted too.
  public static func parse(_ text: String) -> Timestamp? {
    let parts = text.split { $0 == " " || $0 == "," || $0 == "-" }.map(String.init)
    // [weekday, day, month, year, time, zone]
    guard parts.count == 6, parts[5] == "GMT" || parts[5] == "UTC", let day = Int(parts[1]),
      let month = months.firstIndex(of: parts[2].lowercased()), var year = Int(parts[3])
    else { return nil }
    if year < 100 { year += year < 70 ? 2000 : 1900 }
    let hms = parts[4].split(separator: ":").compactMap { Int($0) }
    guard hms.count == 3 else { return nil }
    return timestamp(
      year: year, month: month + 1, day: day, hour: hms[0], minute: hms[1], second: hms[2])
  }

  private static let months = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
  ]

  private static func timestamp(
    year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int
  ) -> Timestamp? {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...UTCCalendar.daysInMonth(year: year, month: month)).contains(day),
      (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
    else { return nil }
    let days = UTCCalendar.days(year: year, month: month, day: day)
    return Timestamp(seconds: Double(days * 86400 + hour * 3600 + minute * 60 + second))
  }
}
