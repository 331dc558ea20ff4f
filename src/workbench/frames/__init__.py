"""Layer 4: declared schemas, validation and the Parquet store."""
