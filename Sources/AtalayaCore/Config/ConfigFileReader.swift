/// Reads the files a configuration names (`api_key_file`, `api_key_credential`).
///
/// The core does no I/O: the Storage module's `FileSystemReader` reads real files
/// (regular files only, never on the cooperative pool), tests pass files from memory.
public protocol ConfigFileReader: Sendable {
  /// The text of the file at `path`, at most `limit` bytes of UTF-8.
  func text(at path: String, limit: Int) -> Result<String, FileReadError>
}

/// Why a file could not be read, e.g. "No such file or directory".
public struct FileReadError: Error, Sendable, Equatable, CustomStringConvertible {
  public var reason: String

  public init(reason: String) { self.reason = reason }

  public var description: String { reason }
}

/// A reader for configuration text that may name no files (the demo's built-in config).
public struct NoFileReader: ConfigFileReader {
  public init() {}

  public func text(at path: String, limit: Int) -> Result<String, FileReadError> {
    .failure(FileReadError(reason: "files cannot be read here"))
  }
}

/// Files held in memory, by path.
public struct InMemoryFiles: ConfigFileReader {
  public var files: [String: String]

  public init(_ files: [String: String]) { self.files = files }

  public func text(at path: String, limit: Int) -> Result<String, FileReadError> {
    guard let text = files[path] else {
      return .failure(FileReadError(reason: "No such file or directory"))
    }
    guard text.utf8.count <= limit else {
      return .failure(FileReadError(reason: "file is larger than \(limit) bytes"))
    }
    return .success(text)
  }
}

/// Path arithmetic for files a configuration names (no I/O).
public enum ConfigPath {
  /// `path` resolved against `directory` unless it is absolute.
  public static func resolve(_ path: String, relativeTo directory: String) -> String {
    if path.hasPrefix("/") || directory.isEmpty || directory == "." { return path }
    return directory.hasSuffix("/") ? directory + path : directory + "/" + path
  }
}
