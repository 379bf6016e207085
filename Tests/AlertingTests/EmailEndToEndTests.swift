import Alerting
import AtalayaCore
import AtalayaTestSupport
import HTTPClient
import Logging
import Storage
import Testing

/// The email receiver against a real SMTP server (aiosmtpd) over loopback: envelope,
/// headers and parts as a mail parser reads them, 4xx retried, 5xx permanent, AUTH,
/// header injection and the password kept out of logs.
@Suite(.serialized) struct EmailEndToEndTests {
  static let password = "s3cret-SMTP-pa55word"

  func receiver(
    _ url: String, username: String? = nil, password: String? = nil, requireTLS: Bool = false
  ) -> ReceiverConfig {
    ReceiverConfig(
      name: "mail", kind: .email, url: Secret(url), timeout: .seconds(10),
      email: EmailSettings(
        from: "atalaya@agent.example", to: ["oncall@example.com", "team@example.org"],
        username: username, password: password.map(Secret.init), requireTLS: requireTLS))
  }

  func deliverer(
    _ receivers: [ReceiverConfig], clock: ManualClock, logs: Recorder<String>? = nil
  ) -> Deliverer<ManualClock> {
    var logger = quietLogger
    if let logs { logger = Logger(label: "mail") { _ in RecordingLogHandler(lines: logs) } }
    return Deliverer(
      receivers: receivers, store: nil, transport: sharedTransport, clock: clock,
      timeSource: ManualClockTimeSource(clock: clock, origin: t0), random: { 0.5 },
      externalURL: "http://127.0.0.1:9478", logger: logger)
  }

