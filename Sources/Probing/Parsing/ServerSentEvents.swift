/// One server-sent event of a received body.
struct ServerSentEvent: Sendable, Equatable {
  /// The `event:` field, if any.
  var event: String?
  /// The `data:` lines joined with "\n".
  var data: String
  /// Offset of the last body byte of the event's last `data:` line.
  var endOffset: Int
}

/// A whole-body parser for `text/event-stream` (the probe has the complete
/// body when it parses). Accepts LF, CRLF and CR line ends; an event not closed by
/// a blank line at the end of the body is still returned.
enum ServerSentEvents {
  static func parse(_ body: [UInt8]) -> [ServerSentEvent] {
    var events: [ServerSentEvent] = []
    var event: String?
    var dataLines: [String] = []
    var dataEnd = 0
    func dispatch() {
      if !dataLines.isEmpty || event != nil {
        events.append(
          ServerSentEvent(event: event, data: dataLines.joined(separator: "\n"), endOffset: dataEnd)
        )
      }
      event = nil
      dataLines = []
    }
    for line in Lines(body) {
      if line.bytes.isEmpty {
        dispatch()
        continue
      }
      if line.bytes.first == UInt8(ascii: ":") { continue }
      let (field, value) = splitField(line.bytes)
      switch field {
      case "data":
        dataLines.append(value)
        dataEnd = line.lastOffset
      case "event":
        event = value
      default:
        continue
      }
    }
    dispatch()
    return events
  }

  private static func splitField(_ bytes: ArraySlice<UInt8>) -> (String, String) {
    guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else {
      return (String(decoding: bytes, as: UTF8.self), "")
    }
    var valueStart = colon + 1
    if valueStart < bytes.endIndex, bytes[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
    return (
      String(decoding: bytes[bytes.startIndex..<colon], as: UTF8.self),
      String(decoding: bytes[valueStart...], as: UTF8.self)
    )
  }
}

/// One line of a body, without its line end.
struct BodyLine {
  var bytes: ArraySlice<UInt8>
  /// Offset of the line's last byte (its line feed when it has one).
  var lastOffset: Int
}

/// The lines of a body, split on CRLF, LF or CR alone (the SSE specification allows all
/// three; JSON lines never hold a raw CR, so NDJSON splits the same way).
struct Lines: Sequence, IteratorProtocol {
  private let body: [UInt8]
  private var position = 0

  init(_ body: [UInt8]) { self.body = body }

  mutating func next() -> BodyLine? {
    guard position < body.count else { return nil }
    let start = position
    var end = start
    while end < body.count, body[end] != UInt8(ascii: "\n"), body[end] != UInt8(ascii: "\r") {
      end += 1
    }
    var lastOffset = Swift.min(end, body.count - 1)
    position = end + 1
    if end + 1 < body.count, body[end] == UInt8(ascii: "\r"), body[end + 1] == UInt8(ascii: "\n") {
      lastOffset = end + 1
      position = end + 2
    }
    return BodyLine(bytes: body[start..<end], lastOffset: lastOffset)
  }
}
