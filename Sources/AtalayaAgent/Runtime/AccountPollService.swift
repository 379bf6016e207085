import AtalayaCore
import HTTPClient
import Logging
import ServiceLifecycle

/// Polls each provider with `account:` every `poll_interval` (OpenRouter GET /key) on the
/// injected clock. Follows reloads: the provider list is read again every round.
struct AccountPollService<C: Clock>: Service where C.Duration == Duration {
  let clock: C
  let time: any TimeSource
  let current: CurrentConfig
  let cost: CostTracker
  let client: AccountClient
  let logger: Logger

  func run() async throws {
    await cancelWhenGracefulShutdown {
      var due: [String: C.Instant] = [:]
      while !Task.isCancelled {
        let now = clock.now
        let providers = current.config.providers.filter { $0.account != nil }
        for p in providers where (due[p.name] ?? now) <= now {
          due[p.name] = now.advanced(by: p.account?.pollInterval ?? .seconds(60))
          await poll(p)
        }
        let next = providers.compactMap { due[$0.name] }.min() ?? now.advanced(by: .seconds(5))
        do {
          try await clock.sleep(
            until: min(next, clock.now.advanced(by: .seconds(5))), tolerance: nil)
        } catch {
          return
        }
      }
    }
  }

  /// Polls `provider`'s account once and records the reading.
  func poll(_ provider: ProviderConfig) async {
    switch await client.key(provider) {
    case .success(let info):
      cost.recordAccount(provider: provider.name, info: info, at: time.now())
    case .failure(let error):
      logger.warning(
        "account poll failed", metadata: ["provider": "\(provider.name)", "error": "\(error)"])
    }
  }
}

/// Fetches OpenRouter providers' prices at start and every `refresh` (6 h) on the
/// injected clock; a failed fetch is retried after `retry`.
struct PriceRefreshService<C: Clock>: Service where C.Duration == Duration {
  let clock: C
  let current: CurrentConfig
  let cost: CostTracker
  let client: AccountClient
  let logger: Logger
  var refresh: Duration = .seconds(6 * 3600)
  var retry: Duration = .seconds(300)

  func run() async throws {
    await cancelWhenGracefulShutdown {
      var due: [String: C.Instant] = [:]
      while !Task.isCancelled {
        let now = clock.now
        let providers = current.config.providers.filter { $0.type == .openrouter }
        for p in providers where (due[p.name] ?? now) <= now {
          let ok = await refreshPrices(p)
          due[p.name] = clock.now.advanced(by: ok ? refresh : retry)
        }
        let next = providers.compactMap { due[$0.name] }.min() ?? now.advanced(by: .seconds(60))
        do {
          try await clock.sleep(
            until: min(next, clock.now.advanced(by: .seconds(60))), tolerance: nil)
        } catch {
          return
        }
      }
    }
  }

  /// Fetches `provider`'s prices once (OpenRouter GET /models).
  func refreshPrices(_ provider: ProviderConfig) async -> Bool {
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
