"""Layer 3: one module per form family, plus the cover facts every form shares."""
