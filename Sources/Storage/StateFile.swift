import AtalayaCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file written atomically: write a temp file next to it, fsync, rename over
/// the old one, fsync the directory. A crash leaves either the old or the new
/// content, never a mix. Every call blocks: the agent makes them through
/// ``StateStore`` on ``BlockingIO``, never on the cooperative pool.
public struct StateFile: Sendable {
  /// Why reading or writing failed.
  public struct Failure: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(description: String) { self.description = description }
  }

  public let path: String

  public init(path: String) { self.path = path }

  /// The directory that holds the file.
  public var directory: String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let dir = String(path[..<slash])
    return dir.isEmpty ? "/" : dir
  }

  /// Reads the whole file (a regular file only); nil when it does not exist.
  public func read(limit: Int = 64 << 20) throws(Failure) -> [UInt8]? {
    switch TextFile.bytes(of: path, limit: limit) {
    case .success(let bytes): return bytes
    case .failure(let error): throw Failure(description: "cannot read \(path): \(error.reason)")
    }
  }

  /// Replaces the file's content atomically.
  public func write(_ bytes: [UInt8]) throws(Failure) {
    try Self.makeDirectories(directory)
    let temp = path + ".tmp.\(getpid())"
    let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw Failure(description: "cannot create \(temp): \(Self.errnoText())") }
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        let text = Self.errnoText()
        close(fd)
        unlink(temp)
        throw Failure(description: "cannot write \(temp): \(text)")
      }
      offset += n
    }
    if fsync(fd) != 0 {
      let text = Self.errnoText()
      close(fd)
      unlink(temp)
      throw Failure(description: "cannot fsync \(temp): \(text)")
    }
    close(fd)
    if rename(temp, path) != 0 {
      let text = Self.errnoText()
      unlink(temp)
      throw Failure(description: "cannot rename \(temp) to \(path): \(text)")
    }
    let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dfd >= 0 {
      _ = fsync(dfd)
      close(dfd)
    }
  }

  /// Moves a corrupt or foreign file out of the way (`NAME.corrupt-<unix time>`)
  /// so it can be inspected; returns the new path.
  @discardableResult
  public func setAside(now: Timestamp) throws(Failure) -> String {
    let target = path + ".corrupt-\(Int(now.seconds))"
    guard rename(path, target) == 0 else {
      throw Failure(description: "cannot move \(path) aside: \(Self.errnoText())")
    }
    return target
  }

  static func makeDirectories(_ dir: String) throws(Failure) {
    var current = dir.hasPrefix("/") ? "" : "."
    for part in dir.split(separator: "/") {
      current += "/" + part
      if mkdir(current, 0o700) != 0 && errno != EEXIST {
        throw Failure(description: "cannot create directory \(current): \(errnoText())")
      }
    }
  }

  static func errnoText() -> String { String(cString: strerror(errno)) }
}
