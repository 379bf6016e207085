import AtalayaCore
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// An in-process HTTP server on 127.0.0.1 that impersonates LLM providers
/// (OpenAI-compatible, Anthropic, Ollama) for `atalaya demo` and the tests.
///
/// Each provider lives under `/<name>/...`; see ``baseURL(for:type:)``. Run it with
/// ``run()`` (until cancelled or a graceful shutdown) and learn the port with
/// ``waitUntilListening()``. It is also a swift-service-lifecycle `Service`.
public final class ProviderSimulator: Sendable {
  let host: String
  let port: Int
  let seed: UInt64
  let timeSource: any TimeSource
  let state: Locked<SimulatorState>
  private let listening: Locked<ListeningState>

  public init(
    providers: [SimulatedProvider], host: String = "127.0.0.1", port: Int = 0, seed: UInt64 = 42,
    timeSource: any TimeSource = SystemTimeSource()
  ) {
    self.host = host
    self.port = port
    self.seed = seed
    self.timeSource = timeSource
    self.state = Locked(SimulatorState(providers: providers, seed: seed))
    self.listening = Locked(ListeningState())
  }

  /// Serves until the task is cancelled or a graceful shutdown is triggered.
  public func run() async throws {
    var logger = Logger(label: "atalaya.simulator")
    logger.logLevel = .critical  // cancellation is how tests stop it; failures surface from run()
    let app = Application(
      responder: SimulatorResponder(simulator: self),
      configuration: ApplicationConfiguration(
        address: .hostname(host, port: port), serverName: "atalaya-simulator"),
      onServerRunning: { [self] channel in
        self.didStartListening(port: channel.localAddress?.port ?? self.port)
      },
      logger: logger
    )
    do {
      try await app.run()
      failListening(CancellationError())
    } catch {
      failListening(error)
      throw error
    }
  }

  /// Waits until the server is bound and returns its port (the real one when bound to port 0).
  /// Throws if ``run()`` ends before the server listens.
  public func waitUntilListening() async throws -> Int {
    try await withCheckedThrowingContinuation {
      (continuation: CheckedContinuation<Int, any Error>) in
      listening.withLock { s in
        if let port = s.port {
          continuation.resume(returning: port)
        } else if let error = s.failure {
          continuation.resume(throwing: error)
        } else {
          s.waiters.append(continuation)
        }
      }
    }
  }

  /// The port bound, once listening.
  public var boundPort: Int? { listening.withLock { $0.port } }

  /// What a config's `base_url` should be for provider `name` spoken as `type`:
  /// `http://host:port/<name>/v1` for OpenAI-style, `http://host:port/<name>` for Anthropic and Ollama.
  public func baseURL(for name: String, type: ProviderType) -> String {
    let root = "http://\(host.contains(":") ? "[\(host)]" : host):\(boundPort ?? port)/\(name)"
    switch type {
    case .openai, .openrouter: return root + "/v1"
    case .anthropic, .ollama: return root
    }
  }

  /// Changes how provider `name` behaves from its next request on.
  public func setBehavior(_ behavior: Behavior, for name: String) {
    state.withLock { $0.providers[name]?.provider.behavior = behavior }
  }

  /// The current behavior of provider `name`.
  public func behavior(for name: String) -> Behavior? {
    state.withLock { $0.providers[name]?.provider.behavior }
  }

  /// Sets the credits provider `name`'s `/key` reports as used (e.g. lower, as a new key would).
  public func setCreditUsed(_ usd: Double, for name: String) {
    state.withLock { $0.providers[name]?.creditUsed = usd }
  }

  /// The credits provider `name`'s `/key` reports as used.
  public func creditUsed(for name: String) -> Double {
    state.withLock { $0.providers[name]?.creditUsed ?? 0 }
  }

  /// Requests received under `/<name>/` so far (including rejected ones).
  public func requestCount(for name: String) -> Int {
    state.withLock { $0.providers[name]?.requestCount ?? 0 }
  }

  /// The last request received under `/<name>/`.
  public func lastRequest(for name: String) -> RecordedRequest? {
    state.withLock { $0.providers[name]?.lastRequest }
  }

  private func didStartListening(port: Int) {
    let waiters = listening.withLock { s in
      s.port = port
      defer { s.waiters = [] }
      return s.waiters
    }
    for waiter in waiters { waiter.resume(returning: port) }
  }

  private func failListening(_ error: any Error) {
    let waiters = listening.withLock { s in
      guard s.port == nil else { return [CheckedContinuation<Int, any Error>]() }
      s.failure = error
      defer { s.waiters = [] }
      return s.waiters
    }
    for waiter in waiters { waiter.resume(throwing: error) }
  }
}

extension ProviderSimulator: Service {}

/// Whether the server listens yet, and who waits for it.
struct ListeningState: Sendable {
  var port: Int?
  var failure: (any Error)?
  var waiters: [CheckedContinuation<Int, any Error>] = []
}
