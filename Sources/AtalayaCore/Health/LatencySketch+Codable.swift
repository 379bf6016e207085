/// Encoded as `{"idx": [bin indexes], "cnt": [bin counts], "sum": seconds}`; decoding
/// validates every invariant and throws `DecodingError.dataCorrupted` otherwise.
extension LatencySketch: Codable {
  private enum CodingKeys: String, CodingKey {
    case idx, cnt, sum
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    let indexes = try container.decode([Int16].self, forKey: .idx)
    let counts = try container.decode([UInt32].self, forKey: .cnt)
    let sum = try container.decode(Double.self, forKey: .sum)
    func corrupt(_ reason: String) -> DecodingError {
      DecodingError.dataCorruptedError(
        forKey: .idx, in: container, debugDescription: "latency sketch: \(reason)")
    }
    guard indexes.count == counts.count else { throw corrupt("idx and cnt differ in length") }
    var bins: [Bin] = []
    bins.reserveCapacity(indexes.count)
    for (index, count) in zip(indexes, counts) {
      guard (Self.minIndex...Self.maxIndex).contains(index) else {
        throw corrupt("bin \(index) out of range")
      }
      guard count > 0 else { throw corrupt("empty bin \(index)") }
      if let last = bins.last, last.index >= index { throw corrupt("bins not strictly increasing") }
      bins.append(Bin(index: index, count: count))
    }
    guard sum.isFinite, sum >= 0 else { throw corrupt("invalid sum") }
    self.init(validatedBins: bins, sum: sum)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(bins.map(\.index), forKey: .idx)
    try container.encode(bins.map(\.count), forKey: .cnt)
    try container.encode(sum, forKey: .sum)
  }
}
