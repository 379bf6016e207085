extension AtalayaConfig {
  /// Every secret in the config: all API keys and all extra header values, for a ``Redactor``.
  public var secrets: [Secret] {
    providers.flatMap { provider in
      (provider.apiKey.map { [$0] } ?? []) + provider.headers.map(\.value)
    }
  }
}
