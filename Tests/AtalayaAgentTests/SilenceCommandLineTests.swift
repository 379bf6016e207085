import AtalayaCore
import AtalayaTestSupport
import Foundation
import Simulator
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `atalaya silence add|list|expire` against a running `atalaya run`, as an operator
/// uses them: real binaries, real HTTP, the token from a file, the environment or the
/// config; silences survive a restart; maintenance shows in the status API.
@Suite("atalaya silence (real binary)", .serialized, .timeLimit(.minutes(2)))
struct SilenceCommandLineTests {
  static let token = "adm-cli-0123456789abcdef"

  func run(
    _ arguments: [String], env: [String: String] = agentEnvironment(), in dir: TemporaryDirectory
  )
    async throws -> (code: Int32?, stdout: String, stderr: String)
  {
    let child = try ChildProcess(
      executable: BuiltProducts.atalaya, arguments: arguments, environment: env,
      directory: dir.path)
    let code = await child.wait(timeout: .seconds(30))
    return (code, child.stdout, child.stderr)
  }

  @Test func addListExpireAndRestart() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let providers = ["one", "two"].map {
      SimulatedProvider(name: $0, behavior: .healthy(), apiKey: testAPIKey)
    }
    try await withSimulator(providers) { _, simPort in
      let port = FreePort.find()
      var config = TestConfig(listenPort: port, simulatorPort: simPort, providers: ["one", "two"])
      config.stateDir = dir.path + "/state"
      config.extra = """
        admin_api: {bearer_token: \(Self.token)}
        alerting:
          maintenance:
            - {name: all-day, start: "00:00", duration: 24h, matchers: ['provider="two"']}

        """
      let path = try dir.write("atalaya.yml", config.yaml)
      let tokenFile = try dir.write("token", Self.token + "\n")
      let url = "http://127.0.0.1:\(port)"
      func startAgent() async throws -> ChildProcess {
        let agent = try ChildProcess(
          executable: BuiltProducts.atalaya, arguments: ["run", "--config", path],
          environment: agentEnvironment(), directory: dir.path)
        let ready = await poll(port: port, path: "/-/ready") { $0.status == 200 }
        try #require(ready != nil, "the agent never became ready: \(agent.stderr)")
        return agent
      }
      var agent = try await startAgent()
      defer { agent.terminate() }

      // Without a token the write is refused, with a hint.
      let refused = try await run(
        ["silence", "add", "provider=one", "--comment", "deploy", "--url", url], in: dir)
      #expect(refused.code == 1)
      #expect(refused.stderr.contains("missing or wrong bearer token"), "\(refused.stderr)")
      #expect(refused.stderr.contains("--token-file"))

      let added = try await run(
        [
          "silence", "add", "provider=one", #"model=~"sim-.*""#, "--comment", "deploy",
          "--duration", "2h", "--author", "ana", "--url", url, "--token-file", tokenFile,
        ], in: dir)
      #expect(added.code == 0, "\(added.stderr)")
      let id = added.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
      #expect(id.count == 36)

      // The token from the environment, the alert name from a bare word.
      let second = try await run(
        ["silence", "add", "LLMHighLatency", "--comment", "slow week", "--url", url],
        env: agentEnvironment(["ATALAYA_ADMIN_TOKEN": Self.token]), in: dir)
      #expect(second.code == 0, "\(second.stderr)")
      let secondID = second.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

      let listed = try await run(["silence", "list", "--url", url], in: dir)
      #expect(listed.code == 0, "\(listed.stderr)")
      #expect(listed.stdout.contains(id) && listed.stdout.contains(secondID))
      #expect(listed.stdout.contains(#"provider="one" model=~"sim-.*""#), "\(listed.stdout)")
      #expect(listed.stdout.contains("ana") && listed.stdout.contains("deploy"))
      #expect(listed.stdout.contains(#"alertname="LLMHighLatency""#))

      // The URL and the token from the config file.
      let expired = try await run(["silence", "expire", id, "-c", path], in: dir)
      #expect(expired.code == 0, "\(expired.stderr)")
      #expect(expired.stdout.contains("expired \(id)"))
      let unknown = try await run(
        ["silence", "expire", "0000", "-c", path], in: dir)
      #expect(unknown.code == 1)
      #expect(unknown.stderr.contains("no silence with id 0000"), "\(unknown.stderr)")

      let active = try await run(["silence", "list", "-c", path], in: dir)
      #expect(!active.stdout.contains(id) && active.stdout.contains(secondID))
      let json = try await run(["silence", "list", "--expired", "--json", "--url", url], in: dir)
      let all = try #require(JSONValue.parse(json.stdout)?.arrayValue)
      #expect(Set(all.compactMap { $0["id"]?.stringValue }) == [id, secondID])
      for r in [refused, added, second, listed, expired, active, json] {
        #expect(!r.stdout.contains(Self.token) && !r.stderr.contains(Self.token))
      }

      // Maintenance: provider two is in its window.
      let status = try await TestHTTPClient.request("GET", port: port, path: "/api/v1/status")
      let two = JSONValue.parse(status.text)?["providers"]?.arrayValue?.first {
        $0["name"]?.stringValue == "two"
      }
      #expect(two?["maintenance"] == .array([.string("all-day")]))
      let metrics = try await TestHTTPClient.request("GET", port: port, path: "/metrics")
      #expect(metrics.text.contains(#"atalaya_maintenance_window_active{window="all-day"} 1"#))
      #expect(metrics.text.contains(#"atalaya_silences{state="active"} 1"#))

      // A restart keeps both silences.
      agent.send(SIGTERM)
      #expect(await agent.wait(timeout: .seconds(6)) == 0)
      agent = try await startAgent()
      let after = try await run(["silence", "list", "--expired", "--url", url], in: dir)
      #expect(after.stdout.contains(id) && after.stdout.contains(secondID), "\(after.stdout)")
      #expect(after.stdout.contains("expired"))

      // An agent that is not there is a clear error.
      agent.send(SIGTERM)
      _ = await agent.wait(timeout: .seconds(6))
      let down = try await run(["silence", "list", "--url", url], in: dir)
      #expect(down.code == 1)
      #expect(down.stderr.contains("cannot reach the agent at \(url)"), "\(down.stderr)")
    }
  }
}
