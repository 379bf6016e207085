/// Writes bytes into memory reserved in advance for one sample line (no bounds or
/// uniqueness checks per byte; the caller reserves an upper bound).
struct ByteCursor {
  private(set) var position: UnsafeMutablePointer<UInt8>

  init(_ start: UnsafeMutablePointer<UInt8>) { position = start }

  @inline(__always)
  mutating func put(_ byte: UInt8) {
    position.initialize(to: byte)
    position += 1
  }

  @inline(__always)
  mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let base = bytes.baseAddress else { return }
    position.initialize(from: base, count: bytes.count)
    position += bytes.count
  }

  @inline(__always)
  mutating func put(_ text: StaticString) {
    text.withUTF8Buffer { put($0) }
  }

  /// Writes a label value with `\`, `"` and newline escaped (at most 2 bytes per byte).
  mutating func putEscaped(_ value: String) {
    let done: Void? = value.utf8.withContiguousStorageIfAvailable { putEscaped(utf8: $0) }
    if done == nil {
      var copy = value
      copy.withUTF8 { putEscaped(utf8: $0) }
    }
  }

  private mutating func putEscaped(utf8: UnsafeBufferPointer<UInt8>) {
    guard let source = utf8.baseAddress else { return }
    let count = utf8.count
    var start = 0
    var index = 0
    while index < count {
      let byte = source[index]
      if byte != UInt8(ascii: "\\") && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\n") {
        index += 1
        continue
      }
      let run = index - start
      position.initialize(from: source + start, count: run)
      position += run
      put(UInt8(ascii: "\\"))
      put(byte == UInt8(ascii: "\n") ? UInt8(ascii: "n") : byte)
      index += 1
      start = index
    }
    position.initialize(from: source + start, count: count - start)
    position += count - start
  }

  /// The most bytes ``putValue(_:)`` writes.
  static let maxValueBytes = 32

  /// Writes a value the Prometheus way: `NaN`, `+Inf`, `-Inf`, integral values without a
  /// fraction, otherwise the shortest representation that reads back as the same Double
  /// (Swift's `description`).
  mutating func putValue(_ value: Double) {
    if value.isNaN {
      put("NaN")
      return
    }
    if value.isInfinite {
      put(value > 0 ? "+Inf" : "-Inf")
      return
    }
    let magnitude = value.magnitude
    if magnitude < 1e15 && magnitude == magnitude.rounded(.towardZero) {
      if value < 0 { put(UInt8(ascii: "-")) }
      putUnsigned(UInt64(magnitude))
      return
    }
    // Up to nine decimals below 1e6, six below 1e9: the decimal is at most 15 significant
    // digits, so if it reads back as `value` it is the unique shortest one (with trailing
    // zeros dropped), the same as `description`.
    if magnitude >= 1e-3 && magnitude < 1e9 {
      let (scale, decimals): (Double, Int) = magnitude < 1e6 ? (1e9, 9) : (1e6, 6)
      let scaled = (magnitude * scale).rounded()
      if scaled / scale == magnitude {
        let units = UInt64(scaled)
        let one: UInt64 = decimals == 9 ? 1_000_000_000 : 1_000_000
        if value < 0 { put(UInt8(ascii: "-")) }
        putUnsigned(units / one)
        var fraction = units % one
        var digits = decimals
        while fraction % 10 == 0 {
          fraction /= 10
          digits -= 1
        }
        put(UInt8(ascii: "."))
        putUnsigned(fraction, minimumDigits: digits)
        return
      }
    }
    // The shortest round-trip digits, as `description` has them, without making a String.
    var sink = DigitSink(cursor: self)
    value.write(to: &sink)
    self = sink.cursor
  }

  /// Writes the decimal digits of `value`, left-padded with zeros to `minimumDigits`.
  mutating func putUnsigned(_ value: UInt64, minimumDigits: Int = 1) {
    var length = 1
    var probe = value
    while probe >= 10 {
      probe /= 10
      length += 1
    }
    length = max(length, minimumDigits)
    var rest = value
    var index = length
    while index > 0 {
      index -= 1
      (position + index).initialize(to: UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10))
      rest /= 10
    }
    position += length
  }
}

/// Receives `Double.write(to:)`'s characters as bytes. The standard library formats a
/// Double into a buffer on the stack and hands it to the stream's `_writeASCII`; this sink
/// copies them straight into the line. (`description` returns a String, which is a heap
/// allocation when longer than 15 bytes: most latency quantiles and success ratios, one
/// per series, were about 1,100 allocations per scrape of 10,000 series.)
private struct DigitSink: TextOutputStream {
  var cursor: ByteCursor

  mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) { cursor.put(buffer) }

  mutating func write(_ string: String) {
    var text = string
    text.withUTF8 { cursor.put($0) }
  }
}
