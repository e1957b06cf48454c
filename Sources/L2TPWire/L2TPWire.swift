// L2TPWire module. See docs/ARCHITECTURE.md for where it sits.
