"""Layer 2: characters — clean text with offset maps, dates, numbers, checkboxes."""