  @Test func messageArrivesWithEnvelopeHeadersAndBothParts() async throws {
    let server = try await SMTPTestServer()
    defer { server.stop() }
    let clock = ManualClock()
    let deliverer = deliverer([receiver(server.url)], clock: clock)
    var alert = firingAlert(provider: "openai", summary: "5 < 6 & \"quoted\"\n.\nafter a dot line")
    alert.labels["team"] = "ml\r\nBcc: victim@example.net"
    await deliverer.enqueue([notification("n-1", receiver: "mail", alerts: [alert])])
    let runner = Task { await deliverer.run() }
    defer { runner.cancel() }
    try await drive(clock) { deliverer.queueLength == 0 }
    let message = try #require(server.messages.first)

    #expect(message["mail_from"]?.stringValue == "atalaya@agent.example")
    #expect(
      message["rcpt_tos"]?.arrayValue?.compactMap(\.stringValue)
        == ["oncall@example.com", "team@example.org"])
    #expect(
      message["subject"]?.stringValue
        == "[FIRING:1] LLMHighErrorRate (model=gpt-4o-mini provider=openai team=ml  Bcc: victim@example.net)"
    )
    let headers = Dictionary(
      (message["headers"]?.arrayValue ?? []).compactMap { pair -> (String, String)? in
        guard let name = pair[0]?.stringValue, let value = pair[1]?.stringValue else { return nil }
        return (name.lowercased(), value)
      }, uniquingKeysWith: { a, _ in a })
    #expect(headers["from"] == "atalaya@agent.example")
    #expect(headers["to"] == "oncall@example.com, team@example.org")
    #expect(headers["mime-version"] == "1.0")
    #expect(headers["date"] == "Fri, 15 Jan 2027 08:00:00 +0000")
    #expect(headers["message-id"] == "<n-1.atalaya@agent.example>")
    #expect(headers["content-type"]?.hasPrefix("multipart/alternative") == true)
    // The injected line break stayed inside the Subject: no Bcc header appeared.
    #expect(headers["bcc"] == nil)
    let raw = message["raw"]?.stringValue ?? ""
    let headerBlock = raw.split(separator: "\r\n\r\n", maxSplits: 1).first ?? ""
    #expect(!headerBlock.contains("\r\nBcc:"))
    #expect(
      raw.split(separator: "\r\n", omittingEmptySubsequences: false).allSatisfy {
        $0.utf8.count <= 998
      })

    let parts = message["parts"]?.arrayValue ?? []
    #expect(parts.compactMap { $0["type"]?.stringValue } == ["text/plain", "text/html"])
    let text = parts.first?["text"]?.stringValue ?? ""
    let html = parts.last?["text"]?.stringValue ?? ""
    // A line holding only "." survives the SMTP transfer (libcurl dot-stuffs it).
    #expect(
      text.replacing("\r\n", with: "\n").contains("5 < 6 & \"quoted\"\n.\nafter a dot line"))
    #expect(text.contains("[firing] openai / gpt-4o-mini"))
    #expect(html.contains("5 &lt; 6 &amp; &quot;quoted&quot;"))
    #expect(!html.contains("5 < 6"))
  }

  @Test func fourHundredFiftyOneIsRetriedUntilTheServerAccepts() async throws {
    let server = try await SMTPTestServer(arguments: [
      "--fail-stage", "rcpt", "--fail-code", "451", "--fail-times", "2",
    ])
    defer { server.stop() }
    let clock = ManualClock()
    let deliverer = deliverer([receiver(server.url)], clock: clock)
    await deliverer.enqueue([notification("n-451", receiver: "mail")])
    let runner = Task { await deliverer.run() }
    defer { runner.cancel() }
    try await drive(clock) { deliverer.queueLength == 0 }
    let events = server.events.compactMap { $0["event"]?.stringValue }
    #expect(events == ["rejected", "rejected", "message"])
    let metrics = try #require(deliverer.metrics.receivers["mail"])
    #expect((metrics.sent, metrics.failed, metrics.dropped) == (1, 2, 0))
  }

  @Test func fiveHundredFiftyIsAPermanentFailure() async throws {
    let server = try await SMTPTestServer(arguments: [
      "--fail-stage", "data", "--fail-code", "550",
    ])
    defer { server.stop() }
    let clock = ManualClock()
    let logs = Recorder<String>()
    let deliverer = deliverer([receiver(server.url)], clock: clock, logs: logs)
    await deliverer.enqueue([notification("n-550", receiver: "mail")])
    let runner = Task { await deliverer.run() }
    defer { runner.cancel() }
    // The drop is logged right after the entry leaves the queue: wait for the log line.
    let dropLogged = { logs.all.contains { $0.contains("notification dropped") } }
    try await drive(clock) { deliverer.queueLength == 0 && dropLogged() }
    #expect(server.messages.isEmpty)
    let metrics = try #require(deliverer.metrics.receivers["mail"])
    #expect((metrics.sent, metrics.failed, metrics.dropped) == (0, 1, 1))
    #expect(logs.all.contains { $0.contains("notification dropped") && $0.contains("SMTP 550") })
  }

  @Test func authWithUsernameAndPasswordAndThePasswordIsNeverLogged() async throws {
    let server = try await SMTPTestServer(arguments: [
      "--user", "alerts", "--password", Self.password,
    ])
    defer { server.stop() }
    let clock = ManualClock()
    let logs = Recorder<String>()
    // First a wrong password (535: permanent), then the right one.
    let wrong = receiver(server.url, username: "alerts", password: "wrong-password-123")
    var right = receiver(server.url, username: "alerts", password: Self.password)
    right.name = "mail2"
    let deliverer = deliverer([wrong, right], clock: clock, logs: logs)
    await deliverer.enqueue([
      notification("n-wrong", receiver: "mail"), notification("n-auth", receiver: "mail2"),
    ])
    let runner = Task { await deliverer.run() }
    defer { runner.cancel() }
    try await drive(clock) { deliverer.queueLength == 0 }
    let message = try #require(server.messages.first)
    #expect(server.messages.count == 1)
    #expect(message["auth_login"]?.stringValue == "alerts")
    #expect(deliverer.metrics.receivers["mail"]?.dropped == 1)
    #expect(deliverer.metrics.receivers["mail2"]?.sent == 1)
    #expect(!logs.all.isEmpty)
    for line in logs.all {
      #expect(!line.contains(Self.password))
      #expect(!line.contains("wrong-password-123"))
    }
    #expect(!"\(right)".contains(Self.password))
    #expect(!"\(deliverer.metrics)".contains(Self.password))
  }

  @Test func requireTLSAgainstAServerWithoutStartTLSFailsClearly() async throws {
    let server = try await SMTPTestServer()
    defer { server.stop() }
    let clock = ManualClock()
    let logs = Recorder<String>()
    let deliverer = deliverer([receiver(server.url, requireTLS: true)], clock: clock, logs: logs)
    await deliverer.enqueue([notification("n-tls", receiver: "mail")])
    let runner = Task { await deliverer.run() }
    defer { runner.cancel() }
    try await drive(clock) { logs.all.contains { $0.contains("will retry") } }
    #expect(server.messages.isEmpty)
    let line = try #require(logs.all.first { $0.contains("will retry") })
    #expect(line.contains("STARTTLS"), "\(line)")
  }
}
