import AtalayaAgent
import AtalayaCore
import AtalayaTestSupport
import HTTPTypes
import Hummingbird
import Server
import ServerTestKit
import Testing

/// The silences API (Alertmanager's v2 shapes under /api/v1/silences), driven in-process:
/// the admin token, validation, persistence across a restart, and silences and
/// inhibition muting notifications on a manual clock.
@Suite struct SilencesAPITests {
  static let token = "adm-0123456789abcdef-token"

  static func yaml(
    provider: String, hook: String? = nil, stateDir: String? = nil, token: Bool = true,
    extra: String = ""
  ) -> String {
    var y = AgentInProcessTests.yaml(provider: provider, hook: hook, stateDir: stateDir)
    if token { y += "admin_api: {bearer_token: \(Self.token)}\n" }
    return y + extra
  }

  static func router(_ a: InProcessAgent) -> RouterClient<BasicRequestContext> {
    RouterClient(router: AtalayaHTTPServer.makeRouter(endpoints: a.agent.presenter))
  }

  static func post(
    _ client: RouterClient<BasicRequestContext>, _ body: String, token: String? = Self.token,
    headers extra: HTTPFields = [:]
  ) async throws -> RouterResponse {
    var headers: HTTPFields = [.contentType: "application/json"]
    if let token { headers[.authorization] = "Bearer \(token)" }
    headers.append(contentsOf: extra)
    return try await client.execute(
      uri: "/api/v1/silences", method: .post, headers: headers, body: ByteBuffer(string: body))
  }

  static func delete(_ client: RouterClient<BasicRequestContext>, _ id: String) async throws
    -> RouterResponse
  {
    try await client.execute(
      uri: "/api/v1/silences/\(id)", method: .delete,
      headers: [.authorization: "Bearer \(Self.token)"])
  }

  static let provider = #"{"matchers":[{"name":"provider","value":"p","isRegex":false}],"#
  static let hour = provider + #""duration":"1h","createdBy":"ana","comment":"upgrade"}"#

  @Test func writesNeedTheConfiguredAdminToken() async throws {
    let closed = try await InProcessAgent(
      yaml: Self.yaml(provider: "http://127.0.0.1:\(refusedPort())", token: false))
    let open = Self.router(closed)
    #expect(try await open.execute(uri: "/api/v1/silences").text.trimmingSpaces == "[]")
    let off = try await Self.post(open, Self.hour)
    #expect(off.status == .forbidden)
    #expect(off.text.contains("admin_api.bearer_token"))
    #expect(try await Self.delete(open, "x").status == .forbidden)

    let a = try await InProcessAgent(yaml: Self.yaml(provider: "http://127.0.0.1:\(refusedPort())"))
    let client = Self.router(a)
    let missing = try await Self.post(client, Self.hour, token: nil)
    #expect(missing.status == .unauthorized)
    #expect(missing.headers[.wwwAuthenticate] == #"Bearer realm="atalaya""#)
    #expect(try await Self.post(client, Self.hour, token: "wrong").status == .unauthorized)
    #expect(!missing.text.contains(Self.token))
    let made = try await Self.post(client, Self.hour)
    #expect(made.status == .ok, "\(made.text)")
    #expect(JSONValue.parse(made.text)?["silenceID"]?.stringValue?.count == 36)
    // A browser page on another site cannot write, even with the token.
    let crossSite = try await Self.post(
      client, Self.hour, headers: [.origin: "http://evil.example"])
    #expect(crossSite.status == .forbidden)
  }

