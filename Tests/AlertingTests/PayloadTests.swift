import Alerting
import AtalayaCore
import HTTPClient
import Testing

@Suite struct WebhookPayloadTests {
  @Test func firingPayloadIsAlertmanagerVersion4FieldByField() throws {
    let a = firingAlert(provider: "openai", model: "gpt-4o-mini")
    let b = firingAlert(provider: "anthropic", model: "claude", value: 0.5, summary: "other")
    let n = notification("n1", alerts: [a, b])
    let body = WebhookPayload.body(n, externalURL: "http://agent:9464")
    guard case .object(let members) = body else {
      Issue.record("not an object")
      return
    }
    #expect(
      members.map(\.key) == [
        "version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels",
        "commonLabels", "commonAnnotations", "externalURL", "alerts",
      ])
    #expect(body["version"] == "4")
    #expect(body["groupKey"] == #"{}:{alertname="LLMHighErrorRate"}"#)
    #expect(body["truncatedAlerts"] == 0)
    #expect(body["status"] == "firing")
    #expect(body["receiver"] == "hook")
    #expect(body["groupLabels"] == .members([("alertname", "LLMHighErrorRate")]))
    #expect(
      body["commonLabels"]
        == .members([("alertname", "LLMHighErrorRate"), ("severity", "critical")]))
    #expect(body["commonAnnotations"] == .object([]))
    #expect(body["externalURL"] == "http://agent:9464")
    let first = try #require(body["alerts"]?[0])
    #expect(first["status"] == "firing")
    #expect(
      first["labels"]
        == .members([
          ("alertname", "LLMHighErrorRate"), ("model", "gpt-4o-mini"), ("provider", "openai"),
          ("severity", "critical"),
        ]))
    #expect(first["annotations"] == .members([("summary", "error rate 23.0%")]))
    #expect(first["startsAt"] == "2027-01-15T08:00:00.000Z")
    #expect(first["endsAt"] == "0001-01-01T00:00:00Z")
    #expect(first["generatorURL"] == "http://127.0.0.1:9464/api/v1/alerts")
    #expect(first["fingerprint"] == "fp-openai-gpt-4o-mini")
    #expect(body["alerts"]?[1]?["labels"]?["provider"] == "anthropic")
    #expect(body["alerts"]?.arrayValue?.count == 2)
  }

  @Test func resolvedPayloadCarriesEndsAtAndResolvedStatus() {
    let n = notification("n2", alerts: [resolved(firingAlert(), at: t0 + .seconds(90))])
    let body = WebhookPayload.body(n)
    #expect(body["status"] == "resolved")
    #expect(body["alerts"]?[0]?["status"] == "resolved")
    #expect(body["alerts"]?[0]?["endsAt"] == "2027-01-15T08:01:30.000Z")
    #expect(body["commonAnnotations"] == .members([("summary", "error rate 23.0%")]))
    #expect(body["externalURL"] == "")
  }

  @Test func mixedNotificationIsFiringAndGroupKeyQuotesLikeGo() {
    var n = notification(
      "n3",
      alerts: [firingAlert(), resolved(firingAlert(provider: "x"), at: t0 + .seconds(5))])
    n.groupLabels = ["alertname": "A \"quoted\"\nname"]
    let body = WebhookPayload.body(n)
    #expect(body["status"] == "firing")
    #expect(body["groupKey"] == #"{}:{alertname="A \"quoted\"\nname"}"#)
  }
}

