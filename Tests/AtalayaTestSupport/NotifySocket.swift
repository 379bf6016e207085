import Glibc
import Testing

/// A real AF_UNIX datagram socket standing in for systemd's notification socket.
/// ``address`` is what goes into `NOTIFY_SOCKET` (a path, or `@name` for an abstract socket).
public final class NotifySocket: @unchecked Sendable {
  public let fd: Int32
  /// What goes into NOTIFY_SOCKET.
  public let address: String
  private let directory: String?

  /// Binds a socket in a fresh temp dir, or in the abstract namespace when `abstract`.
  public init(abstract: Bool = false) throws {
    fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw SocketError(call: "socket", code: errno) }
    var addr = sockaddr_un()
    addr.sun_family = sa_family_t(AF_UNIX)
    let nameBytes: [UInt8]
    if abstract {
      let name = "atalaya-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
      address = "@" + name
      directory = nil
      nameBytes = [0] + Array(name.utf8)
    } else {
      var template = Array("/tmp/atalaya-notify-XXXXXX".utf8CString)
      guard let dir = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        throw SocketError(call: "mkdtemp", code: errno)
      }
      directory = String(cString: dir)
      address = directory! + "/notify.sock"
      nameBytes = Array(address.utf8)
    }
    withUnsafeMutableBytes(of: &addr.sun_path) { path in
      for (index, byte) in nameBytes.enumerated() { path[index] = byte }
    }
    let length = socklen_t(MemoryLayout<sa_family_t>.size + nameBytes.count + (abstract ? 0 : 1))
    let rc = withUnsafePointer(to: &addr) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard rc == 0 else {
      let code = errno
      close(fd)
      throw SocketError(call: "bind", code: code)
    }
  }

  /// Reads datagrams until one satisfies `predicate` (returning all read so far)
  /// or `timeout` passes.
  public func receive(until predicate: @escaping @Sendable (String) -> Bool, timeout: Duration)
    async -> [String]
  {
    await onDedicatedThread { [self] in
      let deadline = ContinuousClock.now + timeout
      var seen: [String] = []
      while ContinuousClock.now < deadline {
        guard let m = receiveBlocking(timeout: deadline - ContinuousClock.now) else { break }
        seen.append(m)
        if predicate(m) { break }
      }
      return seen
    }
  }

  deinit {
    close(fd)
    if let directory {
      unlink(address)
      rmdir(directory)
    }
  }

  /// The next datagram, waiting at most `timeout` (off the cooperative pool); nil if none came.
  public func receive(timeout: Duration = .seconds(2)) async -> String? {
    await onDedicatedThread { [self] in receiveBlocking(timeout: timeout) }
  }

  private func receiveBlocking(timeout: Duration) -> String? {
    var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    let millis = Int32(
      timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
    guard poll(&pollFD, 1, millis) == 1 else { return nil }
    var buffer = [UInt8](repeating: 0, count: 4096)
    let n = buffer.withUnsafeMutableBytes {
      recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT))
    }
    guard n >= 0 else { return nil }
    return String(decoding: buffer[0..<n], as: UTF8.self)
  }

  /// Every datagram already queued, without waiting.
  public func drain() -> [String] {
    var messages: [String] = []
    while let message = receiveBlocking(timeout: .zero) { messages.append(message) }
    return messages
  }
}

public struct SocketError: Error, CustomStringConvertible {
  public var call: String
  public var code: Int32
  public var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
}

/// Runs `body` with `NOTIFY_SOCKET` set to `value` (or unset when nil), restoring it after.
public func withNotifySocketEnvironment<T>(_ value: String?, _ body: () async throws -> T)
  async rethrows
  -> T
{
  let previous = getenv("NOTIFY_SOCKET").map { String(cString: $0) }
  if let value { setenv("NOTIFY_SOCKET", value, 1) } else { unsetenv("NOTIFY_SOCKET") }
  defer {
    if let previous { setenv("NOTIFY_SOCKET", previous, 1) } else { unsetenv("NOTIFY_SOCKET") }
  }
  return try await body()
}

/// The current CLOCK_MONOTONIC time in microseconds.
public func monotonicMicroseconds() -> UInt64 {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1_000
}
