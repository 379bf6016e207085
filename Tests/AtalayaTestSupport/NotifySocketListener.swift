import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A real AF_UNIX datagram socket standing in for systemd's notify socket:
/// point NOTIFY_SOCKET at ``path`` and read what the agent sends.
public final class NotifySocketListener: @unchecked Sendable {
  public let path: String
  private let fd: Int32

  /// Binds a socket file in `directory`.
  public init(directory: String) throws {
    path = directory + "/notify.sock"
    fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    var addr = sockaddr_un()
    addr.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
      throw POSIXError(.ENAMETOOLONG)
    }
    withUnsafeMutableBytes(of: &addr.sun_path) { raw in
      raw.copyBytes(from: bytes)
      raw[bytes.count] = 0
    }
    let rc = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
      }
    }
    guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
  }

  /// The next datagram, or nil when none arrives within `timeout`.
  public func receive(timeout: Duration) -> String? {
    var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    let ms = Int32(
      timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
    guard Glibc.poll(&pfd, 1, ms) > 0 else { return nil }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
    guard n > 0 else { return nil }
    return String(decoding: buffer[0..<n], as: UTF8.self)
  }

  /// Reads datagrams until one satisfies `predicate` (returning all read so far),
  /// or until `timeout` passes.
  public func receive(until predicate: (String) -> Bool, timeout: Duration) -> [String] {
    let deadline = ContinuousClock.now + timeout
    var seen: [String] = []
    while ContinuousClock.now < deadline {
      guard let m = receive(timeout: deadline - ContinuousClock.now) else { break }
      seen.append(m)
      if predicate(m) { break }
    }
    return seen
  }

  deinit {
    close(fd)
    unlink(path)
  }
}
