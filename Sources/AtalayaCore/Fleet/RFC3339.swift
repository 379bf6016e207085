#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// RFC 3339 / ISO 8601 UTC formatting (`2026-11-21T20:02:54.123Z`) without Foundation.
public enum RFC3339 {
  /// Formats `t` in UTC with millisecond precision.
  public static func format(_ t: Timestamp) -> String { format(t, milliseconds: true) }

  /// Formats `t` in UTC with whole seconds (`2026-11-21T20:02:54Z`).
  public static func formatWholeSeconds(_ t: Timestamp) -> String {
    format(Timestamp(seconds: t.seconds.rounded(.down)), milliseconds: false)
  }

  /// The range formatted as itself: years 0001 to 9999. Times outside it (a tampered state
  /// file, a provider's absurd date) are shown as its nearest end, NaN as the epoch:
  /// formatting never traps.
  static let formattable: ClosedRange<Double> = -62_135_596_800...253_402_300_799.999

  private static func format(_ t: Timestamp, milliseconds: Bool) -> String {
    let seconds =
      t.seconds.isNaN ? 0 : min(max(t.seconds, formattable.lowerBound), formattable.upperBound)
    let whole = seconds.rounded(.down)
    var secs = time_t(whole)
    var tmv = tm()
    gmtime_r(&secs, &tmv)
    let millis = min(999, Int(((seconds - whole) * 1000).rounded()))
    func pad(_ v: Int32, _ n: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, n - s.count)) + s
    }
    return "\(pad(tmv.tm_year + 1900, 4))-\(pad(tmv.tm_mon + 1, 2))-\(pad(tmv.tm_mday, 2))T"
      + "\(pad(tmv.tm_hour, 2)):\(pad(tmv.tm_min, 2)):\(pad(tmv.tm_sec, 2))"
      + (milliseconds ? ".\(pad(Int32(millis), 3))Z" : "Z")
  }
}