  @Test func badRequestsGetClearErrors() async throws {
    let a = try await InProcessAgent(yaml: Self.yaml(provider: "http://127.0.0.1:\(refusedPort())"))
    let client = Self.router(a)
    let notJSON = try await Self.post(client, "matchers: provider=p")
    #expect(notJSON.status == .badRequest && notJSON.text.contains("not valid JSON"))
    let invalid = try await Self.post(client, Self.provider + #""createdBy":"a","comment":"c"}"#)
    #expect(invalid.status == .badRequest && invalid.text.contains("`endsAt` or `duration`"))
    let wrongType = try await client.execute(
      uri: "/api/v1/silences", method: .post,
      headers: [.contentType: "text/plain", .authorization: "Bearer \(Self.token)"],
      body: ByteBuffer(string: Self.hour))
    #expect(wrongType.status == .unsupportedMediaType)
    let huge = try await Self.post(
      client, String(repeating: " ", count: 65 << 10) + Self.hour)
    #expect(huge.status == .contentTooLarge)
    #expect(try await Self.delete(client, "no-such-id").status == .notFound)
    #expect(try await client.execute(uri: "/api/v1/silences/no-such-id").status == .notFound)
    #expect(a.agent.silences.book.records.isEmpty)
  }

  @Test func silencesAreListedExpiredAndSurviveARestart() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let yaml = Self.yaml(provider: "http://127.0.0.1:\(refusedPort())", stateDir: dir.path)
    let first = try await InProcessAgent(yaml: yaml)
    let client = Self.router(first)
    let made = try await Self.post(client, Self.hour)
    let id = try #require(JSONValue.parse(made.text)?["silenceID"]?.stringValue)
    let regex = try await Self.post(
      client,
      #"{"matchers":[{"name":"model","value":"gpt-4.*","isRegex":true}],"startsAt":"2027-01-16T00:00:00Z","endsAt":"2027-01-17T00:00:00Z","createdBy":"bo","comment":"later"}"#
    )
    let pendingID = try #require(JSONValue.parse(regex.text)?["silenceID"]?.stringValue)
    let one = try #require(
      JSONValue.parse(try await client.execute(uri: "/api/v1/silences/\(id)").text))
    #expect(one["status"]?["state"]?.stringValue == "active")
    #expect(one["createdBy"]?.stringValue == "ana")
    #expect(one["matchers"]?[0]?["isEqual"] == .bool(true))
    // Alertmanager's own paths answer too.
    let v2 = try await client.execute(uri: "/api/v2/silences")
    #expect(JSONValue.parse(v2.text)?.arrayValue?.count == 2)
    let expired = try await Self.delete(client, id)
    #expect(expired.status == .ok)
    #expect(first.agent.silences.book.record(id: id)?.state(at: first.time.now()) == .expired)

