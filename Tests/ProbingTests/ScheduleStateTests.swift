import AtalayaCore
import Testing

@testable import Probing

/// The scheduler's table on its own: which events start a new timer loop, and which
/// leave the sleeping one undisturbed (issue 14: one wake-up per probe).
@Suite("ScheduleState")
struct ScheduleStateTests {
  private func entry(_ model: String, every interval: Duration = .seconds(1)) -> ScheduleEntry {
    ScheduleEntry(
      id: CheckID(provider: "p", model: model), interval: interval, timeout: .milliseconds(900))
  }

  /// A table with checks `a` (slot 0.1 s) and `b` (slot 0.5 s), started.
  private func started() -> (ScheduleState, UInt64) {
    var s = ScheduleState(lastTick: .zero)
    let slots: [String: Duration] = ["a": .milliseconds(100), "b": .milliseconds(500)]
    _ = s.apply([entry("a"), entry("b")]) { slots[$0.id.model]! }
    let start = s.start()
    return (s, start?.generation ?? 0)
  }

  @Test func applyBeforeStartStartsNoLoop() {
    var s = ScheduleState(lastTick: .zero)
    let (_, loop) = s.apply([entry("a")]) { _ in .zero }
    #expect(loop == nil)
    let first = s.start()
    let second = s.start()
    #expect(first != nil)
    #expect(second == nil)
  }

  @Test func aRunEndingLeavesTheSleepingLoopAlone() throws {
    var (s, generation) = started()
    let taken = s.takeDue(at: .milliseconds(100), loop: generation)
    let first = try #require(taken)
    #expect(first.due.map(\.entry.id.model) == ["a"])
    #expect(first.sleepUntil == .milliseconds(500))
    #expect(s.loop == .sleeping(deadline: .milliseconds(500), generation: generation))
    // `a` ends; its next slot (1.1 s) comes after the loop's deadline: no new loop.
    let restart = s.finish(first.due[0]) { _ in .milliseconds(1100) }
    #expect(restart == nil)
    #expect(s.runs.isEmpty)
    #expect(s.jobs[first.due[0].entry.id]?.slot == .milliseconds(1100))
  }

  @Test func aRunEndingBeforeTheDeadlineOrWithNoLoopStartsOne() throws {
    var (s, generation) = started()
    let taken0 = s.takeDue(at: .milliseconds(100), loop: generation)
    let first = try #require(taken0)
    // `a` overran and its next slot is before `b`'s: a new loop replaces the sleeping one.
    let started = s.finish(first.due[0]) { _ in .milliseconds(300) }
    let restart = try #require(started)
    #expect(restart.generation != generation)
    // The replaced loop ends: it is no longer the loop.
    let oldRang = s.alarmRang(generation)
    let oldTook = s.takeDue(at: .milliseconds(300), loop: generation)
    #expect(!oldRang)
    #expect(oldTook == nil)
    let taken = s.takeDue(at: .milliseconds(300), loop: restart.generation)
    let second = try #require(taken)
    #expect(second.due.map(\.entry.id.model) == ["a"])
    // Both in flight after `b` is taken: nothing waits, the loop ends (idle) ...
    let rang = s.alarmRang(restart.generation)
    #expect(rang)
    let takenLast = s.takeDue(at: .milliseconds(500), loop: restart.generation)
    let third = try #require(takenLast)
    #expect(third.due.map(\.entry.id.model) == ["b"])
    #expect(third.sleepUntil == nil)
    #expect(s.loop == .idle)
    // ... and the next run to end starts one.
    let next = s.finish(third.due[0]) { _ in .milliseconds(1500) }
    #expect(next != nil)
  }

  @Test func aCheckChangedDuringItsRunWaitsForThatRunToEnd() throws {
    var s = ScheduleState(lastTick: .zero)
    _ = s.apply([entry("a")]) { _ in .milliseconds(100) }
    let generation = s.start()?.generation ?? 0
    let taken = s.takeDue(at: .milliseconds(100), loop: generation)
    let old = try #require(taken?.due.first)
    // A reload changes `a` while its run is in flight: the new job is not waiting yet,
    // so the loop does not sleep for it (it would run late, after the old run's end).
    let (_, reloaded) = s.apply([entry("a", every: .seconds(2))]) { _ in .milliseconds(200) }
    let loop = try #require(reloaded)
    let pumped = s.takeDue(at: .milliseconds(150), loop: loop.generation)
    #expect(pumped?.due.isEmpty == true)
    #expect(pumped?.sleepUntil == nil)
    #expect(s.loop == .idle)
    // The old run ends: the new job waits for its next slot from then, in a new loop.
    let next = s.finish(old) { _ in .milliseconds(400) }
    #expect(next != nil)
    #expect(s.runs.isEmpty)
    let restarted = s.takeDue(at: .milliseconds(300), loop: next?.generation ?? 0)
    #expect(restarted?.sleepUntil == .milliseconds(400))
  }

  @Test func aStopEndsTheLoop() {
    var (s, _) = started()
    #expect(s.liveLoops == 1)
    let (cancels, waiter) = s.shutDown()
    #expect(cancels.isEmpty)  // the loop task was never attached
    #expect(waiter == nil)  // one loop still lives
    let took = s.takeDue(at: .seconds(1), loop: 1)
    #expect(took == nil)
    let resumed = s.loopEnded()
    #expect(resumed == nil)  // nobody waits yet
    #expect(s.liveLoops == 0)
  }
}

extension ScheduleState.LoopStart: Equatable {
  public static func == (a: Self, b: Self) -> Bool { a.generation == b.generation }
}
