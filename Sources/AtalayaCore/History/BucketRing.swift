/// A ring of fixed-length time buckets counting probes (counted, succeeded), optionally
/// with one p95 per bucket. Slots are absolute (`floor(t / bucketSeconds)`), so a ring
/// restored from a file lines up with new records; buckets older than the ring are
/// cleared as time moves on. A period without records (the agent was not running) is
/// empty buckets: no data, never failures.
///
/// The arrays grow with the time they cover: while the ring fills, a bucket's position is
/// `slot − origin` and each new slot appends one; once it would hold more than `count`
/// buckets it becomes a ring of exactly `count` (position `slot mod count`). A check that
/// has run an hour holds an hour of buckets, not 90 days of empty ones.
public struct BucketRing<Count: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable, Equatable
{
  public let bucketSeconds: Int64
  public let count: Int
  /// Whether each bucket keeps a p95.
  public let keepsLatency: Bool
  var counted: [Count]
  var succeeded: [Count]
  /// Per-bucket p95 in seconds (NaN: none); empty when the ring keeps no latency.
  var p95: [Float]
  /// The newest slot recorded; nil while empty.
  public internal(set) var latest: Int64?
  /// While filling: the slot at position 0. Nil once the arrays are a full ring.
  var origin: Int64?
  /// The sums of every bucket held (kept as buckets are added to and cleared): a span that
  /// covers most of the ring is read as these less what it leaves out.
  private(set) var heldCounted: UInt64 = 0
  private(set) var heldSucceeded: UInt64 = 0
  /// A span of the newest buckets whose sums are kept as well (an hour of minutes, a week of
  /// hours): a scrape reads it for every check, and summing it touched a kilobyte of cold
  /// arrays per check. 0: none.
  public let trackedSlots: Int
  /// The sums of the buckets of slots `latest − trackedSlots + 1 ... latest`.
  private(set) var trackedCounted: UInt64 = 0
  private(set) var trackedSucceeded: UInt64 = 0

