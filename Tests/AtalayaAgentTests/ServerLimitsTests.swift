import AtalayaAgent
import AtalayaTestSupport
import Server
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Issue 15, finding 4: partial headers and idle connections stayed open for ever; 1,100 of
/// them made /metrics unreachable and every probe fail as `connect` (fds exhausted).
@Suite(.serialized) struct ServerLimitsTests {
  static func openDescriptors() -> Int {
    guard let dir = opendir("/proc/self/fd") else { return -1 }
    defer { closedir(dir) }
    var count = 0
    while readdir(dir) != nil { count += 1 }
    return count
  }

  /// Runs `body` against an agent that closes silent connections after 300 ms and serves
  /// at most 8 at once; `body` gets its port.
  func withTightLimits(_ body: @escaping @Sendable (Int) async throws -> Void) async throws {
    let a = try await InProcessAgent(
      yaml: AgentInProcessTests.yaml(provider: "http://127.0.0.1:\(refusedPort())"),
      serverLimits: ServerLimits(idleTimeout: .milliseconds(300), maxConnections: 8))
    try await a.running { a in try await body(await a.ports.wait(count: 1)[0]) }
  }

  @Test func halfOpenConnectionsAreClosedAndCapped() async throws {
    try await withTightLimits { port in
      let before = Self.openDescriptors()
      // Half a header block, then silence; and a request whose body never comes.
      var clients = try (0..<40).map { _ in try HalfOpenConnection(port: port) }
      clients.append(
        try HalfOpenConnection(
          port: port,
          sending: "POST /api/v1/usage HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"))
      // The agent holds at most 8 of them at a time (the rest wait in the backlog,
      // costing it no descriptor), and closes each once it has been silent too long.
      // (The count is the whole test process's: suites running beside this one open and
      // close their own descriptors meanwhile, hence the slack.)
      let during = Self.openDescriptors()
      #expect(during - before <= 8 + 41 + 32, "descriptors: \(before) → \(during)")
      for client in clients {
        #expect(await client.closedByServer(within: .seconds(30)))
      }
      // /metrics is served again.
      let metrics = try await TestHTTPClient.request("GET", port: port, path: "/metrics")
      #expect(metrics.status == 200)
    }
  }

  @Test func anIdleConnectionIsClosedAndTheServerStaysUp() async throws {
    try await withTightLimits { port in
      let idle = try HalfOpenConnection(port: port, sending: "")
      #expect(await idle.closedByServer(within: .seconds(30)))
      let healthy = try await TestHTTPClient.request("GET", port: port, path: "/-/healthy")
      #expect(healthy.status == 200)
    }
  }
}
