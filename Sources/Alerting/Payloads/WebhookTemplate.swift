import AtalayaCore

/// A webhook receiver's `body_template` body (Discord, Teams, Mattermost, ntfy, Google
/// Chat…): the template rendered over the group, sent with the receiver's `content_type`.
public enum WebhookTemplate {
  /// The Content-Type of a templated body when `content_type` is not set.
  public static let defaultContentType = "application/json"

  /// The body bytes of `notification` rendered through `template`.
  public static func body(
    _ notification: AlertNotification, template: GroupTemplate, externalURL: String = ""
  ) -> [UInt8] {
    Array(GroupVariables.render(template, notification, externalURL: externalURL).utf8)
  }
}
