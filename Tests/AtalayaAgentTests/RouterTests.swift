import AtalayaAgent
import AtalayaTestSupport
import Hummingbird
import Server
import ServerTestKit
import Testing

/// The routes driven in-process (straight to the router's responder, no socket), over
/// the presenters of an agent that is built but not running.
@Suite struct RouterTests {
  func client() async throws -> (RouterClient<BasicRequestContext>, InProcessAgent) {
    let a = try await InProcessAgent(
      yaml: AgentInProcessTests.yaml(provider: "http://127.0.0.1:\(refusedPort())"))
    return (RouterClient(router: AtalayaHTTPServer.makeRouter(endpoints: a.agent.presenter)), a)
  }

  /// Defect 9: `GET /` listed `POST /api/v1/usage` twice.
  @Test func indexListsEachEndpointOnce() async throws {
    let (client, _) = try await client()
    let response = try await client.execute(uri: "/")
    #expect(response.status == .ok)
    for route in [
      "/metrics", "/api/v1/status", "/api/v1/alerts", "POST /api/v1/usage", "/-/healthy",
      "/-/ready", "POST /-/reload",
    ] {
      #expect(
        response.text.components(separatedBy: route + " ").count == 2,
        "\(route) in:\n\(response.text)")
    }
  }

  @Test func readinessMetricsStatusAndAlerts() async throws {
    let (client, a) = try await client()
    // Built, not running: neither listening nor armed.
    #expect(try await client.execute(uri: "/-/ready").status == .serviceUnavailable)
    #expect(try await client.execute(uri: "/-/healthy").status == .ok)
    let metrics = try await client.execute(uri: "/metrics")
    #expect(metrics.status == .ok)
    #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
    #expect(metrics.text.contains("# TYPE atalaya_state_write_failures_total counter"))
    #expect(metrics.text.contains("process_resident_memory_bytes "))
    let status = try await client.execute(uri: "/api/v1/status")
    #expect(status.status == .ok)
    #expect(status.text.contains(#""name": "p""#))
    #expect(try await client.execute(uri: "/api/v1/alerts").text.contains(#""alerts": ["#))
    #expect(try await client.execute(uri: "/nope").status == .notFound)
    // Reads never change the stores.
    #expect(a.agent.health.view(at: a.time.now()).checks.first?.health.lastOutcome == nil)
  }

  @Test func usageBatchIsCheckedThenTaken() async throws {
    let (client, a) = try await client()
    let event = #"{"provider":"p","model":"m","input_tokens":10,"output_tokens":2}"#
    let wrongType = try await client.execute(
      uri: "/api/v1/usage", method: .post, headers: [.contentType: "image/png"],
      body: ByteBuffer(string: event))
    #expect(wrongType.status == .unsupportedMediaType)
    let tooLarge = try await client.execute(
      uri: "/api/v1/usage", method: .post, headers: [.contentType: "application/json"],
      body: ByteBuffer(repeating: UInt8(ascii: " "), count: a.agent.presenter.usageBodyLimit + 1))
    #expect(tooLarge.status == .contentTooLarge)
    let taken = try await client.execute(
      uri: "/api/v1/usage", method: .post, headers: [.contentType: "application/json"],
      body: ByteBuffer(string: event))
    #expect(taken.status == .ok)
    #expect(taken.text.contains(#""accepted":1"#), "\(taken.text)")
  }
}
