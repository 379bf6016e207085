import Foundation

/// The connections a server on loopback has accepted and still holds, read from the kernel's
/// socket tables: sockets whose local port is the server's, that are not the listening
/// socket and that have a descriptor (a connection still in the accept backlog, or one the
/// server has closed, has none). Unlike a count of this process's descriptors, it does not
/// move when other tests open and close their own.
public enum AcceptedConnections {
  /// How many connections to `port` the server holds open right now.
  public static func count(port: Int) -> Int {
    ["/proc/net/tcp", "/proc/net/tcp6"].reduce(0) { total, table in
      guard let text = readAll(table) else { return total }
      return total
        + text.split(separator: "\n").dropFirst().filter { line in
          let fields = line.split(separator: " ")
          guard fields.count > 9,
            let colon = fields[1].lastIndex(of: ":"),
            let local = Int(fields[1][fields[1].index(after: colon)...], radix: 16)
          else { return false }
          // State 0A is LISTEN; inode 0 means no descriptor refers to the socket.
          return local == port && fields[3] != "0A" && fields[9] != "0"
        }.count
    }
  }

  /// The whole of a /proc file (whose size reads as 0, so it is read until EOF; a single
  /// read returns one page of the table).
  static func readAll(_ path: String) -> String? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0, errno == EINTR { continue }
      guard n > 0 else { break }
      bytes.append(contentsOf: chunk[..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
