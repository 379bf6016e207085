/// The latency sketches of a ``RollingWindow``'s ring positions, kept in one store: each
/// position's bins are a run of 4-byte entries (bin index, count) in one shared array, not a
/// ``LatencySketch`` with a heap block of its own per bucket. A 10-minute window of a check
/// probed every second holds about ten bins per bucket: 40 bytes here, against about 190
/// (a 24-byte sketch plus its block, rounded up by the allocator and by array growth).
///
/// Bins mean what they mean in ``LatencySketch`` (same mapping, same clamping); reading a
/// position or several gives the exact sketch their values would have built.
///
/// A ring can keep coarser bins (``binStep`` > 1: only every `binStep`th index, each value
/// rounded up to the next one kept), and can be told how many entries to expect
/// (``reserveHint``), so that its store is allocated once at that size rather than grown.
///
/// Runs are added at the end of the store, in time order; a run that is written again after
/// another one (a record for an older bucket) moves to the end first. A cleared run is
/// removed in place (a bucket is cleared once per bucket width), so the store holds live
/// entries only, and it grows by a quarter at a time rather than doubling. Nothing is
/// allocated before the first value.
struct SketchRing: Sendable {
  /// One bin of one position: a count that reaches `UInt16.max` continues in a second entry
  /// with the same index, so counts never saturate.
  struct Entry: Sendable, Equatable {
    var index: Int16
    var count: UInt16
  }

  /// Number of ring positions.
  let count: Int
  /// Keep only bin indices that are multiples of this (1: every bin, ±1% as
  /// ``LatencySketch``; 2: half the bins, values within −1% … +3%).
  let binStep: Int
  /// Entries the store is sized for when it is first allocated (0: grown as needed).
  var reserveHint = 0
  /// Every position's run, back to back.
  private(set) var entries: [Entry] = []
  /// Where each position's run starts in ``entries`` (empty until the first value).
  private var starts: [UInt32] = []
  /// Each position's run length.
  private var lengths: [UInt32] = []
  /// Each position's sum of (clamped) values, in seconds.
  private var sums: [Double] = []

  init(count: Int, binStep: Int = 1) {
    self.count = count
    self.binStep = max(1, binStep)
  }

  /// The bin index kept for `value` (already clamped): ``LatencySketch``'s, rounded up to a
  /// multiple of ``binStep``.
  @inline(__always)
  func binIndex(of value: Double) -> Int16 {
    let index = LatencySketch.binIndex(of: value)
    guard binStep > 1 else { return Int16(index) }
    // Rounded up (toward +∞, also for the negative indices of values below 1 s).
    let down =
      index >= 0 ? index / binStep * binStep : -((-index + binStep - 1) / binStep * binStep)
    return Int16(down == index ? index : down + binStep)
  }

  /// Bytes held by the store and the per-position arrays (their capacity).
  var storageBytes: Int {
    entries.capacity * MemoryLayout<Entry>.stride
      + (starts.capacity + lengths.capacity) * MemoryLayout<UInt32>.stride
      + sums.capacity * MemoryLayout<Double>.stride
  }

  /// Whether a value was ever added (the per-position arrays exist).
  var isAllocated: Bool { !starts.isEmpty }

  /// Adds one latency in seconds to position `p` (NaN is ignored).
  mutating func add(_ seconds: Double, at p: Int) {
    guard !seconds.isNaN else { return }
    let value = min(max(seconds, LatencySketch.minValue), LatencySketch.maxValue)
    let index = binIndex(of: value)
    allocateIfNeeded()
    moveToEnd(p)
    let start = Int(starts[p])
    let end = start + Int(lengths[p])
    // The first entry of the run with an index above `index` (entries of one index stay
    // together, the full ones first).
    var low = start
    var high = end
    while low < high {
      let mid = (low + high) / 2
      if entries[mid].index <= index { low = mid + 1 } else { high = mid }
    }
    if low > start, entries[low - 1].index == index, entries[low - 1].count < UInt16.max {
      entries[low - 1].count += 1
    } else {
      reserveForOneMore()
      entries.insert(Entry(index: index, count: 1), at: low)
      lengths[p] += 1
    }
    sums[p] += value
  }

  /// Empties position `p`.
  mutating func clear(_ p: Int) {
    guard !starts.isEmpty else { return }
    removeRun(p)
    sums[p] = 0
  }

