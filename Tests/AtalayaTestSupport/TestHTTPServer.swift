import AtalayaCore
import Glibc
import HTTPClient
import Synchronization

/// A small blocking HTTP/1.1 server on 127.0.0.1 for transport tests: one
/// pthread accepts, one pthread per connection serves keep-alive requests as
/// the test's handler scripts them.
public final class TestHTTPServer: Sendable {
  /// A request as the server saw it.
  public struct Request: Sendable {
    public var method: String
    public var path: String
    /// Names lowercased.
    public var headers: [HTTPHeader]
    public var body: [UInt8]
    public var connection: Int

    public func header(_ name: String) -> String? {
      headers.first { $0.name == name.lowercased() }?.value
    }
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
  }

  /// What to do with a request.
  public enum Action: Sendable {
    /// A complete response with Content-Length.
    case respond(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = [])
    /// A chunked response; each chunk is sent after its delay (ms).
    case chunked(status: Int, headers: [HTTPHeader] = [], chunks: [(delayMs: Int, bytes: [UInt8])])
    /// Declares `declaredLength` bytes, sends `sent`, then closes.
    case closeMidBody(status: Int, declaredLength: Int, sent: [UInt8])
    /// Never answers (until the client goes away or the server stops).
    case hang
  }

  private struct State {
    var requests: [Request] = []
    var connections = 0
    /// Open client connections, shut down by ``stop()``.
    var clients: Set<Int32> = []
  }

  public let port: Int
  private let listenFD: Int32
  private let state = Locked(State())
  private let stopped = Atomic<Bool>(false)
  private let handler: @Sendable (Request) -> Action
  /// Every request, appended once the handler chose its answer (before it is sent):
  /// tests wait on it instead of polling ``requests``.
  public let received = EventLog<Request>()
  /// Every request, appended before the handler runs (a handler may block).
  public let arrived = EventLog<Request>()
  /// The number of each connection the server has closed (the client went away
  /// or the server stopped).
  public let closed = EventLog<Int>()

  public init(handler: @escaping @Sendable (Request) -> Action) {
    self.handler = handler
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    precondition(fd >= 0)
    var one: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    addr.sin_port = 0
    let bound = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    precondition(bound == 0, "bind failed")
    precondition(listen(fd, 256) == 0, "listen failed")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    port = Int(UInt16(bigEndian: addr.sin_port))
    listenFD = fd
    spawnThread { [self] in acceptLoop() }
  }

  public convenience init(status: Int = 200, headers: [HTTPHeader] = [], body: String) {
    let bytes = Array(body.utf8)
    self.init { _ in .respond(status: status, headers: headers, body: bytes) }
  }

  deinit { stop() }

  public var baseURL: String { "http://127.0.0.1:\(port)" }
  public var requests: [Request] { state.withLock { $0.requests } }
  public var connectionCount: Int { state.withLock { $0.connections } }
  /// Connections open right now.
  public var openConnectionCount: Int { state.withLock { $0.clients.count } }

  public func stop() {
    guard !stopped.exchange(true, ordering: .sequentiallyConsistent) else { return }
    shutdown(listenFD, Int32(SHUT_RDWR))
    // A kept-alive connection must not outlive the server: a client's pool would send a
    // later test's request (to a new server on the same port) to this one.
    for client in state.withLock({ $0.clients }) { shutdown(client, Int32(SHUT_RDWR)) }
  }

  private var isStopped: Bool { stopped.load(ordering: .sequentiallyConsistent) }

  private func acceptLoop() {
    while !isStopped {
      let client = accept(listenFD, nil, nil)
      if client < 0 {
        if errno == EINTR { continue }
        break
      }
      // Not inherited by a child a concurrent test spawns (accept4 is not imported).
      _ = fcntl(client, F_SETFD, FD_CLOEXEC)
      let id = state.withLock { s -> Int in
        s.connections += 1
        s.clients.insert(client)
        return s.connections
      }
      if isStopped { shutdown(client, Int32(SHUT_RDWR)) }
      spawnThread { [self] in
        serve(client, connection: id)
        state.withLock { _ = $0.clients.remove(client) }
        close(client)
        closed.append(id)
      }
    }
    close(listenFD)
  }

  // MARK: Connection

