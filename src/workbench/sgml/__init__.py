"""Layer 2: the EDGAR document model (submissions, headers, documents)."""
