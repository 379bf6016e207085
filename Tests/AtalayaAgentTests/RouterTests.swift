import AtalayaAgent
import AtalayaTestSupport
import Hummingbird
import HummingbirdTesting
import Server
import Testing

/// The routes driven in-process (HummingbirdTesting's router client), over the
/// presenters of an agent that is built but not running.
@Suite struct RouterTests {
  func app() async throws -> (some ApplicationProtocol, InProcessAgent) {
    let a = try await InProcessAgent(
      yaml: AgentInProcessTests.yaml(provider: "http://127.0.0.1:\(refusedPort())"))
    let router = AtalayaHTTPServer.makeRouter(endpoints: a.agent.presenter)
    return (Application(router: router), a)
  }

  /// Defect 9: `GET /` listed `POST /api/v1/usage` twice.
  @Test func indexListsEachEndpointOnce() async throws {
    let (app, _) = try await app()
    try await app.test(.router) { client in
      try await client.execute(uri: "/", method: .get) { response in
        #expect(response.status == .ok)
        let text = String(buffer: response.body)
        for route in [
          "/metrics", "/api/v1/status", "/api/v1/alerts", "POST /api/v1/usage", "/-/healthy",
          "/-/ready", "POST /-/reload",
        ] {
          #expect(text.components(separatedBy: route + " ").count == 2, "\(route) in:\n\(text)")
        }
      }
    }
  }

  @Test func readinessMetricsStatusAndAlerts() async throws {
    let (app, a) = try await app()
    try await app.test(.router) { client in
      // Built, not running: neither listening nor armed.
      try await client.execute(uri: "/-/ready", method: .get) { response in
        #expect(response.status == .serviceUnavailable)
      }
      try await client.execute(uri: "/-/healthy", method: .get) { response in
        #expect(response.status == .ok)
      }
      try await client.execute(uri: "/metrics", method: .get) { response in
        #expect(response.status == .ok)
        #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = String(buffer: response.body)
        #expect(text.contains("# TYPE atalaya_state_write_failures_total counter"))
        #expect(text.contains("process_resident_memory_bytes "))
      }
      try await client.execute(uri: "/api/v1/status", method: .get) { response in
        #expect(response.status == .ok)
        #expect(String(buffer: response.body).contains(#""name": "p""#))
      }
      try await client.execute(uri: "/api/v1/alerts", method: .get) { response in
        #expect(String(buffer: response.body).contains(#""alerts": ["#))
      }
    }
    // Reads never change the stores.
    #expect(a.agent.health.view(at: a.time.now()).checks.first?.health.lastOutcome == nil)
  }
}