  public init(bucketSeconds: Int64, count: Int, keepsLatency: Bool, trackedSlots: Int = 0) {
    self.bucketSeconds = bucketSeconds
    self.count = count
    self.keepsLatency = keepsLatency
    self.trackedSlots = min(max(trackedSlots, 0), count)
    counted = []
    succeeded = []
    p95 = []
    latest = nil
    origin = nil
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

  /// Where `slot`'s bucket is stored; nil when the ring holds no bucket for it.
  func position(_ slot: Int64) -> Int? {
    guard let latest, slot <= latest, slot > latest - Int64(count) else { return nil }
    guard let origin else { return counted.isEmpty ? nil : index(slot) }
    return slot >= origin ? Int(slot - origin) : nil
  }

  /// Moves the ring to `slot`, clearing the buckets it skips; returns the previous
  /// latest slot when it moved (for finalising that bucket's p95).
  @discardableResult
  mutating func advance(to slot: Int64) -> Int64? {
    guard let latest else {
      self.latest = slot
      origin = slot
      append(1)
      return nil
    }
    guard slot > latest else { return nil }
    if trackedSlots > 0 {  // the buckets the tracked span leaves behind
      let w = Int64(trackedSlots)
      let left = sum(from: latest - w + 1, to: min(latest, slot - w))
      trackedCounted &-= left.counted
      trackedSucceeded &-= left.succeeded
    }
    if let origin {
      let span = slot.subtractingReportingOverflow(origin)
      if !span.overflow, span.partialValue < Int64(count) {
        append(Int(slot - latest))
        self.latest = slot
        return latest
      }
      becomeRing()
    }
    let gap = slot.subtractingReportingOverflow(latest)
    let clear = gap.overflow ? count : Int(min(gap.partialValue, Int64(count)))
    for k in 0..<clear {
      let i = index(slot - Int64(k))
      heldCounted &-= UInt64(counted[i])
      heldSucceeded &-= UInt64(succeeded[i])
      counted[i] = 0
      succeeded[i] = 0
      if keepsLatency { p95[i] = .nan }
    }
    self.latest = slot
    return latest
  }

  /// Appends `n` empty buckets, growing the arrays by doubling but never past `count`. The
  /// first allocation holds about an hour of buckets (at least 4): 60 minutes, but not 64
  /// hours or 64 days of buckets that would stay empty for days.
  private mutating func append(_ n: Int) {
    let needed = counted.count + n
    if needed > counted.capacity {
      let firstHour = Swift.max(4, Int(3600 / Swift.max(bucketSeconds, 1)))
      let capacity = Swift.min(count, Swift.max(needed, firstHour, counted.count * 2))
      counted.reserveCapacity(capacity)
      succeeded.reserveCapacity(capacity)
      if keepsLatency { p95.reserveCapacity(capacity) }
    }
    counted.append(contentsOf: repeatElement(0, count: n))
    succeeded.append(contentsOf: repeatElement(0, count: n))
    if keepsLatency { p95.append(contentsOf: repeatElement(.nan, count: n)) }
  }

  /// Lays the arrays out as a full ring (position `slot mod count`).
  private mutating func becomeRing() {
    let ring = ringArrays
    counted = ring.counted
    succeeded = ring.succeeded
    p95 = ring.p95
    origin = nil
  }

  /// The arrays as a full ring of `count` buckets (position `slot mod count`), whatever
  /// the layout: what is saved and compared.
  var ringArrays: (counted: [Count], succeeded: [Count], p95: [Float]) {
    guard let origin else {
      if counted.isEmpty {
        return (
          Array(repeating: 0, count: count), Array(repeating: 0, count: count),
          keepsLatency ? Array(repeating: .nan, count: count) : []
        )
      }
      return (counted, succeeded, p95)
    }
    var c = [Count](repeating: 0, count: count)
    var s = [Count](repeating: 0, count: count)
    var p: [Float] = keepsLatency ? Array(repeating: .nan, count: count) : []
    for k in counted.indices {
      let i = index(origin + Int64(k))
      c[i] = counted[k]
      s[i] = succeeded[k]
      if keepsLatency { p[i] = p95[k] }
    }
    return (c, s, p)
  }

  /// Adds one counted probe at slot `slot` (dropped when older than the ring).
  mutating func add(success: Bool, slot: Int64) {
    // Older than the whole ring: the clock was stepped back (or the saved ring came from a
    // fast clock). Start over rather than drop every record until time catches up.
    if let latest, slot <= latest - Int64(count) { reset() }
    advance(to: slot)
    guard let i = position(slot), let latest else { return }
    let tracked = slot > latest - Int64(trackedSlots)
    if counted[i] < Count.max {
      counted[i] += 1
      heldCounted &+= 1
      if tracked { trackedCounted &+= 1 }
    }
    if success, succeeded[i] < Count.max {
      succeeded[i] += 1
      heldSucceeded &+= 1
      if tracked { trackedSucceeded &+= 1 }
    }
  }

  mutating func reset() {
    counted = []
    succeeded = []
    p95 = []
    latest = nil
    origin = nil
    heldCounted = 0
    heldSucceeded = 0
    trackedCounted = 0
    trackedSucceeded = 0
  }

  /// Sums every bucket and the tracked span again (after the arrays were replaced).
  mutating func recountHeld() {
    heldCounted = counted.reduce(0) { $0 &+ UInt64($1) }
    heldSucceeded = succeeded.reduce(0) { $0 &+ UInt64($1) }
    trackedCounted = 0
    trackedSucceeded = 0
    if let latest, trackedSlots > 0 {
      let tracked = sum(from: latest - Int64(trackedSlots) + 1, to: latest)
      trackedCounted = tracked.counted
      trackedSucceeded = tracked.succeeded
    }
  }

  mutating func setP95(_ seconds: Double?, slot: Int64) {
    guard keepsLatency, let i = position(slot) else { return }
    p95[i] = seconds.map { Float($0) } ?? .nan
  }

  /// Counted and succeeded probes in the `slots` buckets ending at `now`'s slot.
  ///
  /// A scrape reads 1h, 24h, 7d and 30d of every check, about 2,400 buckets each if summed
  /// one by one. A span that holds most of the ring (24h of the minutes, 30d of the hours)
  /// is the ring's kept sums less the few buckets it leaves out; a shorter one is summed
  /// directly, in at most two runs of the arrays (a ring wraps once).
  @inline(__always)
  public func totals(slots: Int, at now: Timestamp) -> (counted: UInt64, succeeded: UInt64) {
    guard let latest, !counted.isEmpty else { return (0, 0) }
    let nowSlot = slot(of: now)
    // The first slot with a bucket: the origin while filling, else a ring's length back.
    let first = origin ?? (latest - Int64(count) + 1)
    let end = min(nowSlot, latest)
    let start = max(nowSlot - Int64(max(slots, 0)) + 1, first)
    guard start <= end else { return (0, 0) }
    if slots == trackedSlots && trackedSlots > 0 && nowSlot >= latest {
      // The window ends at `latest` and starts within the tracked span: the span's sums
      // less its buckets before the window (as many as slots since `latest`).
      let excluded = sum(from: latest - Int64(trackedSlots) + 1, to: start - 1)
      return (trackedCounted &- excluded.counted, trackedSucceeded &- excluded.succeeded)
    }
    let inside = end - start + 1
    let outside = (latest - first + 1) - inside
    guard outside < inside else { return sum(from: start, to: end) }
    let before = sum(from: first, to: start - 1)
    let after = sum(from: end + 1, to: latest)
    return (
      heldCounted &- before.counted &- after.counted,
      heldSucceeded &- before.succeeded &- after.succeeded
    )
  }

  /// The sums of the held buckets of slots `from...to` (none when `from > to`).
  private func sum(from: Int64, to: Int64) -> (counted: UInt64, succeeded: UInt64) {
    guard let latest, !counted.isEmpty else { return (0, 0) }
    // Only slots with a bucket: from the origin (or a ring's length back) to `latest`.
    let from = max(from, origin ?? (latest - Int64(count) + 1))
    let to = min(to, latest)
    guard from <= to, let start = position(from) else { return (0, 0) }
    let length = Int(to - from) + 1
    if start + length <= counted.count {
      return sum(start..<start + length)
    }
    let head = sum(start..<counted.count)
    let tail = sum(0..<length - (counted.count - start))
    return (head.counted &+ tail.counted, head.succeeded &+ tail.succeeded)
  }

  /// The sums of one run of positions.
  private func sum(_ positions: Range<Int>) -> (counted: UInt64, succeeded: UInt64) {
    func total(_ values: [Count]) -> UInt64 {
      values.withUnsafeBufferPointer { buffer in
        var t: UInt64 = 0
        for i in positions { t &+= UInt64(buffer[i]) }
        return t
      }
    }
    return (total(counted), total(succeeded))
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
      if let i = position(slot) {
        bucket.counted = UInt64(counted[i])
        bucket.succeeded = UInt64(succeeded[i])
        if keepsLatency, !p95[i].isNaN { bucket.p95 = Double(p95[i]) }
      }
      out.append(bucket)
      slot += 1
    }
    return out
  }

  /// Equal when the counts and slots are, and the p95s bit for bit (NaN is "none").
  public static func == (a: Self, b: Self) -> Bool {
    guard a.bucketSeconds == b.bucketSeconds, a.count == b.count, a.latest == b.latest else {
      return false
    }
    if a.origin == b.origin {
      return a.counted == b.counted && a.succeeded == b.succeeded
        && a.p95.map(\.bitPattern) == b.p95.map(\.bitPattern)
    }
    let (x, y) = (a.ringArrays, b.ringArrays)
    return x.counted == y.counted && x.succeeded == y.succeeded
      && x.p95.map(\.bitPattern) == y.p95.map(\.bitPattern)
  }

  /// Bytes held by the ring's arrays (their capacity).
  public var storageBytes: Int {
    counted.capacity * 2 * MemoryLayout<Count>.stride + p95.capacity * MemoryLayout<Float>.stride
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
