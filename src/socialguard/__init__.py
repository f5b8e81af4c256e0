"""socialguard: a school's Social Media Policy, put into practice."""

__version__ = "0.1.0"
