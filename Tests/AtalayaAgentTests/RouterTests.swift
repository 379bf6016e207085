import AtalayaAgent
import AtalayaCore
import AtalayaTestSupport
import HTTPTypes
import Hummingbird
import Server
import ServerTestKit
import Testing

/// The routes driven in-process (straight to the router's responder, no socket), over
/// the presenters of an agent that is built but not running.
@Suite struct RouterTests {
  func client(extra: String = "") async throws -> (
    RouterClient<BasicRequestContext>, InProcessAgent
  ) {
    let a = try await InProcessAgent(
      yaml: AgentInProcessTests.yaml(provider: "http://127.0.0.1:\(refusedPort())") + extra)
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

  /// Issue 15, finding 1: a `ts` past what Duration holds trapped while the "in the
  /// future" message was built, killing the agent. No token is needed by default.
  @Test func absurdTimestampsAreRefusedNotACrash() async throws {
    let (client, _) = try await client()
    for ts in ["9.3e18", "1e308", "-9.3e18", "1.7976931348623157e308"] {
      let response = try await client.execute(
        uri: "/api/v1/usage", method: .post, headers: [.contentType: "application/json"],
        body: ByteBuffer(
          string: #"{"provider":"p","model":"m","input_tokens":1,"output_tokens":1,"ts":\#(ts)}"#))
      #expect(response.status == .badRequest, "ts \(ts)")
      #expect(response.text.contains(#""field":"ts""#), "ts \(ts): \(response.text)")
    }
  }

  /// Issue 15, finding 7: a web page the operator opens could POST spend or reloads
  /// ("simple" no-CORS requests need no preflight).
  @Test func crossSiteWritesAreRefused() async throws {
    let (client, _) = try await client()
    let event = ByteBuffer(
      string: #"{"provider":"p","model":"m","input_tokens":1,"output_tokens":1}"#)
    let plain = try await client.execute(
      uri: "/api/v1/usage", method: .post, headers: [.contentType: "text/plain"], body: event)
    #expect(plain.status == .unsupportedMediaType)
    for headers: HTTPFields in [
      [.origin: "http://evil.example", .contentType: "application/json"],
      [.origin: "null"],
      [.origin: "http://localhost.evil.example"],
      [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"],
    ] {
      let usage = try await client.execute(
        uri: "/api/v1/usage", method: .post, headers: headers, body: event)
      #expect(usage.status == .forbidden, "\(headers)")
      #expect(JSONValue.parse(Array(usage.text.utf8)) != nil, "\(usage.text)")
      let reload = try await client.execute(uri: "/-/reload", method: .post, headers: headers)
      #expect(reload.status == .forbidden, "\(headers)")
    }
    // The agent's own pages (same origin) and clients that send no Origin are served.
    let same = try await client.execute(
      uri: "/api/v1/usage", method: .post,
      headers: [.origin: "http://localhost", HTTPField.Name("Sec-Fetch-Site")!: "same-origin"],
      body: event)
    #expect(same.status == .ok, "\(same.text)")
    #expect(
      try await client.execute(uri: "/api/v1/usage", method: .post, body: event).status == .ok)
  }

  @Test func dnsRebindingIsRefusedAndAddressesAreRecognised() {
    // A page on evil.example re-pointed at 127.0.0.1 is "same origin" with itself.
    #expect(
      CrossSiteRequest.refusal(
        headers: [.origin: "http://evil.example:9478"], authority: "evil.example:9478")?
        .contains("IP or localhost") == true)
    for authority in ["127.0.0.1:9478", "localhost:9478", "[::1]:9478", "10.0.0.7"] {
      let origin = "http://" + authority
      #expect(
        CrossSiteRequest.refusal(headers: [.origin: origin], authority: authority) == nil,
        "\(authority)")
    }
  }

  /// Issue 15, finding 7: `admin_api.bearer_token` gates POST /-/reload; the scheme is
  /// matched case-insensitively (finding 12).
  @Test func adminTokenGatesReload() async throws {
    let token = "admin-0123456789abcdef"
    let (client, a) = try await client(extra: "admin_api: {bearer_token: \(token)}\n")
    for authorization in [nil, "Bearer wrong-0123456789abcdef", "Basic \(token)", token] {
      var headers = HTTPFields()
      if let authorization { headers[.authorization] = authorization }
      let refused = try await client.execute(uri: "/-/reload", method: .post, headers: headers)
      #expect(refused.status == .unauthorized, "\(String(describing: authorization))")
      #expect(refused.headers[.wwwAuthenticate] == #"Bearer realm="atalaya""#)
      #expect(!refused.text.contains(token))
    }
    try await a.running { _ in
      for scheme in ["Bearer", "bearer", "BEARER"] {
        let reload = try await client.execute(
          uri: "/-/reload", method: .post, headers: [.authorization: "\(scheme) \(token)"])
        #expect(reload.status == .ok, "\(scheme): \(reload.text)")
      }
    }
  }
}
