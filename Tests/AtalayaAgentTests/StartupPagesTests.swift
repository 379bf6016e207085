import AtalayaAgent
import AtalayaTestSupport
import Exposition
import Foundation
import Simulator
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Reading /proc/PID/maps and choosing what to release.
@Suite struct MemoryMappingTests {
  static let maps = """
    00200000-0067f000 r--p 00000000 08:01 1234                       /opt/atalaya/bin/atalaya
    00680000-01718000 r-xp 0047f000 08:01 1234                       /opt/atalaya/bin/atalaya
    017c0000-01a43000 rw-p 015bd000 08:01 1234                       /opt/atalaya/bin/atalaya
    01a43000-01b1b000 rw-p 00000000 00:00 0                          [heap]
    7f0000000000-7f0000021000 rw-p 00000000 00:00 0 
    7f1000000000-7f1000028000 r--p 00000000 08:01 77                 /usr/lib/x86_64-linux-gnu/libc.so.6
    7f1000028000-7f10001bd000 r-xp 00028000 08:01 77                 /usr/lib/x86_64-linux-gnu/libc.so.6
    7f2000000000-7f2000001000 ---p 00000000 08:01 78                 /usr/lib/x86_64-linux-gnu/libcurl.so.4.8.0
    7f3000000000-7f3000004000 r--p 00000000 08:01 79                 /usr/lib/locale/C.utf8/LC_CTYPE
    7f4000000000-7f4000002000 r-xp 00000000 08:01 80                 /lib64/ld-linux-x86-64.so.2
    7f5000000000-7f5000001000 r--p 00000000 08:01 81                 /tmp/my dir/libplugin.so (deleted)
    7ffc00000000-7ffc00002000 r-xp 00000000 00:00 0                  [vdso]
    garbage line
    7ffd-7ffc r--p 0 0 0 /reversed
    """

  @Test func parsesEveryKindOfLine() {
    let m = MemoryMapping.parse(maps: Self.maps)
    #expect(m.count == 12)
    #expect(
      m[0]
        == MemoryMapping(
          start: 0x20_0000, end: 0x67_f000, readable: true, writable: false,
          executable: false, path: "/opt/atalaya/bin/atalaya", deleted: false))
    #expect(m[1].executable && !m[1].writable)
    #expect(m[2].writable && m[2].length == 0x1a4_3000 - 0x17c_0000)
    #expect(m[3].path == nil && m[4].path == nil && m[11].path == nil)
    #expect(!m[7].readable)
    #expect(m[10].path == "/tmp/my dir/libplugin.so" && m[10].deleted)
    #expect(
      m.map(\.isSharedObject) == [
        false, false, false, false, false, true, true, true, false, true, true, false,
      ])
  }

  @Test func choosesTheExecutableAndLibrariesAndWritableOnesOnlyWithoutSwap() {
    let m = MemoryMapping.parse(maps: Self.maps)
    let exe = "/opt/atalaya/bin/atalaya"
    let noSwap = StartupPages.selection(m, executable: exe, swapActive: false)
    #expect(
      noSwap.map(\.start) == [
        0x20_0000, 0x68_0000, 0x17c_0000, 0x7f10_0000_0000, 0x7f10_0002_8000, 0x7f40_0000_0000,
        0x7f50_0000_0000,
      ])
    let swap = StartupPages.selection(m, executable: exe, swapActive: true)
    #expect(swap.map(\.start) == noSwap.map(\.start).filter { $0 != 0x17c_0000 })
  }

  @Test func onUnlessTheEnvironmentTurnsItOff() {
    #expect(StartupPages.enabled(environment: [:]) == true)
    for on in ["1", "on", "TRUE", "yes"] {
      #expect(StartupPages.enabled(environment: ["ATALAYA_RELEASE_PAGES": on]) == true)
    }
    for off in ["0", "off", "OFF", "false", "no"] {
      #expect(StartupPages.enabled(environment: ["ATALAYA_RELEASE_PAGES": off]) == false)
    }
    for bad in ["", "of", "2", "disabled"] {
      #expect(StartupPages.enabled(environment: ["ATALAYA_RELEASE_PAGES": bad]) == nil)
    }
  }
}

