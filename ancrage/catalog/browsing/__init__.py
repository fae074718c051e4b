"""The catalogue as clients see it: themes, filters, search, path pages and memo sheets."""
