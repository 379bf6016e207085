import AtalayaCore
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A client for a streamed response (Server-Sent Events): sends one GET and collects what
/// arrives, so a test can wait for a piece of text without waiting for the end.
public final class StreamingConnection: Sendable {
  let fd: Int32
  private final class Buffer: Sendable {
    let bytes = Locked([UInt8]())
    func withLock<T>(_ body: (inout [UInt8]) -> T) -> T { bytes.withLock { body(&$0) } }
  }
  private let received = Buffer()

  public init(port: Int, path: String, headers: [(String, String)] = []) throws {
    fd = try TestHTTPClient.openConnection(host: "127.0.0.1", port: port)
    var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
    for (name, value) in headers { request += "\(name): \(value)\r\n" }
    request += "\r\n"
    try TestHTTPClient.writeAll(fd, Array(request.utf8))
  }

  deinit { close(fd) }

  /// Everything received so far, as text.
  public var text: String { String(decoding: received.withLock { $0 }, as: UTF8.self) }

  /// Reads (on a thread of its own) until the text received contains `needle`, the server
  /// closes, or `timeout` passes; returns whether it was found.
  public func read(until needle: String, timeout: Duration = .seconds(10)) async -> Bool {
    let fd = self.fd
    let received = self.received
    return await withCheckedContinuation { continuation in
      let thread = Thread {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
          if String(decoding: received.withLock { $0 }, as: UTF8.self).contains(needle) {
            continuation.resume(returning: true)
            return
          }
          guard ContinuousClock.now < deadline else { break }
          var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
          guard poll(&p, 1, 50) > 0 else { continue }
          let n = Glibc.read(fd, &buffer, buffer.count)
          if n <= 0 { break }
          received.withLock { $0.append(contentsOf: buffer[..<n]) }
        }
        continuation.resume(
          returning: String(decoding: received.withLock { $0 }, as: UTF8.self).contains(needle))
      }
      thread.start()
    }
  }
}
