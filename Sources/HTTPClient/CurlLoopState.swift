import AtalayaCore
import CCurl
import Synchronization

/// The loop thread's own bookkeeping: active transfers, the ones waiting for one
/// of their origin's kept connections, and a pool of idle easy handles (reset
/// and reused, which keeps their DNS and session caches warm).
struct CurlLoopState {
  let core: CurlLoopCore
  private var active: [UInt64: CurlTransfer] = [:]
  private var byEasy: [UnsafeMutableRawPointer: CurlTransfer] = [:]
  private var idle: [UnsafeMutableRawPointer] = []
  private var origins: OriginConnections<CurlTransfer>

  init(core: CurlLoopCore) {
    self.core = core
    origins = OriginConnections(kept: core.connectionsPerOrigin)
  }

  /// Starts `transfer` on one of its origin's kept connections, or queues it
  /// until one is free (at most the loop's overflow wait).
  mutating func start(_ transfer: CurlTransfer) {
    if transfer.cancelRequested.load(ordering: .sequentiallyConsistent) {
      transfer.completeCancelled("transfer cancelled")
      return
    }
    transfer.origin = OriginConnections<CurlTransfer>.key(of: transfer.request.url)
    let (admission, counted) = origins.admit(transfer, origin: transfer.origin)
    switch admission {
    case .keep: begin(transfer, counted: counted, fresh: false)
    case .wait: transfer.waitDeadline = monotonicNanos() &+ core.overflowWaitNanos
    }
  }

  /// Starts the waiting transfers whose overflow wait is over, each on a fresh
  /// connection closed when it ends.
  mutating func startOverdueWaiters() {
    guard origins.waiterCount > 0 else { return }
    let now = monotonicNanos()
    for transfer in origins.removeWaiters(matching: { $0.waitDeadline <= now }) {
      begin(transfer, counted: false, fresh: true)
    }
  }

  /// How long the loop may sleep in `curl_multi_poll`: `longest`, or less when a
  /// waiting transfer's overflow wait ends sooner.
  func pollTimeoutMillis(longest: Int32) -> Int32 {
    let oldest = origins.oldestWaiters
    guard let deadline = oldest.map(\.waitDeadline).min() else { return longest }
    let now = monotonicNanos()
    guard deadline > now else { return 0 }
    return Int32(min(UInt64(longest), (deadline - now + 999_999) / 1_000_000))
  }

  mutating func cancel(id: UInt64, message: String) {
    if let transfer = active[id] {
      detach(transfer, multiplexed: nil)
      transfer.completeCancelled(message)
      return
    }
    for transfer in origins.removeWaiters(matching: { $0.id == id }) {
      transfer.completeCancelled(message)
    }
  }

  mutating func cancelAll(message: String) {
    for transfer in origins.removeWaiters(matching: { _ in true }) {
      transfer.completeCancelled(message)
    }
    for id in Array(active.keys) { cancel(id: id, message: message) }
  }

  /// Reads finished transfers off the multi handle and completes them.
  mutating func collectCompletions() {
    var remaining: Int32 = 0
    while let message = curl_multi_info_read(core.multi, &remaining) {
      guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
        let transfer = byEasy[easy]
      else { continue }
      let code = atalaya_msg_result(message)
      let response = CurlEasySetup.response(of: transfer, easy: easy, code: code)
      let multiplexed: Bool? =
        switch response.httpVersion {
        case "": nil
        case "2", "3": true
        default: false
        }
      detach(transfer, multiplexed: multiplexed)
      transfer.complete(response)
    }
  }

  /// Frees every pooled easy handle (shutdown).
  mutating func releaseHandles() {
    for easy in idle { curl_easy_cleanup(easy) }
    idle = []
  }

  /// Hands `transfer` to libcurl: on a kept connection, or (`fresh`) on a new one
  /// closed when it ends. Its clock starts here.
  private mutating func begin(_ transfer: CurlTransfer, counted: Bool, fresh: Bool) {
    transfer.counted = counted
    if transfer.cancelRequested.load(ordering: .sequentiallyConsistent) {
      release(transfer)
      transfer.completeCancelled("transfer cancelled")
      return
    }
    guard let easy = idle.popLast() ?? curl_easy_init() else {
      release(transfer)
      transfer.complete(
        transfer.partialResponse(
          error: TransportError(
            kind: .other, code: Int32(CURLE_OUT_OF_MEMORY.rawValue),
            message: "curl_easy_init failed")))
      return
    }
    var code = CurlEasySetup.configure(easy, for: transfer)
    if code == CURLE_OK, fresh {
      // Past the overflow wait: a connection of its own, closed when done. Never one of
      // the kept ones gone idle meanwhile (it would close too).
      code = atalaya_easy_setopt_long(easy, CURLOPT_FRESH_CONNECT, 1)
      if code == CURLE_OK { code = atalaya_easy_setopt_long(easy, CURLOPT_FORBID_REUSE, 1) }
    }
    guard code == CURLE_OK else {
      recycle(easy)
      release(transfer)
      transfer.complete(
        transfer.partialResponse(
          error: TransportError(
            kind: .other, code: Int32(code.rawValue),
            message: "setup failed: \(String(cString: curl_easy_strerror(code)))")))
      return
    }
    transfer.easy = easy
    transfer.startNanos = monotonicNanos()
    let added = curl_multi_add_handle(core.multi, easy)
    guard added == CURLM_OK else {
      transfer.easy = nil
      recycle(easy)
      release(transfer)
      transfer.complete(
        transfer.partialResponse(
          error: TransportError(
            kind: .other, code: Int32(added.rawValue),
            message: String(cString: curl_multi_strerror(added)))))
      return
    }
    active[transfer.id] = transfer
    byEasy[easy] = transfer
  }

  private mutating func detach(_ transfer: CurlTransfer, multiplexed: Bool?) {
    active[transfer.id] = nil
    if let easy = transfer.easy {
      byEasy[easy] = nil
      transfer.easy = nil
      curl_multi_remove_handle(core.multi, easy)
      recycle(easy)
    }
    release(transfer, multiplexed: multiplexed)
  }

  /// Gives back `transfer`'s kept slot (if it held one) and starts the waiters it frees.
  private mutating func release(_ transfer: CurlTransfer, multiplexed: Bool? = nil) {
    let ready = origins.finish(
      origin: transfer.origin, counted: transfer.counted, multiplexed: multiplexed)
    transfer.counted = false
    for (waiter, counted) in ready { begin(waiter, counted: counted, fresh: false) }
  }

  private mutating func recycle(_ easy: UnsafeMutableRawPointer) {
    curl_easy_reset(easy)
    if idle.count < core.maxConnections {
      idle.append(easy)
    } else {
      curl_easy_cleanup(easy)
    }
  }
}
