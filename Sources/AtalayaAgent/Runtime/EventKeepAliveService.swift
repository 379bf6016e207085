import AtalayaCore
import ServiceLifecycle

/// Sends a comment line to every event-stream subscriber every `interval` on the injected
/// clock (proxies close idle streams), and ends every stream at graceful shutdown.
struct EventKeepAliveService<C: Clock>: Service where C.Duration == Duration {
  let clock: C
  let interval: Duration
  let hub: EventHub

  func run() async throws {
    await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        do { try await clock.sleep(for: interval) } catch { return }
        hub.keepAlive()
      }
    }
    hub.finishAll()
  }
}
