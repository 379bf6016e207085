import AtalayaCore
import HTTPClient

/// Builds the requests that deliver a notification to a receiver: the payload for its
/// kind, extra headers, the bearer token and its timeout.
public enum ReceiverRequest {
  /// The one request of a single-request receiver (slack, webhook, alertmanager,
  /// email), or nil for receivers that do not send (`console`) or have no URL.
  /// - Parameter externalURL: the webhook payload's `externalURL`.
  public static func make(
    _ notification: AlertNotification, receiver: ReceiverConfig, externalURL: String = "",
    now: Timestamp = Timestamp(seconds: 0)
  ) -> HTTPRequest? {
    requests(notification, receiver: receiver, externalURL: externalURL, now: now).first
  }

  /// Every request of one attempt, to send in order: one for most receivers, one per
  /// alert for `pagerduty` (each idempotent through its `dedup_key`), none for
  /// `console` or a receiver without a URL. `now` dates an email.
  public static func requests(
    _ notification: AlertNotification, receiver: ReceiverConfig, externalURL: String = "",
    now: Timestamp
  ) -> [HTTPRequest] {
    guard let base = receiver.url?.reveal() else { return [] }
    var contentType = "application/json"
    let bodies: [[UInt8]]
    var url = base
    switch receiver.kind {
    case .webhook:
      if let template = receiver.bodyTemplate {
        bodies = [WebhookTemplate.body(notification, template: template, externalURL: externalURL)]
        contentType = receiver.contentType ?? WebhookTemplate.defaultContentType
      } else {
        bodies = [WebhookPayload.body(notification, externalURL: externalURL).encodedBytes]
      }
    case .slack: bodies = [SlackPayload.body(notification).encodedBytes]
    case .alertmanager:
      bodies = [AlertmanagerPayload.body(notification).encodedBytes]
      url = AlertmanagerPayload.url(base: base)
    case .pagerduty:
      guard let key = receiver.routingKey?.reveal() else { return [] }
      bodies = PagerDutyPayload.events(notification, routingKey: key, externalURL: externalURL)
        .map(\.encodedBytes)
    case .email:
      guard let settings = receiver.email else { return [] }
      return [
        mail(
          notification, url: base, settings: settings, receiver: receiver, now: now,
          externalURL: externalURL)
      ]
    case .console: return []
    }
    var headers = [HTTPHeader(name: "Content-Type", value: contentType)]
    for field in receiver.headers {
      headers.removeAll { $0.name.lowercased() == field.name.lowercased() }
      headers.append(HTTPHeader(name: field.name, value: field.value.reveal()))
    }
    if let token = receiver.bearerToken {
      headers.removeAll { $0.name.lowercased() == "authorization" }
      headers.append(HTTPHeader(name: "Authorization", value: "Bearer \(token.reveal())"))
    }
    return bodies.map { body in
      HTTPRequest(
        method: "POST", url: url, headers: headers, body: body,
        // A receiver's answer is its status; a long body is read only as far as an error
        // message needs, and never makes a 2xx a failed delivery.
        timeout: receiver.timeout, maxBodyBytes: 64 << 10, overlongBody: .isCut)
    }
  }

  private static func mail(
    _ notification: AlertNotification, url: String, settings: EmailSettings,
    receiver: ReceiverConfig, now: Timestamp, externalURL: String
  ) -> HTTPRequest {
    HTTPRequest(
      method: "POST", url: url,
      body: EmailMessage.build(
        notification, settings: settings, now: now, externalURL: externalURL),
      timeout: receiver.timeout, maxBodyBytes: 64 << 10, overlongBody: .isCut,
      mail: MailEnvelope(
        from: settings.from, recipients: settings.to, username: settings.username,
        password: settings.password?.reveal(),
        tls: settings.requireTLS ? .required : .opportunistic))
  }
}
