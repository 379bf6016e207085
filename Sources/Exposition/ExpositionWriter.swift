/// Renders metric families in the Prometheus text format 0.0.4 straight into a reusable
/// byte buffer.
///
/// Write each family's samples together: the first ``sample(_:value:)`` (or
/// ``family(_:)``) of a family writes its `# HELP`/`# TYPE` header, later samples of the
/// same family only their line. Starting a family again after another one is a
/// programming error (debug-asserted). Call ``reset()`` and render again for the next
/// scrape: the buffer keeps its capacity, so steady-state rendering does not allocate
/// per series (each line is formatted in place at the end of the buffer).
public struct ExpositionWriter: Sendable {
  /// The HTTP `Content-Type` of the rendered text.
  public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

  /// The buffer: the text so far is `storage[..<count]`, the rest room already allocated
  /// (so a line is formatted where it goes, without a copy or a capacity check per byte).
  private var storage: [UInt8]
  /// Bytes of text in ``storage``.
  public private(set) var count = 0

  /// The family whose samples are being written (its header is already out).
  private var openFamily: EncodedFamily?

  #if DEBUG
    /// Families already finished; reopening one would split it.
    private var closedFamilies: Set<String> = []
    private var openFamilyName = ""
  #endif

  /// Creates a writer whose buffer starts with room for `capacity` bytes.
  public init(capacity: Int = 64 * 1024) {
    storage = Array(repeating: 0, count: max(capacity, 256))
  }

  /// The rendered exposition so far (a copy; for tests and small expositions).
  public var bytes: [UInt8] { Array(storage[..<count]) }

  /// Bytes the buffer holds room for.
  public var capacity: Int { storage.count }

  /// Empties the buffer (keeping its capacity) for the next rendering.
  public mutating func reset() {
    count = 0
    openFamily = nil
    #if DEBUG
      closedFamilies.removeAll(keepingCapacity: true)
      openFamilyName = ""
    #endif
  }

  /// Hands the bytes written so far to `body` and empties the buffer, keeping the open family
  /// (and the checks against splitting one): a long exposition goes out in pieces, and the
  /// buffer holds one piece at a time. The piece is a slice of the buffer itself, not a copy:
  /// `body` copies what it keeps (a slice still held when writing resumes makes the buffer
  /// copy itself first).
  public mutating func flush(_ body: (ArraySlice<UInt8>) async throws -> Void) async rethrows {
    guard count > 0 else { return }
    try await body(storage[..<count])
    count = 0
  }

  /// The rendered text as a String (for tests and logs; the server sends ``bytes``).
  public var text: String { String(decoding: bytes, as: UTF8.self) }

  /// Starts `f`: writes its `# HELP` and `# TYPE` lines unless `f` is already the open family.
  public mutating func family(_ f: MetricFamily) {
    if openFamily === f.encoded { return }
    #if DEBUG
      if openFamily != nil { closedFamilies.insert(openFamilyName) }
      assert(
        !closedFamilies.contains(f.name),
        "metric family \(f.name) written twice; write its samples together")
      openFamilyName = f.name
    #endif
    append(f.encoded.header)
    openFamily = f.encoded
  }

  // MARK: Samples

  /// Writes a sample of a family without labels.
  public mutating func sample(_ f: MetricFamily, value: Double) {
    assertSample(f, labelCount: 0)
    let encoded = f.encoded
    line(encoded, labelBytes: 0) { cursor in
      cursor.put(encoded.nameBytes)
      cursor.put(UInt8(ascii: " "))
      cursor.putValue(value)
    }
  }

  /// Writes a sample of a family with one label.
  public mutating func sample(_ f: MetricFamily, _ l1: String, value: Double) {
    assertSample(f, labelCount: 1)
    let encoded = f.encoded
    line(encoded, labelBytes: l1.utf8.count) { cursor in
      cursor.put(encoded.nameBytes)
      cursor.put(UInt8(ascii: "{"))
      cursor.putLabel(encoded, 0, l1)
      cursor.put("} ")
      cursor.putValue(value)
    }
  }

