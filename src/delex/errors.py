"""Errors raised on bad input; their messages always name the file, key or line at fault."""


class DataError(ValueError):
    """A dataset folder or file is missing, malformed or inconsistent."""


class ConfigError(ValueError):
    """A configuration value is invalid."""
