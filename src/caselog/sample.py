"""placeholder replaced by the sample generator."""
