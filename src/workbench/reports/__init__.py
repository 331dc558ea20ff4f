"""Layer 7: reports people open (HTML), built from the Parquet tables."""
