import AtalayaCore
import Logging
import ServiceLifecycle
import Storage
import Systemd

/// Saves the health state (`state.json`), the cost ledger (`cost.json`) and the history
/// (`history.json`) every
/// `interval` on the injected clock and once more at shutdown, through the one
/// ``StateStore`` (off the cooperative pool). What is saved survives a restart, at most
/// `interval` old after a crash. (The outbox and `alerts.json` are written by their
/// owners when they change, through the same store.)
struct PersistenceService<C: Clock>: Service where C.Duration == Duration {
  let clock: C
  let time: any TimeSource
  let interval: Duration
  let health: HealthStore
  let cost: CostTracker
  let history: HistoryStore
  let store: StateStore

  func run() async throws {
    await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        do { try await clock.sleep(for: interval) } catch { return }
        await saveAll()
      }
    }
    await saveAll()
    await store.endRun()
  }

  func saveAll() async {
    guard store.directory != nil else { return }
    let now = time.now()
    if let bytes = try? health.snapshot(at: now).encode() {
      await store.write(StateFileName.health, bytes)
    }
    let ledger = Array(cost.snapshot(at: now).prettyEncoded.utf8)
    await store.write(StateFileName.cost, ledger)
    if let bytes = try? history.snapshot(at: now).encode() {
      await store.write(StateFileName.history, bytes)
    }
  }
}

/// Tells systemd STOPPING=1 as soon as graceful shutdown begins.
struct StoppingNotifierService: Service {
  let notifier: SystemdNotifier
  let logger: Logger

  func run() async throws {
    try? await gracefulShutdown()
    logger.info("shutting down")
    notifier.stopping()
  }
}
