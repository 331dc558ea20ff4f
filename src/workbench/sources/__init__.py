"""Layer 1: bytes in, nothing parsed."""
