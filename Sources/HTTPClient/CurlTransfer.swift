import AtalayaCore
import CCurl
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// One in-flight request. Created on the caller's task; after submission it is
/// touched only by the loop thread (libcurl callbacks included), except for
/// ``cancelRequested`` and ``continuation`` hand-off, which are synchronised.
final class CurlTransfer: @unchecked Sendable {
  let id: UInt64
  let request: HTTPRequest
  let userAgent: String
  /// Set by task cancellation; read under the loop's queue lock.
  let cancelRequested = Atomic<Bool>(false)
  private let continuation = Locked<CheckedContinuation<HTTPResponse, Never>?>(nil)

  // Loop-thread state.
  var easy: UnsafeMutableRawPointer?
  var headerList: UnsafeMutablePointer<curl_slist>?
  /// The `RCPT TO` list of a mail transfer (freed with the transfer).
  var recipientList: UnsafeMutablePointer<curl_slist>?
  /// How much of the request body a mail upload has handed to libcurl.
  var uploadOffset = 0
  let errorBuffer: UnsafeMutablePointer<CChar>
  var status = 0
  var headers: [HTTPHeader] = []
  var body: [UInt8] = []
  var bodyTruncated = false
  var chunkArrivals: [(offset: Int, seconds: Double)] = []
  var startNanos: UInt64 = 0
  /// The key of the request's origin (``OriginConnections``).
  var origin = 0
  /// Whether the transfer holds one of its origin's kept slots.
  var counted = false
  /// While waiting for a kept connection: when it starts on a fresh one instead.
  var waitDeadline: UInt64 = 0

  init(id: UInt64, request: HTTPRequest, userAgent: String) {
    self.id = id
    self.request = request
    self.userAgent = userAgent
    errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
  }

  deinit {
    errorBuffer.deallocate()
    if let headerList { curl_slist_free_all(headerList) }
    if let recipientList { curl_slist_free_all(recipientList) }
  }

  /// Installs the continuation ``complete(_:)`` resumes; call before submitting.
  func setContinuation(_ continuation: CheckedContinuation<HTTPResponse, Never>) {
    self.continuation.withLock { $0 = continuation }
  }

  /// Resumes the waiting task exactly once; later calls do nothing.
  func complete(_ response: HTTPResponse) {
    let cont = continuation.withLock { c -> CheckedContinuation<HTTPResponse, Never>? in
      defer { c = nil }
      return c
    }
    cont?.resume(returning: response)
  }

  /// Completes with a cancelled error and whatever was received.
  func completeCancelled(_ message: String) {
    complete(partialResponse(error: .cancelled(message)))
  }

  /// The response so far, with `error`.
  func partialResponse(error: TransportError?) -> HTTPResponse {
    HTTPResponse(
      status: status, headers: headers, body: body, bodyTruncated: bodyTruncated,
      chunkArrivals: chunkArrivals, error: error)
  }

  /// Seconds since the transfer was added to the multi handle.
  func elapsedSeconds() -> Double {
    Double(monotonicNanos() &- startNanos) / 1e9
  }

  // MARK: Callbacks (loop thread)

  /// Appends body bytes; returns false once the cap is exceeded.
  func receiveBody(_ data: UnsafeRawBufferPointer) -> Bool {
    if chunkArrivals.count < HTTPResponse.maxChunkArrivals {
      chunkArrivals.append((offset: body.count, seconds: elapsedSeconds()))
    }
    let room = request.maxBodyBytes - body.count
    if data.count > room {
      if room > 0 { body.append(contentsOf: data.prefix(room)) }
      bodyTruncated = true
      return false
    }
    body.append(contentsOf: data)
    return true
  }

  /// Copies the next upload bytes into `buffer`; 0 at the end.
  func readUpload(into buffer: UnsafeMutableRawBufferPointer) -> Int {
    guard let body = request.body, uploadOffset < body.count else { return 0 }
    let count = min(buffer.count, body.count - uploadOffset)
    body.withUnsafeBytes { raw in
      buffer.copyMemory(
        from: UnsafeRawBufferPointer(rebasing: raw[uploadOffset..<(uploadOffset + count)]))
    }
    uploadOffset += count
    return count
  }

  /// Handles one raw header line (status lines start a new header set).
  func receiveHeaderLine(_ data: UnsafeRawBufferPointer) {
    var length = data.count  // drop CR LF before decoding: cheaper than per-Character removal
    while length > 0,
      data[length - 1] == UInt8(ascii: "\n") || data[length - 1] == UInt8(ascii: "\r")
    {
      length -= 1
    }
    var line = String(decoding: UnsafeRawBufferPointer(rebasing: data[..<length]), as: UTF8.self)
    while let last = line.last, last.isNewline { line.removeLast() }
    if line.hasPrefix("HTTP/") {
      headers = []
      let parts = line.split(separator: " ", maxSplits: 2)
      status = parts.count >= 2 ? Int(parts[1]) ?? 0 : 0
      return
    }
    guard let colon = line.firstIndex(of: ":") else { return }
    let name = line[..<colon].trimmingSpaces().lowercased()
    let value = line[line.index(after: colon)...].trimmingSpaces()
    guard !name.isEmpty else { return }
    headers.append(HTTPHeader(name: name, value: value))
  }
}

/// CLOCK_MONOTONIC in nanoseconds.
func monotonicNanos() -> UInt64 {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

extension StringProtocol {
  /// The text without leading and trailing spaces and tabs.
  ///
  /// Works on UTF-8 code units (space and tab are ASCII, so the cut is always on a
  /// character boundary) and copies the bytes once: this runs for every header line of
  /// every probe, and the former unicode-scalar version cost about 5,000 instructions
  /// per call (bench/RESULTS.md, callgrind).
  public func trimmingSpaces() -> String {
    let utf8 = Substring(self).utf8
    var start = utf8.startIndex
    var end = utf8.endIndex
    func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
    while start < end, isSpace(utf8[start]) { start = utf8.index(after: start) }
    while start < end {
      let before = utf8.index(before: end)
      guard isSpace(utf8[before]) else { break }
      end = before
    }
    return String(Substring(utf8[start..<end]))
  }
}
