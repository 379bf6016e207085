import AtalayaCore

/// What an ``HTTPTransport`` got back. Always returned, even on failure: a
/// failed transfer has ``error`` set and whatever was received before it.
public struct HTTPResponse: Sendable {
  /// HTTP status of the last response; 0 when none was received.
  public var status: Int
  /// All headers of the last response, names lowercased, in arrival order.
  public var headers: [HTTPHeader]
  public var body: [UInt8]
  /// True when the body exceeded the request's `maxBodyBytes` and was cut.
  public var bodyTruncated: Bool
  public var timings: PhaseTimings
  /// Byte offset in ``body`` and seconds since the request started, for each
  /// received chunk (the first ``HTTPResponse/maxChunkArrivals``).
  public var chunkArrivals: [(offset: Int, seconds: Double)]
  /// "1.0", "1.1", "2", "3", or "" when unknown.
  public var httpVersion: String
  /// Why the transfer failed, if it did.
  public var error: TransportError?

  /// The most chunk arrivals recorded for one response.
  public static let maxChunkArrivals = 256

  public init(
    status: Int = 0, headers: [HTTPHeader] = [], body: [UInt8] = [], bodyTruncated: Bool = false,
    timings: PhaseTimings = PhaseTimings(), chunkArrivals: [(offset: Int, seconds: Double)] = [],
    httpVersion: String = "", error: TransportError? = nil
  ) {
    self.status = status
    self.headers = headers
    self.body = body
    self.bodyTruncated = bodyTruncated
    self.timings = timings
    self.chunkArrivals = chunkArrivals
    self.httpVersion = httpVersion
    self.error = error
  }

  /// The value of the first header named `name` (case-insensitive).
  public func header(_ name: String) -> String? {
    let lower = name.lowercased()
    return headers.first { $0.name == lower }?.value
  }

  /// Seconds since the request started when the body byte at `offset` arrived,
  /// if it is covered by the recorded chunk arrivals.
  public func arrivalTime(ofByteAt offset: Int) -> Double? {
    guard offset >= 0, offset < body.count else { return nil }
    var found: Double?
    for arrival in chunkArrivals {
      if arrival.offset <= offset { found = arrival.seconds } else { break }
    }
    return found
  }
}
