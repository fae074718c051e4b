"""LTI 1.3 tool (Advantage): launches from a client's LMS into our player, deep linking,
AGS score passback and NRPS roster reads, one registration per client organisation."""