    // A new agent on the same state_dir finds both, as they were.
    let second = try await InProcessAgent(yaml: yaml)
    let listed = try #require(
      JSONValue.parse(try await Self.router(second).execute(uri: "/api/v1/silences").text)?
        .arrayValue)
    #expect(listed.map { $0["id"]?.stringValue } == [pendingID, id])
    #expect(listed.map { $0["status"]?["state"]?.stringValue } == ["pending", "expired"])
    #expect(second.agent.silences.book == first.agent.silences.book)
    let metrics = try await Self.router(second).execute(uri: "/metrics").text
    #expect(metrics.contains(#"atalaya_silences{state="pending"} 1"#))
    #expect(metrics.contains(#"atalaya_silences{state="expired"} 1"#))
  }

  @Test func anUnwritableStateDirRefusesTheSilenceAndKeepsNothing() async throws {
    let dir = try TemporaryDirectory()
    defer { dir.cleanup() }
    let files = RecordingStateFiles()
    files.failing.withLock { $0 = ["silences.json"] }
    let a = try await InProcessAgent(
      yaml: Self.yaml(provider: "http://127.0.0.1:\(refusedPort())", stateDir: dir.path),
      stateFiles: files)
    let refused = try await Self.post(Self.router(a), Self.hour)
    #expect(refused.status == .internalServerError)
    #expect(refused.text.contains("could not be saved"))
    #expect(a.agent.silences.book.records.isEmpty)
  }

  /// A silence made through the API mutes the firing alert; expiring it sends it.
  @Test func anAPISilenceMutesNotificationsUntilItIsExpired() async throws {
    let provider = TestHTTPServer(status: 500, body: #"{"error":{"message":"boom"}}"#)
    let hook = TestHTTPServer(body: "ok")
    defer {
      provider.stop()
      hook.stop()
    }
    let a = try await InProcessAgent(
      yaml: Self.yaml(provider: provider.baseURL, hook: hook.baseURL))
    let client = Self.router(a)
    let made = try await Self.post(client, Self.hour)
    let id = try #require(JSONValue.parse(made.text)?["silenceID"]?.stringValue)
    try await a.running { a in
      await a.waitUntilReady()
      for _ in 0..<3 {
        #expect(await a.evaluationRound() == .evaluated(queued: 0))
      }
      let alerts = try #require(
        JSONValue.parse(try await client.execute(uri: "/api/v1/alerts").text)?["alerts"]?[0])
      #expect(alerts["state"]?.stringValue == "firing")
      #expect(alerts["silenced"] == .bool(true))
      #expect(alerts["silenced_by"] == .array([.string(id)]))
      #expect(try await Self.delete(client, id).status == .ok)
      #expect(await AgentInProcessTests.evaluateUntilQueued(a))
      let delivered = await hook.received.wait(count: 1)
      #expect(JSONValue.parse(delivered[0].body)?["status"]?.stringValue == "firing")
    }
    #expect(hook.requests.count == 1)
  }

  /// The default inhibition: while `LLMProviderDown` fires, the provider's per-model
  /// error-rate alert fires too but is not sent, and /api/v1/alerts says why.
  @Test func providerDownInhibitsTheModelAlertsOfItsProvider() async throws {
    let provider = TestHTTPServer(status: 500, body: #"{"error":{"message":"boom"}}"#)
    let hook = TestHTTPServer(body: "ok")
    defer {
      provider.stop()
      hook.stop()
    }
    let yaml =
      Self.yaml(provider: provider.baseURL).replacingOccurrences(
        of: "circuit_breaker: {failure_threshold: 1",
        with: "circuit_breaker: {failure_threshold: 2")
        + """
        alerting:
          evaluation_interval: 10s
          receivers:
            - {name: hook, type: webhook, url: "\(hook.baseURL)/hook"}

        """
    let a = try await InProcessAgent(yaml: yaml)
    let client = Self.router(a)
    try await a.running { a in
      await a.waitUntilReady()
      // LLMProviderDown fires after 1m, LLMHighErrorRate after 2m: run 3 minutes.
      var queued = 0
      for _ in 0..<18 {
        if case .evaluated(let n) = await a.evaluationRound() { queued += n }
      }
      #expect(queued == 1, "only LLMProviderDown is queued")
      let alerts = try #require(
        JSONValue.parse(try await client.execute(uri: "/api/v1/alerts").text)?["alerts"]?
          .arrayValue)
      let down = try #require(alerts.first { $0["alertname"]?.stringValue == "LLMProviderDown" })
      let rate = try #require(alerts.first { $0["alertname"]?.stringValue == "LLMHighErrorRate" })
      #expect(down["state"]?.stringValue == "firing" && rate["state"]?.stringValue == "firing")
      #expect(rate["inhibited"] == .bool(true))
      #expect(rate["inhibited_by"] == .array([down["fingerprint"] ?? .null]))
      #expect(down["inhibited"] == .bool(false))
      await hook.received.wait(count: 1)
    }
    let names = hook.requests.compactMap {
      JSONValue.parse($0.body)?["alerts"]?[0]?["labels"]?["alertname"]?.stringValue
    }
    #expect(names == ["LLMProviderDown"])
  }
}

extension String {
  fileprivate var trimmingSpaces: String {
    String(drop { $0 == " " || $0 == "\n" }.reversed().drop { $0 == " " || $0 == "\n" }.reversed())
  }
}
