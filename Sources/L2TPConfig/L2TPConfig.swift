// L2TPConfig module. See docs/ARCHITECTURE.md for where it sits.
