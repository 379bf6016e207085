/// Cumulative probe counts per ``ResultClass`` since start (or since the last restore).
///
/// Stored as a fixed array indexed by `ResultClass.allCases` order (13 × 8 bytes); encoded
/// as a JSON object keyed by the result label, so adding result classes later stays compatible.
public struct ResultCounters: Sendable, Equatable {
  private var counts: [UInt64]

  /// All zero.
  public init() {
    counts = Array(repeating: 0, count: ResultClass.allCases.count)
  }

  /// The count for one result class.
  public subscript(result: ResultClass) -> UInt64 {
    get { counts[result.ordinal] }
    set { counts[result.ordinal] = newValue }
  }

  /// Adds one probe of `result` (saturating).
  public mutating func increment(_ result: ResultClass) {
    let i = result.ordinal
    if counts[i] < UInt64.max { counts[i] += 1 }
  }

  /// Sum over every result class.
  public var total: UInt64 { counts.reduce(0) { $0 &+ $1 } }

  /// The non-zero counts, keyed by result class.
  public var byResult: [ResultClass: UInt64] {
    var out: [ResultClass: UInt64] = [:]
    for (result, count) in zip(ResultClass.allCases, counts) where count > 0 { out[result] = count }
    return out
  }
}

extension ResultCounters: Codable {
  /// Decodes `{"success": 12, "timeout": 1}`; unknown result labels are ignored.
  public init(from decoder: any Decoder) throws {
    let raw = try decoder.singleValueContainer().decode([String: UInt64].self)
    self.init()
    for (label, count) in raw {
      if let result = ResultClass(rawValue: label) { self[result] = count }
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var raw: [String: UInt64] = [:]
    for (result, count) in byResult { raw[result.rawValue] = count }
    var container = encoder.singleValueContainer()
    try container.encode(raw)
  }
}
