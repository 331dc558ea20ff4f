"""Layer 5: deadlines, timeliness and dilution over the frames (LazyFrame in, LazyFrame out)."""
