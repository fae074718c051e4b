"""Test helpers shared by every app's tests: real peers on loopback, never mocks of our code."""
