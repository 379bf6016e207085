/// A family's definition and its fixed bytes (header, name, `label="` keys), rendered
/// once into one allocation so writing a sample copies raw memory without reference counting.
final class EncodedFamily: @unchecked Sendable {  // immutable after init
  let metricName: String
  let help: String
  let type: MetricType
  let labelNames: [String]
  let buckets: [Double]

  private let storage: UnsafeMutableBufferPointer<UInt8>
  private let keyBounds: UnsafeMutableBufferPointer<Int>
  /// `# HELP …\n# TYPE …\n`
  let header: UnsafeBufferPointer<UInt8>
  /// The metric name.
  let nameBytes: UnsafeBufferPointer<UInt8>
  /// Bytes of all label keys together.
  let labelKeysByteCount: Int
  let labelCount: Int

  init(
    name metricName: String, help: String, type: MetricType, labelNames: [String],
    buckets: [Double],
    header: [UInt8], labelKeys: [[UInt8]]
  ) {
    self.metricName = metricName
    self.help = help
    self.type = type
    self.labelNames = labelNames
    self.buckets = buckets
    let name = Array(metricName.utf8)
    let keyBytes = labelKeys.reduce(0) { $0 + $1.count }
    let total = header.count + name.count + keyBytes
    storage = .allocate(capacity: max(total, 1))
    keyBounds = .allocate(capacity: labelKeys.count + 1)
    var offset = 0
    for part in [header, name] + labelKeys {
      _ = UnsafeMutableBufferPointer(rebasing: storage[offset..<offset + part.count]).initialize(
        from: part)
      offset += part.count
    }
    self.header = UnsafeBufferPointer(rebasing: storage[0..<header.count])
    self.nameBytes = UnsafeBufferPointer(
      rebasing: storage[header.count..<header.count + name.count])
    var keyStart = header.count + name.count
    keyBounds[0] = keyStart
    for (index, key) in labelKeys.enumerated() {
      keyStart += key.count
      keyBounds[index + 1] = keyStart
    }
    labelKeysByteCount = keyBytes
    labelCount = labelKeys.count
  }

  deinit {
    storage.deallocate()
    keyBounds.deallocate()
  }

  /// `name="` of label `index`.
  @inline(__always)
  func labelKey(_ index: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: storage[keyBounds[index]..<keyBounds[index + 1]])
  }
}
