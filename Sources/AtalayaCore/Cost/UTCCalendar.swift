/// Calendar arithmetic in UTC without Foundation (proleptic Gregorian).
public enum UTCCalendar {
  /// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
  public static func days(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }

  /// The number of days in `month` (1...12) of `year`.
  public static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// The civil date of a day number (days since 1970-01-01).
  public static func civil(days: Int) -> (year: Int, month: Int, day: Int) {
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}

extension BudgetConfig.Period {
  /// The start of the calendar period (UTC) that contains `t`; for a rolling
  /// period, `t` minus its length.
  public func start(containing t: Timestamp) -> Timestamp {
    let s = t.seconds.rounded(.down)
    let day = Int((s / 86_400).rounded(.down))
    switch self {
    case .hour: return Timestamp(seconds: (s / 3600).rounded(.down) * 3600)
    case .day: return Timestamp(seconds: Double(day) * 86_400)
    case .week:
      // 1970-01-01 was a Thursday: Monday-based weekday is (day + 3) mod 7.
      let weekday = ((day + 3) % 7 + 7) % 7
      return Timestamp(seconds: Double(day - weekday) * 86_400)
    case .month:
      let c = UTCCalendar.civil(days: day)
      return Timestamp(
        seconds: Double(UTCCalendar.days(year: c.year, month: c.month, day: 1)) * 86_400)
    case .rolling(let length): return t - length
    }
  }

  /// The end of the calendar period that contains `t` (the next period's start);
  /// for a rolling period, `t` itself.
  public func end(containing t: Timestamp) -> Timestamp {
    let start = start(containing: t)
    switch self {
    case .hour: return start + .seconds(3600)
    case .day: return start + .seconds(86_400)
    case .week: return start + .seconds(7 * 86_400)
    case .month:
      let c = UTCCalendar.civil(days: Int((start.seconds / 86_400).rounded()))
      let (y, m) = c.month == 12 ? (c.year + 1, 1) : (c.year, c.month + 1)
      return Timestamp(seconds: Double(UTCCalendar.days(year: y, month: m, day: 1)) * 86_400)
    case .rolling: return t
    }
  }

  /// `hour`, `day`, `week`, `month`, or the rolling length like `24h`.
  public var label: String {
    switch self {
    case .hour: "hour"
    case .day: "day"
    case .week: "week"
    case .month: "month"
    case .rolling(let d): formatDuration(d)
    }
  }
}
