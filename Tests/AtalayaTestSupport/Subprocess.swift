import Foundation

/// What an external command did: its exit status and everything it printed.
public struct SubprocessResult: Sendable {
  /// The exit status, or 128 + signal number when it was killed by a signal.
  public var status: Int32
  public var stdout: String
  public var stderr: String

  /// stdout followed by stderr.
  public var output: String { stdout + stderr }
}

/// Errors from ``Subprocess``.
public enum SubprocessError: Error, CustomStringConvertible {
  case notFound(String)

  public var description: String {
    switch self {
    case .notFound(let name):
      "\(name) not found on PATH (\(ProcessInfo.processInfo.environment["PATH"] ?? ""))"
    }
  }
}

/// Runs external commands in tests and captures their output.
///
/// Standard input, output and error go through temporary files, so a command that prints
/// a lot before reading its input (or the reverse) can never deadlock on a pipe.
public enum Subprocess {
  /// The absolute path of `name` on PATH, or nil.
  public static func which(_ name: String) -> String? {
    if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for dir in path.split(separator: ":") {
      let candidate = "\(dir)/\(name)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }

  /// Runs `executable` (a path, or a name looked up on PATH) with `arguments`, feeding it
  /// `stdin`, and waits for it to exit on a thread of its own (not the cooperative pool's).
  public static func run(_ executable: String, _ arguments: [String] = [], stdin: [UInt8] = [])
    async throws -> SubprocessResult
  {
    try await onDedicatedThread { try runBlocking(executable, arguments, stdin: stdin) }
  }

  private static func runBlocking(_ executable: String, _ arguments: [String], stdin: [UInt8])
    throws -> SubprocessResult
  {
    guard let path = which(executable) else { throw SubprocessError.notFound(executable) }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "atalaya-subprocess-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let inURL = dir.appendingPathComponent("stdin")
    let outURL = dir.appendingPathComponent("stdout")
    let errURL = dir.appendingPathComponent("stderr")
    try Data(stdin).write(to: inURL)
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let inHandle = try FileHandle(forReadingFrom: inURL)
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)
    defer {
      try? inHandle.close()
      try? outHandle.close()
      try? errHandle.close()
    }

    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.standardInput = inHandle
    process.standardOutput = outHandle
    process.standardError = errHandle
    try process.run()
    process.waitUntilExit()

    let status =
      process.terminationReason == .uncaughtSignal
      ? 128 + process.terminationStatus : process.terminationStatus
    return SubprocessResult(
      status: status,
      stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
  }
}
