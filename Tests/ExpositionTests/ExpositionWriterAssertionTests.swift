import Exposition
import Testing

#if DEBUG
  /// Misuse that would produce an invalid exposition stops a debug build.
  @Suite struct ExpositionWriterAssertionTests {
    @Test func reopeningAFamilyTraps() async {
      await #expect(processExitsWith: .failure) {
        var writer = ExpositionWriter()
        writer.sample(Catalogue.probeSuccess, "a", "b", value: 1)
        writer.sample(Catalogue.probeHTTPStatus, "a", "b", value: 200)
        writer.sample(Catalogue.probeSuccess, "c", "d", value: 0)
      }
    }

    @Test func wrongLabelCountTraps() async {
      await #expect(processExitsWith: .failure) {
        var writer = ExpositionWriter()
        writer.sample(Catalogue.probeSuccess, "only-provider", value: 1)
      }
    }

    @Test func aLabelSetOfOtherNamesTraps() async {
      await #expect(processExitsWith: .failure) {
        var writer = ExpositionWriter()
        let set = LabelSet(names: ["route", "provider"], values: ["a", "b"])
        writer.sample(Catalogue.probeSuccess, set, value: 1)
      }
    }
  }
#endif
