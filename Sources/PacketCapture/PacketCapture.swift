// PacketCapture module. See docs/ARCHITECTURE.md for where it sits.
