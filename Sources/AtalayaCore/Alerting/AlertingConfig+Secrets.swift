extension AlertingConfig {
  /// Every receiver secret (URLs, bearer tokens, header values), for a ``Redactor``.
  public var secrets: [Secret] {
    receivers.flatMap { receiver in
      [receiver.url, receiver.bearerToken].compactMap { $0 } + receiver.headers.map(\.value)
    }
  }
}
