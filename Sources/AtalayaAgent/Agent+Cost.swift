import AtalayaCore
import Logging
import Server

extension Agent {
  public func ingestUsage(body: [UInt8], authorization: String?) async -> EndpointResponse {
    cost.ingest(body: body, authorization: authorization, now: timeSource.now())
  }

  public var usageBodyLimit: Int { cost.usageBodyLimit }

  /// The cost read model now (for the alert engine: ``CostView/signals``).
  public func costView() -> CostView { cost.view(at: timeSource.now()) }

  /// Saves the cost ledger to `file`.
  public func saveCost(to file: StateFile) throws(StateFile.Failure) {
    try file.write(Array(cost.snapshot(at: timeSource.now()).prettyEncoded.utf8))
  }

  /// Restores the cost ledger; a corrupt file is set aside and reported, never fatal.
  public func restoreCost(from file: StateFile) {
    do {
      guard let bytes = try file.read() else { return }
      guard let json = JSONValue.parse(bytes) else {
        throw CostLedger.SnapshotError(description: "not valid JSON")
      }
      try cost.restore(json)
      logger.info("restored cost ledger", metadata: ["path": "\(file.path)"])
    } catch {
      let aside = try? file.setAside(now: timeSource.now())
      logger.error(
        "cost ledger unusable; starting a fresh one",
        metadata: ["error": "\(error)", "moved_to": "\(aside ?? "-")"])
    }
  }
}

extension Agent {
  /// Polls `provider`'s account once (OpenRouter GET /key) and records the reading.
  @discardableResult
  public func pollAccount(_ provider: ProviderConfig) async -> Bool {
    let client = AccountClient(transport: prober.transport)
    switch await client.key(provider) {
    case .success(let info):
      cost.recordAccount(provider: provider.name, info: info, at: timeSource.now())
      return true
    case .failure(let error):
      logger.warning(
        "account poll failed", metadata: ["provider": "\(provider.name)", "error": "\(error)"])
      return false
    }
  }

  /// Fetches `provider`'s prices once (OpenRouter GET /models).
  @discardableResult
  public func refreshPrices(_ provider: ProviderConfig) async -> Bool {
    let client = AccountClient(transport: prober.transport)
    switch await client.prices(provider) {
    case .success(let prices):
      cost.setFetchedPrices(provider: provider.name, prices)
      logger.info(
        "prices refreshed", metadata: ["provider": "\(provider.name)", "models": "\(prices.count)"])
      return true
    case .failure(let error):
      logger.warning(
        "price refresh failed", metadata: ["provider": "\(provider.name)", "error": "\(error)"])
      return false
    }
  }
}
