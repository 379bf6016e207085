/// A rolling time window of probe results: a ring of a CONSTANT number of buckets,
/// aligned to absolute time (bucket number `⌊t / width⌋`, `width = length / buckets`),
/// so a window restored after a restart lines up with new records.
///
/// Each bucket holds counts per ``ResultClass`` and two ``LatencySketch``es: the latency of
/// successful probes only (failures such as timeouts or instant 401s would distort the
/// latency users care about; they are visible in the counts) and the time to first token of
/// successful streaming probes. Buckets of a past lap are cleared lazily when reused.
///
/// ``stats(at:countRateLimited:)`` aggregates the buckets whose start lies in
/// `(now − length, now]`: the current (partial) bucket and the `buckets − 1` before it, so
/// the effective span is between `length − width` and `length`.
///
/// Records older than the window (relative to the newest record) are ignored. A record more
/// than two window lengths older than the newest one means the wall clock was stepped back:
/// the window then starts afresh rather than ignoring everything until the clock catches up.
///
/// Counts saturate at 65 535 per bucket and result (far beyond one probe per second).
///
/// Size: `buckets × (8 + 13 × 2)` bytes (2 KB for 60 buckets); once latencies are recorded,
/// `buckets × 16` bytes more and 4 bytes per distinct latency bin per bucket, all buckets'
/// bins in one array (``SketchRing``); the same again for ttfts (streaming checks).
public struct RollingWindow: Sendable, Equatable {
  /// Counts this window's records: within one window, equal revisions mean equal
  /// content, so aggregates computed at one revision can be kept (see
  /// ``FleetHealth/cacheStats(at:)``, which drops its cache whenever it replaces a
  /// window). Not part of equality or the encoding.
  public private(set) var revision: UInt64 = 0

  /// The window length.
  public let length: Duration
  /// Number of buckets in the ring.
  public let bucketCount: Int

  static let emptySlot = Int64.min
  static let resultCount = ResultClass.allCases.count

  // The ring, as parallel arrays indexed by ring position (struct of arrays keeps it small).
  /// Absolute bucket number `⌊t / width⌋` per position, or ``emptySlot``.
  var slots: [Int64]
  /// `bucketCount × resultCount` saturating counts, row-major by position.
  var counts: [UInt16]
  /// Latency of successful probes per position.
  var latencies: SketchRing
  /// Time to first token per position (no allocation until the first ttft arrives).
  var ttfts: SketchRing
  /// The newest bucket number recorded into, nil while empty.
  var latestSlot: Int64?

  /// An empty window of `length` (> 0) split into `buckets` (≥ 1) buckets.
  public init(length: Duration, buckets: Int = 60) {
    precondition(length > .zero, "window length must be positive")
    precondition(buckets >= 1, "a window needs at least one bucket")
    self.length = length
    bucketCount = buckets
    slots = Array(repeating: Self.emptySlot, count: buckets)
    counts = Array(repeating: 0, count: buckets * Self.resultCount)
    latencies = SketchRing(count: buckets)
    ttfts = SketchRing(count: buckets)
    latestSlot = nil
  }

  /// Sizes the latency stores for a check probed every `interval`: at its first value, a
  /// store is allocated for a full window (up to 16 bins per bucket) instead of growing as the
  /// window fills, so a check's memory is flat from its first minute. Checks probed faster
  /// than 16 times a bucket grow past it as needed.
  public mutating func expectLatencies(every interval: Duration) {
    let perBucket = interval > .zero ? (bucketWidth / interval.seconds).rounded(.up) : 16
    let hint = bucketCount * Int(min(max(perBucket, 1), 16))
    latencies.reserveHint = hint
    ttfts.reserveHint = hint
  }

  /// Width of one bucket in seconds.
  public var bucketWidth: Double { length.seconds / Double(bucketCount) }

