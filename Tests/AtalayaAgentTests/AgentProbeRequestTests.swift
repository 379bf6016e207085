import AtalayaCore
import AtalayaTestSupport
import Testing

@testable import AtalayaAgent

/// The agent keeps each check's request between probes; a reload must replace it.
@Suite struct AgentProbeRequestTests {
  static func yaml(port: Int, tag: String, model: String) -> String {
    """
    providers:
      - name: local
        base_url: http://127.0.0.1:\(port)/v1
        api_key: sk-test-0123456789abcdef
        headers: {X-Tag: \(tag)}
        checks:
          - model: \(model)
    """
  }

  @Test func probesSendTheRequestOfTheConfigurationInForce() async throws {
    let server = TestHTTPServer(body: "{}")
    defer { server.stop() }
    let a = try await InProcessAgent(yaml: Self.yaml(port: server.port, tag: "first", model: "m1"))
    try await a.running { a in
      let id = CheckID(provider: "local", model: "m1")
      await a.agent.probes.probe(id)
      await a.agent.probes.probe(id)
      #expect(server.requests.map { $0.header("x-tag") } == ["first", "first"])
      #expect(server.requests.last?.bodyText.contains(#""model":"m1""#) == true)

      a.yaml.set(Self.yaml(port: server.port, tag: "second", model: "m1"))
      #expect(await a.agent.reloader.reload().success)
      await a.agent.probes.probe(id)
      #expect(server.requests.last?.header("x-tag") == "second")
    }
  }
}
