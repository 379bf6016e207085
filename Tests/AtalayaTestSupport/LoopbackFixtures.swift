import Glibc

/// A port on 127.0.0.1 where nothing listens, for as long as the test process runs.
///
/// The port stays bound to a socket that never listens: a connection to it is refused,
/// and no test server started in parallel can be given the same port (a port found free
/// and closed again could be, and a "refused" probe then got that server's answer).
public func refusedPort() -> Int { heldRefusedPort }

private let heldRefusedPort: Int = {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
  precondition(fd >= 0, "socket() failed: \(errno)")
  var addr = sockaddr_in()
  addr.sin_family = sa_family_t(AF_INET)
  addr.sin_addr.s_addr = inet_addr("127.0.0.1")
  let bound = withUnsafePointer(to: &addr) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
  }
  precondition(bound == 0, "bind() failed: \(errno)")
  var len = socklen_t(MemoryLayout<sockaddr_in>.size)
  _ = withUnsafeMutablePointer(to: &addr) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
  }
  // The descriptor is kept open on purpose (never listen()ed, never closed).
  return Int(UInt16(bigEndian: addr.sin_port))
}()

/// Monotonic seconds, for elapsed-time assertions.
public func monotonicSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_MONOTONIC, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

extension String {
  public var bytes: [UInt8] { Array(utf8) }
}
