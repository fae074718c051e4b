"""cc13 export format: manifest.py writes the manifest, package.py the whole zip."""