  /// This window if it already has `length` and `buckets`, else a fresh empty window with
  /// them (bucket boundaries change with the width, so old data cannot be carried over).
  public func resized(length: Duration, buckets: Int = 60) -> RollingWindow {
    length == self.length && buckets == bucketCount
      ? self : RollingWindow(length: length, buckets: buckets)
  }

  /// Records one probe result at `time`. `latency` and `ttft` (seconds) are kept only for
  /// successful probes.
  public mutating func record(
    result: ResultClass, latency: Double?, ttft: Double?, at time: Timestamp
  ) {
    guard let slot = slot(for: time) else { return }
    let n = Int64(bucketCount)
    if let latest = latestSlot, slot <= latest - n {
      guard slot < latest - 2 * n else { return }  // older than the window: ignore
      self = RollingWindow(length: length, buckets: bucketCount)  // clock stepped back
    }
    let p = position(of: slot)
    if slots[p] != slot {
      guard slots[p] < slot else { return }
      clear(position: p, for: slot)
    }
    let c = p * Self.resultCount + result.ordinal
    if counts[c] < UInt16.max { counts[c] += 1 }
    if result.isSuccess {
      if let latency { latencies.add(latency, at: p) }
      if let ttft { ttfts.add(ttft, at: p) }
    }
    latestSlot = max(latestSlot ?? slot, slot)
    revision &+= 1
  }

  /// Aggregates the buckets inside `(now − length, now]`. `countRateLimited` decides
  /// whether `rate_limited` results count in ``WindowStats/successRatio``.
  public func stats(at now: Timestamp, countRateLimited: Bool = false) -> WindowStats {
    var stats = WindowStats(countRateLimited: countRateLimited)
    guard let current = slot(for: now) else { return stats }
    let oldest = current - Int64(bucketCount) + 1
    var totals = Array(repeating: 0, count: Self.resultCount)
    let inside = (0..<bucketCount).lazy.filter {
      self.slots[$0] >= oldest && self.slots[$0] <= current
    }
    for p in inside {
      for r in 0..<Self.resultCount { totals[r] += Int(counts[p * Self.resultCount + r]) }
    }
    stats.latency = LatencySummary(latencies.sketch(of: inside))
    if ttfts.isAllocated { stats.ttft = LatencySummary(ttfts.sketch(of: inside)) }
    for (result, count) in zip(ResultClass.allCases, totals) where count > 0 {
      stats.countsByResult[result] = count
    }
    return stats
  }

  /// The latency sketch at ring position `p`.
  func latency(at p: Int) -> LatencySketch { latencies.sketch(at: p) }

  /// The ttft sketch at ring position `p`.
  func ttft(at p: Int) -> LatencySketch { ttfts.sketch(at: p) }

  /// Equal content: the same buckets, counts and sketches (however their bins are stored).
  public static func == (lhs: RollingWindow, rhs: RollingWindow) -> Bool {
    lhs.length == rhs.length && lhs.bucketCount == rhs.bucketCount && lhs.slots == rhs.slots
      && lhs.counts == rhs.counts && lhs.latestSlot == rhs.latestSlot
      && lhs.latencies == rhs.latencies && lhs.ttfts == rhs.ttfts
  }

  /// Makes ring position `p` the empty bucket of `slot`.
  mutating func clear(position p: Int, for slot: Int64) {
    slots[p] = slot
    for i in p * Self.resultCount..<(p + 1) * Self.resultCount { counts[i] = 0 }
    latencies.clear(p)
    ttfts.clear(p)
  }

  /// The absolute bucket number of `time`, nil for times that cannot be represented.
  public func slot(for time: Timestamp) -> Int64? {
    let s = (time.seconds / bucketWidth).rounded(.down)
    guard s.isFinite, abs(s) < 1e15 else { return nil }
    return Int64(s)
  }

  /// Ring position of an absolute bucket number.
  func position(of slot: Int64) -> Int {
    let n = Int64(bucketCount)
    return Int(((slot % n) + n) % n)
  }
}
