/// Encoded as `{"length": [seconds, attoseconds], "buckets": n, "data": [non-empty buckets]}`,
/// each bucket `{"slot": absolute bucket number, "counts": {"success": 3}, "latency": …,
/// "ttft": …}`. Decoding validates the layout and throws `DecodingError.dataCorrupted`.
extension RollingWindow: Codable {
  private enum CodingKeys: String, CodingKey {
    case length, buckets, data
  }

  private struct EncodedBucket: Codable {
    var slot: Int64
    var counts: [String: UInt16]
    var latency: LatencySketch?
    var ttft: LatencySketch?
  }

  /// Upper limit on the bucket count accepted from a file (guards against huge allocations).
  static let maxDecodedBuckets = 100_000

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let parts = try container.decode([Int64].self, forKey: .length)
    let bucketCount = try container.decode(Int.self, forKey: .buckets)
    let data = try container.decode([EncodedBucket].self, forKey: .data)
    func corrupt(_ reason: String) -> DecodingError {
      DecodingError.dataCorruptedError(
        forKey: .data, in: container, debugDescription: "rolling window: \(reason)")
    }
    guard parts.count == 2, (0..<1_000_000_000_000_000_000).contains(parts[1]) else {
      throw corrupt("invalid length")
    }
    let length = Duration(secondsComponent: parts[0], attosecondsComponent: parts[1])
    guard length > .zero else { throw corrupt("length must be positive") }
    guard (1...Self.maxDecodedBuckets).contains(bucketCount) else {
      throw corrupt("invalid bucket count")
    }
    var window = RollingWindow(length: length, buckets: bucketCount)
    for entry in data {
      guard entry.slot != Self.emptySlot, abs(entry.slot) < 1_000_000_000_000_000 else {
        throw corrupt("invalid slot")
      }
      let p = window.position(of: entry.slot)
      guard window.slots[p] == Self.emptySlot else {
        throw corrupt("two buckets share a ring position")
      }
      window.clear(position: p, for: entry.slot)
      for (label, count) in entry.counts {
        guard let result = ResultClass(rawValue: label) else { continue }
        window.counts[p * Self.resultCount + result.ordinal] = count
      }
      if let latency = entry.latency { window.latencies.set(latency, at: p) }
      if let ttft = entry.ttft { window.ttfts.set(ttft, at: p) }
      window.latestSlot = max(window.latestSlot ?? entry.slot, entry.slot)
    }
    self = window
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    let (seconds, attoseconds) = length.components
    try container.encode([seconds, attoseconds], forKey: .length)
    try container.encode(bucketCount, forKey: .buckets)
    var data: [EncodedBucket] = []
    for p in 0..<bucketCount where slots[p] != Self.emptySlot {
      var counts: [String: UInt16] = [:]
      for (r, result) in ResultClass.allCases.enumerated() {
        let c = self.counts[p * Self.resultCount + r]
        if c > 0 { counts[result.rawValue] = c }
      }
      let latency = latency(at: p)
      let ttft = ttft(at: p)
      data.append(
        EncodedBucket(
          slot: slots[p], counts: counts,
          latency: latency.isEmpty ? nil : latency,
          ttft: ttft.isEmpty ? nil : ttft))
    }
    data.sort { $0.slot < $1.slot }
    try container.encode(data, forKey: .data)
  }
}
