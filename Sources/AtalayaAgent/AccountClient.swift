import AtalayaCore
import HTTPClient

/// Reads OpenRouter's account endpoints with the provider's normal key:
/// GET {base_url}/key (credits) and GET {base_url}/models (prices).
/// Never throws; failures come back as a short message without secrets.
struct AccountClient: Sendable {
  let transport: any HTTPTransport

  /// OpenRouter's model list is a few MiB.
  static let maxModelsBytes = 32 << 20

  func request(_ provider: ProviderConfig, path: String, maxBytes: Int) -> HTTPRequest {
    var headers = provider.headers.map { HTTPHeader(name: $0.name, value: $0.value.reveal()) }
    if let key = provider.apiKey {
      headers.append(HTTPHeader(name: "Authorization", value: "Bearer \(key.reveal())"))
    }
    headers.append(HTTPHeader(name: "Accept", value: "application/json"))
    return HTTPRequest(
      url: provider.baseURL + path, headers: headers, timeout: provider.timeout,
      maxBodyBytes: maxBytes)
  }

  func fetchJSON(_ provider: ProviderConfig, path: String, maxBytes: Int) async -> Result<
    JSONValue, AccountClientError
  > {
    let response = await transport.send(request(provider, path: path, maxBytes: maxBytes))
    if let error = response.error {
      return .failure(AccountClientError(message: "GET \(path) failed: \(error)"))
    }
    guard response.status == 200 else {
      return .failure(AccountClientError(message: "GET \(path): HTTP \(response.status)"))
    }
    guard !response.bodyTruncated, let json = JSONValue.parse(response.body) else {
      return .failure(AccountClientError(message: "GET \(path): body is not the expected JSON"))
    }
    return .success(json)
  }

  func key(_ provider: ProviderConfig) async -> Result<AccountInfo, AccountClientError> {
    switch await fetchJSON(provider, path: "/key", maxBytes: 1 << 20) {
    case .failure(let e): return .failure(e)
    case .success(let json):
      guard let info = AccountInfo.parse(json) else {
        return .failure(AccountClientError(message: "GET /key: no numeric data.usage"))
      }
      return .success(info)
    }
  }

  func prices(_ provider: ProviderConfig) async -> Result<[String: ModelPrice], AccountClientError>
  {
    switch await fetchJSON(provider, path: "/models", maxBytes: Self.maxModelsBytes) {
    case .failure(let e): return .failure(e)
    case .success(let json):
      guard let prices = PriceBook.openRouterPrices(json) else {
        return .failure(AccountClientError(message: "GET /models: no data array"))
      }
      return .success(prices)
    }
  }
}

/// Why an account or price request failed (no secrets).
struct AccountClientError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
