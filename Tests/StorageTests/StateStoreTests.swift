import AtalayaCore
import AtalayaTestSupport
import Logging
import Testing

@testable import Storage

#if canImport(Glibc)
  import Glibc
#endif

/// The one code path for state files: markers, versions, migration, set-aside, and
/// writes off the cooperative pool that skip what is already on disk.
@Suite struct StateStoreTests {
  let logger = Logger(label: "test")
  let now = Timestamp(seconds: 1_800_000_000)

  /// A document whose value is the file's `n` member.
  let counter = StateDocument<Int>(
    fileName: "counter.json", what: "counter", format: "atalaya-counter", version: 2,
    legacyFormats: ["atalaya-counter/1"]
  ) { _, json in
    guard let n = json["n"]?.intValue else { throw StateFileError("no n") }
    return n
  }

  func files(in dir: TemporaryDirectory) throws -> [String] {
    try FileManagerShim.contents(of: dir.path)
  }

  @Test func readsTheCurrentAndTheLegacyFormat() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let store = StateStore(directory: dir.path, logger: logger)
    _ = try dir.write("counter.json", #"{"format":"atalaya-counter","version":2,"n":7}"#)
    #expect(await store.load(counter, now: now) == 7)
    _ = try dir.write("counter.json", #"{"format":"atalaya-counter/1","n":5}"#)
    #expect(await store.load(counter, now: now) == 5)
  }

  @Test(arguments: [
    "{ not json", "[1]", #"{"n":1}"#, #"{"format":"someone-else","version":2,"n":1}"#,
    #"{"format":"atalaya-counter","version":3,"n":1}"#, #"{"format":"atalaya-counter","n":1}"#,
    #"{"format":"atalaya-counter","version":2}"#,
  ])
  func anUnusableFileIsSetAsideNeverFatal(_ content: String) async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let store = StateStore(directory: dir.path, logger: logger)
    _ = try dir.write("counter.json", content)
    #expect(await store.load(counter, now: now) == nil)
    let names = try files(in: dir)
    #expect(names == ["counter.json.corrupt-1800000000"])
  }

  @Test func withoutAStateDirectoryNothingIsReadOrWritten() async {
    let store = StateStore(directory: nil, logger: logger)
    #expect(await store.load(counter, now: now) == nil)
    #expect(await store.write("counter.json", Array("{}".utf8)))
    #expect(store.writeCounts.isEmpty)
  }

  @Test func writesSkipIdenticalBytesAndOlderGenerations() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let store = StateStore(directory: dir.path + "/state", logger: logger)
    #expect(await store.write("a.json", Array("one".utf8), generation: 2))
    #expect(await store.write("a.json", Array("one".utf8), generation: 3))
    #expect(await store.write("a.json", Array("stale".utf8), generation: 1))
    #expect(store.writeCounts["a.json"] == 1)
    let content = try #require(try StateFile(path: dir.path + "/state/a.json").read())
    #expect(String(decoding: content, as: UTF8.self) == "one")
    #expect(await store.write("a.json", Array("two".utf8), generation: 4))
    #expect(store.writeCounts["a.json"] == 2)
  }

  @Test func aFailedWriteIsCountedAndReported() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    // A regular file where the state directory should be: every write fails.
    let blocker = try dir.write("state", "")
    let store = StateStore(directory: blocker, logger: logger)
    #expect(await store.write("a.json", Array("x".utf8)) == false)
    #expect(store.writeFailures["a.json"] == 1)
  }

  @Test func fileWorkRunsOnTheIOQueue() async {
    let io = BlockingIO(label: "test.io")
    #expect(!io.isCurrent)
    #expect(await io.run { io.isCurrent })
  }
}

/// Only regular files are read: a FIFO as a key file must not hang `atalaya check`.
@Suite struct RegularFileTests {
  @Test func aFIFOKeyFileIsAClearErrorNotAHang() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let fifo = dir.path + "/key"
    #expect(mkfifo(fifo, 0o600) == 0)
    let yaml = """
      providers:
        - name: p
          type: openai
          api_key_file: \(fifo)
          checks: [{model: m}]
      """
    #expect {
      try ConfigLoader.parse(
        yaml: yaml, file: dir.path + "/atalaya.yml", environment: [:], files: FileSystemReader())
    } throws: { error in
      "\(error)".contains("not a regular file (a FIFO)")
    }
  }

  @Test func aDirectoryAsConfigFileIsAClearError() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    #expect {
      try ConfigLoader.load(path: dir.path, environment: [:])
    } throws: { error in
      "\(error)".contains("cannot read config file: not a regular file (a directory)")
    }
  }

  @Test func aFIFOStateFileIsRefused() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let fifo = dir.path + "/state.json"
    #expect(mkfifo(fifo, 0o600) == 0)
    #expect(throws: StateFile.Failure.self) { try StateFile(path: fifo).read() }
  }

  /// Issue 15, finding 10: saves opened `<file>.tmp.<pid>` following symlinks, so anyone
  /// who could write in state_dir could make the agent overwrite any file it can write.
  @Test func aPlantedSymlinkIsNeverWrittenThrough() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let victim = dir.path + "/victim"
    try StateFile(path: victim).write(Array("precious".utf8))
    let path = dir.path + "/cost.json"
    // Every name a writer could predict: the pid, and the pid of every thread.
    #expect(symlink(victim, path + ".tmp.\(getpid())") == 0)
    try StateFile(path: path).write(Array("{}".utf8))
    #expect(try StateFile(path: victim).read() == Array("precious".utf8))
    #expect(try StateFile(path: path).read() == Array("{}".utf8))
    // Only the planted link is left beside the two files: no temp file stays behind.
    #expect(
      try FileManagerShim.contents(of: dir.path) == [
        "cost.json", "cost.json.tmp.\(getpid())", "victim",
      ])
  }

  /// Issue 15, finding 12: `atalaya check` tests that state_dir is writable.
  @Test func stateDirectoryWriteProblems() throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    #expect(StateFile.writeProblem(directory: dir.path) == nil)
    #expect(try FileManagerShim.contents(of: dir.path).isEmpty)
    #expect(StateFile.writeProblem(directory: dir.path + "/new/deeper") == nil)
    let file = dir.path + "/file"
    try StateFile(path: file).write([1])
    #expect(StateFile.writeProblem(directory: file)?.contains("not a directory") == true)
    #expect(StateFile.writeProblem(directory: file + "/sub") != nil)
  }

  @Test func tempNamesAreUnpredictable() {
    let names = Set((0..<64).map { _ in StateFile.randomSuffix() })
    #expect(names.count == 64)
    #expect(names.allSatisfy { $0.count == 16 && $0.allSatisfy(\.isHexDigit) })
  }
}

/// Directory listing without Foundation's FileManager in the assertions' way.
enum FileManagerShim {
  static func contents(of path: String) throws -> [String] {
    guard let dir = opendir(path) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }
}
