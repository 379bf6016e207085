import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A client that connects, sends part of a request and then nothing: what a slow or
/// hostile client leaves on a server.
public final class HalfOpenConnection: Sendable {
  let fd: Int32

  /// Connects to `port` on loopback and sends `bytes` (a header block cut short).
  public init(port: Int, sending bytes: String = "GET /metrics HTTP/1.1\r\nHost: x\r\n") throws {
    fd = try TestHTTPClient.openConnection(host: "127.0.0.1", port: port)
    try TestHTTPClient.writeAll(fd, Array(bytes.utf8))
  }

  deinit { close(fd) }

  /// Waits (on a thread of its own) until the server closes the connection; false
  /// when it is still open after `timeout`.
  public func closedByServer(within timeout: Duration) async -> Bool {
    let fd = self.fd
    return await withCheckedContinuation { continuation in
      let thread = Thread {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < deadline {
          var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
          let left = deadline - ContinuousClock.now
          let ms = Int32(
            max(
              1,
              left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
          guard poll(&p, 1, ms) > 0 else { continue }
          let n = read(fd, &buffer, buffer.count)
          if n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN) {
            continuation.resume(returning: true)
            return
          }
        }
        continuation.resume(returning: false)
      }
      thread.start()
    }
  }
}
