import AtalayaCore
import Logging
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// Where state files are read and written: the one code path for every state file
/// (health, cost, alerts, outbox).
///
/// Loading reads the file, checks its `format` and `version` (``StateDocument``),
/// decodes it, and sets a corrupt or foreign file aside (`NAME.corrupt-<unix time>`)
/// with a log line, never failing the start. Writing is atomic (``StateFile``), runs on
/// ``BlockingIO`` (off the cooperative pool, under no lock), skips bytes identical to
/// the last ones written, and never replaces a newer generation with an older one.
/// Failed writes are logged and counted per file (`atalaya_state_write_failures_total`).
/// Without a state directory everything is kept in memory: loads find nothing and
/// writes succeed.
public final class StateStore: Sendable {
  private struct FileState {
    var writtenGeneration: UInt64 = 0
    var writtenDigest: Int?
    var writes: UInt64 = 0
    var failures: UInt64 = 0
  }

  /// The state directory; nil keeps state in memory only.
  public let directory: String?
  private let io: BlockingIO
  private let files: any StateFileSystem
  private let logger: Logger
  private let state = Locked<[String: FileState]>([:])

  public init(
    directory: String?, io: BlockingIO = .shared,
    files: any StateFileSystem = DiskStateFileSystem(), logger: Logger
  ) {
    self.directory = directory
    self.io = io
    self.files = files
    self.logger = logger
  }

  /// The full path of `fileName`, nil without a state directory.
  public func path(_ fileName: String) -> String? {
    directory.map { $0 + "/" + fileName }
  }

  /// Loads `document`: nil without a state directory, without the file, or when the
  /// file was unusable (then it is set aside and logged).
  public func load<V: Sendable>(_ document: StateDocument<V>, now: Timestamp) async -> V? {
    guard let path = path(document.fileName) else { return nil }
    let files = self.files
    let read: Result<[UInt8]?, StateFile.Failure> = await io.run {
      do throws(StateFile.Failure) { return .success(try files.read(path)) } catch {
        return .failure(error)
      }
    }
    let problem: String
    switch read {
    case .success(nil):
      return nil
    case .success(let bytes?):
      do throws(StateFileError) {
        let value = try Self.decode(document, bytes)
        logger.info("restored \(document.what)", metadata: ["path": "\(path)"])
        return value
      } catch {
        problem = error.description
      }
    case .failure(let error):
      problem = error.description
    }
    let aside: Result<String, StateFile.Failure> = await io.run {
      do throws(StateFile.Failure) { return .success(try files.setAside(path, now: now)) } catch {
        return .failure(error)
      }
    }
    switch aside {
    case .success(let moved):
      logger.error(
        "\(document.what) unusable; set aside and starting afresh",
        metadata: ["path": "\(path)", "error": "\(problem)", "moved_to": "\(moved)"])
    case .failure(let error):
      logger.error(
        "\(document.what) unusable and could not be moved aside; starting afresh",
        metadata: ["path": "\(path)", "error": "\(problem)", "move_error": "\(error)"])
    }
    return nil
  }

  /// The marker check and `decode`, as ``load(_:now:)`` applies them.
  public static func decode<V>(_ document: StateDocument<V>, _ bytes: [UInt8])
    throws(StateFileError) -> V
  {
    guard let json = JSONValue.parse(bytes) else { throw StateFileError("not valid JSON") }
    if let problem = document.markerProblem(json) { throw StateFileError(problem) }
    do {
      return try document.decode(bytes, json)
    } catch {
      throw StateFileError("\(error)")
    }
  }

  /// Writes `bytes` as `fileName` (atomically, off the pool). Skipped, and true, when the
  /// bytes equal the last ones written or `generation` is older than the last written.
  /// False when the write failed (logged and counted).
  @discardableResult
  public func write(_ fileName: String, _ bytes: [UInt8], generation: UInt64? = nil) async -> Bool {
    guard let path = path(fileName) else { return true }
    let files = self.files
    let digest = Self.digest(bytes)
    let outcome: Result<Bool, StateFile.Failure> = await io.run { [self] in
      // Jobs on the I/O queue run one at a time: the check and the write are one step.
      let skip = state.withLock { s -> Bool in
        let f = s[fileName, default: FileState()]
        if let generation, generation < f.writtenGeneration { return true }
        return f.writtenDigest == digest
      }
      if skip { return .success(false) }
      do throws(StateFile.Failure) {
        try files.write(path, bytes)
      } catch {
        state.withLock { $0[fileName, default: FileState()].failures += 1 }
        return .failure(error)
      }
      state.withLock { s in
        var f = s[fileName, default: FileState()]
        f.writtenDigest = digest
        f.writes += 1
        if let generation { f.writtenGeneration = max(f.writtenGeneration, generation) }
        s[fileName] = f
      }
      return .success(true)
    }
    switch outcome {
    case .success:
      return true
    case .failure(let error):
      logger.error(
        "cannot write state file", metadata: ["path": "\(path)", "error": "\(error)"])
      return false
    }
  }

  /// Marks a run as started (`state_dir/running`) and tells whether the previous run
  /// ended without ``endRun()``: killed, crashed or powered off. False without a
  /// state directory.
  public func beginRun(now: Timestamp) async -> Bool {
    guard let path = path(StateFileName.running) else { return false }
    let files = self.files
    let previous = await io.run { (try? files.read(path)) ?? nil }
    let marker = JSONValue.members([
      ("pid", .number(Double(getpid()))), ("started_at", .string(RFC3339.format(now))),
    ])
    await write(StateFileName.running, Array((marker.encoded + "\n").utf8))
    return previous != nil
  }

  /// Removes the run marker: this run stopped cleanly, after its last save.
  public func endRun() async {
    guard let path = path(StateFileName.running) else { return }
    await io.run { _ = unlink(path) }
  }

  /// Failed writes so far, by file name (every file written or attempted).
  public var writeFailures: [String: UInt64] { state.withLock { $0.mapValues(\.failures) } }

  /// Writes that reached the file system so far, by file name.
  public var writeCounts: [String: UInt64] { state.withLock { $0.mapValues(\.writes) } }

  private static func digest(_ bytes: [UInt8]) -> Int {
    var hasher = Hasher()
    hasher.combine(bytes.count)
    bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    return hasher.finalize()
  }
}

/// The file operations ``StateStore`` performs; tests substitute one that fails on
/// demand or records the thread it ran on.
public protocol StateFileSystem: Sendable {
  /// The file's bytes; nil when it does not exist.
  func read(_ path: String) throws(StateFile.Failure) -> [UInt8]?
  /// Replaces the file atomically.
  func write(_ path: String, _ bytes: [UInt8]) throws(StateFile.Failure)
  /// Moves the file aside; returns where to.
  func setAside(_ path: String, now: Timestamp) throws(StateFile.Failure) -> String
}

/// The real file system, through ``StateFile``.
public struct DiskStateFileSystem: StateFileSystem {
  public init() {}

  public func read(_ path: String) throws(StateFile.Failure) -> [UInt8]? {
    try StateFile(path: path).read()
  }

  public func write(_ path: String, _ bytes: [UInt8]) throws(StateFile.Failure) {
    try StateFile(path: path).write(bytes)
  }

  public func setAside(_ path: String, now: Timestamp) throws(StateFile.Failure) -> String {
    try StateFile(path: path).setAside(now: now)
  }
}
