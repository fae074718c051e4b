"""The studio: publisher staff write, preview, review and publish paths in the web UI."""
