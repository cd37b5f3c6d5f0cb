"""Educator voice: topic requests with upvotes and volunteering to lead, mentor or assess."""
