extension AtalayaConfig {
  /// Every secret in the config: API keys, extra header values, receiver URLs,
  /// tokens and headers, the usage and admin API tokens; for a ``Redactor``.
  public var secrets: [Secret] {
    providers.flatMap { provider in
      (provider.apiKey.map { [$0] } ?? []) + provider.headers.map(\.value)
    } + alerting.secrets + (cost.usageAPI.bearerToken.map { [$0] } ?? [])
      + (adminAPI.bearerToken.map { [$0] } ?? [])
  }
}
