import AtalayaCore
import HTTPClient

/// Builds the HTTP request that delivers a notification to a receiver: the
/// payload for its kind, extra headers, the bearer token and its timeout.
public enum ReceiverRequest {
  /// The request, or nil for receivers that do not speak HTTP (`console`) or have no URL.
  /// - Parameter externalURL: the webhook payload's `externalURL`.
  public static func make(
    _ notification: AlertNotification, receiver: ReceiverConfig, externalURL: String = ""
  ) -> HTTPRequest? {
    guard let base = receiver.url?.reveal() else { return nil }
    let body: JSONValue
    var url = base
    switch receiver.kind {
    case .webhook: body = WebhookPayload.body(notification, externalURL: externalURL)
    case .slack: body = SlackPayload.body(notification)
    case .alertmanager:
      body = AlertmanagerPayload.body(notification)
      url = AlertmanagerPayload.url(base: base)
    case .console: return nil
    }
    var headers = [HTTPHeader(name: "Content-Type", value: "application/json")]
    for field in receiver.headers {
      headers.removeAll { $0.name.lowercased() == field.name.lowercased() }
      headers.append(HTTPHeader(name: field.name, value: field.value.reveal()))
    }
    if let token = receiver.bearerToken {
      headers.removeAll { $0.name.lowercased() == "authorization" }
      headers.append(HTTPHeader(name: "Authorization", value: "Bearer \(token.reveal())"))
    }
    return HTTPRequest(
      method: "POST", url: url, headers: headers, body: body.encodedBytes,
      // A receiver's answer is its status; a long body is read only as far as an error
      // message needs, and never makes a 2xx a failed delivery.
      timeout: receiver.timeout, maxBodyBytes: 64 << 10, overlongBody: .isCut)
  }
}