@Suite struct SlackPayloadTests {
  @Test func firingCriticalTitleColourAndLines() throws {
    let a = firingAlert(summary: "openai/gpt-4o-mini error rate 23%")
    let b = firingAlert(provider: "anthropic", model: "claude")
    var withValue = b
    withValue.annotations["value"] = "50.0%"
    let body = SlackPayload.body(notification("s1", alerts: [a, withValue]))
    #expect(body["text"] == "[FIRING:2] LLMHighErrorRate")
    let attachment = try #require(body["attachments"]?[0])
    #expect(attachment["color"] == .string(SlackPayload.Colour.critical))
    #expect(attachment["color"] == "#D00000")
    let text = try #require(attachment["text"]?.stringValue)
    #expect(
      text == """
        • *openai / gpt-4o-mini* — 0.23 since 2027-01-15 08:00:00 UTC — openai/gpt-4o-mini error rate 23%
        • *anthropic / claude* — 50.0% since 2027-01-15 08:00:00 UTC — error rate 23.0%
        """)
    let fallback = try #require(attachment["fallback"]?.stringValue)
    #expect(fallback.hasPrefix("[FIRING:2] LLMHighErrorRate\n- openai / gpt-4o-mini — 0.23 since"))
    #expect(attachment["mrkdwn_in"] == .array(["text"]))
  }

  @Test func coloursFollowStatusAndSeverity() {
    func colour(_ alerts: [Alert]) -> String {
      SlackPayload.colour(notification("c", alerts: alerts))
    }
    #expect(colour([firingAlert(severity: "warning")]) == "#F2A100")
    #expect(colour([firingAlert(severity: "info")]) == "#439FE0")
    #expect(
      colour([firingAlert(severity: "warning"), firingAlert(severity: "critical")]) == "#D00000")
    #expect(colour([resolved(firingAlert(), at: t0)]) == "#2EB67D")
    // A resolved critical next to a firing warning: the firing one decides.
    #expect(
      colour([resolved(firingAlert(), at: t0), firingAlert(severity: "warning")]) == "#F2A100")
  }

  @Test func resolvedTitleAndBudgetSubject() throws {
    var alert = firingAlert()
    alert.labels = ["alertname": "LLMBudgetLow", "severity": "critical", "budget": "monthly"]
    alert.annotations = ["summary": "budget low", "value": "$8.20"]
    var n = notification("r", alerts: [resolved(alert, at: t0 + .seconds(3600))])
    n.groupLabels = ["alertname": "LLMBudgetLow"]
    let body = SlackPayload.body(n)
    #expect(body["text"] == "[RESOLVED] LLMBudgetLow")
    #expect(
      body["attachments"]?[0]?["text"]
        == "• *budget monthly* — $8.20 since 2027-01-15 08:00:00 UTC, resolved 2027-01-15 09:00:00 UTC — budget low"
    )
  }
}

@Suite struct AlertmanagerPayloadTests {
  @Test func bodyIsTheArrayPrometheusPosts() {
    var firing = firingAlert()
    firing.endsAt = t0 + .seconds(240)
    let done = resolved(firingAlert(provider: "ollama", model: nil), at: t0 + .seconds(60))
    let body = AlertmanagerPayload.body(notification("am", alerts: [firing, done]))
    #expect(
      body.encoded
        == #"[{"labels":{"alertname":"LLMHighErrorRate","model":"gpt-4o-mini","provider":"openai","severity":"critical"},"#
        + #""annotations":{"summary":"error rate 23.0%"},"startsAt":"2027-01-15T08:00:00.000Z","#
        + #""endsAt":"2027-01-15T08:04:00.000Z","generatorURL":"http://127.0.0.1:9464/api/v1/alerts"},"#
        + #"{"labels":{"alertname":"LLMHighErrorRate","provider":"ollama","severity":"critical"},"#
        + #""annotations":{"summary":"error rate 23.0%"},"startsAt":"2027-01-15T08:00:00.000Z","#
        + #""endsAt":"2027-01-15T08:01:00.000Z","generatorURL":"http://127.0.0.1:9464/api/v1/alerts"}]"#
    )
  }

  @Test func firingWithoutEndsAtOmitsIt() {
    let body = AlertmanagerPayload.body(notification("am2"))
    #expect(body[0]?["endsAt"] == nil)
    #expect(AlertmanagerPayload.url(base: "http://am:9093/") == "http://am:9093/api/v2/alerts")
    #expect(AlertmanagerPayload.url(base: "http://am:9093") == "http://am:9093/api/v2/alerts")
  }
}

