import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A response read by ``TestHTTPClient``.
public struct TestHTTPClientResponse: Sendable {
  public var status: Int
  /// Header fields in arrival order, names lowercased.
  public var headers: [(name: String, value: String)]
  /// The body, de-chunked.
  public var body: [UInt8]
  /// Time from sending the request to the end of the response head.
  public var timeToHead: Duration
  /// Time from sending the request to the first body byte (nil without a body).
  public var timeToFirstBodyByte: Duration?

  /// The body as UTF-8 text.
  public var text: String { String(decoding: body, as: UTF8.self) }

  /// The first value of header `name` (case-insensitive).
  public func header(_ name: String) -> String? {
    let wanted = name.lowercased()
    return headers.first { $0.name == wanted }?.value
  }

  /// The body parsed as a JSON object (nil when it is not one).
  public var json: [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
  }
}

/// Why an ``TestHTTPClient`` request failed.
public enum TestHTTPClientError: Error, Equatable {
  case connect(Int32)
  case send(Int32)
  case timeout
  case malformed(String)
}

/// A tiny blocking HTTP/1.1 client over POSIX sockets, for tests: one connection per
/// request (`Connection: close`), Content-Length, chunked, or read-to-EOF bodies.
public enum TestHTTPClient {
  /// Sends one request on a dedicated thread (so blocking I/O never starves the
  /// cooperative pool) and returns the whole response.
  public static func request(
    _ method: String, host: String = "127.0.0.1", port: Int, path: String,
    headers: [(String, String)] = [], body: String? = nil, timeout: Duration = .seconds(5)
  ) async throws -> TestHTTPClientResponse {
    try await withCheckedThrowingContinuation { continuation in
      let thread = Thread {
        continuation.resume(
          with: Result {
            try send(
              method, host: host, port: port, path: path, headers: headers, body: body,
              timeout: timeout)
          })
      }
      thread.start()
    }
  }

  /// Sends one request, blocking the calling thread.
  public static func send(
    _ method: String, host: String = "127.0.0.1", port: Int, path: String,
    headers: [(String, String)] = [], body: String? = nil, timeout: Duration = .seconds(5)
  ) throws -> TestHTTPClientResponse {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + timeout
    let fd = try openConnection(host: host, port: port)
    defer { close(fd) }

    var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
    for (name, value) in headers { head += "\(name): \(value)\r\n" }
    let bodyBytes = Array((body ?? "").utf8)
    if body != nil || method == "POST" || method == "PUT" {
      head += "Content-Length: \(bodyBytes.count)\r\n"
    }
    head += "\r\n"
    try writeAll(fd, Array(head.utf8) + bodyBytes)

    var reader = Reader(fd: fd, deadline: deadline, clock: clock)
    var buffer: [UInt8] = []
    var headEnd: Int?
    while headEnd == nil {
      guard let chunk = try reader.read() else {
        throw TestHTTPClientError.malformed("connection closed before the head")
      }
      buffer += chunk
      headEnd = find([13, 10, 13, 10], in: buffer)
    }
    let timeToHead = clock.now - start
    let headText = String(decoding: buffer[..<headEnd!], as: UTF8.self)
    var rest = Array(buffer[(headEnd! + 4)...])
    var firstBody: Duration? = rest.isEmpty ? nil : timeToHead

    var lines = headText.components(separatedBy: "\r\n")
    let statusParts = lines.removeFirst().split(separator: " ")
    guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
      throw TestHTTPClientError.malformed("bad status line")
    }
    let fields: [(name: String, value: String)] = lines.compactMap { line in
      guard let colon = line.firstIndex(of: ":") else { return nil }
      return (
        line[..<colon].lowercased(),
        line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      )
    }
    func field(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    func more() throws -> Bool {
      guard let chunk = try reader.read() else { return false }
      if firstBody == nil { firstBody = clock.now - start }
      rest += chunk
      return true
    }

    var body: [UInt8] = []
    if method == "HEAD" || status == 204 || status == 304 {
      // no body
    } else if field("transfer-encoding")?.lowercased().contains("chunked") == true {
      while true {
        var lineEnd = find([13, 10], in: rest)
        while lineEnd == nil {
          guard try more() else {
            throw TestHTTPClientError.malformed("stream ended inside a chunk size")
          }
          lineEnd = find([13, 10], in: rest)
        }
        let sizeText =
          String(decoding: rest[..<lineEnd!], as: UTF8.self).split(separator: ";").first ?? ""
        guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
          throw TestHTTPClientError.malformed("bad chunk size")
        }
        rest.removeFirst(lineEnd! + 2)
        while rest.count < size + 2 {
          guard try more() else {
            throw TestHTTPClientError.malformed("stream ended inside a chunk")
          }
        }
        if size == 0 { break }
        body += rest[..<size]
        rest.removeFirst(size + 2)
      }
    } else if let lengthText = field("content-length"), let length = Int(lengthText) {
      while rest.count < length {
        guard try more() else {
          throw TestHTTPClientError.malformed("body shorter than Content-Length")
        }
      }
      body = Array(rest[..<length])
    } else {
      while try more() {}
      body = rest
    }
    return TestHTTPClientResponse(
      status: status, headers: fields, body: body, timeToHead: timeToHead,
      timeToFirstBodyByte: body.isEmpty ? nil : firstBody)
  }

  static func openConnection(host: String, port: Int) throws -> Int32 {
    #if canImport(Glibc)
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    #else
      let fd = socket(AF_INET, SOCK_STREAM, 0)
    #endif
    guard fd >= 0 else { throw TestHTTPClientError.connect(errno) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    inet_pton(AF_INET, host, &addr.sin_addr)
    let rc = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard rc == 0 else {
      let err = errno
      close(fd)
      throw TestHTTPClientError.connect(err)
    }
    return fd
  }

  static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
    var offset = 0
    while offset < bytes.count {
      let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      guard n > 0 else { throw TestHTTPClientError.send(errno) }
      offset += n
    }
  }

  private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
      if Array(haystack[i..<(i + needle.count)]) == needle { return i }
    }
    return nil
  }

  /// Reads with `poll` so the whole request respects one deadline.
  private struct Reader {
    let fd: Int32
    let deadline: ContinuousClock.Instant
    let clock: ContinuousClock

    /// The next bytes, or nil at end of stream.
    mutating func read() throws -> [UInt8]? {
      let remaining = deadline - clock.now
      guard remaining > .zero else { throw TestHTTPClientError.timeout }
      var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let ms = Int32(
        min(
          remaining.components.seconds * 1000 + remaining.components.attoseconds
            / 1_000_000_000_000_000 + 1, 600_000))
      let ready = poll(&pfd, 1, ms)
      guard ready > 0 else { throw TestHTTPClientError.timeout }
      var buffer = [UInt8](repeating: 0, count: 65_536)
      let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      if n < 0 { throw TestHTTPClientError.malformed("recv failed: \(errno)") }
      return n == 0 ? nil : Array(buffer[..<n])
    }
  }
}
