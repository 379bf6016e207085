import AtalayaCore
import AtalayaTestSupport
import Logging
import Probing
import Synchronization
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
    let current = Mutex(Self.yaml(port: server.port, tag: "first", model: "m1"))
    let load: Agent.ConfigSource = {
      try ConfigLoader.parse(
        yaml: current.withLock { $0 }, file: "t.yml", environment: [:])
    }
    let probing = ProbingStack()
    defer { probing.shutdown() }
    let agent = Agent(
      config: try load(), loadConfig: load, prober: probing.prober, notifier: .silent,
      logger: Logger(label: "test"))

    await agent.probe(CheckID(provider: "local", model: "m1"))
    await agent.probe(CheckID(provider: "local", model: "m1"))
    #expect(server.requests.map { $0.header("x-tag") } == ["first", "first"])
    #expect(server.requests.last?.bodyText.contains(#""model":"m1""#) == true)

    current.withLock { $0 = Self.yaml(port: server.port, tag: "second", model: "m1") }
    #expect(await agent.reload().success)
    await agent.probe(CheckID(provider: "local", model: "m1"))
    #expect(server.requests.last?.header("x-tag") == "second")
  }
}
