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
  /// Where each bucket's `,le="…"} ` is in ``storage`` (a histogram's, one more than buckets).
  private let bucketBounds: UnsafeMutableBufferPointer<Int>
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
    let bucketLabels = buckets.map(Self.bucketLabel)
    let total = header.count + name.count + keyBytes + bucketLabels.reduce(0) { $0 + $1.count }
    storage = .allocate(capacity: max(total, 1))
    keyBounds = .allocate(capacity: labelKeys.count + 1)
    bucketBounds = .allocate(capacity: buckets.count + 1)
    var offset = 0
    for part in [header, name] + labelKeys + bucketLabels {
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
    var bucketStart = keyStart
    bucketBounds[0] = bucketStart
    for (index, label) in bucketLabels.enumerated() {
      bucketStart += label.count
      bucketBounds[index + 1] = bucketStart
    }
  }

  deinit {
    storage.deallocate()
    keyBounds.deallocate()
    bucketBounds.deallocate()
  }

  /// `,le="<bound>"} ` of bucket `index` (rendered once: a scrape writes a bucket line per
  /// bucket of every check's histogram).
  @inline(__always)
  func bucketLabel(_ index: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: storage[bucketBounds[index]..<bucketBounds[index + 1]])
  }

  /// `,le="<bound>"} ` of a finite bound, formatted as a sample value.
  private static func bucketLabel(_ bound: Double) -> [UInt8] {
    var label = Array(",le=\"".utf8)
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ByteCursor.maxValueBytes) { buffer in
      var cursor = ByteCursor(buffer.baseAddress!)
      cursor.putValue(bound)
      label.append(
        contentsOf: UnsafeBufferPointer(
          start: buffer.baseAddress, count: cursor.position - buffer.baseAddress!))
    }
    label.append(contentsOf: "\"} ".utf8)
    return label
  }

  /// `name="` of label `index`.
  @inline(__always)
  func labelKey(_ index: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(rebasing: storage[keyBounds[index]..<keyBounds[index + 1]])
  }
}
