/// Conversions that never trap: numbers from config, HTTP bodies, provider responses
/// and state files go through these, so an absurd value is clamped, not a crash.
extension Int {
  /// `value` rounded toward zero and clamped to `Int.min...Int.max`; NaN is 0.
  public init(saturating value: Double) {
    if value.isNaN {
      self = 0
    } else if value >= 9.223_372_036_854_775e18 {
      self = .max
    } else if value <= -9.223_372_036_854_775e18 {
      self = .min
    } else {
      self = Int(value)
    }
  }
}

extension Int {
  /// `self + other`, clamped at `Int.min`/`Int.max` instead of trapping.
  public func saturatingAdding(_ other: Int) -> Int {
    let (sum, overflow) = addingReportingOverflow(other)
    return overflow ? (other > 0 ? .max : .min) : sum
  }
}

extension Duration {
  /// `seconds` as a duration, clamped to ±2^62 s (far beyond any real interval);
  /// NaN is zero.
  public static func saturatingSeconds(_ seconds: Double) -> Duration {
    let limit = 4.611_686_018_427_388e18
    if seconds.isNaN { return .zero }
    if seconds >= limit { return .seconds(Int64(1) << 62) }
    if seconds <= -limit { return .seconds(-(Int64(1) << 62)) }
    return .seconds(seconds)
  }
}
