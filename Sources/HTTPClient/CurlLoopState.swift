import AtalayaCore
import CCurl
import Synchronization

/// The loop thread's own bookkeeping: active transfers and a pool of idle easy
/// handles (reset and reused, which keeps their DNS and session caches warm).
struct CurlLoopState {
  let core: CurlLoopCore
  private var active: [UInt64: CurlTransfer] = [:]
  private var byEasy: [UnsafeMutableRawPointer: CurlTransfer] = [:]
  private var idle: [UnsafeMutableRawPointer] = []

  init(core: CurlLoopCore) { self.core = core }

  mutating func start(_ transfer: CurlTransfer) {
    if transfer.cancelRequested.load(ordering: .sequentiallyConsistent) {
      transfer.completeCancelled("transfer cancelled")
      return
    }
    guard let easy = idle.popLast() ?? curl_easy_init() else {
      transfer.complete(
        transfer.partialResponse(
          error: TransportError(
            kind: .other, code: Int32(CURLE_OUT_OF_MEMORY.rawValue),
            message: "curl_easy_init failed")))
      return
    }
    let code = CurlEasySetup.configure(easy, for: transfer)
    guard code == CURLE_OK else {
      recycle(easy)
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

  mutating func cancel(id: UInt64, message: String) {
    guard let transfer = active[id] else { return }
    detach(transfer)
    transfer.completeCancelled(message)
  }

  mutating func cancelAll(message: String) {
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
      detach(transfer)
      transfer.complete(response)
    }
  }

  /// Frees every pooled easy handle (shutdown).
  mutating func releaseHandles() {
    for easy in idle { curl_easy_cleanup(easy) }
    idle = []
  }

  private mutating func detach(_ transfer: CurlTransfer) {
    active[transfer.id] = nil
    guard let easy = transfer.easy else { return }
    byEasy[easy] = nil
    transfer.easy = nil
    curl_multi_remove_handle(core.multi, easy)
    recycle(easy)
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
