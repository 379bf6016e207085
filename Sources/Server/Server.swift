// Server module. See README.md for the architecture.
import AtalayaCore
