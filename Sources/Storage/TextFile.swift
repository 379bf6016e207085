import AtalayaCore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads small files (the config, key files, state files) with POSIX calls.
///
/// Only regular files are read: a FIFO, a device or a directory is refused with a
/// clear reason instead of blocking in `open()` or `read()` (the file is opened with
/// `O_NONBLOCK` and checked with `fstat` before anything is read).
enum TextFile {
  /// The file's bytes, at most `limit`; nil when it does not exist.
  static func bytes(of path: String, limit: Int) -> Result<[UInt8]?, FileReadError> {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
    guard fd >= 0 else {
      if errno == ENOENT { return .success(nil) }
      return .failure(FileReadError(reason: errnoText()))
    }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { return .failure(FileReadError(reason: errnoText())) }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      return .failure(FileReadError(reason: "not a regular file (\(kind(info.st_mode)))"))
    }
    guard info.st_size <= limit else {
      return .failure(FileReadError(reason: "file is larger than \(limit) bytes"))
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(Int(info.st_size))
    var chunk = [UInt8](repeating: 0, count: 16384)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        return .failure(FileReadError(reason: errnoText()))
      }
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
      if bytes.count > limit {
        return .failure(FileReadError(reason: "file is larger than \(limit) bytes"))
      }
    }
    return .success(bytes)
  }

  /// The file's content as UTF-8 text; at most `limit` bytes. A missing file is an error.
  static func contents(of path: String, limit: Int = 4 << 20) -> Result<String, FileReadError> {
    switch bytes(of: path, limit: limit) {
    case .failure(let error):
      return .failure(error)
    case .success(nil):
      return .failure(FileReadError(reason: String(cString: strerror(ENOENT))))
    case .success(let bytes?):
      guard let text = String(validating: bytes, as: UTF8.self) else {
        return .failure(FileReadError(reason: "file is not valid UTF-8"))
      }
      return .success(text)
    }
  }

  static func errnoText() -> String {
    String(cString: strerror(errno))
  }

  private static func kind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFIFO: "a FIFO"
    case S_IFDIR: "a directory"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFSOCK: "a socket"
    default: "not a plain file"
    }
  }
}

/// Reads the files a configuration names from the file system (regular files only).
public struct FileSystemReader: ConfigFileReader {
  public init() {}

  public func text(at path: String, limit: Int) -> Result<String, FileReadError> {
    TextFile.contents(of: path, limit: limit)
  }
}
