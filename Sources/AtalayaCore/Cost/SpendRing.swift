/// USD spent per time bucket over a trailing span: a ring of `count` buckets of
/// `width` seconds aligned to absolute time (like ``RollingWindow``), so it
/// survives a restart. Spend older than the span is dropped.
public struct SpendRing: Sendable, Equatable {
  public let width: Double
  public let count: Int
  var slots: [Int64]
  var amounts: [Double]
  var latest: Int64?

  /// A ring covering `span` with `buckets` buckets.
  public init(span: Duration, buckets: Int = 60) {
    count = max(1, buckets)
    width = max(span.seconds / Double(count), 0.001)
    slots = Array(repeating: Int64.min, count: count)
    amounts = Array(repeating: 0, count: count)
  }

  func slot(_ t: Timestamp) -> Int64? {
    let s = (t.seconds / width).rounded(.down)
    guard s.isFinite, abs(s) < 1e15 else { return nil }
    return Int64(s)
  }

  /// Adds `usd` at `t`; ignored when older than the span relative to the newest spend.
  public mutating func add(_ usd: Double, at t: Timestamp) {
    guard usd.isFinite, usd > 0, let s = slot(t) else { return }
    if let latest, s <= latest - Int64(count) { return }
    let p = Int(((s % Int64(count)) + Int64(count)) % Int64(count))
    if slots[p] != s {
      guard slots[p] < s else { return }
      slots[p] = s
      amounts[p] = 0
    }
    amounts[p] += usd
    latest = max(latest ?? s, s)
  }

  /// Spend in the buckets within the span ending at `now`.
  public func sum(at now: Timestamp) -> Double {
    guard let current = slot(now) else { return 0 }
    let oldest = current - Int64(count) + 1
    var total = 0.0
    for p in 0..<count where slots[p] >= oldest && slots[p] <= current { total += amounts[p] }
    return total
  }

  /// The non-empty buckets as `[slot, usd]` pairs (for persistence).
  public var entries: [(slot: Int64, usd: Double)] {
    (0..<count).compactMap { slots[$0] == Int64.min ? nil : (slots[$0], amounts[$0]) }
  }

  /// Restores buckets saved with ``entries`` (same width and count).
  public mutating func restore(_ entries: [(slot: Int64, usd: Double)]) {
    for (s, usd) in entries.sorted(by: { $0.slot < $1.slot }) {
      add(usd, at: Timestamp(seconds: (Double(s) + 0.5) * width))
    }
  }
}
