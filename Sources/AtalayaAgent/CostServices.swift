import AtalayaCore
import Logging
import ServiceLifecycle

/// Polls each provider with `account:` every `poll_interval` (OpenRouter GET /key).
/// Follows reloads: the provider list is read again on every round.
struct AccountPollerService: Service {
  let agent: Agent

  func run() async throws {
    await cancelWhenGracefulShutdown {
      var due: [String: ContinuousClock.Instant] = [:]
      while !Task.isCancelled {
        let now = ContinuousClock.now
        let providers = agent.config.providers.filter { $0.account != nil }
        for p in providers where (due[p.name] ?? now) <= now {
          due[p.name] = now + (p.account?.pollInterval ?? .seconds(60))
          await agent.pollAccount(p)
        }
        let next = providers.compactMap { due[$0.name] }.min() ?? now + .seconds(5)
        do {
          try await Task.sleep(
            until: min(next, ContinuousClock.now + .seconds(5)), clock: .continuous)
        } catch {
          return
        }
      }
    }
  }
}

/// Fetches OpenRouter providers' prices at start and every `refresh` (6 h);
/// a failed fetch is retried after `retry`.
struct PriceRefreshService: Service {
  let agent: Agent
  var refresh: Duration = .seconds(6 * 3600)
  var retry: Duration = .seconds(300)

  func run() async throws {
    await cancelWhenGracefulShutdown {
      var due: [String: ContinuousClock.Instant] = [:]
      while !Task.isCancelled {
        let now = ContinuousClock.now
        let providers = agent.config.providers.filter { $0.type == .openrouter }
        for p in providers where (due[p.name] ?? now) <= now {
          let ok = await agent.refreshPrices(p)
          due[p.name] = ContinuousClock.now + (ok ? refresh : retry)
        }
        let next = providers.compactMap { due[$0.name] }.min() ?? now + .seconds(60)
        do {
          try await Task.sleep(
            until: min(next, ContinuousClock.now + .seconds(60)), clock: .continuous)
        } catch {
          return
        }
      }
    }
  }
}

extension AgentRunner {
  /// The cost ledger file under the configured state_dir, if any.
  public static func costFile(for config: AtalayaConfig) -> StateFile? {
    config.stateDir.map { StateFile(path: $0 + "/cost.json") }
  }

  /// Restores the ledger, then the services that poll accounts, refresh prices and save it.
  func costServices(_ config: AtalayaConfig) -> [ServiceGroupConfiguration.ServiceConfiguration] {
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
      .init(service: AccountPollerService(agent: agent)),
      .init(service: PriceRefreshService(agent: agent)),
    ]
    if let file = Self.costFile(for: config) {
      agent.restoreCost(from: file)
      services.append(
        .init(
          service: PeriodicSaveService(
            name: "cost ledger \(file.path)", interval: saveInterval, logger: logger,
            save: { [agent] in try agent.saveCost(to: file) })))
    }
    return services
  }
}
