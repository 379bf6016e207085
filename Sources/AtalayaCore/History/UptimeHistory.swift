/// One check's memory beyond the rolling window: counted and succeeded probes in tiered
/// buckets — 1,440 one-minute buckets (the last 24 hours), 720 one-hour buckets with a p95
/// each (30 days) and 90 one-day buckets with a p95 each (90 days).
///
/// Ranges read from the finest tier that covers them: `1h` and `24h` to the minute, `7d`
/// and `30d` to the hour, `90d` to the day. About 15.5 KiB per check whatever the probe
/// rate (see ``storageBytes``); measured in `make bench`.
public struct UptimeHistory: Sendable, Equatable {
  public internal(set) var minutes: BucketRing<UInt16>
  public internal(set) var hours: BucketRing<UInt32>
  public internal(set) var days: BucketRing<UInt32>
  /// Latencies of successful probes in the current hour and day (for their p95), in the
  /// 4-byte bins of a one-position ``SketchRing`` (half a ``LatencySketch``'s 8 bytes, and
  /// cleared in place each hour or day instead of growing a new block), every other bin:
  /// an hour's or day's p95 is within −1% … +3% (the rolling window's quantiles keep ±1%).
  var hourSketch: SketchRing
  var daySketch: SketchRing

  /// Every other latency bin (see ``hourSketch``).
  static let latencyBinStep = 2

  public init() {
    // The spans /metrics reads besides whole rings: `1h` of the minutes, `7d` of the hours.
    minutes = BucketRing(bucketSeconds: 60, count: 1440, keepsLatency: false, trackedSlots: 60)
    hours = BucketRing(bucketSeconds: 3600, count: 720, keepsLatency: true, trackedSlots: 7 * 24)
    days = BucketRing(bucketSeconds: 86_400, count: 90, keepsLatency: true)
    hourSketch = SketchRing(count: 1, binStep: Self.latencyBinStep)
    daySketch = SketchRing(count: 1, binStep: Self.latencyBinStep)
  }

  /// Records one counted probe started at `t` (the caller leaves out what is not counted,
  /// e.g. `rate_limited` without `count_rate_limited`).
  public mutating func record(success: Bool, latency: Double?, at t: Timestamp) {
    minutes.add(success: success, slot: minutes.slot(of: t))
    let hour = hours.slot(of: t)
    if let previous = hours.latest, hour > previous {
      hours.setP95(hourSketch.sketch(at: 0).quantile(0.95), slot: previous)
      hourSketch.clear(0)
    }
    hours.add(success: success, slot: hour)
    let day = days.slot(of: t)
    if let previous = days.latest, day > previous {
      days.setP95(daySketch.sketch(at: 0).quantile(0.95), slot: previous)
      daySketch.clear(0)
    }
    days.add(success: success, slot: day)
    if success, let latency, hour == hours.latest {
      hourSketch.add(latency, at: 0)
      if day == days.latest { daySketch.add(latency, at: 0) }
    }
  }

  /// Counted and succeeded probes over the last `window` at `now`, from the finest tier
  /// that covers it (windows up to 90 days).
  @inline(__always)
  public func totals(over window: Duration, at now: Timestamp) -> (
    counted: UInt64, succeeded: UInt64
  ) {
    let seconds = window.seconds
    if seconds <= 86_400 {
      return minutes.totals(slots: Int((seconds / 60).rounded(.up)), at: now)
    }
    if seconds <= 30 * 86_400 {
      return hours.totals(slots: Int((seconds / 3600).rounded(.up)), at: now)
    }
    return days.totals(slots: Int((min(seconds, 90 * 86_400) / 86_400).rounded(.up)), at: now)
  }

  /// Counted and succeeded probes over each of `UptimeRange.allCases`, in that order (what
  /// a scrape reads of every check, in one call).
  @inline(__always)
  public func uptimeTotals(at now: Timestamp) -> (
    counted: SIMD4<UInt64>, succeeded: SIMD4<UInt64>
  ) {
    var counted = SIMD4<UInt64>.zero
    var succeeded = SIMD4<UInt64>.zero
    for (index, range) in UptimeRange.allCases.enumerated() where index < 4 {
      let t = totals(over: range.duration, at: now)
      counted[index] = t.counted
      succeeded[index] = t.succeeded
    }
    return (counted, succeeded)
  }

  /// The success ratio over `range`, nil without data.
  public func uptime(_ range: UptimeRange, at now: Timestamp) -> Double? {
    let t = totals(over: range.duration, at: now)
    return t.counted > 0 ? Double(t.succeeded) / Double(t.counted) : nil
  }

  /// The buckets behind `range` (minutes for 24h, hours for 7d and 30d, days for 90d),
  /// oldest first. The current hour's and day's p95 are read live.
  public func buckets(_ range: HistoryRange, at now: Timestamp) -> [HistoryBucket] {
    switch range {
    case .day: return minutes.buckets(slots: 1440, at: now)
    case .week, .month:
      var out = hours.buckets(slots: range == .week ? 168 : 720, at: now)
      if let last = out.indices.last, hours.slot(of: now) == hours.latest {
        out[last].p95 = hourSketch.sketch(at: 0).quantile(0.95)
      }
      return out
    case .quarter:
      var out = days.buckets(slots: 90, at: now)
      if let last = out.indices.last, days.slot(of: now) == days.latest {
        out[last].p95 = daySketch.sketch(at: 0).quantile(0.95)
      }
      return out
    }
  }

  /// Bytes held by the tiers' arrays and the current hour's and day's bins.
  public var storageBytes: Int {
    minutes.storageBytes + hours.storageBytes + days.storageBytes
      + hourSketch.storageBytes + daySketch.storageBytes
  }
}

/// The uptime ranges of the metrics and the status API.
public enum UptimeRange: String, CaseIterable, Sendable {
  case hour = "1h"
  case day = "24h"
  case week = "7d"
  case month = "30d"

  public var duration: Duration {
    switch self {
    case .hour: .seconds(3600)
    case .day: .seconds(86_400)
    case .week: .seconds(7 * 86_400)
    case .month: .seconds(30 * 86_400)
    }
  }
}

/// The ranges `GET /api/v1/history` serves.
public enum HistoryRange: String, CaseIterable, Sendable {
  case day = "24h"
  case week = "7d"
  case month = "30d"
  case quarter = "90d"
}
