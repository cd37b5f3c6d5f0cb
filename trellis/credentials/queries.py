"""District-scoped reads of credentials, keys and imported badges."""
