import AtalayaCore
import CCurl
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// One libcurl multi handle driven by a dedicated pthread.
///
/// Callers submit requests from any task; the loop thread owns every easy
/// handle, so libcurl is never used from two threads. Each transfer resumes a
/// continuation when done, so no cooperative-pool thread ever blocks. Task
/// cancellation removes the transfer on the loop thread and completes it with a
/// `cancelled` ``TransportError``. Connections are reused through the multi
/// handle's connection cache (HTTP/2 multiplexing where TLS negotiates it); a
/// fixed few per HTTP/1.1 origin (``OriginConnections``).
public final class CurlMultiLoop: Sendable {
  private let core: CurlLoopCore

  /// Starts the loop thread. `maxConnections` bounds the connection cache.
  /// `connectionsPerOrigin` HTTP/1.1 transfers to one origin run at once on
  /// connections kept open; more wait for one of them, up to `overflowWait`, then
  /// run on a fresh connection closed when done (see ``OriginConnections``).
  public init(
    maxConnections: Int = 64, connectionsPerOrigin: Int = 1,
    overflowWait: Duration = .milliseconds(250)
  ) {
    core = CurlLoopCore(
      maxConnections: maxConnections, connectionsPerOrigin: connectionsPerOrigin,
      overflowWait: overflowWait)
    core.start()
  }

  deinit { core.shutdown() }

  /// Performs `request`, sending `userAgent`. Never throws; a failure is in
  /// the response's `error`.
  public func perform(_ request: HTTPRequest, userAgent: String) async -> HTTPResponse {
    let transfer = CurlTransfer(id: core.nextID(), request: request, userAgent: userAgent)
    let core = self.core
    return await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        transfer.setContinuation(continuation)
        core.submit(transfer)
      }
    } onCancel: {
      core.cancel(transfer)
    }
  }

  /// Stops the loop thread; in-flight and queued transfers complete with a
  /// `cancelled` error, later ones fail at once. Idempotent; returns once the
  /// thread has finished (for the first caller).
  public func shutdown() { core.shutdown() }

  /// False once ``shutdown()`` was called.
  public var isRunning: Bool { core.isRunning }
}

/// The state shared between callers and the loop thread. The loop thread keeps
/// a reference to it until it exits, so it outlives the public wrapper.
final class CurlLoopCore: @unchecked Sendable {
  private struct Queue {
    var adds: [CurlTransfer] = []
    var cancels: [UInt64] = []
    var shutdownRequested = false
    /// Set by the loop thread right before it destroys the multi handle.
    var stopped = false
    var thread: pthread_t?
    var nextID: UInt64 = 0
  }

  private let queue = Locked(Queue())
  /// The multi handle. Used by the loop thread, and by others only for
  /// `curl_multi_wakeup` under the queue lock while not stopped.
  let multi: UnsafeMutableRawPointer
  let maxConnections: Int
  let connectionsPerOrigin: Int
  let overflowWaitNanos: UInt64

  init(maxConnections: Int, connectionsPerOrigin: Int, overflowWait: Duration) {
    CurlGlobal.ensure()
    guard let multi = curl_multi_init() else {
      fatalError("curl_multi_init failed (out of memory)")
    }
    self.multi = multi
    self.maxConnections = max(1, maxConnections)
    self.connectionsPerOrigin = max(1, connectionsPerOrigin)
    let (seconds, attoseconds) = max(.zero, overflowWait).components
    overflowWaitNanos =
      UInt64(min(seconds, 86_400)) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    _ = atalaya_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, self.maxConnections)
  }

  func nextID() -> UInt64 {
    queue.withLock { q in
      q.nextID &+= 1
      return q.nextID
    }
  }

  var isRunning: Bool { queue.withLock { !$0.shutdownRequested } }

  func start() {
    let context = Unmanaged.passRetained(self).toOpaque()
    var thread = pthread_t()
    let rc = pthread_create(
      &thread, nil,
      { context in
        let core = Unmanaged<CurlLoopCore>.fromOpaque(context!).takeRetainedValue()
        core.run()
        return nil
      }, context)
    guard rc == 0 else {
      Unmanaged<CurlLoopCore>.fromOpaque(context).release()
      fatalError("pthread_create failed: \(rc)")
    }
    queue.withLock { $0.thread = thread }
  }

  func submit(_ transfer: CurlTransfer) {
    let rejected: String? = queue.withLock { q in
      if q.shutdownRequested { return "transfer loop is shut down" }
      if transfer.cancelRequested.load(ordering: .sequentiallyConsistent) {
        return "transfer cancelled"
      }
      q.adds.append(transfer)
      curl_multi_wakeup(multi)
      return nil
    }
    if let rejected { transfer.completeCancelled(rejected) }
  }

  func cancel(_ transfer: CurlTransfer) {
    transfer.cancelRequested.store(true, ordering: .sequentiallyConsistent)
    queue.withLock { q in
      guard !q.stopped else { return }
      q.cancels.append(transfer.id)
      curl_multi_wakeup(multi)
    }
  }

  func shutdown() {
    let thread: pthread_t? = queue.withLock { q in
      guard !q.shutdownRequested else { return nil }
      q.shutdownRequested = true
      if !q.stopped { curl_multi_wakeup(multi) }
      return q.thread
    }
    guard let thread, !pthread_equal(thread, pthread_self()).isTrue else { return }
    pthread_join(thread, nil)
  }

  // MARK: Loop thread

  private func run() {
    var state = CurlLoopState(core: self)
    var running: Int32 = 0
    while true {
      let (adds, cancels, stop) = queue.withLock { q in
        defer {
          q.adds = []
          q.cancels = []
        }
        return (q.adds, q.cancels, q.shutdownRequested)
      }
      for transfer in adds { state.start(transfer) }
      for id in cancels { state.cancel(id: id, message: "transfer cancelled") }
      if stop { break }
      state.startOverdueWaiters()
      _ = curl_multi_perform(multi, &running)
      state.collectCompletions()
      _ = curl_multi_poll(multi, nil, 0, state.pollTimeoutMillis(longest: 1000), nil)
    }
    // Anything submitted between the last drain and `stopped` fails too.
    let late = queue.withLock { q in
      q.stopped = true
      defer { q.adds = [] }
      return q.adds
    }
    for transfer in late { transfer.completeCancelled("transfer loop is shut down") }
    state.cancelAll(message: "transfer loop is shut down")
    state.releaseHandles()
    curl_multi_cleanup(multi)
  }
}

extension Int32 {
  fileprivate var isTrue: Bool { self != 0 }
}
