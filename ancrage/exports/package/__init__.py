"""What every package format shares: the zip archive (written and read safely) and the
self-contained player content (player files, bundles, media, one launch page per unit)."""
