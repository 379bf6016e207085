import Alerting
import AtalayaCore
import AtalayaTestSupport
import HTTPClient
import Testing

/// PagerDuty (Events API v2) and templated webhooks delivered over loopback, with the
/// templates and `severity_at_least` read from a real config.
@Suite struct PagerDutyAndTemplateTests {
  static func receivers(_ yaml: String) throws -> [ReceiverConfig] {
    let text = """
      providers:
        - {name: local, type: ollama, checks: [{model: llama3}]}
      alerting:
        receivers:
      \(yaml)
      """
    return try ConfigLoader.parse(yaml: text, file: "test.yml", environment: [:]).alerting
      .receivers
  }

  @Test func pagerDutyGetsOneEventPerAlertAndResolvesByFingerprint() async throws {
    let clock = ManualClock()
    let failFirst = Locked(true)
    let server = TestHTTPServer { _ in
      failFirst.withLock { first in
        defer { first = false }
        return first
          ? .respond(status: 500)
          : .respond(status: 202, body: Array(#"{"status":"success"}"#.utf8))
      }
    }
    defer { server.stop() }
    let receivers = try Self.receivers(
      """
          - name: pd
            type: pagerduty
            url: \(server.baseURL)/v2/enqueue
            routing_key: R0123456789abcdef0123456789abcdef
      """)
    let deliverer = await makeDeliverer(receivers, clock: clock)
    let runner = Task { await deliverer.run() }
    defer { runner.cancel() }

    let a = firingAlert(provider: "openai", severity: "critical")
    let b = firingAlert(provider: "groq", severity: "warning")
    await deliverer.enqueue([notification("n1", receiver: "pd", alerts: [a, b])])
    try await drive(clock) { deliverer.metrics.receivers["pd"]?.sent == 1 }
    // The first attempt failed on its first event: the whole group was sent again.
    let firing = server.requests.compactMap { JSONValue.parse($0.body) }
    #expect(firing.count == 3)
    let delivered = Array(firing.suffix(2))
    #expect(delivered.map { $0["event_action"]?.stringValue } == ["trigger", "trigger"])
    #expect(delivered.map { $0["dedup_key"]?.stringValue } == [a.fingerprint, b.fingerprint])
    #expect(delivered[0]["routing_key"] == "R0123456789abcdef0123456789abcdef")
    #expect(delivered[0]["payload"]?["severity"] == "critical")
    #expect(delivered[1]["payload"]?["severity"] == "warning")
    #expect(delivered[0]["payload"]?["summary"]?.stringValue?.contains("error rate") == true)
    #expect(delivered[0]["payload"]?["component"] == "openai")
    #expect(delivered[0]["payload"]?["class"] == "LLMHighErrorRate")
    #expect(delivered[0]["payload"]?["custom_details"]?["labels"]?["model"] == "gpt-4o-mini")
    #expect(server.requests.allSatisfy { $0.path == "/v2/enqueue" && $0.method == "POST" })

    await deliverer.enqueue([
      notification("n2", receiver: "pd", alerts: [resolved(a, at: t0 + .seconds(60))])
    ])
    try await drive(clock) { deliverer.metrics.receivers["pd"]?.sent == 2 }
    let resolve = try #require(JSONValue.parse(server.requests.last!.body))
    #expect(resolve["event_action"] == "resolve")
    #expect(resolve["dedup_key"]?.stringValue == a.fingerprint)
    #expect(server.requests.count == 4)
  }

  @Test func pagerDutyBadRequestIsPermanent() async throws {
    let clock = ManualClock()
    let server = TestHTTPServer { _ in .respond(status: 400) }
    defer { server.stop() }
    let receivers = try Self.receivers(
      """
          - {name: pd, type: pagerduty, url: "\(server.baseURL)/v2/enqueue", routing_key: R0123456789abcdef0123456789abcdef}
      """)
    let deliverer = await makeDeliverer(receivers, clock: clock)
    let runner = Task { await deliverer.run() }
    defer { runner.cancel() }
    await deliverer.enqueue([notification("n1", receiver: "pd")])
    try await drive(clock) { deliverer.metrics.receivers["pd"]?.dropped == 1 }
    #expect(server.requests.count == 1)
    #expect(deliverer.metrics.receivers["pd"]?.sent == 0)
  }

  @Test func discordAndTeamsBodiesAreRenderedFromTheirTemplates() async throws {
    let clock = ManualClock()
    let server = TestHTTPServer { _ in .respond(status: 204) }
    defer { server.stop() }
    let receivers = try Self.receivers(
      """
          - name: discord
            type: webhook
            url: \(server.baseURL)/discord
            body_template: '{"content": {{ json .title }}, "embeds": [{{ range .alerts }}{{ comma }}{"title": {{ json .alertname }}, "description": {{ json .summary }}}{{ end }}]}'
          - name: teams
            type: webhook
            url: \(server.baseURL)/teams
            content_type: application/json; charset=utf-8
            body_template: |
              {"@type": "MessageCard", "@context": "https://schema.org/extensions",
               "summary": {{ json .title }}, "title": {{ json .title }},
               "text": {{ json .alerts_text }}}
      """)
    let deliverer = await makeDeliverer(receivers, clock: clock)
    let runner = Task { await deliverer.run() }
    defer { runner.cancel() }
    let tricky = firingAlert(provider: "openai", summary: #"said "no" \ twice"#)
    await deliverer.enqueue([
      notification("d1", receiver: "discord", alerts: [tricky, firingAlert(provider: "groq")]),
      notification("t1", receiver: "teams", alerts: [tricky]),
    ])
    try await drive(clock) {
      deliverer.metrics.receivers["discord"]?.sent == 1
        && deliverer.metrics.receivers["teams"]?.sent == 1
    }
    let discord = try #require(server.requests.first { $0.path == "/discord" })
    let body = try #require(JSONValue.parse(discord.body), "\(discord.bodyText)")
    #expect(body["content"]?.stringValue?.contains("LLMHighErrorRate") == true)
    #expect(body["embeds"]?.arrayValue?.count == 2)
    #expect(body["embeds"]?[0]?["description"]?.stringValue == #"said "no" \ twice"#)
    #expect(discord.header("content-type") == "application/json")

    let teams = try #require(server.requests.first { $0.path == "/teams" })
    let card = try #require(JSONValue.parse(teams.body), "\(teams.bodyText)")
    #expect(card["@type"] == "MessageCard")
    #expect(card["title"]?.stringValue?.contains("FIRING") == true)
    #expect(teams.header("content-type") == "application/json; charset=utf-8")
  }

  @Test func aBrokenTemplateIsAConfigErrorAtItsPosition() throws {
    let text = """
      providers:
        - {name: local, type: ollama, checks: [{model: llama3}]}
      alerting:
        receivers:
          - name: hook
            type: webhook
            url: http://127.0.0.1:1/x
            body_template: '{"a": {{ json .title }'

      """
    do {
      _ = try ConfigLoader.parse(yaml: text, file: "atalaya.yml", environment: [:])
      Issue.record("a broken template was accepted")
    } catch {
      let message = error.errors.map(\.description).joined(separator: "\n")
      #expect(message.contains("atalaya.yml:8:"), "\(message)")
      #expect(message.contains("body_template"), "\(message)")
    }
  }

  @Test func severityAtLeastKeepsLowerSeveritiesAway() throws {
    let text = """
      providers:
        - {name: local, type: ollama, checks: [{model: llama3}]}
      alerting:
        rules:
          - {alert: Low, expr: consecutive_failures >= 1, severity: warning}
          - {alert: High, expr: consecutive_failures >= 1, severity: critical}
        receivers:
          - {name: pager, type: webhook, url: "http://127.0.0.1:1/p", severity_at_least: critical}
          - {name: chat, type: webhook, url: "http://127.0.0.1:1/c"}

      """
    let config = try ConfigLoader.parse(yaml: text, file: "t.yml", environment: [:]).alerting
    var engine = AlertEngine()
    let sample = SignalSample(
      signal: .consecutiveFailures, labels: ["provider": "local", "model": "llama3"], value: 3)
    let fired = engine.evaluate(samples: [sample], config: config, at: t0)
    #expect(
      Set(fired.map { "\($0.receiver):\($0.groupLabels["alertname"]!)" })
        == ["pager:High", "chat:High", "chat:Low"])
    let cleared = engine.evaluate(
      samples: [SignalSample(signal: .consecutiveFailures, labels: sample.labels, value: 0)],
      config: config, at: t0 + .seconds(15))
    #expect(
      Set(cleared.map { "\($0.receiver):\($0.groupLabels["alertname"]!)" })
        == ["pager:High", "chat:High", "chat:Low"])
    #expect(cleared.allSatisfy { $0.status == .resolved })
  }
}
