/// A ring of fixed-length time buckets counting probes (counted, succeeded), optionally
/// with one p95 per bucket. Slots are absolute (`floor(t / bucketSeconds)`), so a ring
/// restored from a file lines up with new records; buckets older than the ring are
/// cleared as time moves on. A period without records (the agent was not running) is
/// empty buckets: no data, never failures.
public struct BucketRing<Count: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable, Equatable
{
  public let bucketSeconds: Int64
  public let count: Int
  var counted: [Count]
  var succeeded: [Count]
  /// Per-bucket p95 in seconds (NaN: none); empty when the ring keeps no latency.
  var p95: [Float]
  /// The newest slot recorded; nil while empty.
  public internal(set) var latest: Int64?

  public init(bucketSeconds: Int64, count: Int, keepsLatency: Bool) {
    self.bucketSeconds = bucketSeconds
    self.count = count
    counted = Array(repeating: 0, count: count)
    succeeded = Array(repeating: 0, count: count)
    p95 = keepsLatency ? Array(repeating: .nan, count: count) : []
    latest = nil
  }

  /// The slot of `t`.
  public func slot(of t: Timestamp) -> Int64 {
    // Clamped to 1970...5138, so slot arithmetic never overflows.
    let s = t.seconds.isFinite ? min(max(t.seconds, 0), 1e11) : 0
    return Int64(Int(saturating: (s / Double(bucketSeconds)).rounded(.down)))
  }

  func index(_ slot: Int64) -> Int {
    Int(((slot % Int64(count)) + Int64(count)) % Int64(count))
  }

  /// Moves the ring to `slot`, clearing the buckets it skips; returns the previous
  /// latest slot when it moved (for finalising that bucket's p95).
  @discardableResult
  mutating func advance(to slot: Int64) -> Int64? {
    guard let latest else {
      self.latest = slot
      return nil
    }
    guard slot > latest else { return nil }
    let gap = slot.subtractingReportingOverflow(latest)
    let clear = gap.overflow ? count : Int(min(gap.partialValue, Int64(count)))
    for k in 0..<clear {
      let i = index(slot - Int64(k))
      counted[i] = 0
      succeeded[i] = 0
      if !p95.isEmpty { p95[i] = .nan }
    }
    self.latest = slot
    return latest
  }

  /// Adds one counted probe at slot `slot` (dropped when older than the ring).
  mutating func add(success: Bool, slot: Int64) {
    // Older than the whole ring: the clock was stepped back (or the saved ring came from a
    // fast clock). Start over rather than drop every record until time catches up.
    if let latest, slot <= latest - Int64(count) { reset() }
    advance(to: slot)
    guard let latest, slot > latest - Int64(count) else { return }
    let i = index(slot)
    if counted[i] < Count.max { counted[i] += 1 }
    if success, succeeded[i] < Count.max { succeeded[i] += 1 }
  }

  mutating func reset() {
    for i in 0..<count {
      counted[i] = 0
      succeeded[i] = 0
    }
    for i in p95.indices { p95[i] = .nan }
    latest = nil
  }

  mutating func setP95(_ seconds: Double?, slot: Int64) {
    guard !p95.isEmpty, let latest, slot > latest - Int64(count), slot <= latest else { return }
    p95[index(slot)] = seconds.map { Float($0) } ?? .nan
  }

  /// Counted and succeeded probes in the `slots` buckets ending at `now`'s slot.
  public func totals(slots: Int, at now: Timestamp) -> (counted: UInt64, succeeded: UInt64) {
    guard let latest else { return (0, 0) }
    let end = min(slot(of: now), latest)
    let start = max(slot(of: now) - Int64(max(slots, 0)) + 1, latest - Int64(count) + 1)
    guard start <= end else { return (0, 0) }
    var c: UInt64 = 0
    var s: UInt64 = 0
    var slot = start
    while slot <= end {
      let i = index(slot)
      c &+= UInt64(counted[i])
      s &+= UInt64(succeeded[i])
      slot += 1
    }
    return (c, s)
  }

  /// The buckets ending at `now`'s slot, oldest first: start, counted, succeeded, p95.
  public func buckets(slots: Int, at now: Timestamp) -> [HistoryBucket] {
    let nowSlot = slot(of: now)
    let first = nowSlot - Int64(max(slots, 0)) + 1
    var out: [HistoryBucket] = []
    out.reserveCapacity(max(slots, 0))
    var slot = first
    while slot <= nowSlot {
      var bucket = HistoryBucket(
        start: Timestamp(seconds: Double(slot) * Double(bucketSeconds)),
        seconds: Double(bucketSeconds), counted: 0, succeeded: 0, p95: nil)
      if let latest, slot <= latest, slot > latest - Int64(count) {
        let i = index(slot)
        bucket.counted = UInt64(counted[i])
        bucket.succeeded = UInt64(succeeded[i])
        if !p95.isEmpty, !p95[i].isNaN { bucket.p95 = Double(p95[i]) }
      }
      out.append(bucket)
      slot += 1
    }
    return out
  }

  /// Equal when the counts and slots are, and the p95s bit for bit (NaN is "none").
  public static func == (a: Self, b: Self) -> Bool {
    a.bucketSeconds == b.bucketSeconds && a.count == b.count && a.latest == b.latest
      && a.counted == b.counted && a.succeeded == b.succeeded
      && a.p95.map(\.bitPattern) == b.p95.map(\.bitPattern)
  }

  /// Bytes held by the ring's arrays.
  public var storageBytes: Int {
    count * 2 * MemoryLayout<Count>.stride + p95.count * MemoryLayout<Float>.stride
  }
}

/// One bucket of ``UptimeHistory``, as `GET /api/v1/history` returns it.
public struct HistoryBucket: Sendable, Equatable {
  public var start: Timestamp
  public var seconds: Double
  public var counted: UInt64
  public var succeeded: UInt64
  /// The bucket's p95 latency of successful probes (hour and day buckets only).
  public var p95: Double?

  public init(start: Timestamp, seconds: Double, counted: UInt64, succeeded: UInt64, p95: Double?) {
    self.start = start
    self.seconds = seconds
    self.counted = counted
    self.succeeded = succeeded
    self.p95 = p95
  }

  /// The success ratio, nil without counted probes.
  public var ratio: Double? { counted > 0 ? Double(succeeded) / Double(counted) : nil }
}
