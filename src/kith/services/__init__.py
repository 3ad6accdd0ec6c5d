"""Use cases: each joins the store and the pure rules for one thing a user does."""
