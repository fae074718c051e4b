"""The API tests reuse the licensing fixtures (a catalogue, org A intégrale, org B à la carte)."""

from ancrage.licensing.tests.conftest import catalogue, licences

__all__ = ["catalogue", "licences"]
