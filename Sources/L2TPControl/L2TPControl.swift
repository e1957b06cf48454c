// L2TPControl module. See docs/ARCHITECTURE.md for where it sits.
