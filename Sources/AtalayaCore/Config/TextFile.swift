#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads small text files (the config, key files) with POSIX calls.
enum TextFile {
  /// Why a file could not be read, e.g. "No such file or directory".
  struct ReadError: Error {
    var reason: String
  }

  /// The file's content as UTF-8 text; at most `limit` bytes.
  static func contents(of path: String, limit: Int = 4 << 20) -> Result<String, ReadError> {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return .failure(ReadError(reason: errnoText())) }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 16384)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        return .failure(ReadError(reason: errnoText()))
      }
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<n])
      if bytes.count > limit {
        return .failure(ReadError(reason: "file is larger than \(limit) bytes"))
      }
    }
    guard let text = String(validating: bytes, as: UTF8.self) else {
      return .failure(ReadError(reason: "file is not valid UTF-8"))
    }
    return .success(text)
  }

  private static func errnoText() -> String {
    String(cString: strerror(errno))
  }

  /// `path` resolved against `directory` unless it is absolute.
  static func resolve(_ path: String, relativeTo directory: String) -> String {
    if path.hasPrefix("/") || directory.isEmpty || directory == "." { return path }
    return directory.hasSuffix("/") ? directory + path : directory + "/" + path
  }
}