  /// Writes a sample of a family with two labels, in the family's label order.
  public mutating func sample(_ f: MetricFamily, _ l1: String, _ l2: String, value: Double) {
    assertSample(f, labelCount: 2)
    let encoded = f.encoded
    line(encoded, labelBytes: l1.utf8.count + l2.utf8.count) { cursor in
      cursor.put(encoded.nameBytes)
      cursor.put(UInt8(ascii: "{"))
      cursor.putLabel(encoded, 0, l1)
      cursor.put(UInt8(ascii: ","))
      cursor.putLabel(encoded, 1, l2)
      cursor.put("} ")
      cursor.putValue(value)
    }
  }

  /// Writes a sample of a family with three labels, in the family's label order.
  public mutating func sample(
    _ f: MetricFamily, _ l1: String, _ l2: String, _ l3: String, value: Double
  ) {
    assertSample(f, labelCount: 3)
    let encoded = f.encoded
    line(encoded, labelBytes: l1.utf8.count + l2.utf8.count + l3.utf8.count) { cursor in
      cursor.put(encoded.nameBytes)
      cursor.put(UInt8(ascii: "{"))
      cursor.putLabel(encoded, 0, l1)
      cursor.put(UInt8(ascii: ","))
      cursor.putLabel(encoded, 1, l2)
      cursor.put(UInt8(ascii: ","))
      cursor.putLabel(encoded, 2, l3)
      cursor.put("} ")
      cursor.putValue(value)
    }
  }

  /// Writes a sample with any number of labels, in the family's label order.
  public mutating func sample(_ f: MetricFamily, labelValues: [String], value: Double) {
    assertSample(f, labelCount: labelValues.count)
    let encoded = f.encoded
    line(encoded, labelBytes: labelValues.reduce(0) { $0 + $1.utf8.count }) { cursor in
      cursor.put(encoded.nameBytes)
      cursor.putLabelSet(encoded, labelValues, le: nil)
      cursor.put(UInt8(ascii: " "))
      cursor.putValue(value)
    }
  }

  // MARK: Samples with a rendered label set

  /// Writes a sample whose labels are `labels` (the family's label names, in order).
  public mutating func sample(_ f: MetricFamily, _ labels: LabelSet, value: Double) {
    assertSample(f, labels, extraLabels: 0)
    // Raw bytes only in the line's closure: nothing to retain per line.
    let name = f.encoded.nameBytes
    let set = labels.bytes
    line(bound: name.count + 2 * set.count + 4 + ByteCursor.maxValueBytes) { cursor in
      cursor.put(name)
      cursor.put(UInt8(ascii: "{"))
      cursor.put(set)
      cursor.put("} ")
      cursor.putValue(value)
    }
  }

  /// Writes a sample whose labels are `labels` followed by the family's last label, `last`.
  public mutating func sample(_ f: MetricFamily, _ labels: LabelSet, _ last: String, value: Double)
  {
    sample(f, labels, lastBound: 2 * last.utf8.count, value: value) { $0.putEscaped(last) }
  }

  /// Writes a sample whose labels are `labels` followed by the family's last label, `last`
  /// (escaped once, see ``LabelValue``).
  public mutating func sample(
    _ f: MetricFamily, _ labels: LabelSet, _ last: LabelValue, value: Double
  ) {
    let text = last.bytes
    sample(f, labels, lastBound: text.count, value: value) { $0.put(text) }
  }

  /// `name{labels,key="` + the last label's value as `putLast` writes it (at most
  /// `lastBound` bytes) + `"} value`.
  @inline(__always)
  private mutating func sample(
    _ f: MetricFamily, _ labels: LabelSet, lastBound: Int, value: Double,
    _ putLast: (inout ByteCursor) -> Void
  ) {
    assertSample(f, labels, extraLabels: 1)
    let name = f.encoded.nameBytes
    let key = f.encoded.labelKey(labels.count)
    let set = labels.bytes
    let bound = name.count + set.count + key.count + lastBound + 6 + ByteCursor.maxValueBytes
    line(bound: bound) { cursor in
      cursor.put(name)
      cursor.put(UInt8(ascii: "{"))
      cursor.put(set)
      cursor.put(UInt8(ascii: ","))
      cursor.put(key)
      putLast(&cursor)
      cursor.put("\"} ")
      cursor.putValue(value)
    }
  }

  // MARK: Histograms

