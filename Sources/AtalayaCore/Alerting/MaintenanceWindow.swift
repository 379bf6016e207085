/// A recurring maintenance window (`alerting.maintenance`): on the given weekdays
/// (every day when none), from `start` (minutes after midnight, UTC) for `length`.
/// While it is in force, alerts its matchers match are muted as by a silence, the
/// providers it covers show as in maintenance on the status page, and incidents that
/// open then are marked as maintenance.
public struct MaintenanceWindow: Sendable, Equatable {
  /// A day of the week, Monday first.
  public enum Weekday: Int, Sendable, Equatable, CaseIterable, Comparable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    /// `mon` / `monday` in any case.
    public init?(name: String) {
      let lower = name.lowercased()
      guard
        let day = Self.allCases.first(where: {
          lower == $0.name || (lower.count == 3 && $0.name.hasPrefix(lower))
        })
      else { return nil }
      self = day
    }

    public var name: String {
      ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"][rawValue]
    }

    /// The weekday of a day number (days since 1970-01-01, a Thursday).
    static func of(day: Int) -> Weekday { Weekday(rawValue: ((day + 3) % 7 + 7) % 7)! }

    public static func < (a: Weekday, b: Weekday) -> Bool { a.rawValue < b.rawValue }
  }

  /// The longest window (a week).
  public static let maxLength: Duration = .seconds(7 * 86400)

  public var name: String
  /// Empty: every day.
  public var weekdays: Set<Weekday>
  /// Minutes after midnight UTC.
  public var start: Int
  public var length: Duration
  /// Empty: every alert and every provider.
  public var matchers: [LabelMatcher]
  public var comment: String

  public init(
    name: String, weekdays: Set<Weekday> = [], start: Int, length: Duration,
    matchers: [LabelMatcher] = [], comment: String = ""
  ) {
    self.name = name
    self.weekdays = weekdays
    self.start = start
    self.length = length
    self.matchers = matchers
    self.comment = comment
  }

  /// The occurrence in force at `now`, if any.
  public func occurrence(at now: Timestamp) -> (start: Timestamp, end: Timestamp)? {
    let today = Int((now.seconds / 86_400).rounded(.down))
    let spanDays = Int((length.seconds / 86_400).rounded(.up)) + 1
    for day in stride(from: today, through: today - spanDays, by: -1) {
      guard let start = start(of: day) else { continue }
      if start <= now && now < start + length { return (start, start + length) }
    }
    return nil
  }

  /// The first start after `now` (within the coming eight days).
  public func nextStart(after now: Timestamp) -> Timestamp? {
    let today = Int((now.seconds / 86_400).rounded(.down))
    for day in today...(today + 8) {
      if let start = start(of: day), start > now { return start }
    }
    return nil
  }

  private func start(of day: Int) -> Timestamp? {
    guard weekdays.isEmpty || weekdays.contains(.of(day: day)) else { return nil }
    return Timestamp(seconds: Double(day) * 86_400 + Double(start) * 60)
  }

  /// While in force: the silence it amounts to (`maintenance:NAME`).
  public func silence(at now: Timestamp) -> Silence? {
    guard let o = occurrence(at: now) else { return nil }
    return Silence(
      matchers: [:], labelMatchers: matchers, starts: o.start, ends: o.end,
      comment: comment.isEmpty ? "maintenance window \(name)" : comment, id: "maintenance:\(name)")
  }

  /// Whether it covers `provider`: every matcher on the `provider` label holds (matchers
  /// on other labels only select alerts).
  public func covers(provider: String) -> Bool {
    matchers.allSatisfy { $0.name != "provider" || $0.matches(["provider": provider]) }
  }

  /// `Sun 02:00-03:00 UTC`, `daily 23:30 UTC for 1h`.
  public var scheduleText: String {
    let days =
      weekdays.isEmpty
      ? "daily"
      : weekdays.sorted().map { $0.name.prefix(1).uppercased() + $0.name.dropFirst().prefix(2) }
        .joined(separator: ",")
    let endMinute = (start + Int(length.seconds / 60)) % 1440
    let whole = Int(length.seconds) % 60 == 0 && length <= .seconds(86_400)
    return whole && length < .seconds(86_400)
      ? "\(days) \(Self.clock(start))-\(Self.clock(endMinute)) UTC"
      : "\(days) \(Self.clock(start)) UTC for \(formatDuration(length))"
  }

  static func clock(_ minutes: Int) -> String {
    let h = minutes / 60
    let m = minutes % 60
    return (h < 10 ? "0" : "") + "\(h):" + (m < 10 ? "0" : "") + "\(m)"
  }
}

extension AlertingConfig {
  /// The config's silences, the API's, and the maintenance windows in force at `now`:
  /// everything that mutes alerts and routes now.
  public func effectiveSilences(api: [Silence], at now: Timestamp) -> [Silence] {
    silences + api + maintenance.compactMap { $0.silence(at: now) }
  }

  /// The maintenance windows covering `provider` at `now`.
  public func maintenance(of provider: String, at now: Timestamp) -> [MaintenanceWindow] {
    maintenance.filter { $0.covers(provider: provider) && $0.occurrence(at: now) != nil }
  }
}
