import AtalayaCore
import Storage

/// The API's silences behind a lock, written to `silences.json` after every change.
///
/// A change is made in memory, then written (off the pool, outside the lock, newest
/// generation wins); when the write fails the change is undone and refused, so an
/// answered silence is always one a restart keeps. Without a `state_dir` silences live
/// in memory only.
public final class SilenceStore: Sendable {
  /// What a write request came to.
  public enum Change: Sendable, Equatable {
    case done(id: String)
    case refused(SilenceBook.Refusal)
    /// `silences.json` could not be written: nothing changed.
    case notSaved
  }

  private let state: Locked<(book: SilenceBook, generation: UInt64)>
  private let store: StateStore
  private let newID: @Sendable () -> String

  init(
    _ book: SilenceBook, store: StateStore, newID: @escaping @Sendable () -> String = randomID
  ) {
    state = Locked((book, 0))
    self.store = store
    self.newID = newID
  }

  /// The book as it is now.
  public var book: SilenceBook { state.withLock { $0.book } }

  /// The silences in force or pending, for the engine and the routes.
  func silences(at now: Timestamp) -> [Silence] { state.withLock { $0.book.silences(at: now) } }

  /// Everything that mutes alerts and routes at `now`: the config's silences, the API's
  /// and the maintenance windows in force.
  func muting(_ config: AtalayaConfig, at now: Timestamp) -> [Silence] {
    config.alerting.effectiveSilences(api: silences(at: now), at: now)
  }

  /// Adds or updates a silence.
  func upsert(_ request: SilenceRequest, at now: Timestamp) async -> Change {
    let newID = self.newID
    let outcome = state.withLock {
      s -> Result<(String, SilenceRecord?, SilenceBook, UInt64), SilenceBook.Refusal> in
      let previous = request.id.flatMap { s.book.record(id: $0) }
      do throws(SilenceBook.Refusal) {
        let id = try s.book.upsert(request, at: now, newID: newID)
        s.generation += 1
        return .success((id, id == request.id ? previous : nil, s.book, s.generation))
      } catch {
        return .failure(error)
      }
    }
    switch outcome {
    case .failure(let refusal): return .refused(refusal)
    case .success(let (id, previous, book, generation)):
      return await save(book, generation: generation) { $0.restore(previous, id: id) }
        ? .done(id: id) : .notSaved
    }
  }

  /// Expires a silence now.
  func expire(id: String, at now: Timestamp) async -> Change {
    let outcome = state.withLock {
      s -> Result<(SilenceRecord?, SilenceBook, UInt64), SilenceBook.Refusal> in
      let previous = s.book.record(id: id)
      do throws(SilenceBook.Refusal) {
        try s.book.expire(id: id, at: now)
        s.generation += 1
        return .success((previous, s.book, s.generation))
      } catch {
        return .failure(error)
      }
    }
    switch outcome {
    case .failure(let refusal): return .refused(refusal)
    case .success(let (previous, book, generation)):
      return await save(book, generation: generation) { $0.restore(previous, id: id) }
        ? .done(id: id) : .notSaved
    }
  }

  /// Drops silences expired for longer than ``SilenceBook/retention`` and saves.
  func prune(at now: Timestamp) async {
    let pruned = state.withLock { s -> (SilenceBook, UInt64)? in
      guard s.book.prune(at: now) else { return nil }
      s.generation += 1
      return (s.book, s.generation)
    }
    if let (book, generation) = pruned {
      _ = await save(book, generation: generation) { _ in }
    }
  }

  /// Writes `book`; on failure applies `undo` and returns false.
  private func save(
    _ book: SilenceBook, generation: UInt64, undo: (inout SilenceBook) -> Void
  ) async -> Bool {
    if await store.write(StateFileName.silences, book.stateJSON(), generation: generation) {
      return true
    }
    state.withLock { undo(&$0.book) }
    return false
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
