import Alerting
import ServiceLifecycle

/// Delivers queued notifications until shutdown; what is still owed stays in the
/// outbox for the next start.
struct DeliveryService<C: Clock>: Service where C.Duration == Duration {
  let deliverer: Deliverer<C>

  func run() async throws {
    await cancelWhenGracefulShutdown {
      await deliverer.run()
    }
  }
}
