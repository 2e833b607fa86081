"""Tests of the workflows package: pure state machines, no app or database."""
