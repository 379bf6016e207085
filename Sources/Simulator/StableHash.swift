import AtalayaCore

/// FNV-1a of `text`, to derive a per-provider seed from the simulator seed.
func stableHash(_ text: String) -> UInt64 {
  var h: UInt64 = 0xCBF2_9CE4_8422_2325
  for byte in text.utf8 {
    h ^= UInt64(byte)
    h &*= 0x100_0000_01B3
  }
  return h
}
