/// A label value escaped once, for values written at every scrape (a result class, a probe
/// phase, a quantile): a sample copies these bytes instead of escaping the same text again.
public final class LabelValue: @unchecked Sendable {  // immutable after init
  /// The value, unescaped.
  public let value: String
  /// The value with `\`, `"` and newline escaped.
  let bytes: UnsafeBufferPointer<UInt8>
  private let storage: UnsafeMutableBufferPointer<UInt8>

  public init(_ value: String) {
    self.value = value
    storage = .allocate(capacity: max(2 * value.utf8.count, 1))
    var cursor = ByteCursor(storage.baseAddress!)
    cursor.putEscaped(value)
    bytes = UnsafeBufferPointer(
      start: storage.baseAddress, count: cursor.position - storage.baseAddress!)
  }

  deinit { storage.deallocate() }

  /// One value per string, in order.
  public static func list(_ values: [String]) -> [LabelValue] { values.map(LabelValue.init) }
}
