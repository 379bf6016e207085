import Testing

@Test func placeholderAtalayaAgentTests() { #expect(Bool(true)) }
