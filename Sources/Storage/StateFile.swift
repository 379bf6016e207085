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

  /// Replaces the file's content atomically. The temp file is created in the
  /// directory's own descriptor under an unpredictable name with `O_EXCL | O_NOFOLLOW`,
  /// so nobody who can write in the directory can make the agent write elsewhere
  /// through a planted symlink.
  public func write(_ bytes: [UInt8]) throws(Failure) {
    try Self.makeDirectories(directory)
    let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard dfd >= 0 else {
      throw Failure(description: "cannot open directory \(directory): \(Self.errnoText())")
    }
    defer { close(dfd) }
    let name = fileName
    var temp = ""
    var fd: Int32 = -1
    for _ in 0..<8 {
      temp = name + ".tmp." + Self.randomSuffix()
      fd = openat(dfd, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
      if fd >= 0 || errno != EEXIST { break }
    }
    guard fd >= 0 else {
      throw Failure(description: "cannot create \(directory)/\(temp): \(Self.errnoText())")
    }
    func fail(_ what: String) -> Failure {
      let text = Self.errnoText()
      close(fd)
      unlinkat(dfd, temp, 0)
      return Failure(description: "cannot \(what) \(directory)/\(temp): \(text)")
    }
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
      if n < 0 {
        if errno == EINTR { continue }
        throw fail("write")
      }
      offset += n
    }
    if fsync(fd) != 0 { throw fail("fsync") }
    close(fd)
    if renameat(dfd, temp, dfd, name) != 0 {
      let text = Self.errnoText()
      unlinkat(dfd, temp, 0)
      throw Failure(description: "cannot rename \(directory)/\(temp) to \(path): \(text)")
    }
    _ = fsync(dfd)
  }

  /// Why state could not be saved in `directory`, or nil when it can: an existing
  /// directory gets a real test write (created with `O_EXCL`, then removed); a missing
  /// one needs a writable parent, since the agent creates it. Nothing is left behind.
  public static func writeProblem(directory: String) -> String? {
    var info = stat()
    if stat(directory, &info) == 0 {
      guard info.st_mode & S_IFMT == S_IFDIR else { return "\(directory) is not a directory" }
      let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      guard dfd >= 0 else { return "cannot open \(directory): \(errnoText())" }
      defer { close(dfd) }
      let name = ".atalaya-check." + randomSuffix()
      let fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
      guard fd >= 0 else { return "cannot write in \(directory): \(errnoText())" }
      var ok = Glibc.write(fd, "x", 1) == 1
      ok = ok && fsync(fd) == 0
      let text = ok ? "" : errnoText()
      close(fd)
      unlinkat(dfd, name, 0)
      return ok ? nil : "cannot write in \(directory): \(text)"
    }
    guard errno == ENOENT else { return "cannot use \(directory): \(errnoText())" }
    var parent = StateFile(path: directory).directory
    while stat(parent, &info) != 0 {
      guard errno == ENOENT, parent != "/" else { return "cannot use \(parent): \(errnoText())" }
      parent = StateFile(path: parent).directory
    }
    guard access(parent, W_OK) == 0 else {
      return "\(directory) does not exist and \(parent) is not writable: \(errnoText())"
    }
    return nil
  }

  /// The file's name within ``directory``.
  var fileName: String {
    guard let slash = path.lastIndex(of: "/") else { return path }
    return String(path[path.index(after: slash)...])
  }

  /// 16 hex digits from the system's random source.
  static func randomSuffix() -> String {
    var generator = SystemRandomNumberGenerator()
    let n = generator.next() as UInt64
    let hex = String(n, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// Moves a corrupt or foreign file out of the way (`NAME.corrupt-<unix time>`)
  /// so it can be inspected; returns the new path.
  @discardableResult
  public func setAside(now: Timestamp) throws(Failure) -> String {
    let target = path + ".corrupt-\(Int(saturating: now.seconds))"
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