@Suite struct ConsolePayloadTests {
  @Test func oneReadableLinePerAlert() {
    var a = firingAlert(provider: "flaky", model: "flaky-chat", summary: "flaky error rate high")
    a.startsAt = Timestamp(seconds: t0.seconds + 12 * 3600 + 15 * 60 + 4)
    a.annotations["value"] = AlertSignal.errorRate.unit.format(0.23)
    let lines = ConsolePayload.lines(
      notification("c", alerts: [a, resolved(a, at: t0 + .seconds(60))]))
    #expect(
      lines == [
        "[FIRING] LLMHighErrorRate provider=flaky model=flaky-chat value=23% since 20:15:04 — flaky error rate high",
        "[RESOLVED] LLMHighErrorRate provider=flaky model=flaky-chat value=23% since 20:15:04 — flaky error rate high",
      ])
  }

  @Test func numbersAreFormattedForPeople() {
    #expect(NumberText.fixed(-0.04, 1) == "0.0")
    #expect(NumberText.fixed(-1.25, 1) == "-1.3")
    #expect(NumberText.compact(0.1) == "0.1")
    #expect(NumberText.compact(.nan) == "NaN")
  }
}

@Suite struct ReceiverRequestTests {
  @Test func headersBearerTimeoutAndURLPerKind() throws {
    let receiver = ReceiverConfig(
      name: "am", kind: .alertmanager, url: Secret("http://127.0.0.1:9093/"),
      headers: [HeaderField(name: "X-Scope-OrgID", value: Secret("tenant-1"))],
      bearerToken: Secret("token-abcdef-123456"), timeout: .seconds(3))
    let request = try #require(ReceiverRequest.make(notification("r"), receiver: receiver))
    #expect(request.method == "POST")
    #expect(request.url == "http://127.0.0.1:9093/api/v2/alerts")
    #expect(request.timeout == .seconds(3))
    #expect(
      request.headers == [
        HTTPHeader(name: "Content-Type", value: "application/json"),
        HTTPHeader(name: "X-Scope-OrgID", value: "tenant-1"),
        HTTPHeader(name: "Authorization", value: "Bearer token-abcdef-123456"),
      ])
    #expect(JSONValue.parse(request.body ?? []) == AlertmanagerPayload.body(notification("r")))

    let hook = ReceiverConfig(name: "hook", kind: .webhook, url: Secret("http://h:5001/alerts"))
    let hookRequest = try #require(
      ReceiverRequest.make(notification("r"), receiver: hook, externalURL: "http://a"))
    #expect(hookRequest.url == "http://h:5001/alerts")
    #expect(hookRequest.headers.count == 1)
    #expect(
      JSONValue.parse(hookRequest.body ?? [])
        == WebhookPayload.body(notification("r"), externalURL: "http://a"))

    let slack = ReceiverConfig(name: "s", kind: .slack, url: Secret("https://hooks.slack.com/x"))
    let slackRequest = try #require(ReceiverRequest.make(notification("r"), receiver: slack))
    #expect(JSONValue.parse(slackRequest.body ?? []) == SlackPayload.body(notification("r")))

    #expect(
      ReceiverRequest.make(notification("r"), receiver: ReceiverConfig(name: "c", kind: .console))
        == nil)
  }

  @Test func urlsAreRedactedToSchemeAndHost() {
    let slack = ReceiverConfig(
      name: "s", kind: .slack,
      url: Secret("https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXX"))
    #expect(slack.redactedURL == "https://hooks.slack.com/…")
    #expect(ReceiverConfig.redact("http://user:pw@host:8080/p?q=1") == "http://host:8080/…")
    #expect(ReceiverConfig.redact("http://host?token=abc") == "http://host/…")
    #expect(ReceiverConfig.redact("not a url") == "…")
    #expect(ReceiverConfig(name: "c", kind: .console).redactedURL == "console")
    let message = "POST https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXX failed"
    #expect(!slack.redactor.redact(message).contains("XXXXXXXXXXXX"))
  }
}