  private func serve(_ fd: Int32, connection: Int) {
    var buffer: [UInt8] = []
    while !isStopped {
      guard let headEnd = readUntilHeadEnd(fd, &buffer) else { return }
      guard headEnd >= 0 else {
        badRequest(fd)
        return
      }
      // A stopped server answers nothing more.
      if isStopped { return }
      let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
      buffer.removeFirst(headEnd + 4)
      guard let first = head.utf8.first, first >= UInt8(ascii: "A"), first <= UInt8(ascii: "Z")
      else {
        badRequest(fd)
        return
      }
      let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
      let requestLine = lines[0].split(separator: " ")
      guard requestLine.count == 3 else {
        badRequest(fd)
        return
      }
      var headers: [HTTPHeader] = []
      for line in lines.dropFirst() {
        guard let colon = line.firstIndex(of: ":") else { continue }
        headers.append(
          HTTPHeader(
            name: line[..<colon].lowercased(),
            value: String(line[line.index(after: colon)...]).trimmingCharacters()))
      }
      let length = headers.first { $0.name == "content-length" }.flatMap { Int($0.value) } ?? 0
      while buffer.count < length {
        guard readSome(fd, &buffer) else { return }
      }
      let body = Array(buffer.prefix(length))
      buffer.removeFirst(length)
      let request = Request(
        method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body,
        connection: connection)
      state.withLock { $0.requests.append(request) }
      arrived.append(request)
      let action = handler(request)
      received.append(request)
      guard perform(action, fd) else { return }
    }
  }

  /// Returns false when the connection must close.
  private func perform(_ action: Action, _ fd: Int32) -> Bool {
    switch action {
    case .respond(let status, let headers, let body):
      var head = "HTTP/1.1 \(status) \(reason(status))\r\nContent-Length: \(body.count)\r\n"
      for h in headers { head += "\(h.name): \(h.value)\r\n" }
      return write(fd, Array((head + "\r\n").utf8) + body)
    case .chunked(let status, let headers, let chunks):
      var head = "HTTP/1.1 \(status) \(reason(status))\r\nTransfer-Encoding: chunked\r\n"
      for h in headers { head += "\(h.name): \(h.value)\r\n" }
      guard write(fd, Array((head + "\r\n").utf8)) else { return false }
      for chunk in chunks {
        if chunk.delayMs > 0 { sleepMilliseconds(chunk.delayMs) }
        guard !chunk.bytes.isEmpty else { continue }
        let frame =
          Array(String(chunk.bytes.count, radix: 16).utf8) + [13, 10] + chunk.bytes + [13, 10]
        guard write(fd, frame) else { return false }
      }
      return write(fd, Array("0\r\n\r\n".utf8))
    case .closeMidBody(let status, let declaredLength, let sent):
      let head = "HTTP/1.1 \(status) \(reason(status))\r\nContent-Length: \(declaredLength)\r\n\r\n"
      _ = write(fd, Array(head.utf8) + sent)
      return false
    case .hang:
      var scratch: [UInt8] = []
      while !isStopped {
        // Ends when the client closes (read returns 0) or the server stops.
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if poll(&pfd, 1, 20) > 0 && !readSome(fd, &scratch) { return false }
      }
      return false
    }
  }

  private func badRequest(_ fd: Int32) {
    _ = write(
      fd, Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
  }

  /// Offset of the blank line ending the head; -1 for non-HTTP bytes; nil on EOF.
  private func readUntilHeadEnd(_ fd: Int32, _ buffer: inout [UInt8]) -> Int? {
    while true {
      if let end = find([13, 10, 13, 10], in: buffer) { return end }
      // A TLS ClientHello (or other binary) never has a head end: answer at once.
      if let first = buffer.first, first < UInt8(ascii: "A") || first > UInt8(ascii: "Z") {
        return -1
      }
      guard readSome(fd, &buffer) else { return nil }
    }
  }

  /// Reads what is available (waiting in short polls); false on EOF, error or stop.
  private func readSome(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
    while !isStopped {
      var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
      let ready = poll(&pfd, 1, 20)
      if ready == 0 { continue }
      if ready < 0 { return errno == EINTR }
      var chunk = [UInt8](repeating: 0, count: 65536)
      let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
      guard n > 0 else { return false }
      buffer.append(contentsOf: chunk[..<n])
      return true
    }
    return false
  }

  private func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes {
        send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
      }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { return false }
      offset += n
    }
    return true
  }

  private func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
    guard haystack.count >= needle.count else { return nil }
    for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
      if Array(haystack[i..<(i + needle.count)]) == needle { return i }
    }
    return nil
  }

  private func reason(_ status: Int) -> String {
    switch status {
    case 200: "OK"
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 429: "Too Many Requests"
    case 500: "Internal Server Error"
    case 503: "Service Unavailable"
    default: "Status"
    }
  }
}

extension String {
  /// Without leading and trailing spaces.
  func trimmingCharacters() -> String {
    String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
  }
}
