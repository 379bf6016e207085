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
      // Half a header block, then silence; and a request whose body never comes.
      var clients = try (0..<40).map { _ in try HalfOpenConnection(port: port) }
      clients.append(
        try HalfOpenConnection(
          port: port,
          sending: "POST /api/v1/usage HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"))
      // The agent holds about 8 of them at a time (the rest wait in the backlog,
      // costing it no descriptor), and closes each once it has been silent too long.
      // (Read between closings, on this task: a sampling task of its own could be starved
      // by suites running beside this one.)
      var most = 0
      for client in clients {
        most = max(most, AcceptedConnections.count(port: port))
        #expect(await client.closedByServer(within: .seconds(30)))
      }
      // NIO accepts up to four connections per read before the limit applies (Hummingbird's
      // own test of the limit allows the same overshoot), and a connection counts against
      // the limit only once its task runs: on a loaded machine a second read's four can
      // come in first (a CI run beside a benchmark held 14). Capped all the same: 41 came.
      #expect((1...8 + 8).contains(most), "the agent held \(most) connections at once")
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
