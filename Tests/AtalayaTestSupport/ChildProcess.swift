import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A long-running child process for end-to-end tests of the real binary:
/// spawn it with an environment, signal it, wait for it with a bound, and
/// read what it wrote.
public final class ChildProcess: @unchecked Sendable {
  public let pid: pid_t
  public let stdoutPath: String
  public let stderrPath: String
  private let lock = NSLock()
  private var exitStatus: Int32?

  /// Starts `executable` with `arguments` and exactly `environment`;
  /// stdout and stderr go to files in `directory`.
  public init(
    executable: String, arguments: [String], environment: [String: String], directory: String
  ) throws {
    stdoutPath = directory + "/stdout.\(UUID().uuidString)"
    stderrPath = directory + "/stderr.\(UUID().uuidString)"
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    // Nothing else crosses over: a socket another test opened without CLOEXEC (libcurl's,
    // say) must not stay open in the child, or its peer never sees the close.
    addCloseFrom(&actions, 3)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // The test runner may block signals; the child must start with none blocked.
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for s in [SIGHUP, SIGTERM, SIGINT, SIGPIPE] { sigaddset(&defaults, s) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for p in argv { free(p) }
      for p in envp { free(p) }
    }
    var child: pid_t = 0
    let rc = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
    guard rc == 0 else {
      throw NSError(
        domain: "ChildProcess", code: Int(rc),
        userInfo: [
          NSLocalizedDescriptionKey: "posix_spawn \(executable): \(String(cString: strerror(rc)))"
        ])
    }
    pid = child
  }

  /// Sends `signal` to the child.
  public func send(_ signal: Int32) {
    kill(pid, signal)
  }

  /// Waits up to `timeout` for the child to exit; returns its exit code
  /// (128 + signal when killed), or nil if it is still running.
  public func wait(timeout: Duration) async -> Int32? {
    let deadline = ContinuousClock.now + timeout
    while true {
      if let status = poll() { return status }
      if ContinuousClock.now >= deadline { return nil }
      try? await Task.sleep(for: .milliseconds(10))
    }
  }

  private func poll() -> Int32? {
    lock.lock()
    defer { lock.unlock() }
    if let exitStatus { return exitStatus }
    var status: Int32 = 0
    let r = waitpid(pid, &status, WNOHANG)
    guard r == pid else { return nil }
    let code: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    exitStatus = code
    return code
  }

  /// Kills the child if it is still running (tests call this in `defer`).
  public func terminate() {
    if poll() == nil {
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
      lock.lock()
      exitStatus = 137
      lock.unlock()
    }
  }

  public var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
  public var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

  deinit { terminate() }
}

/// Where the package's built products are (next to the test bundle).
public enum BuiltProducts {
  /// The `atalaya` executable of this build.
  public static var atalaya: String {
    let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var dir = exe.deletingLastPathComponent()
    // The test runner is …/debug/atalayaPackageTests.xctest; the binary is …/debug/atalaya.
    if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
    return dir.appendingPathComponent("atalaya").path
  }
}

/// A fresh temporary directory, removed by `cleanup()`.
public struct TemporaryDirectory: Sendable {
  public let path: String

  public init() throws {
    let p = NSTemporaryDirectory() + "atalaya-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
    path = p
  }

  public func write(_ name: String, _ content: String) throws -> String {
    let file = path + "/" + name
    try content.write(toFile: file, atomically: true, encoding: .utf8)
    return file
  }

  public func cleanup() {
    try? FileManager.default.removeItem(atPath: path)
  }
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), which the Glibc module does
/// not import: looked up at run time; without it, descriptors are left as they are.
private func addCloseFrom(_ actions: inout posix_spawn_file_actions_t, _ lowest: Int32) {
  typealias AddCloseFrom =
    @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32)
    -> Int32
  guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np")
  else { return }
  _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, lowest)
}
