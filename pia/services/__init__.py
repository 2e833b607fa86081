"""Use cases: one function per thing a user does. Views call these and commit once."""