/// The real binary gives back its start-up pages after READY=1 (unless told not to).
@Suite("start-up page release (real binary)", .serialized)
struct StartupPagesBinaryTests {
  /// The executable's mappings in /proc/PID/smaps: (resident kB, VmFlags) of each.
  static func executableMappings(pid: pid_t) -> [(rss: Int, flags: [Substring])] {
    let exe =
      (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) ?? "?"
    // Read to the end in a loop: Foundation's file reading stopped after the first piece of
    // this procfs file in a TSan build.
    guard let bytes = ProcessMetrics.readFile("/proc/\(pid)/smaps") else { return [] }
    let smaps = String(decoding: bytes, as: UTF8.self)
    var result: [(rss: Int, flags: [Substring])] = []
    var inExecutable = false
    var rss = 0
    for line in smaps.split(separator: "\n") {
      if let header = MemoryMapping.parse(maps: String(line)).first {
        inExecutable = header.path == exe
      } else if inExecutable && line.hasPrefix("Rss:") {
        rss = Int(line.split(separator: " ")[1]) ?? 0
      } else if inExecutable && line.hasPrefix("VmFlags:") {
        result.append((rss, line.split(separator: " ").dropFirst().map { $0 }))
      }
    }
    return result
  }

  func run(environment: [String: String], check: (ChildProcess) async throws -> Void) async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    try await withSimulator([SimulatedProvider(name: "good", apiKey: testAPIKey)]) { _, simPort in
      let port = FreePort.find()
      let config = TestConfig(listenPort: port, simulatorPort: simPort, providers: ["good"])
      let path = try dir.write("atalaya.yml", config.yaml)
      let notify = try NotifySocket()
      var env = environment
      env["NOTIFY_SOCKET"] = notify.address
      let child = try ChildProcess(
        executable: BuiltProducts.atalaya, arguments: ["run", "--config", path],
        environment: agentEnvironment(env), directory: dir.path)
      defer { child.terminate() }
      let startup = await notify.receive(until: { $0.contains("READY=1") }, timeout: .seconds(20))
      try #require(startup.contains { $0.contains("READY=1") }, "no READY=1: \(child.stderr)")
      // The release after READY=1 is queued on the agent's I/O queue before a reload's
      // config read: once the reload is done, so is the release.
      child.send(SIGHUP)
      let reload = await notify.receive(until: { $0.contains("READY=1") }, timeout: .seconds(20))
      try #require(reload.contains { $0.contains("READY=1") }, "no reload: \(child.stderr)")
      let probed = await poll(port: port, path: "/metrics") {
        (sampleValue(
          $0.text, #"atalaya_probes_total{provider="good",model="sim-model",result="success"}"#)
          ?? 0) >= 2
      }
      #expect(probed != nil, "no successful probes after the release: \(child.stderr)")
      try await check(child)
    }
  }

  @Test func releasedAfterReady() async throws {
    try await run(environment: ["LOG_LEVEL": "debug"]) { child in
      let mappings = Self.executableMappings(pid: child.pid)
      #expect(mappings.count >= 3)
      // Every mapping of the executable reads at random from now on (no read-ahead).
      #expect(mappings.allSatisfy { $0.flags.contains("rr") }, "\(mappings)")
      #expect(child.stderr.contains("released start-up pages"))
      #expect(child.stderr.contains("resident_kb_after"))
    }
  }

  @Test func keptWhenTurnedOff() async throws {
    try await run(environment: ["ATALAYA_RELEASE_PAGES": "0", "LOG_LEVEL": "debug"]) { child in
      let mappings = Self.executableMappings(pid: child.pid)
      #expect(mappings.count >= 3)
      #expect(mappings.allSatisfy { !$0.flags.contains("rr") }, "\(mappings)")
      #expect(!child.stderr.contains("released start-up pages"))
    }
  }

  @Test func aValueItDoesNotKnowIsNamedAndTheDefaultKept() async throws {
    try await run(environment: ["ATALAYA_RELEASE_PAGES": "of"]) { child in
      #expect(child.stderr.contains("ATALAYA_RELEASE_PAGES is neither"))
      #expect(Self.executableMappings(pid: child.pid).allSatisfy { $0.flags.contains("rr") })
      #expect(child.stderr.contains("released start-up pages"))
    }
  }

}
