/// Leading label pairs of a series rendered to bytes once (`provider="openai",model="gpt-4o"`,
/// values escaped), for series written at every scrape: a sample then copies these bytes
/// instead of escaping the same values again (what the Prometheus client libraries do with a
/// registered series' labels).
///
/// A set fits any family whose first label names are ``names``, in that order; the family's
/// remaining label, if any, is passed as a value with the sample.
public final class LabelSet: @unchecked Sendable {  // immutable after init
  /// The label names, in order.
  public let names: [String]
  /// The label values, in the same order (unescaped).
  public let values: [String]
  /// How many labels (``names``' count).
  public let count: Int
  /// `k1="v1",k2="v2"` with the values escaped.
  let bytes: UnsafeBufferPointer<UInt8>
  private let storage: UnsafeMutableBufferPointer<UInt8>

  /// Renders `values` under `names` (the same count; names valid Prometheus label names).
  public init(names: [String], values: [String]) {
    precondition(names.count == values.count, "one value per label name")
    for name in names {
      precondition(MetricFamily.isValidLabelName(name), "invalid label name \(name)")
    }
    self.names = names
    self.values = values
    count = names.count
    // key="value" per pair, commas between; values escape to at most twice their size.
    let bound = zip(names, values).reduce(0) { $0 + $1.0.utf8.count + 2 * $1.1.utf8.count + 4 }
    storage = .allocate(capacity: max(bound, 1))
    var cursor = ByteCursor(storage.baseAddress!)
    for (index, (name, value)) in zip(names, values).enumerated() {
      if index > 0 { cursor.put(UInt8(ascii: ",")) }
      for byte in name.utf8 { cursor.put(byte) }
      cursor.put("=\"")
      cursor.putEscaped(value)
      cursor.put(UInt8(ascii: "\""))
    }
    bytes = UnsafeBufferPointer(
      start: storage.baseAddress, count: cursor.position - storage.baseAddress!)
  }

  deinit { storage.deallocate() }

  /// The rendered pairs as text (for tests).
  public var text: String { String(decoding: bytes, as: UTF8.self) }
}