  /// Replaces position `p` with the values of `sketch` (restoring a saved window).
  mutating func set(_ sketch: LatencySketch, at p: Int) {
    clear(p)
    guard !sketch.isEmpty else { return }
    // A state file is outside input: a sketch claiming more values than a position can
    // hold is scaled down to that, bin by bin (its quantiles keep their shape), so that a
    // restored position never takes more than about one entry per bin.
    let total = UInt64(sketch.count)
    let scaled = total > Self.maxRestoredCount
    var kept: UInt64 = 0
    for bin in sketch.bins {
      var left = UInt64(bin.count)
      if scaled { left = max(1, left * Self.maxRestoredCount / total) }
      kept += left
      while left > 0 {
        let part = min(left, UInt64(UInt16.max))
        addEntry(Entry(index: bin.index, count: UInt16(part)), at: p)
        left -= part
      }
    }
    sums[p] = scaled ? sketch.sum * (Double(kept) / Double(total)) : sketch.sum
  }

  /// The most values a restored position keeps: more than a day of a check probed every
  /// 100 ms (the shortest interval: 864,000), about 16 entries beyond one per bin.
  static let maxRestoredCount: UInt64 = 1_000_000

  /// The sketch of position `p`.
  func sketch(at p: Int) -> LatencySketch { sketch(of: CollectionOfOne(p)) }

  /// One sketch of the values of all `positions` together (as if merged).
  func sketch(of positions: some Sequence<Int>) -> LatencySketch {
    guard !starts.isEmpty else { return LatencySketch() }
    let low = Int(LatencySketch.minIndex)
    let width = Int(LatencySketch.maxIndex) - low + 1
    return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: width) { dense in
      dense.initialize(repeating: 0)
      var sum = 0.0
      var any = false
      for p in positions where lengths[p] > 0 {
        any = true
        sum += sums[p]
        let start = Int(starts[p])
        for e in entries[start..<start + Int(lengths[p])] {
          dense[Int(e.index) - low] &+= UInt64(e.count)
        }
      }
      guard any else { return LatencySketch() }
      var bins: [LatencySketch.Bin] = []
      for offset in 0..<width where dense[offset] > 0 {
        bins.append(
          LatencySketch.Bin(
            index: Int16(offset + low), count: UInt32(min(dense[offset], UInt64(UInt32.max)))))
      }
      return LatencySketch(validatedBins: bins, sum: sum)
    }
  }

  /// Creates the per-position arrays (and sizes the store by ``reserveHint``) at the first value.
  private mutating func allocateIfNeeded() {
    guard starts.isEmpty else { return }
    starts = Array(repeating: 0, count: count)
    lengths = Array(repeating: 0, count: count)
    sums = Array(repeating: 0, count: count)
    if reserveHint > entries.capacity { entries.reserveCapacity(reserveHint) }
  }

  /// Appends `entry` to position `p`'s run (entries in index order: restoring only).
  private mutating func addEntry(_ entry: Entry, at p: Int) {
    allocateIfNeeded()
    moveToEnd(p)
    reserveForOneMore()
    entries.append(entry)
    lengths[p] += 1
  }

  /// Makes position `p`'s run the last one in ``entries``, so it can grow in place.
  private mutating func moveToEnd(_ p: Int) {
    let start = Int(starts[p])
    let length = Int(lengths[p])
    guard length == 0 || start + length != entries.count else { return }
    let run = Array(entries[start..<start + length])
    removeRun(p)
    starts[p] = UInt32(entries.count)
    if entries.capacity < entries.count + run.count {
      entries.reserveCapacity(entries.count + run.count + entries.count / 4)
    }
    entries.append(contentsOf: run)
    lengths[p] = UInt32(length)
  }

  /// Removes position `p`'s run from the store, moving the runs after it down.
  private mutating func removeRun(_ p: Int) {
    let start = Int(starts[p])
    let length = Int(lengths[p])
    lengths[p] = 0
    starts[p] = 0
    guard length > 0 else { return }
    entries.removeSubrange(start..<start + length)
    for q in 0..<count where lengths[q] > 0 && Int(starts[q]) > start {
      starts[q] -= UInt32(length)
    }
  }

  /// Grows the store by a quarter when it is full (an array doubles by itself).
  private mutating func reserveForOneMore() {
    if entries.count == entries.capacity {
      entries.reserveCapacity(entries.count + entries.count / 4 + 8)
    }
  }
}

extension SketchRing: Equatable {
  /// The same values at every position (however the store is laid out).
  static func == (lhs: SketchRing, rhs: SketchRing) -> Bool {
    lhs.count == rhs.count
      && (0..<lhs.count).allSatisfy { lhs.sketch(at: $0) == rhs.sketch(at: $0) }
  }
}