  /// Writes one histogram series of a family with two labels (e.g. provider, model).
  /// See ``histogram(_:labelValues:upperBounds:cumulativeCounts:sum:count:)``.
  public mutating func histogram(
    _ f: MetricFamily, _ l1: String, _ l2: String,
    upperBounds: [Double]? = nil, cumulativeCounts: [UInt64], sum: Double, count: UInt64
  ) {
    // Two inline strings would need an array anyway for the repeated label sets;
    // histograms are few (one series per check), so this path is not per-line critical.
    histogram(
      f, labelValues: [l1, l2], upperBounds: upperBounds, cumulativeCounts: cumulativeCounts,
      sum: sum,
      count: count)
  }

  /// Writes one histogram series: `_bucket{…,le="…"}` per bound plus `le="+Inf"` (= `count`),
  /// then `_sum` and `_count`. `upperBounds` defaults to the family's buckets and excludes
  /// `+Inf`; `cumulativeCounts[i]` counts observations `<= upperBounds[i]`.
  public mutating func histogram(
    _ f: MetricFamily, labelValues: [String],
    upperBounds: [Double]? = nil, cumulativeCounts: [UInt64], sum: Double, count: UInt64
  ) {
    let upperBounds = upperBounds ?? f.buckets
    assert(f.type == .histogram, "\(f.name) is not a histogram")
    assert(
      labelValues.count == f.labelNames.count, "\(f.name) takes \(f.labelNames.count) label values")
    assert(
      upperBounds.count == cumulativeCounts.count, "\(f.name): one cumulative count per upper bound"
    )
    family(f)
    let encoded = f.encoded
    let labelBytes = labelValues.reduce(0) { $0 + $1.utf8.count }
    for (bound, cumulative) in zip(upperBounds, cumulativeCounts) where bound != .infinity {
      line(encoded, labelBytes: labelBytes) { cursor in
        cursor.put(encoded.nameBytes)
        cursor.put("_bucket")
        cursor.putLabelSet(encoded, labelValues, le: bound)
        cursor.put(UInt8(ascii: " "))
        cursor.putUnsigned(cumulative)
      }
    }
    line(encoded, labelBytes: labelBytes) { cursor in
      cursor.put(encoded.nameBytes)
      cursor.put("_bucket")
      cursor.putLabelSet(encoded, labelValues, le: .infinity)
      cursor.put(UInt8(ascii: " "))
      cursor.putUnsigned(count)
    }
    line(encoded, labelBytes: labelBytes) { cursor in
      cursor.put(encoded.nameBytes)
      cursor.put("_sum")
      cursor.putLabelSet(encoded, labelValues, le: nil)
      cursor.put(UInt8(ascii: " "))
      cursor.putValue(sum)
    }
    line(encoded, labelBytes: labelBytes) { cursor in
      cursor.put(encoded.nameBytes)
      cursor.put("_count")
      cursor.putLabelSet(encoded, labelValues, le: nil)
      cursor.put(UInt8(ascii: " "))
      cursor.putUnsigned(count)
    }
  }

  /// Writes one histogram series whose labels are `labels` (the family's label names), over
  /// the family's buckets: `bucketCounts[i]` counts the observations in bucket `i` alone
  /// (above the bound before it); the cumulative counts are summed as they are written, and
  /// `count` is the `+Inf` bucket.
  public mutating func histogram(
    _ f: MetricFamily, _ labels: LabelSet, bucketCounts: [UInt64], sum: Double, count: UInt64
  ) {
    assert(f.type == .histogram, "\(f.name) is not a histogram")
    assert(labels.names == f.labelNames, "\(f.name) takes labels \(f.labelNames)")
    assert(bucketCounts.count >= f.buckets.count, "\(f.name): one count per bucket")
    family(f)
    let encoded = f.encoded
    let name = encoded.nameBytes
    let set = labels.bytes
    // name + "_bucket{" + set + ",le=\"" + bound + "\"} " + count
    let lineBound = name.count + set.count + 16 + 2 * ByteCursor.maxValueBytes
    var cumulative: UInt64 = 0
    for index in 0..<min(encoded.buckets.count, bucketCounts.count) {
      cumulative &+= bucketCounts[index]
      let le = encoded.bucketLabel(index)  // `,le="0.25"} `
      line(bound: lineBound) { cursor in
        cursor.put(name)
        cursor.put("_bucket{")
        cursor.put(set)
        cursor.put(le)
        cursor.putUnsigned(cumulative)
      }
    }
    line(bound: lineBound) { cursor in
      cursor.put(name)
      cursor.put("_bucket{")
      cursor.put(set)
      cursor.put(",le=\"+Inf\"} ")
      cursor.putUnsigned(count)
    }
    line(bound: lineBound) { cursor in
      cursor.put(name)
      cursor.put("_sum{")
      cursor.put(set)
      cursor.put("} ")
      cursor.putValue(sum)
    }
    line(bound: lineBound) { cursor in
      cursor.put(name)
      cursor.put("_count{")
      cursor.put(set)
      cursor.put("} ")
      cursor.putUnsigned(count)
    }
  }

