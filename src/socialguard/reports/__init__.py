"""Figures for governors: counts and median times by month and school, never names."""
