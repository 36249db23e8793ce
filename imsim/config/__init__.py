"""Configuration: typed schema, validation, composition and compilation."""