  // MARK: Lines

  @inline(__always)
  private mutating func assertSample(_ f: MetricFamily, labelCount: Int) {
    assert(f.type != .histogram, "write histogram \(f.name) with histogram(...)")
    assert(
      labelCount == f.labelNames.count,
      "\(f.name) takes \(f.labelNames.count) label values, got \(labelCount)")
    family(f)
  }

  @inline(__always)
  private mutating func assertSample(_ f: MetricFamily, _ labels: LabelSet, extraLabels: Int) {
    assert(f.type != .histogram, "write histogram \(f.name) with histogram(...)")
    assert(
      labels.names.count + extraLabels == f.labelNames.count
        && f.labelNames.starts(with: labels.names),
      "\(f.name) takes labels \(f.labelNames), got \(labels.names) and \(extraLabels) more")
    family(f)
  }

  /// Formats one line (plus its newline) in place, in room reserved for the worst case.
  @inline(__always)
  private mutating func line(
    _ encoded: EncodedFamily, labelBytes: Int, _ body: (inout ByteCursor) -> Void
  ) {
    // name + "_bucket" + "{}" + keys + escaped values (2x) + quotes and commas + le
    // + " " + value + "\n"
    let bound =
      encoded.nameBytes.count + 8 + encoded.labelKeysByteCount + 2 * labelBytes + 2
      * encoded.labelCount
      + 8 + 3 * ByteCursor.maxValueBytes
    line(bound: bound, body)
  }

  /// Formats one line of at most `bound` bytes before its newline (see
  /// ``line(_:labelBytes:_:)``) at the end of the buffer.
  @inline(__always)
  private mutating func line(bound: Int, _ body: (inout ByteCursor) -> Void) {
    write(bound: bound + 1) { cursor in
      body(&cursor)
      cursor.put(UInt8(ascii: "\n"))
    }
  }

  /// Appends `bytes` as they are.
  private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
    write(bound: bytes.count) { $0.put(bytes) }
  }

  /// Writes at most `bound` bytes in place at the end of the buffer, growing it first if it
  /// has not the room.
  @inline(__always)
  private mutating func write(bound: Int, _ body: (inout ByteCursor) -> Void) {
    let start = count
    if start + bound > storage.count { grow(toFit: start + bound) }
    let written = storage.withUnsafeMutableBufferPointer { buffer in
      let first = buffer.baseAddress! + start
      var cursor = ByteCursor(first)
      body(&cursor)
      return cursor.position - first
    }
    assert(written <= bound, "a line overflowed its reservation")
    count = start + written
  }

  /// Makes room for `needed` bytes at least, doubling the buffer.
  private mutating func grow(toFit needed: Int) {
    storage.append(
      contentsOf: repeatElement(0, count: max(needed, storage.count * 2) - storage.count))
  }
}

extension ByteCursor {
  /// `key="escaped value"`
  @inline(__always)
  mutating func putLabel(_ encoded: EncodedFamily, _ index: Int, _ value: String) {
    put(encoded.labelKey(index))
    putEscaped(value)
    put(UInt8(ascii: "\""))
  }

  /// `{k1="v1",k2="v2"[,le="…"]}`, or nothing without labels.
  mutating func putLabelSet(_ encoded: EncodedFamily, _ values: [String], le: Double?) {
    if values.isEmpty && le == nil { return }
    put(UInt8(ascii: "{"))
    for (index, value) in values.enumerated() {
      if index > 0 { put(UInt8(ascii: ",")) }
      putLabel(encoded, index, value)
    }
    if let le {
      if !values.isEmpty { put(UInt8(ascii: ",")) }
      put("le=\"")
      putValue(le)
      put(UInt8(ascii: "\""))
    }
    put(UInt8(ascii: "}"))
  }
}
