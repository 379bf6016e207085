extension AlertingConfig {
  /// Every receiver secret (URLs, bearer tokens, header values, SMTP
  /// passwords, PagerDuty routing keys), for a ``Redactor``.
  public var secrets: [Secret] {
    receivers.flatMap { receiver in
      [receiver.url, receiver.bearerToken, receiver.email?.password, receiver.routingKey]
        .compactMap { $0 } + receiver.headers.map(\.value)
    }
  }
}
