import AtalayaCore
import Storage

/// The API's silences behind a lock, written to `silences.json` before any change is
/// installed.
///
/// Changes run one at a time (``AsyncSerialGate``): each is made on a copy, the copy is
/// written (off the pool, outside the lock), and only a written copy replaces the book.
/// A change whose write fails is refused and leaves nothing behind, in memory or on
/// disk, so an answered silence is always one a restart keeps. Without a `state_dir`
/// silences live in memory only.
public final class SilenceStore: Sendable {
  /// What a write request came to.
  public enum Change: Sendable, Equatable {
    case done(id: String)
    case refused(SilenceBook.Refusal)
    /// `silences.json` could not be written: nothing changed.
    case notSaved
  }

  private let state: Locked<SilenceBook>
  private let gate = AsyncSerialGate()
  private let store: StateStore
  private let newID: @Sendable () -> String

  init(
    _ book: SilenceBook, store: StateStore, newID: @escaping @Sendable () -> String = randomID
  ) {
    state = Locked(book)
    self.store = store
    self.newID = newID
  }

  /// The book as it is now.
  public var book: SilenceBook { state.withLock { $0 } }

  /// The silences in force or pending, for the engine and the routes.
  func silences(at now: Timestamp) -> [Silence] { state.withLock { $0.silences(at: now) } }

  /// Everything that mutes alerts and routes at `now`: the config's silences, the API's
  /// and the maintenance windows in force.
  func muting(_ config: AtalayaConfig, at now: Timestamp) -> [Silence] {
    config.alerting.effectiveSilences(api: silences(at: now), at: now)
  }

  /// Adds or updates a silence.
  func upsert(_ request: SilenceRequest, at now: Timestamp) async -> Change {
    let newID = self.newID
    return await change { (book: inout SilenceBook) throws(SilenceBook.Refusal) in
      try book.upsert(request, at: now, newID: newID)
    }
  }

  /// Expires a silence now.
  func expire(id: String, at now: Timestamp) async -> Change {
    await change { (book: inout SilenceBook) throws(SilenceBook.Refusal) in
      try book.expire(id: id, at: now)
      return id
    }
  }

  /// Drops silences expired for longer than ``SilenceBook/retention`` and saves.
  func prune(at now: Timestamp) async {
    guard state.withLock({ $0.hasPrunable(at: now) }) else { return }
    _ = await change { (book: inout SilenceBook) throws(SilenceBook.Refusal) in
      book.prune(at: now)
      return ""
    }
  }

  /// Applies `edit` to a copy of the book, writes the copy, and installs it once written.
  private func change(
    _ edit: @Sendable (inout SilenceBook) throws(SilenceBook.Refusal) -> String
  ) async -> Change {
    await gate.run {
      var next = state.withLock { $0 }
      let id: String
      do throws(SilenceBook.Refusal) {
        id = try edit(&next)
      } catch {
        return .refused(error)
      }
      guard await store.write(StateFileName.silences, next.stateJSON()) else { return .notSaved }
      state.withLock { $0 = next }
      return .done(id: id)
    }
  }
  /// A random version-4 UUID, as Alertmanager's silence ids are.
  @Sendable static func randomID() -> String {
    var rng = SystemRandomNumberGenerator()
    var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
    bytes[6] = (bytes[6] & 0x0F) | 0x40
    bytes[8] = (bytes[8] & 0x3F) | 0x80
    let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }
    return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { hex[$0].joined() }.joined(separator: "-")
  }
}
