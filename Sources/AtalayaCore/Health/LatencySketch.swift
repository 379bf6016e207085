#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A mergeable, log-bucketed quantile sketch of latencies in seconds (DDSketch style).
///
/// Values are mapped to bins `i = ⌈log_γ(x)⌉` with `γ = (1 + a) / (1 − a)`, `a = 0.01`;
/// a bin is reported as `2γ^i / (γ + 1)`, which is within `a` of every value in
/// `(γ^(i−1), γ^i]`. Hence: quantiles are within ±1% relative error of the true sample
/// quantile (rank-exact), where the true q-quantile is the element of 0-based rank
/// `⌊q · (n − 1)⌋` in the sorted sample. The guarantee holds for values inside
/// ``minValue`` … ``maxValue`` (100 µs … 1000 s); values outside are clamped to the range
/// first (a 0 s latency counts as 100 µs), NaN is ignored.
///
/// Storage is sparse: one 8-byte bin per distinct bin used (at most ~807 for the whole
/// range, typically a handful), plus 24 bytes inline. An empty sketch allocates nothing.
public struct LatencySketch: Sendable, Equatable {
  /// The relative accuracy `a`.
  public static let relativeAccuracy = 0.01
  /// `γ = (1 + a) / (1 − a)`.
  public static let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
  /// Smallest value kept apart; smaller values are clamped to it (100 µs).
  public static let minValue = 1e-4
  /// Largest value kept apart; larger values are clamped to it (1000 s).
  public static let maxValue = 1000.0

  static let logGamma = log(gamma)
  static let minIndex = Int16(binIndex(of: minValue))
  static let maxIndex = Int16(binIndex(of: maxValue))

  /// One occupied bin.
  struct Bin: Sendable, Equatable {
    var index: Int16
    var count: UInt32
  }

  /// Occupied bins, sorted by index, counts > 0.
  private(set) var bins: [Bin]
  /// Number of values added.
  public private(set) var count: Int
  /// Sum of the (clamped) values added, in seconds.
  public private(set) var sum: Double

  /// An empty sketch.
  public init() {
    bins = []
    count = 0
    sum = 0
  }

  init(validatedBins: [Bin], sum: Double) {
    bins = validatedBins
    count = validatedBins.reduce(0) { $0 + Int($1.count) }
    self.sum = sum
  }

  /// True when nothing was added.
  public var isEmpty: Bool { count == 0 }

  /// Number of distinct bins in use (memory is proportional to this).
  public var binCount: Int { bins.count }

  /// The mean of the values added, nil when empty.
  public var mean: Double? { count > 0 ? sum / Double(count) : nil }

  /// Adds one latency in seconds.
  public mutating func add(_ seconds: Double) {
    guard !seconds.isNaN else { return }
    let value = min(max(seconds, Self.minValue), Self.maxValue)
    let index = Int16(Self.binIndex(of: value))
    let position = insertionPoint(of: index)
    if position < bins.count, bins[position].index == index {
      guard bins[position].count < UInt32.max else { return }
      bins[position].count += 1
    } else {
      bins.insert(Bin(index: index, count: 1), at: position)
    }
    count += 1
    sum += value
  }

  /// Adds every value of `other` (exactly as if they had been added here).
  public mutating func merge(_ other: LatencySketch) {
    guard !other.bins.isEmpty else { return }
    guard !bins.isEmpty else {
      self = other
      return
    }
    var merged: [Bin] = []
    merged.reserveCapacity(bins.count + other.bins.count)
    var i = 0
    var j = 0
    while i < bins.count || j < other.bins.count {
      if j == other.bins.count || (i < bins.count && bins[i].index < other.bins[j].index) {
        merged.append(bins[i])
        i += 1
      } else if i == bins.count || other.bins[j].index < bins[i].index {
        merged.append(other.bins[j])
        j += 1
      } else {
        let (total, overflow) = bins[i].count.addingReportingOverflow(other.bins[j].count)
        merged.append(Bin(index: bins[i].index, count: overflow ? UInt32.max : total))
        i += 1
        j += 1
      }
    }
    bins = merged
    count = merged.reduce(0) { $0 + Int($1.count) }
    sum += other.sum
  }

  /// The q-quantile (`0 ≤ q ≤ 1`, clamped) in seconds, nil when empty or q is NaN.
  /// Within ±1% of the sample element of rank `⌊q · (n − 1)⌋`.
  public func quantile(_ q: Double) -> Double? {
    guard count > 0, !q.isNaN else { return nil }
    let rank = min(max(q, 0), 1) * Double(count - 1)
    var cumulative = 0
    for bin in bins {
      cumulative += Int(bin.count)
      if Double(cumulative) > rank { return Self.value(ofBin: bin.index) }
    }
    return bins.last.map { Self.value(ofBin: $0.index) }
  }

  /// `⌈log_γ(x)⌉` for a value already clamped to the range.
  static func binIndex(of value: Double) -> Int {
    Int((log(value) / logGamma).rounded(.up))
  }

  /// The representative value of bin `index`, clamped to the range.
  static func value(ofBin index: Int16) -> Double {
    let v = 2 * exp(Double(index) * logGamma) / (gamma + 1)
    return min(max(v, minValue), maxValue)
  }

  private func insertionPoint(of index: Int16) -> Int {
    var low = 0
    var high = bins.count
    while low < high {
      let mid = (low + high) / 2
      if bins[mid].index < index { low = mid + 1 } else { high = mid }
    }
    return low
  }
}
